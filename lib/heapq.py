"""Heap queue (priority queue) on plain lists: heappush, heappop, heapify,
heapreplace, heappushpop, merge, nlargest and nsmallest.

Written for Thicket's Python-subset interpreter.  A heap is a list where
``heap[k] <= heap[2*k+1]`` and ``heap[k] <= heap[2*k+2]`` for every k, so
``heap[0]`` is always the smallest item.  Only ``<`` is used to compare
items, as in CPython, and the functions behave the same way on ties.
"""

__all__ = ['heappush', 'heappop', 'heapify', 'heapreplace', 'merge',
           'nlargest', 'nsmallest', 'heappushpop']


def _check_list(heap, name, which=''):
    if not isinstance(heap, list):
        raise TypeError(f"{name}() argument{which} must be list, "
                        f"not {type(heap).__name__}")


def _sift_up(heap, start, pos):
    """Moves heap[pos] towards the root (not above start) until its parent
    is not greater."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        p = heap[parent]
        if item < p:
            heap[pos] = p
            pos = parent
        else:
            break
    heap[pos] = item


def _sift_down(heap, pos):
    """Sends heap[pos] down to a leaf along the path of smaller children,
    then back up to its place (fewer comparisons than stopping early)."""
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_up(heap, start, pos)


def _sift_up_max(heap, start, pos):
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        p = heap[parent]
        if p < item:
            heap[pos] = p
            pos = parent
        else:
            break
    heap[pos] = item


def _sift_down_max(heap, pos):
    end = len(heap)
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < end:
        right = child + 1
        if right < end and not heap[right] < heap[child]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _sift_up_max(heap, start, pos)


def heappush(heap, item):
    """Push item onto heap, maintaining the heap invariant."""
    _check_list(heap, 'heappush', ' 1')
    heap.append(item)
    _sift_up(heap, 0, len(heap) - 1)


def heappop(heap):
    """Pop the smallest item off the heap, maintaining the heap invariant."""
    _check_list(heap, 'heappop')
    if not heap:
        raise IndexError('index out of range')
    last = heap.pop()
    if not heap:
        return last
    smallest = heap[0]
    heap[0] = last
    _sift_down(heap, 0)
    return smallest


def heapreplace(heap, item):
    """Pop and return the current smallest value, and add the new item."""
    _check_list(heap, 'heapreplace', ' 1')
    if not heap:
        raise IndexError('index out of range')
    smallest = heap[0]
    heap[0] = item
    _sift_down(heap, 0)
    return smallest


def heappushpop(heap, item):
    """Push item on the heap, then pop and return the smallest item."""
    _check_list(heap, 'heappushpop', ' 1')
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sift_down(heap, 0)
    return item


def heapify(x):
    """Transform list into a heap, in-place, in O(len(x)) time."""
    _check_list(x, 'heapify')
    for i in range(len(x) // 2 - 1, -1, -1):
        _sift_down(x, i)


def _heapify_max(x):
    """Transform list into a max-heap, in-place."""
    _check_list(x, '_heapify_max')
    for i in range(len(x) // 2 - 1, -1, -1):
        _sift_down_max(x, i)


def _heappop_max(heap):
    """Pop the largest item off a max-heap."""
    _check_list(heap, '_heappop_max')
    if not heap:
        raise IndexError('index out of range')
    last = heap.pop()
    if not heap:
        return last
    largest = heap[0]
    heap[0] = last
    _sift_down_max(heap, 0)
    return largest


def _heapreplace_max(heap, item):
    """Pop the largest item off a max-heap and push item."""
    _check_list(heap, '_heapreplace_max', ' 1')
    if not heap:
        raise IndexError('index out of range')
    largest = heap[0]
    heap[0] = item
    _sift_down_max(heap, 0)
    return largest


def merge(*iterables, key=None, reverse=False):
    """Merge several sorted inputs into a single sorted output.

    Returns a generator over all values of the inputs, in sorted order;
    equal values keep the order of the inputs they come from."""
    # Entries are [sort key, input number * direction, value, iterator]:
    # the input number breaks ties, so values are never compared directly.
    entries = []
    direction = -1 if reverse else 1
    n = 0
    for it in iterables:
        it = iter(it)
        for value in it:
            k = value if key is None else key(value)
            entries.append([k, n * direction, value, it])
            break
        n += 1
    if reverse:
        _heapify_max(entries)
        pop, replace = _heappop_max, _heapreplace_max
    else:
        heapify(entries)
        pop, replace = heappop, heapreplace
    while len(entries) > 1:
        entry = entries[0]
        yield entry[2]
        it = entry[3]
        advanced = False
        for value in it:
            entry[0] = value if key is None else key(value)
            entry[2] = value
            replace(entries, entry)
            advanced = True
            break
        if not advanced:
            pop(entries)
    if entries:
        entry = entries[0]
        yield entry[2]
        yield from entry[3]


def nsmallest(n, iterable, key=None):
    """Find the n smallest elements in a dataset.

    Equivalent to:  sorted(iterable, key=key)[:n]"""
    if n <= 0:
        return []
    if n == 1:
        marker = object()
        if key is None:
            best = min(iterable, default=marker)
        else:
            best = min(iterable, default=marker, key=key)
        return [] if best is marker else [best]
    # A max-heap of the n best seen so far, keyed by (key, position): the
    # position keeps the sort stable and keeps values out of comparisons.
    heap = []
    pos = 0
    for value in iterable:
        k = value if key is None else key(value)
        if len(heap) < n:
            heap.append((k, pos, value))
            if len(heap) == n:
                _heapify_max(heap)
        elif k < heap[0][0]:
            _heapreplace_max(heap, (k, pos, value))
        pos += 1
    heap.sort()
    return [entry[2] for entry in heap]


def nlargest(n, iterable, key=None):
    """Find the n largest elements in a dataset.

    Equivalent to:  sorted(iterable, key=key, reverse=True)[:n]"""
    if n <= 0:
        return []
    if n == 1:
        marker = object()
        if key is None:
            best = max(iterable, default=marker)
        else:
            best = max(iterable, default=marker, key=key)
        return [] if best is marker else [best]
    # A min-heap of the n best seen so far, keyed by (key, -position): among
    # equal keys the earlier value wins, as sorted(..., reverse=True) does.
    heap = []
    pos = 0
    for value in iterable:
        k = value if key is None else key(value)
        if len(heap) < n:
            heap.append((k, -pos, value))
            if len(heap) == n:
                heapify(heap)
        elif heap[0][0] < k:
            heapreplace(heap, (k, -pos, value))
        pos += 1
    heap.sort(reverse=True)
    return [entry[2] for entry in heap]
