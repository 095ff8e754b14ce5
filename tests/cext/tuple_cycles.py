# Reference cycles through tuples and lists that were handed to C (or made by C) must
# be collectable: an exact tuple's proxy borrows its items, and a list's proxy stops
# owning its items when the C call returns without C keeping the list. Prints the
# number of GC<->C links after each round; they must not grow.
import gc
import slotprobe


class Node:
    pass


for k in range(4):
    for i in range(1500):
        node = Node()
        t = (node, i, "s%d" % i)
        node.back = t
        slotprobe.iterate(t)
        other = Node()
        lst = [other, i, "l%d" % i]
        other.back = lst
        slotprobe.set_items([i, i + 1], 2)
        made = slotprobe.iterate(lst)
        made.append(made)
    for _ in range(6):
        gc.collect()
    print(gc.get_stats()["extref_links"])
