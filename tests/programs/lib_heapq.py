# heapq: push/pop order, heapify, replace/pushpop, merge (with key and reverse),
# nlargest/nsmallest (ties keep input order), and the errors raised.
import heapq

data = [5, 1, 8, 3, 9, 2, 7, 3, 0, 6, 4, 8]
h = []
for x in data:
    heapq.heappush(h, x)
print(h[0], [heapq.heappop(h) for _ in range(len(data))], h)
h = list(data)
heapq.heapify(h)
print(all(h[k] <= h[c] for k in range(len(h)) for c in (2 * k + 1, 2 * k + 2) if c < len(h)))
print(heapq.heapreplace(h, 10), heapq.heappushpop(h, -1), heapq.heappushpop(h, 5), len(h))
print(sorted(h) == [heapq.heappop(h) for _ in range(len(h))])
print(list(heapq.merge([1, 4, 7], [2, 5, 8], [0, 3, 6, 9])))
print(list(heapq.merge(["bb", "a"], ["ccc", "dd"], key=len, reverse=True)))
print(list(heapq.merge([], [1], [])), list(heapq.merge()))
pairs = [("a", 3), ("b", 1), ("c", 3), ("d", 2), ("e", 3), ("f", 0)]
for n in (0, 1, 2, 3, 10):
    print(n, heapq.nlargest(n, pairs, key=lambda p: p[1]), heapq.nsmallest(n, pairs, key=lambda p: p[1]))
print(heapq.nlargest(3, data), heapq.nsmallest(3, data), heapq.nlargest(2, iter([])), heapq.nsmallest(1, []))
tasks = []
for prio, name in [(2, "write"), (1, "plan"), (3, "test"), (1, "coffee")]:
    heapq.heappush(tasks, (prio, name))
print([heapq.heappop(tasks)[1] for _ in range(4)])
for bad in (lambda: heapq.heappop([]), lambda: heapq.heapreplace([], 1), lambda: heapq.heappush((), 1), lambda: heapq.heapify("x")):
    try:
        bad()
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
