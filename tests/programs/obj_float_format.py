# Float formatting: format(), f-string specs, %-formatting of floats.
vals = [0.0, -0.0, 1.0, 3.14159265, -2.5, 1234567.891, 1e-7, 6.02e23, 0.5, 1.5, 2.5, 0.125, 99.995]
for v in vals:
    print(format(v, ".2f"), format(v, ".3e"), format(v, "g"), format(v, ".3g"), format(v, "10.1f") + "|")
for v in [1e16, 1e15, 123456.0, 1234567.0, 0.0001, 0.00001, 1e-300]:
    print(repr(v), format(v, "g"), format(v, ""), str(v), format(v, ".10g"))
print(format(1234567.891, ",.2f"), format(1234567.891, "_.1f"), format(-1234.5, "+,.0f"))
print(format(0.25, "%"), format(0.25, ".1%"), format(1 / 3, ".0%"))
print(format(3.5, "+.1f"), format(3.5, " .1f"), format(-3.5, " .1f"), format(3.5, "<8.2f") + "|")
print(format(3.5, ">8.2f"), format(3.5, "^9.2f") + "|", format(3.5, "*^9.2f"), format(-3.5, "08.2f"), format(3.5, "=+8.2f"))
print(format(2.5, ".0f"), format(3.5, ".0f"), format(0.5, ".0f"), format(1.25, ".1f"), format(1.35, ".1f"))
print(format(float("inf"), ".2f"), format(float("-inf"), "e"), format(float("nan"), "8.3f") + "|", format(float("inf"), "F"))
print(format(12.0, "E"), format(1e-10, "G"), format(1.0, "#g"), format(1.0, ".0e"), format(123.456, ".0e"))
print(format(5.0, "n"), format(1e20, ".2f"), format(2 ** 70 + 0.0, "f"))
print("%f" % 1.5, "%.3f" % 2.0 ** 0.5, "%e" % 12345.678, "%g" % 0.00001234, "%10.4f|" % 3.14159, "%-10.2f|" % 2.5)
print("%+.2f" % 1.0, "%05.1f" % 2.25, "%G" % 1e-20, "%.2e" % 0.0, "%5.1f%%" % 45.67)
print(f"{2 / 3:.4f}", f"{1e6:.2e}", f"{123.456:10.2f}|", f"{-0.001:.2f}", f"{0.0001:g}", f"{1e6:g}", f"{1e5:g}")
print(f"{3.0:}", f"{3.0!s}", f"{3.0!r}", f"{1.0e10:,.1f}", f"{0.1 + 0.2:.17f}", f"{0.1:.25f}")
w, p = 12, 3
print(f"{3.14159:{w}.{p}f}|", f"{2.71828:<{w}.{p}e}|")
print(str(1.0), str(10.0 ** 15), str(10.0 ** 16), str(-1e-4), str(1.0e-5))
print(round(2.5, 0), round(-0.4), round(0.45, 1), round(0.55, 1), round(1e-10, 5), round(-1e-10, 5))
