# printf-style % formatting.
print("%s %s" % ("a", "b"), "%d items" % 5, "%r" % "q", "%s" % [1, 2], "%s" % (1,), "%s" % ((1, 2),))
print("%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%c|%c" % (42, 42, 42, 42, 42, 255, 255, 255, 8, 8, 65, "z"))
print("%.2f|%8.3f|%-8.1f|%e|%.1E|%g|%G|%%" % (3.14159, 2.71828, 1.5, 1234.5, 0.000123, 1e-7, 1e20))
print("%(name)s is %(age)d" % {"name": "Bob", "age": 30}, "%(x)r/%(x)s" % {"x": "v"})
print("%*d|%-*d|%.*f" % (6, 1, 6, 2, 2, 3.14159))
print("%s" % None, "%s" % True, "%d" % True, "%i" % 7, "%u" % 7, "%d" % 3.99, "%d" % -3.99, "%s" % 1.0, "%r" % 1.0)
print("%3s|%-3s|%.1s|%5.2s|" % ("abcd", "a", "xyz", "xyz"))
print("%d%%" % 50, "100%%" % (), "%s-%s" % ("x", ("y", "z")), "%x" % 2 ** 70, "%d" % -2 ** 70)
print("%05.1f|%+.0f|%.0f|%.0f|%.0f" % (-1.25, 2.5, 0.5, 1.5, -0.5))
print("%s and %r" % ("str", "repr"), "%a" % "é", "%-6s|" % "ab", "%06.2f" % -1.5)
for bad in [("%d", "x"), ("%s %s", ("one",)), ("%s", (1, 2)), ("%(k)s", {"j": 1}), ("%z", 1)]:
    try:
        print(bad[0] % bad[1])
    except (TypeError, KeyError, ValueError) as e:
        print(type(e).__name__, e)
rows = [("apple", 3, 1.25), ("banana", 12, 0.5), ("cherry", 150, 10.0)]
for name, qty, price in rows:
    print("%-10s %5d %8.2f %8.2f" % (name, qty, price, qty * price))
print("total: %.2f" % sum(q * p for _, q, p in rows))
print("%c%c%c" % (72, 105, 33), "%s" % b"bytes", "%r" % [None, "s"], "%s" % {"a": 1})
print("%.3s" % "abcdef", "%10.4f|" % 2 ** 0.5, "%-10.4e|" % 12345.6789, "%#.0f" % 3, "%#g" % 2.0)
template = "Name: %s, Score: %6.2f, Rank: #%03d"
for i, (nm, sc) in enumerate([("Ann", 93.456), ("Ben", 8.1), ("Cy", 100.0)], 1):
    print(template % (nm, sc, i))
