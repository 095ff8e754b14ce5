# Uncaught KeyError: the last stderr line shows the repr of the key.
prices = {"apple": 3, "pear": 5}
order = ["apple", "pear", "mango"]
total = 0
for item in order:
    total += prices[item]
    print("added", item, "total", total)
print("not reached")
