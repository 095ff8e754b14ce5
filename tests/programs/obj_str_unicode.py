# Non-ASCII text: lengths count code points, slicing, case mapping, encode/decode, ord/chr.
texts = ["héllo", "naïve café", "Grüße", "日本語テキスト", "Ελληνικά", "русский", "emoji 😀🎉", "ß", "İ", "ﬁ"]
for t in texts:
    b = t.encode("utf-8")
    print(t, len(t), len(b), t[0], t[-1], t[1:4], t[::-1], t.upper(), t.lower())
print([ord(c) for c in "é日😀"], [hex(ord(c)) for c in "Ωω"], chr(233), chr(0x65E5), chr(128512))
print("\u00e9" == "é", "\U0001F389" == "🎉", "\xe9")
print(b"caf\xc3\xa9".decode("utf-8"), bytes([0xe6, 0x97, 0xa5]).decode(), "café".encode("latin-1"), b"\xe9".decode("latin-1"))
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError", e.reason, e.start, e.end)
try:
    "日本".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError", e.start, e.end, e.reason)
print("é日".encode("ascii", "replace"), "é日".encode("ascii", "ignore"), b"a\xffb".decode("utf-8", "replace"))
print(repr("é"), repr("日本"), repr("😀"), repr("\u200b"), repr("\x1b"), ascii("é日😀"))
print("straße".upper(), "ǅ".lower(), "ǅ".upper(), "ΣΑΣ".lower(), "Straße".casefold())
print(sorted(["é", "e", "z", "a", "É", "日", "😀"]), "é" > "z", max("αβγ"), min("日本語"))
print("日本語".find("語"), "日本語".index("本"), "日本語日本".count("日本"), "日本語".replace("本", "ほん"))
print("a😀b😀c".split("😀"), "–".join(["x", "y"]), "  ü  ".strip(), "x·y".partition("·"))
print(f"{'日本':>6}|", f"{'é':*^5}", "{:<4}|".format("ü"), "%5s|" % "ñ", "日本".center(6, "-"))
print("١٢٣".isdigit(), int("١٢٣"), int("٣") + 1, float("１２.５"), "Ⅻ".isnumeric(), "Ⅻ".isdigit())
print(str(b"\xc3\xa9", "utf-8"), len("e\u0301"), "e\u0301" == "é", [c for c in "e\u0301"])
print("ÀÉÎÕÜ".lower(), "àéîõü".upper(), "ÿ".upper(), "ǆ".title(), "ŉ".upper())
s = "".join(chr(c) for c in range(0x3b1, 0x3ca))
print(s, len(s), s.upper(), s[5:10])
total = 0
for ch in "Thicket: こんにちは, мир, 🌍!":
    total = (total * 131 + ord(ch)) % 1000000007
print("checksum", total)
print("héllo wörld".title(), "ÉCOLE".capitalize(), "éa".isalpha(), "日".isalpha(), "😀".isalpha(), "²".isdigit(), "²".isdecimal())
