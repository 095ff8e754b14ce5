# GC stress: large dicts (100k+ entries) with deletion, reinsertion, rehashing and string keys.
N = 150000
d = {}
for i in range(N):
    d[i] = i * 3
print(len(d), d[0], d[N - 1], sum(d.values()) % 1000000007)
for i in range(0, N, 2):
    del d[i]
print(len(d), list(d)[:5], list(d)[-3:])
for i in range(0, N, 4):
    d[i] = -i
print(len(d), list(d)[-3:], d[4], d[5])
sd = {}
for i in range(120000):
    sd["key%d" % i] = [i, str(i)]
print(len(sd), sd["key77777"], "key120000" in sd)
acc = 0
for k in sd:
    acc = (acc + len(k) + sd[k][0]) % 1000000007
print("walk", acc)
for i in range(0, 120000, 3):
    sd.pop("key%d" % i)
for i in range(0, 120000, 6):
    sd["key%d" % i] = None
print(len(sd), list(sd)[:4], list(sd)[-2:])
order_ok = True
prev = -1
for k in list(sd)[:40000]:
    n = int(k[3:])
    if sd[k] is None:
        break
    if n <= prev:
        order_ok = False
    prev = n
print("insertion order kept", order_ok)
tk = {}
for i in range(100000):
    tk[(i % 317, i % 1009, str(i % 7))] = i
print(len(tk), tk[(0, 0, "0")], tk[(316, 1008, str(320035 % 7))] if (316, 1008, str(320035 % 7)) in tk else "absent")
fk = {i / 4: i for i in range(100000)}
print(len(fk), fk[2.5], fk[24999.75], 1.0 in fk, fk[1])
counts = {}
text_src = "the quick brown fox jumps over the lazy dog " * 3000
for w in text_src.split():
    counts[w] = counts.get(w, 0) + 1
print(sorted(counts.items()))
nested = {i: {j: j * i for j in range(10)} for i in range(15000)}
print(len(nested), sum(nested[14999].values()), nested[123][9])
for i in range(0, 15000, 2):
    nested[i] = None
print(sum(1 for v in nested.values() if v is None))
churn = {}
for r in range(30):
    for i in range(5000):
        churn[(r, i)] = [r] * 3
    for i in range(5000):
        if i % 10:
            del churn[(r, i)]
print(len(churn), churn[(29, 4990)], min(churn)[0], max(churn))
merged = dict(d)
merged.update(("s%d" % i, i) for i in range(50000))
print(len(merged), merged["s49999"], sum(1 for k in merged if isinstance(k, str)))
comp = {k: v for k, v in merged.items() if isinstance(k, int) and k % 1000 == 1}
print(len(comp), list(comp.items())[:3])
inverted = {v[1]: k for k, v in sd.items() if v is not None}
print(len(inverted), type(next(iter(inverted))).__name__)
