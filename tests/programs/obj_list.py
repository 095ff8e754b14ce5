# Lists: methods, sort with key/reverse, slicing, slice assignment, del.
a = [5, 3, 8, 1]
a.append(7)
a.extend([2, 9])
a.insert(0, 10)
a.insert(-1, 4)
a.insert(100, 11)
print(a, len(a))
print(a.pop(), a.pop(0), a.pop(2), a)
a.remove(4)
print(a, a.index(7), a.count(3), 3 in a, 99 not in a)
try:
    a.remove(99)
except ValueError as e:
    print("ValueError", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError", e)
b = a.copy()
b.reverse()
print(a, b, a == b, sorted(a) == sorted(b))
a.sort()
print(a)
a.sort(reverse=True)
print(a)
words = ["banana", "Apple", "cherry", "date", "Elderberry", "fig"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=len, reverse=True))
recs = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 20)]
print(sorted(recs, key=lambda r: r[1]))
print(sorted(recs, key=lambda r: (-r[1], r[0])))
recs.sort(key=lambda r: r[1], reverse=True)
print(recs)
c = list(range(10))
print(c[2:5], c[:3], c[7:], c[::3], c[::-2], c[-3:-1], c[5:2], c[5:2:-1])
c[2:5] = ["a", "b"]
print(c)
c[1:1] = [100, 101, 102]
print(c)
c[::2] = [0] * len(c[::2])
print(c)
c[-2:] = []
print(c)
del c[0]
print(c)
del c[1:3]
print(c)
del c[::2]
print(c)
try:
    c[::2] = [1, 2, 3, 4, 5, 6, 7]
except ValueError as e:
    print("ValueError", e)
d = [1, 2] * 3 + [3]
print(d, d * 0, [[0] * 2] * 2)
grid = [[0] * 3 for _ in range(3)]
grid[1][1] = 5
print(grid)
alias = [[0] * 3] * 3
alias[1][1] = 5
print(alias)
e = [3, 1, 2]
e += [4]
e *= 2
print(e, e.index(2, 3), e.clear(), e)
print([1, 2, 3] < [1, 2, 4], [1, 2] < [1, 2, 0], [2] > [1, 100], [1, [2, 3]] == [1, [2, 3]])
f = list("hello")
f[0] = "j"
f[-1] = "y"
print(f, "".join(f), list(range(3)), list((1, 2)), list({"k": 1}), list())
print(sum([[1], [2, 3], []], []), max([3, 7, 2]), min(["b", "a"]), list(reversed([1, 2, 3])))
big = list(range(20))
print(big[100:], big[-100:3], big[3:-15], big[::-7])
nums = [4, -2, 7, 0, -9, 3]
nums.sort(key=abs)
print(nums, sorted(nums, key=lambda v: (v % 3, v)))
stable = sorted([("x", 2), ("y", 1), ("z", 2), ("w", 1)], key=lambda p: p[1])
print(stable)
lst = [1]
lst.append(lst)
print(lst)
print(repr([None, True, "s", 1.5, (1,)]), str([]), [[], [[]]])
