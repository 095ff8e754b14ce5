# gcbench.py -- GCBench-style allocation workload.
#
# Usage: gcbench.py [MAX_DEPTH]
# Builds and drops a stretch tree of depth MAX_DEPTH+2, then keeps a
# long-lived tree of depth MAX_DEPTH plus a long-lived list of floats alive
# while, for each depth 4, 6, ..., MAX_DEPTH, it builds many short-lived trees
# top-down (allocate a node, then fill in its children) and bottom-up
# (children first), so that every depth allocates about the same number of
# nodes.  Output: a few counts and checks of the long-lived data.
import sys


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right
        self.i = 0
        self.j = 0


def tree_size(depth):
    # number of nodes in a perfect binary tree of the given depth
    return (1 << (depth + 1)) - 1


def populate(depth, node):
    # top-down construction
    if depth <= 0:
        return
    depth -= 1
    node.left = Node(None, None)
    node.right = Node(None, None)
    populate(depth, node.left)
    populate(depth, node.right)


def make_tree(depth):
    # bottom-up construction
    if depth <= 0:
        return Node(None, None)
    left = make_tree(depth - 1)
    right = make_tree(depth - 1)
    return Node(left, right)


def count_nodes(node):
    if node is None:
        return 0
    return 1 + count_nodes(node.left) + count_nodes(node.right)


def construct(depth, stretch_depth):
    iterations = 2 * tree_size(stretch_depth) // tree_size(depth)
    checked = 0
    i = 0
    while i < iterations:
        root = Node(None, None)
        populate(depth, root)
        root.i = i
        if i == iterations - 1:
            checked += count_nodes(root)
        root = None
        i += 1
    i = 0
    while i < iterations:
        root = make_tree(depth)
        root.j = i
        if i == iterations - 1:
            checked += count_nodes(root)
        root = None
        i += 1
    return iterations, checked


def main():
    max_depth = 15
    if len(sys.argv) > 1:
        max_depth = int(sys.argv[1])
    min_depth = 4
    if max_depth < min_depth:
        max_depth = min_depth
    stretch_depth = max_depth + 2
    long_lived_depth = max_depth
    array_size = 1 << (max_depth + 3)

    stretch = make_tree(stretch_depth)
    print(f"stretch tree of depth {stretch_depth}: {count_nodes(stretch)} nodes")
    stretch = None

    long_lived = Node(None, None)
    populate(long_lived_depth, long_lived)

    array = [0.0] * array_size
    i = 1
    while i < array_size // 2:
        array[i] = 1.0 / i
        i += 1

    depth = min_depth
    while depth <= max_depth:
        iterations, checked = construct(depth, stretch_depth)
        print(f"depth {depth}: {iterations} iterations x2, checked {checked} nodes")
        depth += 2

    verdict = "BROKEN"
    if count_nodes(long_lived) == tree_size(long_lived_depth):
        verdict = "ok"
    probe = array[1000] * 1000.0
    print(f"long lived tree of depth {long_lived_depth}: {verdict}")
    print(f"array of {array_size}: probe {probe:.6f}")


main()
