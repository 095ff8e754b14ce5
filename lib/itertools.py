"""Functions creating iterators for efficient looping.

Infinite iterators: count, cycle, repeat.
Iterators terminating on the shortest input: accumulate, chain, compress,
dropwhile, filterfalse, groupby, islice, pairwise, starmap, takewhile, tee,
zip_longest.
Combinatoric iterators: product, permutations, combinations,
combinations_with_replacement.

Arguments are checked when the iterator is created, as in CPython; the
iteration itself is done by generators.
"""

import sys as _sys

__all__ = ['count', 'cycle', 'repeat', 'accumulate', 'chain', 'compress',
           'dropwhile', 'filterfalse', 'groupby', 'islice', 'pairwise',
           'starmap', 'takewhile', 'tee', 'zip_longest', 'product',
           'permutations', 'combinations', 'combinations_with_replacement']

_MAXSIZE = getattr(_sys, 'maxsize', (1 << 63) - 1)

_NULL = object()


def _index(value, message):
    """value as an int (accepting __index__), else TypeError(message)."""
    if isinstance(value, int):
        return int(value)
    method = getattr(type(value), '__index__', None)
    if method is None:
        raise TypeError(message)
    return method(value)


def _not_integer(value):
    return f"'{type(value).__name__}' object cannot be interpreted as an integer"


def _is_number(value):
    if isinstance(value, (int, float)):
        return True
    cls = type(value)
    return hasattr(cls, '__add__') and (hasattr(cls, '__index__')
                                        or hasattr(cls, '__float__')
                                        or hasattr(cls, '__complex__')
                                        or hasattr(cls, '__int__'))


################################################################################
# Infinite iterators
################################################################################

class count:
    """Return a count object whose .__next__() method returns consecutive
    values: start, start+step, start+2*step, ..."""

    def __init__(self, start=0, step=1):
        if not _is_number(start) or not _is_number(step):
            raise TypeError('a number is required')
        self._value = start
        self._step = step

    def __iter__(self):
        return self

    def __next__(self):
        value = self._value
        self._value = value + self._step
        return value

    def __repr__(self):
        name = type(self).__name__
        step = self._step
        if type(step) is int and step == 1:
            return f'{name}({self._value!r})'
        return f'{name}({self._value!r}, {step!r})'


def cycle(iterable):
    """Return elements from the iterable until it is exhausted.  Then
    repeat the sequence indefinitely."""
    return _cycle(iter(iterable))


def _cycle(it):
    saved = []
    for element in it:
        yield element
        saved.append(element)
    if not saved:
        return
    while True:
        for element in saved:
            yield element


class repeat:
    """repeat(object [,times]) -> create an iterator which returns the
    object for the specified number of times.  If not specified, returns
    the object endlessly."""

    def __init__(self, object, times=None):
        self._object = object
        if times is None:
            self._remaining = None
        else:
            times = _index(times, _not_integer(times))
            self._remaining = times if times > 0 else 0

    def __iter__(self):
        return self

    def __next__(self):
        remaining = self._remaining
        if remaining is None:
            return self._object
        if remaining <= 0:
            raise StopIteration
        self._remaining = remaining - 1
        return self._object

    def __length_hint__(self):
        if self._remaining is None:
            raise TypeError('len() of unsized object')
        return self._remaining

    def __repr__(self):
        name = type(self).__name__
        if self._remaining is None:
            return f'{name}({self._object!r})'
        return f'{name}({self._object!r}, {self._remaining})'


################################################################################
# Iterators terminating on the shortest input sequence
################################################################################

def accumulate(iterable, func=None, *, initial=None):
    """Return series of accumulated sums (or other binary function
    results)."""
    return _accumulate(iter(iterable), func, initial)


def _accumulate(it, func, initial):
    if initial is None:
        total = next(it, _NULL)
        if total is _NULL:
            return
    else:
        total = initial
    yield total
    if func is None:
        for element in it:
            total = total + element
            yield total
    else:
        for element in it:
            total = func(total, element)
            yield total


