# bytes and bytearray.
b = b"hello world"
print(b, len(b), b[0], b[-1], b[1:5], b[::-1], b[::3], list(b[:3]))
print(bytes(3), bytes([65, 66, 67]), bytes(range(5)), bytes("héllo", "utf-8"), bytes(b"x"), bytes())
print(b"abc" + b"def", b"ab" * 3, b"lo" in b, 111 in b, b"z" not in b)
print(b.upper(), b.split(), b.split(b"o"), b.replace(b"l", b"L"), b.find(b"o"), b.rfind(b"o"), b.count(b"l"))
print(b.startswith(b"he"), b.endswith(b"ld"), b.strip(b"hd"), b"  x ".strip(), b"-".join([b"a", b"b", b"c"]))
print(b.hex(), bytes.fromhex("deadbeef"), bytes.fromhex("00 ff 10"), b"\x00\x01\xfe".hex())
print(b.decode(), b"caf\xc3\xa9".decode("utf-8"), b.index(b"w"), b.partition(b" "), b.isalpha(), b"123".isdigit())
print(repr(b"\x00\n\t\r\\'\""), repr(b'it\'s'), repr(bytes([7, 127, 128, 255])), repr(b"'"), repr(b'"'))
print(b"abc" < b"abd", b"abc" == b"abc", b"a" < b"ab", sorted([b"b", b"a", b"ab"]), max(b"xyz"))
print(b"abc" == "abc", hash(b"") == hash(b"") , b.title(), b"AbC".lower(), b"AbC".swapcase())
ba = bytearray(b"hello")
print(ba, len(ba), ba[0], ba[1:3])
ba[0] = 74
print(ba)
ba.append(33)
ba.extend(b"??")
print(ba)
ba[1:3] = b"EEEE"
print(ba)
del ba[0]
print(ba, ba.pop(), ba)
ba.insert(0, 106)
ba.reverse()
print(ba, bytes(ba), ba.decode())
ba2 = bytearray(4)
for i in range(4):
    ba2[i] = i * 60
print(ba2, list(ba2), ba2.hex())
ba3 = bytearray(b"abc") + b"def"
print(ba3, type(ba3).__name__, ba3 * 2, ba3 == b"abcdef", ba3.upper())
ba3 += b"!"
print(ba3, ba3.find(b"d"), ba3.count(b"a"), ba3.replace(b"a", b"A"))
ba3.remove(ord("b"))
print(ba3, ba3.index(ord("c")))
ba3.clear()
print(ba3, len(ba3))
for bad in [256, -1]:
    try:
        bytes([bad])
    except ValueError as e:
        print("ValueError", e)
try:
    b[0] = 1
except TypeError as e:
    print("TypeError", e)
print([x for x in b"AZ"], b"%d-%s" % (5, b"x"), b"%05.1f" % 3.14159)
print(int.from_bytes(b"\x12\x34", "big"), (4660).to_bytes(2, "little"), bytes(bytearray(b"xy")))
total = 0
data = bytes(i * 7 % 256 for i in range(1000))
for x in data:
    total = (total * 33 + x) & 0xFFFFFFFF
print("checksum", total, len(data), data[500:505])
print(str(b"ab"), f"{b'ab'}", bytes.maketrans(b"ab", b"xy") == bytes.maketrans(b"ab", b"xy"), b"abc".translate(bytes.maketrans(b"ab", b"xy")))
