# Uncaught AssertionError with a message.
def checked_mean(values):
    assert len(values) > 0, "cannot average an empty list"
    return sum(values) / len(values)
print(checked_mean([1, 2, 3, 4]))
print(checked_mean([2.5]))
print(checked_mean([]))
