# Differential driver: crcmod 1.7 with its C extension (_crcfunext): predefined and
# custom CRCs of several widths, incremental updates, copies, and a wrong argument.
import sys
import crcmod, crcmod.predefined
print("extension in use:", sys.modules["crcmod.crcmod"]._usingExtension)
for name in ["crc-8", "crc-16", "crc-24", "crc-32", "crc-32c", "crc-64", "x-25", "modbus"]:
    f = crcmod.predefined.mkCrcFun(name)
    for data in [b"", b"a", b"hello world", bytes(range(40))]:
        print(name, len(data), hex(f(data)))
c = crcmod.Crc(0x104C11DB7, initCrc=0, xorOut=0xFFFFFFFF)
c.update(b"123456789")
print(c.hexdigest(), c.crcValue)
c2 = c.copy()
c2.update(b"more")
print(c2.hexdigest(), c.hexdigest())
f = crcmod.mkCrcFun(0x11021, rev=False, initCrc=0xFFFF)
print(f(b"123456789"), f(b"6789", f(b"12345")))
try:
    f("text")
except TypeError as e:
    print("TypeError", e)
