# GC stress: linked lists, binary trees, doubly linked cycles, graphs of user objects.
class Node:
    def __init__(self, val, nxt=None):
        self.val = val
        self.next = nxt
head = None
for i in range(100000):
    head = Node(i, head)
total = 0
count = 0
n = head
while n is not None:
    total += n.val
    count += 1
    n = n.next
print("list", count, total)
prev = None
cur = head
while cur:
    nxt = cur.next
    cur.next = prev
    prev = cur
    cur = nxt
head = prev
print("reversed head", head.val, head.next.val, head.next.next.val)
n = head
while n and n.next:
    n.next = n.next.next
    n = n.next
count = 0
n = head
while n:
    count += 1
    n = n.next
print("after unlinking every other", count)
class Tree:
    def __init__(self, left, right, val):
        self.left = left
        self.right = right
        self.val = val
def build(depth, val):
    if depth == 0:
        return Tree(None, None, val)
    return Tree(build(depth - 1, 2 * val), build(depth - 1, 2 * val + 1), val)
def check(t):
    if t.left is None:
        return 1, t.val
    c1, s1 = check(t.left)
    c2, s2 = check(t.right)
    return c1 + c2 + 1, s1 + s2 + t.val
long_lived = build(14, 1)
print("long-lived tree", check(long_lived))
for depth in range(4, 15, 2):
    iterations = 2 ** (16 - depth)
    acc = 0
    for i in range(iterations):
        acc += check(build(depth, i))[0]
    print("depth", depth, "iterations", iterations, "nodes", acc)
print("long-lived tree still", check(long_lived))
class DNode:
    def __init__(self, v):
        self.v = v
        self.prev = self
        self.next = self
def ring(n):
    first = DNode(0)
    last = first
    for i in range(1, n):
        node = DNode(i)
        node.prev = last
        node.next = first
        last.next = node
        first.prev = node
        last = node
    return first
rings = [ring(1000) for _ in range(30)]
walk = rings[7]
for _ in range(2500):
    walk = walk.next
back = walk
for _ in range(700):
    back = back.prev
print("ring walk", walk.v, back.v)
rings = rings[::3]
print("kept rings", len(rings), sum(r.prev.v for r in rings))
graph = {}
for i in range(20000):
    graph[i] = Node(i)
for i in range(20000):
    graph[i].next = graph[(i * 7 + 3) % 20000]
seen = set()
n = graph[0]
steps = 0
while n.val not in seen:
    seen.add(n.val)
    n = n.next
    steps += 1
print("cycle found after", steps, "at", n.val)
graph = None
parents = []
for i in range(5000):
    child = {"id": i, "parent": None, "children": []}
    if parents:
        p = parents[i // 3]
        child["parent"] = p
        p["children"].append(child)
    parents.append(child)
root = parents[0]
def depth_of(node):
    d = 0
    while node["parent"] is not None:
        node = node["parent"]
        d += 1
    return d
print("tree of dicts", len(root["children"]), depth_of(parents[4999]), sum(len(p["children"]) for p in parents))
