"""Higher-order functions and operations on callable objects: reduce,
partial, update_wrapper, wraps, lru_cache, cache, cmp_to_key and
total_ordering.

lru_cache and wraps return plain functions (closures) carrying extra
attributes, so they keep working as methods: Thicket has no descriptors
other than property, staticmethod and classmethod.
"""

from collections import namedtuple

__all__ = ['update_wrapper', 'wraps', 'WRAPPER_ASSIGNMENTS',
           'WRAPPER_UPDATES', 'total_ordering', 'cache', 'cmp_to_key',
           'lru_cache', 'reduce', 'partial']

_MISSING = object()


################################################################################
# reduce
################################################################################

def reduce(function, sequence, initial=_MISSING):
    """reduce(function, iterable[, initial]) -> value

    Apply a function of two arguments cumulatively to the items of a
    sequence or iterable, from left to right, so as to reduce the iterable
    to a single value.  For example, reduce(lambda x, y: x+y, [1, 2, 3, 4,
    5]) calculates ((((1+2)+3)+4)+5).  If initial is present, it is placed
    before the items of the iterable in the calculation, and serves as a
    default when the iterable is empty.
    """
    try:
        it = iter(sequence)
    except TypeError:
        it = None
    if it is None:
        raise TypeError('reduce() arg 2 must support iteration')
    if initial is _MISSING:
        value = next(it, _MISSING)
        if value is _MISSING:
            raise TypeError('reduce() of empty iterable with no initial value')
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value


################################################################################
# partial
################################################################################

class partial:
    """New function with partial application of the given arguments
    and keywords.
    """

    def __init__(self, *args, **keywords):
        if not args:
            raise TypeError('type \'partial\' takes at least one argument')
        func = args[0]
        args = args[1:]
        if isinstance(func, partial):
            # Flatten: partial(partial(f, 1), 2) is partial(f, 1, 2).
            args = func.args + args
            merged = dict(func.keywords)
            merged.update(keywords)
            keywords = merged
            func = func.func
        if not callable(func):
            raise TypeError('the first argument must be callable')
        self.func = func
        self.args = tuple(args)
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        if self.keywords:
            merged = dict(self.keywords)
            merged.update(keywords)
            keywords = merged
        return self.func(*(self.args + args), **keywords)

    def __repr__(self):
        parts = [repr(self.func)]
        for arg in self.args:
            parts.append(repr(arg))
        for key in self.keywords:
            parts.append(f'{key}={self.keywords[key]!r}')
        name = type(self).__name__
        if type(self) is partial:
            name = 'functools.partial'
        args = ', '.join(parts)
        return f'{name}({args})'


################################################################################
# update_wrapper and wraps
################################################################################

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__',
                       '__annotations__')