class chain:
    """chain(*iterables) --> chain object

    Return a chain object whose .__next__() method returns elements from
    the first iterable until it is exhausted, then elements from the next
    iterable, until all of the iterables are exhausted."""

    def __init__(self, *iterables):
        self._gen = _chain(iter(iterables))

    @classmethod
    def from_iterable(cls, iterables):
        """Alternative chain() constructor taking a single iterable argument
        that evaluates lazily."""
        result = cls()
        result._gen = _chain(iter(iterables))
        return result

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._gen)


def _chain(sources):
    for iterable in sources:
        for element in iterable:
            yield element


def compress(data, selectors):
    """Return data elements corresponding to true selector elements.
    Forms a shorter iterator from selected data elements using the
    selectors to choose the data elements."""
    return _compress(iter(data), iter(selectors))


def _compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


def dropwhile(predicate, iterable):
    """Drop items from the iterable while predicate(item) is true.
    Afterwards, return every element until the iterable is exhausted."""
    return _dropwhile(predicate, iter(iterable))


def _dropwhile(predicate, it):
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x


def takewhile(predicate, iterable):
    """Return successive entries from an iterable as long as the predicate
    evaluates to true for each entry."""
    return _takewhile(predicate, iter(iterable))


def _takewhile(predicate, it):
    for x in it:
        if predicate(x):
            yield x
        else:
            return


def filterfalse(function, iterable):
    """Return those items of iterable for which function(item) is false.
    If function is None, return the items that are false."""
    return _filterfalse(function, iter(iterable))


def _filterfalse(function, it):
    if function is None:
        for x in it:
            if not x:
                yield x
    else:
        for x in it:
            if not function(x):
                yield x


def starmap(function, iterable):
    """Return an iterator whose values are returned from the function
    evaluated with an argument tuple taken from the given sequence."""
    return _starmap(function, iter(iterable))


def _starmap(function, it):
    for args in it:
        yield function(*args)


def pairwise(iterable):
    """Return an iterator of overlapping pairs taken from the input
    iterator: s -> (s0,s1), (s1,s2), (s2, s3), ..."""
    return _pairwise(iter(iterable))


def _pairwise(it):
    previous = next(it, _NULL)
    if previous is _NULL:
        return
    for current in it:
        yield (previous, current)
        previous = current


def _same_key(a, b):
    return a is b or a == b


class groupby:
    """make an iterator that returns consecutive keys and groups from the
    iterable

      iterable
        Elements to divide into groups according to the key function.
      key
        A function for computing the group category for each element.
        If the key function is not specified or is None, the element itself
        is used for grouping.

    Advancing the groupby object makes the previous group empty.
    """

    def __init__(self, iterable, key=None):
        self._it = iter(iterable)
        self._keyfunc = key
        self._tgtkey = _NULL
        self._currkey = _NULL
        self._currvalue = _NULL
        self._token = None     # identifies the one live group

    def __iter__(self):
        return self

    def _step(self):
        # Raises StopIteration when the source is exhausted.
        value = next(self._it)
        if self._keyfunc is None:
            key = value
        else:
            key = self._keyfunc(value)
        self._currvalue = value
        self._currkey = key

    def __next__(self):
        self._token = None
        # Skip what is left of the current group.
        while True:
            if self._currkey is _NULL:
                pass
            elif self._tgtkey is _NULL:
                break
            elif not _same_key(self._tgtkey, self._currkey):
                break
            self._step()
        self._tgtkey = self._currkey
        token = object()
        self._token = token
        return (self._currkey, _grouper(self, self._tgtkey, token))


def _grouper(parent, tgtkey, token):
    while True:
        if parent._token is not token:
            return
        if parent._currvalue is _NULL:
            try:
                parent._step()
            except StopIteration:
                return
        if not _same_key(tgtkey, parent._currkey):
            return
        value = parent._currvalue
        parent._currvalue = _NULL
        yield value


