# Uncaught IndexError from reading past the end of a list.
data = [10, 20, 30]
i = 0
while True:
    print("element", i, "=", data[i])
    i += 1
