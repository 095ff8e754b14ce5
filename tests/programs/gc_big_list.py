# GC stress: large lists of small objects mutated while lots of garbage is created.
N = 250000
nums = list(range(N))
print(len(nums), sum(nums), nums[12345])
strs = [str(i) for i in range(N)]
print(len(strs), strs[-1], sum(len(s) for s in strs))
pairs = [(i, i * i) for i in range(N)]
checksum = 0
for a, b in pairs:
    checksum = (checksum * 31 + a + b) % 1000000007
print("pairs checksum", checksum)
for i in range(0, N, 3):
    pairs[i] = [i, "replaced", float(i)]
for i in range(0, N, 7):
    strs[i] = strs[i] + "!" * (i % 5)
checksum = 0
for i in range(0, N, 11):
    p = pairs[i]
    checksum = (checksum + len(p) + p[0] + len(strs[i])) % 1000000007
print("after mutation", checksum)
floats = [i * 0.5 for i in range(N)]
print(sum(floats), floats[-1], max(floats))
nested = [[j for j in range(i % 10)] for i in range(60000)]
print(sum(len(x) for x in nested), nested[59999])
for round_ in range(5):
    tmp = [[k, str(k), (k, k)] for k in range(40000)]
    nested[round_ * 1000] = tmp[-1]
    del tmp
print(nested[0], nested[4000])
big = []
for i in range(N):
    big.append({"id": i} if i % 1000 == 0 else i)
print(len(big), sum(1 for x in big if isinstance(x, dict)), big[5000])
while len(big) > 100000:
    big.pop()
print(len(big), big[-1])
big[10:90000] = []
print(len(big), big[:3], big[-3:])
big.extend(range(100000))
big.sort(key=lambda v: v["id"] if isinstance(v, dict) else v)
print(len(big), big[:3], big[-2:])
rev = list(reversed(nums))
print(rev[0], rev[-1], rev[N // 2])
sliced = nums[::5]
print(len(sliced), sliced[-1], sum(sliced) % 999983)
chars = []
for i in range(200000):
    chars.append(chr(97 + i % 26))
joined = "".join(chars)
print(len(joined), joined[:30], joined.count("z"))
lol = [[i] for i in range(200000)]
total = 0
for inner in lol:
    inner.append(inner[0] * 2)
    total += inner[1]
print(total)
lol = None
tuples = tuple(tuple(range(i % 5)) for i in range(100000))
print(len(tuples), sum(len(t) for t in tuples), tuples[99999])
