# if/elif/else, while/for with else, break, continue, pass, nested loops.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n % 2 == 0:
        return "even"
    else:
        return "odd"
print([classify(n) for n in (-3, 0, 4, 7)])
for i in range(5):
    if i == 3:
        break
    print("for", i)
else:
    print("for-else not reached")
for i in range(3):
    pass
else:
    print("for-else reached, i =", i)
for x in []:
    print("never")
else:
    print("empty for-else")
n = 0
while n < 10:
    n += 1
    if n % 2:
        continue
    if n > 7:
        break
    print("while", n)
else:
    print("while-else not reached")
print("after while n =", n)
k = 3
while k:
    k -= 1
else:
    print("while-else reached k =", k)
def find(haystack, needle):
    for idx, item in enumerate(haystack):
        if item == needle:
            break
    else:
        return -1
    return idx
print(find("abcdef", "d"), find("abc", "z"))
primes = []
for cand in range(2, 40):
    for d in range(2, cand):
        if cand % d == 0:
            break
    else:
        primes.append(cand)
print(primes)
found = None
for a in range(1, 20):
    for b in range(a, 20):
        if a * b == 91:
            found = (a, b)
            break
    if found:
        break
print("found", found)
out = []
for i in range(4):
    for j in range(4):
        if j > i:
            continue
        if (i + j) % 3 == 0:
            continue
        out.append((i, j))
print(out)
count = 0
while True:
    count += 1
    if count >= 100:
        break
print("count", count)
x = 15
if x > 10:
    if x > 20:
        print("big")
    elif x > 12:
        print("medium-big")
    else:
        print("medium")
else:
    print("small")
for ch in "abc":
    for num in (1, 2):
        if ch == "b" and num == 2:
            continue
        print(ch + str(num), end=" ")
print()
items = [3, 1, 4, 1, 5, 9, 2, 6]
i = 0
while i < len(items):
    if items[i] == 1:
        del items[i]
        continue
    i += 1
print(items)
collatz = 27
steps = 0
while collatz != 1:
    collatz = collatz // 2 if collatz % 2 == 0 else 3 * collatz + 1
    steps += 1
print("collatz steps", steps)
if not []:
    pass
print("loop var persists:", [v for v in range(3)], i, ch, num)
for i in range(3):
    i = 10
    print("rebound", i)
