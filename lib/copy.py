"""Shallow and deep copy operations: copy(x) and deepcopy(x[, memo]).

Classes can control copying with __copy__ and __deepcopy__(memo), with
__getstate__/__setstate__, with __getnewargs__ (used by namedtuple), or
with __reduce_ex__/__reduce__ defined on the class itself.  Other instances
are rebuilt with ``cls.__new__(cls)`` and given a copy of their
``__dict__``; subclasses of list and dict also get their items back through
append() and item assignment, subclasses of set and frozenset are rebuilt
by calling the class with a list of their elements.
"""

__all__ = ['Error', 'copy', 'deepcopy']


class Error(Exception):
    pass


error = Error


def _function():
    pass


class _Probe:
    def method(self):
        pass


def _builtin_types(*makers):
    """The types made by the given functions, skipping any that fail
    because the interpreter lacks the built-in involved."""
    result = []
    for make in makers:
        try:
            result.append(make())
        except (NameError, TypeError, AttributeError):
            pass
    return result


# Types whose instances are their own copies, shallow and deep.
_atomic = set(_builtin_types(
    lambda: type(None), lambda: int, lambda: float, lambda: bool,
    lambda: str, lambda: type, lambda: range, lambda: type(_function),
    lambda: type(len), lambda: type(_Probe().method), lambda: property,
    lambda: bytes, lambda: complex, lambda: type(NotImplemented),
    lambda: type(Ellipsis)))

try:
    _bytearray = bytearray
except NameError:
    _bytearray = None

_NIL = object()


def copy(x):
    """Shallow copy operation on arbitrary Python objects."""
    cls = type(x)
    if cls in _atomic or cls is tuple or cls is frozenset:
        return x
    if cls is list:
        return x[:]
    if cls is dict or cls is set:
        return x.copy()
    if _bytearray is not None and cls is _bytearray:
        return _bytearray(x)
    if isinstance(x, type):
        return x
    copier = getattr(cls, '__copy__', None)
    if copier is not None:
        return copier(x)
    return _reconstruct(x, None)


def deepcopy(x, memo=None, _nil=_NIL):
    """Deep copy operation on arbitrary Python objects."""
    if memo is None:
        memo = {}
    d = id(x)
    y = memo.get(d, _nil)
    if y is not _nil:
        return y
    cls = type(x)
    if cls in _atomic or isinstance(x, type):
        return x
    if cls is list:
        y = []
        memo[d] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif cls is dict:
        y = {}
        memo[d] = y
        for key, value in x.items():
            y[deepcopy(key, memo)] = deepcopy(value, memo)
    elif cls is tuple:
        items = [deepcopy(item, memo) for item in x]
        # The tuple may have been copied while copying its items.
        if d in memo:
            return memo[d]
        y = x
        for i in range(len(items)):
            if items[i] is not x[i]:
                y = tuple(items)
                break
    elif cls is set or cls is frozenset:
        y = cls(deepcopy(list(x), memo))
    elif _bytearray is not None and cls is _bytearray:
        y = _bytearray(x)
    else:
        copier = getattr(x, '__deepcopy__', None)
        if copier is not None:
            y = copier(memo)
        else:
            y = _reconstruct(x, memo)
    # An object that is its own copy is not remembered.
    if y is not x:
        memo[d] = y
        _keep_alive(x, memo)
    return y


def _keep_alive(x, memo):
    """Keep x alive as long as memo is, so that its id cannot be reused by
    another object during the copy."""
    key = id(memo)
    alive = memo.get(key)
    if alive is None:
        memo[key] = [x]
    else:
        alive.append(x)


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


def _own_method(cls, name):
    """The named method if cls defines it somewhere other than object."""
    return _defined_below_object(cls, name)


def _reconstruct(x, memo):
    """Copy an instance of a user class.  memo is None for a shallow copy."""
    deep = memo is not None
    cls = type(x)

    reduce_ex = _own_method(cls, '__reduce_ex__')
    reduce = _own_method(cls, '__reduce__')
    if reduce_ex is not None:
        rv = reduce_ex(x, 4)
    elif reduce is not None:
        rv = reduce(x)
    else:
        rv = None
    if rv is not None:
        if isinstance(rv, str):
            return x
        return _from_reduce(x, rv, memo)

    # Make the new object.
    if isinstance(x, (set, frozenset)):
        items = list(x)
        if deep:
            items = deepcopy(items, memo)
        y = cls(items)
    else:
        getnewargs = getattr(cls, '__getnewargs__', None)
        if getnewargs is not None:
            args = getnewargs(x)
        elif isinstance(x, tuple):
            args = (tuple(x),)
        else:
            args = ()
        if deep and args:
            args = deepcopy(args, memo)
        y = cls.__new__(cls, *args)
    if deep:
        memo[id(x)] = y

    # Give it the state.
    getstate = _own_method(cls, '__getstate__')
    if getstate is not None:
        state = getstate(x)
    else:
        state = getattr(x, '__dict__', None)
        if not state:
            state = None
    if state is not None:
        _set_state(y, state, memo)

    # And the items of list and dict subclasses.
    if isinstance(x, list):
        for item in x:
            if deep:
                item = deepcopy(item, memo)
            y.append(item)
    elif isinstance(x, dict):
        for key, value in x.items():
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y


def _set_state(y, state, memo):
    if memo is not None:
        state = deepcopy(state, memo)
    setstate = getattr(type(y), '__setstate__', None)
    if setstate is not None:
        setstate(y, state)
        return
    slotstate = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slotstate = state
    if state:
        y.__dict__.update(state)
    if slotstate:
        for key, value in slotstate.items():
            setattr(y, key, value)


def _from_reduce(x, rv, memo):
    """Rebuild an object from the tuple returned by __reduce_ex__ or
    __reduce__: (callable, args[, state[, listitems[, dictitems]]])."""
    deep = memo is not None
    rv = tuple(rv) + (None,) * (5 - len(rv))
    func, args, state, listiter, dictiter = rv[:5]
    if deep and args:
        args = deepcopy(args, memo)
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        _set_state(y, state, memo)
    if listiter is not None:
        for item in listiter:
            if deep:
                item = deepcopy(item, memo)
            y.append(item)
    if dictiter is not None:
        for key, value in dictiter:
            if deep:
                key = deepcopy(key, memo)
                value = deepcopy(value, memo)
            y[key] = value
    return y
