# range and slice objects.
r = range(10)
print(r, range(2, 8), range(0, 20, 3), range(5, 0, -1), len(r), list(range(2, 8)), list(range(5, 0, -2)))
print(list(range(0)), list(range(3, 3)), list(range(3, 1)), list(range(-5, -1)), list(range(10, 0, -3)))
r2 = range(3, 50, 4)
print(len(r2), r2[0], r2[-1], r2[5], r2[2:6], r2[::-1], r2[::2], list(r2[1:4]))
print(r2.start, r2.stop, r2.step, r2.index(11), r2.count(11), r2.count(12), 11 in r2, 12 in r2, 51 in r2)
print(range(0, 10, 2) == range(0, 9, 2), range(0) == range(5, 2), range(3) == range(4), hash(range(3)) == hash(range(0, 3)))
print(sum(range(1, 101)), max(range(7)), min(range(3, 9)), sorted(range(5, 0, -1)), list(reversed(range(4))))
big = range(10 ** 12)
print(len(big), big[-1], big[10 ** 11], 10 ** 11 + 5 in big, big[5:10])
try:
    range(0, 10, 0)
except ValueError as e:
    print("ValueError", e)
try:
    range(5)[5]
except IndexError as e:
    print("IndexError", e)
try:
    r2.index(12)
except ValueError as e:
    print("ValueError", e)
it = iter(range(3))
print(next(it), next(it), next(it), next(it, "done"))
s = slice(1, 8, 2)
print(s, s.start, s.stop, s.step, slice(5), slice(None, None, -1), slice(2, None))
data = list(range(20))
print(data[s], data[slice(5)], data[slice(None, None, -3)], data[slice(-4, None)], "abcdefghij"[s])
print(s.indices(5), slice(None).indices(10), slice(-3, None).indices(10), slice(None, None, -1).indices(4), slice(2, 100, 3).indices(10))
print(slice(1, 2) == slice(1, 2), slice(1, 2) == slice(1, 3))
class Recorder:
    def __getitem__(self, key):
        return key
rec = Recorder()
print(rec[1], rec[1:2], rec[::3], rec[1:2, 3], rec[:, 1], rec["k"], rec[...], rec[-1:])
t = tuple(range(10))
print(t[s], t[::-1][s], list(range(100))[10:90:17])
lst = list(range(10))
lst[slice(0, 10, 3)] = ["x"] * 4
print(lst)
del lst[slice(1, None, 2)]
print(lst)
print([list(range(n)) for n in range(4)], [i for i in range(-3, 3)], list(range(2 ** 64, 2 ** 64 + 3)))
print(range(3).__class__.__name__, type(slice(1)).__name__, repr(range(0, 5, 1)), str(range(-2, 2)))
