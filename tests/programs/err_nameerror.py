# Uncaught NameError for a global that was never defined (no similarly named variable exists).
def compute():
    a = 5
    b = 7
    return a * b + qqq_undefined_xyz
print("start")
print("partial", 5 * 7)
print(compute())
