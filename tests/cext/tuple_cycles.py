# Reference cycles through tuples that were handed to C must be collectable: an exact
# tuple's proxy borrows its items, so it does not keep them (and through them the tuple)
# alive. Prints the number of GC<->C links after each round; they must not grow.
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
    for _ in range(6):
        gc.collect()
    print(gc.get_stats()["extref_links"])
