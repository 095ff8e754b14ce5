# Uncaught TypeError from an unsupported binary operation.
items = [1, 2, "3", 4]
total = 0
for it in items:
    print("adding", repr(it))
    total = total + it
print("not reached", total)
