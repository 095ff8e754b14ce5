# Uncaught ZeroDivisionError from integer division inside a loop.
def average(values):
    return sum(values) // len(values)
groups = [[1, 2, 3], [10, 20], [7], []]
for g in groups:
    print("average of", g, "is", average(g))
print("not reached")