WRAPPER_UPDATES = ('__dict__',)


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS,
                   updated=WRAPPER_UPDATES):
    """Update a wrapper function to look like the wrapped function

       wrapper is the function to be updated
       wrapped is the original function
       assigned is a tuple naming the attributes assigned directly
       from the wrapped function to the wrapper function (defaults to
       functools.WRAPPER_ASSIGNMENTS)
       updated is a tuple naming the attributes of the wrapper that
       are updated with the corresponding attribute from the wrapped
       function (defaults to functools.WRAPPER_UPDATES)
    """
    for attr in assigned:
        value = getattr(wrapped, attr, _MISSING)
        if value is not _MISSING:
            try:
                setattr(wrapper, attr, value)
            except (AttributeError, TypeError):
                pass
    for attr in updated:
        target = getattr(wrapper, attr, None)
        source = getattr(wrapped, attr, None)
        if target is not None and source is not None:
            target.update(source)
    # Set last, so that a __wrapped__ copied from wrapped's __dict__ above
    # is replaced by wrapped itself.
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator factory to apply update_wrapper() to a wrapper function

       Returns a decorator that invokes update_wrapper() with the decorated
       function as the wrapper argument and the arguments to wraps() as the
       remaining arguments.
    """
    def decorator(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)
    return decorator


################################################################################
# total_ordering
################################################################################

# Each derived comparison is computed from the root comparison and ==.

def _gt_from_lt(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return not result and self != other


def _le_from_lt(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return result or self == other


def _ge_from_lt(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _ge_from_le(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return not result or self == other


def _lt_from_le(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return result and self != other


def _gt_from_le(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _lt_from_gt(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return not result and self != other


def _ge_from_gt(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return result or self == other


def _le_from_gt(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _le_from_ge(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return not result or self == other


def _gt_from_ge(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return result and self != other


def _lt_from_ge(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return not result


# Root operation -> the three operations derived from it.  Roots are tried
# in this order when a class defines several.
_CONVERSIONS = [
    ('__lt__', [('__gt__', _gt_from_lt), ('__le__', _le_from_lt),
                ('__ge__', _ge_from_lt)]),
    ('__le__', [('__ge__', _ge_from_le), ('__lt__', _lt_from_le),
                ('__gt__', _gt_from_le)]),
    ('__gt__', [('__lt__', _lt_from_gt), ('__ge__', _ge_from_gt),
                ('__le__', _le_from_gt)]),
    ('__ge__', [('__le__', _le_from_ge), ('__gt__', _gt_from_ge),
                ('__lt__', _lt_from_ge)]),
]


def _defined_below_object(cls, name):
    """The attribute name as defined by cls or one of its bases other than
    object, or None.  Looks through the class __dict__s when the
    interpreter has __mro__, so that inherited slots of object are never
    mistaken for definitions."""
    mro = getattr(cls, '__mro__', None)
    if mro is not None:
        searched_all = True
        for base in mro:
            if base is object:
                continue
            namespace = getattr(base, '__dict__', None)
            if namespace is None:
                searched_all = False
                break
            if name in namespace:
                return namespace[name]
        if searched_all:
            return None
    value = getattr(cls, name, None)
    if value is getattr(object, name, None):
        return None
    return value


def _defines_own(cls, name):
    """True if cls (or a base other than object) defines the operation."""
    return _defined_below_object(cls, name) is not None


def total_ordering(cls):
    """Class decorator that fills in missing ordering methods"""
    roots = []
    for name, derived in _CONVERSIONS:
        if _defines_own(cls, name):
            roots.append(name)
    if not roots:
        raise ValueError('must define at least one ordering operation: '
                         '< > <= >=')
    root = roots[0]
    for name, derived in _CONVERSIONS:
        if name != root:
            continue
        for opname, opfunc in derived:
            if opname not in roots:
                setattr(cls, opname, opfunc)
    return cls


################################################################################
# cmp_to_key
################################################################################

def cmp_to_key(mycmp):
    """Convert a cmp= function into a key= function"""
    class K:
        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None
    return K


################################################################################
# lru_cache and cache
################################################################################

CacheInfo = namedtuple('CacheInfo', ['hits', 'misses', 'maxsize', 'currsize'],
                       module='functools')

_KWD_MARK = object()     # separates positional from keyword args in keys


def _make_key(args, kwds, typed):
    """A hashable key for a call's arguments.  With one positional argument
    of a common exact type, the argument itself is the key."""
    if not kwds and not typed and len(args) == 1:
        arg = args[0]
        kind = type(arg)
        if kind is int or kind is str:
            return arg
    key = args
    if kwds:
        items = [_KWD_MARK]
        for name in kwds:
            items.append(name)
            items.append(kwds[name])
        key = key + tuple(items)
    if typed:
        key = key + tuple([type(v) for v in args])
        if kwds:
            key = key + tuple([type(kwds[name]) for name in kwds])
    return key


def lru_cache(maxsize=128, typed=False):
    """Least-recently-used cache decorator.

    If *maxsize* is set to None, the LRU features are disabled and the cache
    can grow without bound.

    If *typed* is True, arguments of different types will be cached
    separately.  For example, f(3.0) and f(3) will be treated as distinct
    calls with distinct results.

    Arguments to the cached function must be hashable.

    View the cache statistics named tuple (hits, misses, maxsize, currsize)
    with f.cache_info().  Clear the cache and statistics with
    f.cache_clear().  Access the underlying function with f.__wrapped__.
    """
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        # Used as @lru_cache without arguments.
        user_function = maxsize
        maxsize = 128
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize,
                                            'typed': typed}
        return update_wrapper(wrapper, user_function)
    elif maxsize is not None:
        raise TypeError(
            'Expected first argument to be an integer, a callable, or None')

    def decorating_function(user_function):
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize,
                                            'typed': typed}
        return update_wrapper(wrapper, user_function)

    return decorating_function


# Fields of a node of the circular doubly linked list used by lru_cache.
_PREV = 0
_NEXT = 1
_KEY = 2
_RESULT = 3


def _lru_cache_wrapper(user_function, maxsize, typed):
    cache = {}
    stats = [0, 0]          # hits, misses
    # For a bounded cache, a circular doubly linked list runs from the
    # oldest entry (root[NEXT]) to the newest (root[PREV]), and cache maps
    # each key to its node.  state[0] is the current root node.
    root = []
    root[:] = [root, root, None, None]
    state = [root]

    if maxsize == 0:
        def wrapper(*args, **kwds):
            # No caching: only count the call.
            stats[1] += 1
            return user_function(*args, **kwds)

    elif maxsize is None:
        def wrapper(*args, **kwds):
            # Unbounded: no order to keep.
            key = _make_key(args, kwds, typed)
            result = cache.get(key, _MISSING)
            if result is not _MISSING:
                stats[0] += 1
                return result
            stats[1] += 1
            result = user_function(*args, **kwds)
            cache[key] = result
            return result

    else:
        # The list runs from the oldest entry (root[NEXT]) to the newest
        # (root[PREV]); cache maps each key to its node.
        root = []
        root[:] = [root, root, None, None]
        state = [root]      # state[0] is the current root node

        def wrapper(*args, **kwds):
            key = _make_key(args, kwds, typed)
            node = cache.get(key)
            if node is not None:
                # Hit: unlink the node and put it back as the newest.
                prev_node = node[_PREV]
                next_node = node[_NEXT]
                prev_node[_NEXT] = next_node
                next_node[_PREV] = prev_node
                root = state[0]
                last = root[_PREV]
                last[_NEXT] = node
                root[_PREV] = node
                node[_PREV] = last
                node[_NEXT] = root
                stats[0] += 1
                return node[_RESULT]
            stats[1] += 1
            result = user_function(*args, **kwds)
            if key in cache:
                # The call itself cached this key (recursion); the entry is
                # already where it should be.
                return result
            root = state[0]
            if len(cache) >= maxsize:
                # Full: reuse the old root as the new entry and make the
                # oldest entry the new root.
                old_root = root
                old_root[_KEY] = key
                old_root[_RESULT] = result
                root = old_root[_NEXT]
                state[0] = root
                old_key = root[_KEY]
                root[_KEY] = None
                root[_RESULT] = None
                del cache[old_key]
                cache[key] = old_root
            else:
                last = root[_PREV]
                node = [last, root, key, result]
                last[_NEXT] = node
                root[_PREV] = node
                cache[key] = node
            return result

    def cache_info():
        """Report cache statistics"""
        return CacheInfo(stats[0], stats[1], maxsize, len(cache))

    def cache_clear():
        """Clear the cache and cache statistics"""
        cache.clear()
        stats[0] = 0
        stats[1] = 0
        root = state[0]
        root[:] = [root, root, None, None]

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    return wrapper


def cache(user_function):
    """Simple lightweight unbounded cache.  Sometimes called "memoize"."""
    return lru_cache(maxsize=None)(user_function)