def islice(iterable, *args):
    """islice(iterable, stop) --> islice object
    islice(iterable, start, stop[, step]) --> islice object

    Return an iterator whose next() method returns selected values from an
    iterable.  If start is specified, will skip all preceding elements;
    otherwise, start defaults to zero.  Step defaults to one.  If
    specified as another value, step determines how many values are
    skipped between successive calls.  Works like a slice() on a list
    but returns an iterator."""
    nargs = len(args)
    if nargs == 0:
        raise TypeError('islice expected at least 2 arguments, got 1')
    if nargs > 3:
        raise TypeError(f'islice expected at most 4 arguments, got {nargs + 1}')
    if nargs == 1:
        start = None
        stop = args[0]
        step = None
    else:
        start = args[0]
        stop = args[1]
        step = args[2] if nargs == 3 else None
    stop = _slice_arg(stop, 'Stop argument for islice() must be None or an '
                            'integer: 0 <= x <= sys.maxsize.')
    start = _slice_arg(start, 'Indices for islice() must be None or an '
                              'integer: 0 <= x <= sys.maxsize.')
    step = _slice_arg(step, 'Step for islice() must be a positive integer '
                            'or None.')
    if start is None:
        start = 0
    if step is None:
        step = 1
    elif step == 0:
        raise ValueError('Step for islice() must be a positive integer or '
                         'None.')
    return _islice(iter(iterable), start, stop, step)


def _slice_arg(value, message):
    """None, or a non-negative int no larger than sys.maxsize; otherwise
    ValueError(message)."""
    if value is None:
        return None
    if isinstance(value, int):
        value = int(value)
    else:
        method = getattr(type(value), '__index__', None)
        if method is None:
            raise ValueError(message)
        value = method(value)
    if value < 0 or value > _MAXSIZE:
        raise ValueError(message)
    return value


def _islice(it, start, stop, step):
    # position: how many items have been read from the source.
    # wanted: the index of the next item to return.
    position = 0
    wanted = start
    while True:
        while position < wanted:
            if next(it, _NULL) is _NULL:
                return
            position += 1
        if stop is not None and position >= stop:
            return
        item = next(it, _NULL)
        if item is _NULL:
            return
        position += 1
        wanted += step
        if stop is not None and wanted > stop:
            wanted = stop
        yield item


def tee(iterable, n=2):
    """Returns a tuple of n independent iterators."""
    n = _index(n, _not_integer(n))
    if n < 0:
        raise ValueError('n must be >= 0')
    if n == 0:
        return ()
    it = iter(iterable)
    if hasattr(it, '__copy__'):
        first = it
    else:
        first = _tee(it, _TeeLink())
    result = [first]
    for _ in range(n - 1):
        result.append(result[0].__copy__())
    return tuple(result)


class _TeeLink:
    """One position in the stream shared by tee iterators: the value there
    (once read) and the link for the following position."""

    def __init__(self):
        self.value = None
        self.next = None


class _tee:
    """Iterator returned by tee(); copies share the values read so far."""

    def __init__(self, it, link):
        self._it = it
        self._link = link

    def __iter__(self):
        return self

    def __next__(self):
        link = self._link
        if link.next is None:
            link.value = next(self._it)
            link.next = _TeeLink()
        self._link = link.next
        return link.value

    def __copy__(self):
        return _tee(self._it, self._link)


def zip_longest(*iterables, fillvalue=None):
    """Return a zip_longest object whose .__next__() method returns a tuple
    where the i-th element comes from the i-th iterable argument.  The
    .__next__() method continues until the longest iterable in the argument
    sequence is exhausted and then it raises StopIteration.  When the
    shorter iterables are exhausted, the fillvalue is substituted in their
    place.  The fillvalue defaults to None or can be specified by a keyword
    argument.
    """
    iterators = [iter(it) for it in iterables]
    return _zip_longest(iterators, fillvalue)


def _zip_longest(iterators, fillvalue):
    active = len(iterators)
    if not active:
        return
    while True:
        values = []
        for i in range(len(iterators)):
            it = iterators[i]
            if it is None:
                values.append(fillvalue)
                continue
            value = next(it, _NULL)
            if value is _NULL:
                active -= 1
                if not active:
                    return
                iterators[i] = None
                value = fillvalue
            values.append(value)
        yield tuple(values)


