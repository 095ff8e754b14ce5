# zlib from the system (libz.so.1): crc32 and compress/uncompress through
# ffi.from_buffer (zero-copy, pinned input) and ffi.new (owned output).
import sys
from cffi import FFI

ffi = FFI()
ffi.cdef("""
    typedef unsigned char Bytef;
    typedef unsigned long uLong;
    typedef unsigned long uLongf;
    uLong crc32(uLong crc, const Bytef *buf, unsigned int len);
    uLong compressBound(uLong sourceLen);
    int compress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen);
    int uncompress(Bytef *dest, uLongf *destLen, const Bytef *source, uLong sourceLen);
""")
z = ffi.dlopen("libz.so.1")


def make(i):
    parts = []
    for j in range(i % 7 + 1):
        parts.append(("chunk %d/%d " % (i, j)) * (j + 1))
    return "".join(parts).encode()


n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
for i in range(n):
    data = make(i)
    if i % 2:
        data = bytearray(data)
    src = ffi.from_buffer(data)
    crc = z.crc32(0, src, len(data))
    bound = z.compressBound(len(data))
    out = ffi.new("unsigned char[]", bound)
    outlen = ffi.new("unsigned long *", bound)
    rc = z.compress(out, outlen, src, len(data))
    compressed = ffi.buffer(out, outlen[0])[:]
    back = ffi.new("unsigned char[]", len(data) + 1)
    backlen = ffi.new("unsigned long *", len(data) + 1)
    rc2 = z.uncompress(back, backlen, ffi.from_buffer(compressed), len(compressed))
    same = ffi.buffer(back, backlen[0])[:] == bytes(data)
    print(i, len(data), crc, rc, rc2, same, compressed.hex())
