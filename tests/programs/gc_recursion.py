# Moderate recursion (depth up to 500) that allocates at every level.
def build_nested(depth):
    if depth == 0:
        return []
    return [depth, build_nested(depth - 1), "level%d" % depth]
def measure(lst):
    if not lst:
        return 0, 0
    d, s = measure(lst[1])
    return d + 1, s + lst[0] + len(lst[2])
nest = build_nested(500)
print(measure(nest))
def sum_to(n):
    return 0 if n == 0 else n + sum_to(n - 1)
print(sum_to(500), sum_to(450))
def make_chain(n):
    if n == 0:
        return {"end": True}
    return {"n": n, "next": make_chain(n - 1), "junk": [n] * (n % 7)}
def chain_len(c):
    return 0 if "end" in c else 1 + chain_len(c["next"])
chains = [make_chain(400) for _ in range(20)]
print([chain_len(c) for c in chains[:3]], sum(len(c["junk"]) for c in chains))
def ackermann_like(m, n, memo):
    key = (m, n)
    if key in memo:
        return memo[key]
    if m == 0:
        r = n + 1
    elif n == 0:
        r = ackermann_like(m - 1, 1, memo)
    else:
        r = ackermann_like(m - 1, ackermann_like(m, n - 1, memo), memo)
    memo[key] = r
    return r
print(ackermann_like(2, 200, {}))
def permutations(items):
    if len(items) <= 1:
        return [items[:]]
    out = []
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            out.append([items[i]] + p)
    return out
perms = permutations(list(range(7)))
print(len(perms), perms[0], perms[-1], perms[2500])
def flatten(x):
    if isinstance(x, list):
        out = []
        for y in x:
            out.extend(flatten(y))
        return out
    return [x]
deep = 0
for i in range(300):
    deep = [i, deep, str(i)]
flat = flatten(deep)
print(len(flat), flat[:6], flat[-3:])
def mutual_a(n, acc):
    if n == 0:
        return acc
    acc.append(("a", n))
    return mutual_b(n - 1, acc)
def mutual_b(n, acc):
    if n == 0:
        return acc
    acc.append(("b", n))
    return mutual_a(n - 1, acc)
trail = mutual_a(480, [])
print(len(trail), trail[:2], trail[-2:])
class Expr:
    def __init__(self, op, left, right):
        self.op, self.left, self.right = op, left, right
def build_expr(n):
    if n == 0:
        return 1
    return Expr("+" if n % 2 else "*", build_expr(n - 1), n % 5 + 1)
def evaluate(e):
    if not isinstance(e, Expr):
        return e
    l = evaluate(e.left)
    return (l + e.right if e.op == "+" else l * e.right) % 1000003
print(evaluate(build_expr(450)))
def depth_of_exception(n):
    if n == 0:
        raise ValueError("bottom reached")
    try:
        return depth_of_exception(n - 1)
    finally:
        pass
try:
    depth_of_exception(400)
except ValueError as e:
    print("caught from depth 400:", e)
def gen_depth(n):
    if n > 0:
        yield n
        yield from gen_depth(n - 1)
print(sum(gen_depth(200)))
