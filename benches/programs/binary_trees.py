# binary_trees.py -- allocate and walk many perfect binary trees.
#
# Usage: binary_trees.py [MAX_DEPTH]
# A "stretch" tree of depth MAX_DEPTH+1 is built and dropped, then a tree of
# depth MAX_DEPTH is kept alive while many short-lived trees of depths
# 4, 6, ..., MAX_DEPTH are built and checked.  Output: node counts.
import sys


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def build(depth):
    if depth == 0:
        return Node(None, None)
    depth -= 1
    return Node(build(depth), build(depth))


def check(node):
    if node.left is None:
        return 1
    return 1 + check(node.left) + check(node.right)


def main():
    max_depth = 15
    if len(sys.argv) > 1:
        max_depth = int(sys.argv[1])
    min_depth = 4
    if max_depth < min_depth + 2:
        max_depth = min_depth + 2

    stretch = max_depth + 1
    print(f"stretch tree of depth {stretch}\t check: {check(build(stretch))}")

    long_lived = build(max_depth)

    depth = min_depth
    while depth <= max_depth:
        iterations = 1 << (max_depth - depth + min_depth)
        total = 0
        i = 0
        while i < iterations:
            total += check(build(depth))
            i += 1
        print(f"{iterations}\t trees of depth {depth}\t check: {total}")
        depth += 2

    print(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")


main()