################################################################################
# Combinatoric iterators
################################################################################

def product(*iterables, repeat=1):
    """Cartesian product of input iterables.  Equivalent to nested
    for-loops.

    For example, product(A, B) returns the same as:  ((x,y) for x in A for y
    in B).  The leftmost iterators are in the outermost for-loop, so the
    output tuples cycle in a manner similar to an odometer (with the
    rightmost element changing on every iteration).
    """
    repeat = _index(repeat, _not_integer(repeat))
    if repeat < 0:
        raise ValueError('repeat argument cannot be negative')
    if repeat == 0:
        return _product([])
    pools = [tuple(pool) for pool in iterables] * repeat
    return _product(pools)


def _product(pools):
    for pool in pools:
        if not pool:
            return
    n = len(pools)
    indices = [0] * n
    yield tuple([pool[0] for pool in pools])
    while True:
        # Advance the odometer: find the rightmost wheel that can turn.
        i = n - 1
        while i >= 0:
            indices[i] += 1
            if indices[i] < len(pools[i]):
                break
            indices[i] = 0
            i -= 1
        if i < 0:
            return
        yield tuple([pools[k][indices[k]] for k in range(n)])


def _check_r(r, message=None):
    if message is None:
        message = _not_integer(r)
    r = _index(r, message)
    if r < 0:
        raise ValueError('r must be non-negative')
    return r


def permutations(iterable, r=None):
    """Return successive r-length permutations of elements in the iterable.

    permutations(range(3), 2) --> (0,1), (0,2), (1,0), (1,2), (2,0), (2,1)
    """
    pool = tuple(iterable)
    if r is None:
        r = len(pool)
    else:
        r = _check_r(r, 'Expected int as r')
    return _permutations(pool, r)


def _permutations(pool, r):
    n = len(pool)
    if r > n:
        return
    # indices: the chosen positions, used: which positions are taken.
    indices = list(range(r))
    used = [False] * n
    for i in indices:
        used[i] = True
    yield tuple([pool[i] for i in indices])
    while True:
        # From the right, find a place whose index can grow to a free one.
        i = r - 1
        while i >= 0:
            current = indices[i]
            used[current] = False
            candidate = current + 1
            while candidate < n and used[candidate]:
                candidate += 1
            if candidate < n:
                indices[i] = candidate
                used[candidate] = True
                break
            i -= 1
        if i < 0:
            return
        # Fill the places after i with the smallest free indices, in order.
        free = 0
        for j in range(i + 1, r):
            while used[free]:
                free += 1
            indices[j] = free
            used[free] = True
        yield tuple([pool[k] for k in indices])


def combinations(iterable, r):
    """Return successive r-length combinations of elements in the iterable.

    combinations(range(4), 3) --> (0,1,2), (0,1,3), (0,2,3), (1,2,3)
    """
    pool = tuple(iterable)
    r = _check_r(r)
    return _combinations(pool, r)


def _combinations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(r))
    yield tuple([pool[i] for i in indices])
    while True:
        # The rightmost index that is not yet at its highest value.
        i = r - 1
        while i >= 0 and indices[i] == i + n - r:
            i -= 1
        if i < 0:
            return
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        yield tuple([pool[k] for k in indices])


def combinations_with_replacement(iterable, r):
    """Return successive r-length combinations of elements in the iterable
    allowing individual elements to have successive repeats.

    combinations_with_replacement('ABC', 2) --> ('A','A'), ('A','B'),
    ('A','C'), ('B','B'), ('B','C'), ('C','C')
    """
    pool = tuple(iterable)
    r = _check_r(r)
    return _combinations_with_replacement(pool, r)


def _combinations_with_replacement(pool, r):
    n = len(pool)
    if not n and r:
        return
    indices = [0] * r
    yield tuple([pool[i] for i in indices])
    while True:
        i = r - 1
        while i >= 0 and indices[i] == n - 1:
            i -= 1
        if i < 0:
            return
        value = indices[i] + 1
        for j in range(i, r):
            indices[j] = value
        yield tuple([pool[k] for k in indices])
