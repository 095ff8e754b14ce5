# itertools: count, cycle, repeat, chain, islice, product, permutations, combinations, accumulate, groupby, zip_longest, takewhile, dropwhile, starmap, compress, tee.
import itertools
from itertools import count, chain, islice, product, permutations, combinations, accumulate, groupby, repeat, zip_longest, takewhile, dropwhile, starmap
import operator
print(list(islice(count(), 5)), list(islice(count(10, 3), 4)), list(islice(count(1.5, 0.5), 3)), list(islice(count(5, -2), 4)))
print(list(islice(itertools.cycle("ab"), 5)), list(repeat("x", 3)), list(islice(repeat(7), 2)), list(repeat(1, 0)))
print(list(chain([1, 2], "ab", (3,))), list(chain.from_iterable([[1], [2, 3], []])), list(chain()))
print(list(islice(range(10), 3)), list(islice(range(10), 2, 8, 2)), list(islice(range(10), 7, None)), list(islice("abcdef", 1, 4)))
print(list(product("ab", [1, 2])), list(product([0, 1], repeat=2)), len(list(product(range(3), repeat=4))), list(product()))
print(list(permutations([1, 2, 3])), list(permutations("abc", 2)), len(list(permutations(range(6)))))
print(list(combinations([1, 2, 3, 4], 2)), list(combinations("abcd", 3)), list(combinations(range(3), 0)), list(combinations([1], 2)))
print(list(itertools.combinations_with_replacement("ab", 2)))
print(list(accumulate([1, 2, 3, 4])), list(accumulate([1, 2, 3, 4], operator.mul)), list(accumulate([3, 1, 4, 1, 5], max)), list(accumulate([1, 2], initial=100)))
data = "aaabbcaaddd"
print([(k, len(list(g))) for k, g in groupby(data)])
print([(k, list(g)) for k, g in groupby([1, 3, 5, 2, 4, 7], key=lambda v: v % 2)])
people = [("ann", "dev"), ("bob", "ops"), ("cy", "dev"), ("di", "ops")]
print({k: [p[0] for p in g] for k, g in groupby(sorted(people, key=lambda p: p[1]), key=lambda p: p[1])})
print(list(zip_longest("abc", [1])), list(zip_longest([1, 2], [3], [4, 5, 6], fillvalue="-")))
print(list(takewhile(lambda v: v < 4, [1, 2, 5, 1])), list(dropwhile(lambda v: v < 4, [1, 2, 5, 1])), list(takewhile(bool, [])))
print(list(starmap(pow, [(2, 3), (3, 2), (10, 0)])), list(starmap(lambda a, b: a + b, zip("ab", "cd"))))
print(list(itertools.compress("abcdef", [1, 0, 1, 0, 1])), list(itertools.filterfalse(lambda v: v % 2, range(8))))
t1, t2 = itertools.tee(iter([1, 2, 3]))
print(list(t1), list(t2))
print(list(itertools.pairwise("abcd")), list(islice(itertools.cycle([]), 3)))
counter = count()
print(next(counter), next(counter), next(counter))
evens = (n for n in count() if n % 2 == 0)
print(list(islice(evens, 5)))
it = iter(range(10))
print(list(islice(it, 3)), list(islice(it, 3)), list(it))
words = ["alpha", "beta", "gamma", "delta"]
print(list(accumulate(words, lambda acc, w: acc + w[0])), list(chain.from_iterable(zip(words, range(4)))))
total = 0
for a, b, c in product(range(1, 6), repeat=3):
    if a < b < c:
        total += a * b * c
print("product sum", total)
print(sum(1 for _ in permutations(range(7), 3)), sum(1 for _ in combinations(range(20), 3)))
print(["".join(p) for p in permutations("abc")])
print(list(map("".join, product("01", repeat=3))))
grid = [[1, 2, 3], [4, 5, 6]]
print(list(chain(*grid)), list(zip_longest(*grid)), list(islice(zip(count(1), "xyz"), 2)))
