"""struct: packing integers (and bytes) into binary strings — the integer and byte
codes of CPython's struct module, native and standard sizes, alignment and byte
orders. Floating-point codes raise struct.error."""

class error(Exception):
    pass

_NATIVE = {'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4,
           'l': 8, 'L': 8, 'q': 8, 'Q': 8, 'n': 8, 'N': 8, 'P': 8, 's': 1, 'p': 1}
_STANDARD = {'x': 1, 'c': 1, 'b': 1, 'B': 1, '?': 1, 'h': 2, 'H': 2, 'i': 4, 'I': 4,
             'l': 4, 'L': 4, 'q': 8, 'Q': 8, 's': 1, 'p': 1}
_SIGNED = set('bhilqn')


def _parse(fmt):
    if isinstance(fmt, bytes):
        fmt = fmt.decode('ascii')
    order = '@'
    if fmt and fmt[0] in '@=<>!':
        order = fmt[0]
        fmt = fmt[1:]
    sizes = _NATIVE if order == '@' else _STANDARD
    items = []
    count = ''
    for ch in fmt:
        if ch.isspace():
            continue
        if ch.isdigit():
            count += ch
            continue
        if ch not in sizes:
            raise error('bad char in struct format')
        n = int(count) if count else 1
        count = ''
        items.append((ch, n))
    if count:
        raise error('repeat count given without format specifier')
    return order, sizes, items


def _layout(fmt):
    order, sizes, items = _parse(fmt)
    pos = 0
    out = []
    for ch, n in items:
        size = sizes[ch]
        if order == '@' and ch not in 'xcsp?bB':
            pos = (pos + size - 1) // size * size
        if ch in 'sp':
            out.append((ch, pos, n))
            pos += n
        else:
            for _ in range(n):
                if ch != 'x':
                    out.append((ch, pos, size))
                pos += size
    return order, out, pos


def calcsize(fmt):
    return _layout(fmt)[2]


def pack(fmt, *values):
    order, fields, size = _layout(fmt)
    if len(values) != len(fields):
        raise error('pack expected %d items for packing (got %d)' % (len(fields), len(values)))
    buf = bytearray(size)
    little = order in '@=<'
    for (ch, pos, n), v in zip(fields, values):
        if ch in 'sp':
            if not isinstance(v, (bytes, bytearray)):
                raise error("argument for 's' must be a bytes object")
            data = bytes(v)[:n]
            buf[pos:pos + len(data)] = data
        elif ch == 'c':
            if not isinstance(v, (bytes, bytearray)) or len(v) != 1:
                raise error('char format requires a bytes object of length 1')
            buf[pos] = v[0]
        elif ch == '?':
            buf[pos] = 1 if v else 0
        else:
            if not isinstance(v, int):
                raise error('required argument is not an integer')
            signed = ch in _SIGNED
            lo = -(1 << (8 * n - 1)) if signed else 0
            hi = (1 << (8 * n - 1)) - 1 if signed else (1 << (8 * n)) - 1
            if v < lo or v > hi:
                if ch in 'bB':
                    raise error("byte format requires %d <= number <= %d" % (lo, hi))
                raise error("'%s' format requires %d <= number <= %d" % (ch, lo, hi))
            buf[pos:pos + n] = v.to_bytes(n, 'little' if little else 'big', signed=signed)
    return bytes(buf)


def unpack(fmt, data):
    order, fields, size = _layout(fmt)
    data = bytes(data)
    if len(data) != size:
        raise error('unpack requires a buffer of %d bytes' % size)
    little = order in '@=<'
    out = []
    for ch, pos, n in fields:
        chunk = data[pos:pos + n]
        if ch in 'sp':
            out.append(chunk)
        elif ch == 'c':
            out.append(chunk)
        elif ch == '?':
            out.append(chunk != b'\x00')
        else:
            out.append(int.from_bytes(chunk, 'little' if little else 'big', signed=ch in _SIGNED))
    return tuple(out)
