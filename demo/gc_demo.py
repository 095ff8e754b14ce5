"""Thicket's demo: a program that allocates heavily on the interpreter, then prints what
the garbage collector did (from the `gc` module; `thicket demo` adds the --gc-stats
summary on stderr).

Workload: binary trees of instances (short-lived and one long-lived), a growing list
and dict that reach the collector's large-object and card-marking paths, string churn,
and generators.
"""
import gc
import sys


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right

    def count(self):
        if self.left is None:
            return 1
        return 1 + self.left.count() + self.right.count()


def tree(depth):
    if depth == 0:
        return Node(None, None)
    return Node(tree(depth - 1), tree(depth - 1))


def words(n):
    for i in range(n):
        yield "w" + str(i % 997)


def main(scale):
    events = {"minor": 0, "step": 0, "major": 0}

    def on_minor(stats):
        events["minor"] += 1

    def on_step(stats):
        events["step"] += 1

    def on_major(stats):
        events["major"] += 1

    hooks = getattr(gc, "hooks", None)
    if hooks is not None:
        hooks.on_gc_minor = on_minor
        hooks.on_gc_collect_step = on_step
        hooks.on_gc_collect = on_major

    long_lived = tree(14)
    checked = 0
    for d in range(4, 14, 2):
        for _ in range(scale * (1 << (14 - d)) // 8):
            checked += tree(d).count()
    print("short-lived trees checked:", checked)

    big = []
    table = {}
    for i in range(scale * 20000):
        big.append((i, str(i)))
        table[i] = big[-1]
        if i % 3 == 0:
            big[i // 2] = [i]          # old array written: card marking
    print("big list:", len(big), "dict:", len(table))

    counts = {}
    for w in words(scale * 50000):
        counts[w] = counts.get(w, 0) + 1
    print("distinct words:", len(counts), "most:", max(counts.values()))
    print("long-lived tree still has", long_lived.count(), "nodes")

    if hooks is not None:
        hooks.on_gc_minor = None
        hooks.on_gc_collect_step = None
        hooks.on_gc_collect = None
        print("hook calls: minor %(minor)d, collect steps %(step)d, full collections %(major)d" % events)
    stats = gc.get_stats() if hasattr(gc, "get_stats") else {}
    for key in sorted(stats):
        print(f"  gc.{key} = {stats[key]}")


main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
