"""Container datatypes: deque, defaultdict, OrderedDict, namedtuple, Counter,
ChainMap, UserDict, UserList.

Written for Thicket's Python-subset interpreter.  Everything here is plain
Python: no metaclasses, no __slots__, no exec/eval.  The dict-based types
are subclasses of the built-in dict and rely on the interpreter calling
``__missing__`` from ``dict.__getitem__`` for subclasses.
"""

import sys as _sys

__all__ = ['deque', 'defaultdict', 'OrderedDict', 'namedtuple', 'Counter',
           'ChainMap', 'UserDict', 'UserList']


def _as_int(value):
    """Return value as an int, accepting objects that define __index__."""
    if isinstance(value, int):
        return int(value)
    index = getattr(type(value), '__index__', None)
    if index is None:
        raise TypeError(f"'{type(value).__name__}' object cannot be "
                        "interpreted as an integer")
    return index(value)


def _same(a, b):
    """Equality with the identity shortcut the built-in containers use."""
    return a is b or a == b


def _is_mapping(obj):
    """True for dicts and for anything with keys() and __getitem__."""
    if isinstance(obj, dict):
        return True
    cls = type(obj)
    return hasattr(cls, 'keys') and hasattr(cls, '__getitem__')


# ids of containers whose repr is being built, to print recursion as '...'.
_repr_running = set()


################################################################################
# deque
################################################################################

class deque:
    """deque([iterable[, maxlen]]) --> deque object

    A list-like sequence optimized for data accesses near its endpoints.
    Stored as a circular buffer: a list whose length is a power of two,
    the index of the first item, and the number of items.
    """

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if not isinstance(maxlen, int):
                if getattr(type(maxlen), '__index__', None) is None:
                    raise TypeError('an integer is required')
            maxlen = _as_int(maxlen)
            if maxlen < 0:
                raise ValueError('maxlen must be non-negative')
        self._maxlen = maxlen
        self._buf = [None] * 8
        self._mask = 7
        self._head = 0
        self._len = 0
        self._state = 0      # bumped by every change of size or order
        self.extend(iterable)

    # -- storage helpers ------------------------------------------------------

    def _resize(self, capacity):
        items = self._items()
        self._buf = items + [None] * (capacity - len(items))
        self._mask = capacity - 1
        self._head = 0

    def _items(self):
        """The items as a new list, left to right."""
        buf = self._buf
        start = self._head
        end = start + self._len
        if end <= len(buf):
            return buf[start:end]
        return buf[start:] + buf[:end - len(buf)]

    def _maybe_shrink(self):
        capacity = self._mask + 1
        if capacity > 64 and self._len < (capacity >> 2):
            self._resize(capacity >> 1)

    def _check_index(self, index):
        if not isinstance(index, int):
            if getattr(type(index), '__index__', None) is None:
                raise TypeError('sequence index must be integer, not '
                                f"'{type(index).__name__}'")
        i = _as_int(index)
        if i < 0:
            i += self._len
        if i < 0 or i >= self._len:
            raise IndexError('deque index out of range')
        return i

    # -- adding and removing at the ends --------------------------------------

    def append(self, x):
        """Add an element to the right side of the deque."""
        self._state += 1
        if self._len > self._mask:
            self._resize((self._mask + 1) * 2)
        self._buf[(self._head + self._len) & self._mask] = x
        self._len += 1
        if self._maxlen is not None and self._len > self._maxlen:
            self._popleft()

    def appendleft(self, x):
        """Add an element to the left side of the deque."""
        self._state += 1
        if self._len > self._mask:
            self._resize((self._mask + 1) * 2)
        head = self._head - 1 if self._head else self._mask
        self._buf[head] = x
        self._head = head
        self._len += 1
        if self._maxlen is not None and self._len > self._maxlen:
            self._pop()

    def _pop(self):
        self._len -= 1
        i = (self._head + self._len) & self._mask
        x = self._buf[i]
        self._buf[i] = None
        return x

    def _popleft(self):
        head = self._head
        x = self._buf[head]
        self._buf[head] = None
        self._head = (head + 1) & self._mask
        self._len -= 1
        return x

    def pop(self):
        """Remove and return the rightmost element."""
        if not self._len:
            raise IndexError('pop from an empty deque')
        self._state += 1
        x = self._pop()
        self._maybe_shrink()
        return x

    def popleft(self):
        """Remove and return the leftmost element."""
        if not self._len:
            raise IndexError('pop from an empty deque')
        self._state += 1
        x = self._popleft()
        self._maybe_shrink()
        return x

    def extend(self, iterable):
        """Extend the right side of the deque with elements from the iterable."""
        if iterable is self:
            iterable = self._items()
        append = self.append
        for x in iterable:
            append(x)

    def extendleft(self, iterable):
        """Extend the left side of the deque with elements from the iterable."""
        if iterable is self:
            iterable = self._items()
        appendleft = self.appendleft
        for x in iterable:
            appendleft(x)

    def clear(self):
        """Remove all elements from the deque."""
        self._state += 1
        self._buf = [None] * 8
        self._mask = 7
        self._head = 0
        self._len = 0

    # -- whole-deque operations -----------------------------------------------

    def rotate(self, n=1):
        """Rotate the deque n steps to the right (default n=1).  If n is
        negative, rotates left."""
        n = _as_int(n)
        length = self._len
        if length <= 1:
            return
        n %= length
        if n == 0:
            return
        self._state += 1
        buf = self._buf
        mask = self._mask
        head = self._head
        if length == mask + 1:
            # The buffer is full: only the start moves.
            self._head = (head - n) & mask
            return
        if n <= length // 2:
            # Move n items from the right end to the left end.
            for _ in range(n):
                tail = (head + length - 1) & mask
                head = (head - 1) & mask
                buf[head] = buf[tail]
                buf[tail] = None
        else:
            # Move length - n items from the left end to the right end.
            for _ in range(length - n):
                buf[(head + length) & mask] = buf[head]
                buf[head] = None
                head = (head + 1) & mask
        self._head = head

    def reverse(self):
        """Reverse the elements of the deque in place."""
        buf = self._buf
        mask = self._mask
        head = self._head
        i = 0
        j = self._len - 1
        while i < j:
            a = (head + i) & mask
            b = (head + j) & mask
            buf[a], buf[b] = buf[b], buf[a]
            i += 1
            j -= 1
        self._state += 1

    def copy(self):
        """Return a shallow copy of a deque."""
        if self._maxlen is None:
            return type(self)(self)
        return type(self)(self, self._maxlen)

    __copy__ = copy

    # -- searching ------------------------------------------------------------

    def count(self, value):
        """Return number of occurrences of value."""
        state = self._state
        total = 0
        for i in range(self._len):
            item = self._buf[(self._head + i) & self._mask]
            if _same(item, value):
                total += 1
            if self._state != state:
                raise RuntimeError('deque mutated during iteration')
        return total

    def index(self, value, start=0, stop=None):
        """Return first index of value.  Raises ValueError if not present."""
        length = self._len
        start = _as_int(start)
        if start < 0:
            start += length
            if start < 0:
                start = 0
        if stop is None:
            stop = length
        else:
            stop = _as_int(stop)
            if stop < 0:
                stop += length
                if stop < 0:
                    stop = 0
        if stop > length:
            stop = length
        state = self._state
        i = start
        while i < stop:
            item = self._buf[(self._head + i) & self._mask]
            if _same(item, value):
                return i
            if self._state != state:
                raise RuntimeError('deque mutated during iteration')
            i += 1
        raise ValueError(f'{value!r} is not in deque')

    def remove(self, value):
        """Remove first occurrence of value."""
        state = self._state
        for i in range(self._len):
            item = self._buf[(self._head + i) & self._mask]
            found = _same(item, value)
            if self._state != state:
                raise IndexError('deque mutated during remove().')
            if found:
                self._delete(i)
                return
        raise ValueError(f'{value!r} is not in deque')

    def __contains__(self, value):
        state = self._state
        for i in range(self._len):
            item = self._buf[(self._head + i) & self._mask]
            if _same(item, value):
                return True
            if self._state != state:
                raise RuntimeError('deque mutated during iteration')
        return False

    # -- indexing -------------------------------------------------------------

    def __getitem__(self, index):
        i = self._check_index(index)
        return self._buf[(self._head + i) & self._mask]

    def __setitem__(self, index, value):
        i = self._check_index(index)
        self._buf[(self._head + i) & self._mask] = value

    def __delitem__(self, index):
        self._delete(self._check_index(index))

    def _delete(self, i):
        buf = self._buf
        mask = self._mask
        head = self._head
        length = self._len
        if i < length // 2:
            # Shift the items left of i one place to the right.
            j = i
            while j > 0:
                buf[(head + j) & mask] = buf[(head + j - 1) & mask]
                j -= 1
            buf[head] = None
            self._head = (head + 1) & mask
        else:
            # Shift the items right of i one place to the left.
            j = i
            while j < length - 1:
                buf[(head + j) & mask] = buf[(head + j + 1) & mask]
                j += 1
            buf[(head + length - 1) & mask] = None
        self._len = length - 1
        self._state += 1
        self._maybe_shrink()

    def insert(self, index, value):
        """Insert value before index."""
        index = _as_int(index)
        if self._maxlen is not None and self._len >= self._maxlen:
            raise IndexError('deque already at its maximum size')
        length = self._len
        if index < 0:
            index += length
            if index < 0:
                index = 0
        if index >= length:
            self.append(value)
            return
        if index == 0:
            self.appendleft(value)
            return
        self._state += 1
        if self._len > self._mask:
            self._resize((self._mask + 1) * 2)
        buf = self._buf
        mask = self._mask
        if index < length // 2:
            head = (self._head - 1) & mask
            for j in range(index):
                buf[(head + j) & mask] = buf[(head + j + 1) & mask]
            self._head = head
        else:
            head = self._head
            j = length
            while j > index:
                buf[(head + j) & mask] = buf[(head + j - 1) & mask]
                j -= 1
        buf[(self._head + index) & mask] = value
        self._len = length + 1

    # -- iteration ------------------------------------------------------------

    def __iter__(self):
        state = self._state
        for i in range(self._len):
            if self._state != state:
                raise RuntimeError('deque mutated during iteration')
            yield self._buf[(self._head + i) & self._mask]
        if self._state != state:
            raise RuntimeError('deque mutated during iteration')

    def __reversed__(self):
        state = self._state
        i = self._len - 1
        while i >= 0:
            if self._state != state:
                raise RuntimeError('deque mutated during iteration')
            yield self._buf[(self._head + i) & self._mask]
            i -= 1
        if self._state != state:
            raise RuntimeError('deque mutated during iteration')

    def __len__(self):
        return self._len

    def __bool__(self):
        return self._len != 0

    @property
    def maxlen(self):
        """maximum size of a deque or None if unbounded"""
        return self._maxlen

    # -- operators ------------------------------------------------------------

    def __add__(self, other):
        if not isinstance(other, deque):
            raise TypeError('can only concatenate deque (not '
                            f'"{type(other).__name__}") to deque')
        result = self.copy()
        result.extend(other)
        return result

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __mul__(self, n):
        result = self.copy()
        result.__imul__(n)
        return result

    __rmul__ = __mul__

    def __imul__(self, n):
        n = _as_int(n)
        if n <= 0:
            self.clear()
        elif n > 1 and self._len:
            items = self._items()
            if self._maxlen is not None:
                # Only the last maxlen items survive; skip the useless work.
                needed = self._maxlen // len(items) + 1
                if needed < n - 1:
                    n = needed + 1
            for _ in range(n - 1):
                self.extend(items)
        return self

    def _compare(self, other, op):
        a = self._items()
        b = other._items()
        for x, y in zip(a, b):
            if not _same(x, y):
                if op == 'lt':
                    return x < y
                if op == 'le':
                    return x <= y
                if op == 'gt':
                    return x > y
                return x >= y
        if op == 'lt':
            return len(a) < len(b)
        if op == 'le':
            return len(a) <= len(b)
        if op == 'gt':
            return len(a) > len(b)
        return len(a) >= len(b)

    def __eq__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        if self._len != other._len:
            return False
        for x, y in zip(self._items(), other._items()):
            if not _same(x, y):
                return False
        return True

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    def __lt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._compare(other, 'lt')

    def __le__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._compare(other, 'le')

    def __gt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._compare(other, 'gt')

    def __ge__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._compare(other, 'ge')

    __hash__ = None

    def __repr__(self):
        key = id(self)
        if key in _repr_running:
            return '[...]'
        _repr_running.add(key)
        try:
            body = repr(self._items())
        finally:
            _repr_running.discard(key)
        name = type(self).__name__
        if self._maxlen is None:
            return f'{name}({body})'
        return f'{name}({body}, maxlen={self._maxlen})'


################################################################################
# defaultdict
################################################################################

class defaultdict(dict):
    """defaultdict(default_factory=None, /, [...]) --> dict with default factory

    The default factory is called without arguments to produce a new value
    when a key is not present, in __getitem__ only.
    """

    def __init__(self, *args, **kwargs):
        if args:
            default_factory = args[0]
            args = args[1:]
        else:
            default_factory = None
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        self.default_factory = default_factory
        dict.__init__(self, *args, **kwargs)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def copy(self):
        """D.copy() -> a shallow copy of D."""
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __repr__(self):
        factory = self.default_factory
        if factory is None:
            factory_repr = 'None'
        else:
            key = id(self)
            if key in _repr_running:
                factory_repr = '...'
            else:
                _repr_running.add(key)
                try:
                    factory_repr = repr(factory)
                finally:
                    _repr_running.discard(key)
        return (f'{type(self).__name__}({factory_repr}, '
                f'{dict.__repr__(self)})')

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self.default_factory, other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self


################################################################################
# OrderedDict
################################################################################

_MISSING = object()


class OrderedDict(dict):
    """Dictionary that remembers insertion order and can reorder its keys.

    The interpreter's dict already keeps insertion order, so this class
    adds the reordering methods and the order-sensitive equality.
    """

    def move_to_end(self, key, last=True):
        """Move an existing element to the end (or beginning if last is false).

        Raise KeyError if the element does not exist.
        """
        value = dict.pop(self, key)   # raises KeyError if missing
        if last:
            dict.__setitem__(self, key, value)
            return
        rest = list(dict.items(self))
        dict.clear(self)
        dict.__setitem__(self, key, value)
        for k, v in rest:
            dict.__setitem__(self, k, v)

    def popitem(self, last=True):
        """Remove and return a (key, value) pair from the dictionary.

        Pairs are returned in LIFO order if last is true or FIFO order if false.
        """
        if not self:
            raise KeyError('dictionary is empty')
        if last:
            return dict.popitem(self)
        key = next(iter(dict.keys(self)))
        value = dict.pop(self, key)
        return key, value

    def __reversed__(self):
        keys = list(dict.keys(self))
        i = len(keys) - 1
        while i >= 0:
            yield keys[i]
            i -= 1

    def copy(self):
        """od.copy() -> a shallow copy of od"""
        return type(self)(self)

    __copy__ = copy

    @classmethod
    def fromkeys(cls, iterable, value=None):
        """Create a new ordered dictionary with keys from iterable and values
        set to value."""
        result = cls()
        for key in iterable:
            result[key] = value
        return result

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            if not dict.__eq__(self, other):
                return False
            return list(dict.keys(self)) == list(dict.keys(other))
        return dict.__eq__(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __repr__(self):
        name = type(self).__name__
        if not self:
            return f'{name}()'
        key = id(self)
        if key in _repr_running:
            return '...'
        _repr_running.add(key)
        try:
            return f'{name}({list(dict.items(self))!r})'
        finally:
            _repr_running.discard(key)

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self)
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self


################################################################################
# namedtuple
################################################################################

_KEYWORDS = frozenset([
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await',
    'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
    'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
    'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
    'while', 'with', 'yield',
])


def _is_identifier(name):
    method = getattr(name, 'isidentifier', None)
    if method is not None:
        return method()
    if not name:
        return False
    for i, ch in enumerate(name):
        if ch == '_' or 'a' <= ch <= 'z' or 'A' <= ch <= 'Z' or ch > '\x7f':
            continue
        if i and '0' <= ch <= '9':
            continue
        return False
    return True


def _english_list(names):
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f'{quoted[0]} and {quoted[1]}'
    head = ', '.join(quoted[:-1])
    return f'{head}, and {quoted[-1]}'


def _make_field_getter(index):
    def getter(self):
        return self[index]

    def setter(self, value):
        raise AttributeError("can't set attribute")

    def deleter(self):
        raise AttributeError("can't delete attribute")

    return property(getter, setter, deleter,
                    f'Alias for field number {index}')


def _set_doc(function, doc):
    try:
        function.__doc__ = doc
    except (AttributeError, TypeError):
        pass


def _caller_module():
    getframe = getattr(_sys, '_getframe', None)
    if getframe is None:
        return '__main__'
    try:
        return getframe(2).f_globals.get('__name__', '__main__')
    except (AttributeError, ValueError):
        return '__main__'


def namedtuple(typename, field_names, *, rename=False, defaults=None,
               module=None):
    """Returns a new subclass of tuple with named fields.

    >>> Point = namedtuple('Point', ['x', 'y'])
    >>> Point(11, y=22)
    Point(x=11, y=22)
    """
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = [str(name) for name in field_names]
    typename = str(typename)

    if rename:
        seen = set()
        for index, name in enumerate(field_names):
            if (not _is_identifier(name) or name in _KEYWORDS
                    or name.startswith('_') or name in seen):
                field_names[index] = f'_{index}'
            seen.add(name)

    for name in [typename] + field_names:
        if not isinstance(name, str):
            raise TypeError('Type names and field names must be strings')
        if not _is_identifier(name):
            raise ValueError('Type names and field names must be valid '
                             f'identifiers: {name!r}')
        if name in _KEYWORDS:
            raise ValueError('Type names and field names cannot be a '
                             f'keyword: {name!r}')

    seen = set()
    for name in field_names:
        if name.startswith('_') and not rename:
            raise ValueError('Field names cannot start with an underscore: '
                             f'{name!r}')
        if name in seen:
            raise ValueError(f'Encountered duplicate field name: {name!r}')
        seen.add(name)

    fields = tuple(field_names)
    num_fields = len(fields)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > num_fields:
            raise TypeError('Got more default values than field names')
        first = num_fields - len(defaults)
        for i in range(len(defaults)):
            field_defaults[fields[first + i]] = defaults[i]
    num_required = num_fields - len(field_defaults)
    field_index = {}
    for i in range(num_fields):
        field_index[fields[i]] = i
    func_prefix = typename + '.__new__()'

    def __new__(_cls, *args, **kwargs):
        # Same checking order as for a Python function: keywords first,
        # then too many positionals, then missing arguments.
        values = list(args[:num_fields])
        values.extend([_MISSING] * (num_fields - len(values)))
        for name in kwargs:
            i = field_index.get(name)
            if i is None:
                raise TypeError(f'{func_prefix} got an unexpected keyword '
                                f'argument {name!r}')
            if values[i] is not _MISSING:
                raise TypeError(f'{func_prefix} got multiple values for '
                                f'argument {name!r}')
            values[i] = kwargs[name]
        if len(args) > num_fields:
            if num_required == num_fields:
                plural = '' if num_fields == 0 else 's'
                takes = f'{num_fields + 1} positional argument{plural}'
            else:
                takes = (f'from {num_required + 1} to {num_fields + 1} '
                         'positional arguments')
            given = len(args) + 1
            verb = 'was' if given == 1 else 'were'
            raise TypeError(f'{func_prefix} takes {takes} but {given} {verb} '
                            'given')
        missing = []
        for i in range(num_fields):
            if values[i] is _MISSING:
                name = fields[i]
                if name in field_defaults:
                    values[i] = field_defaults[name]
                else:
                    missing.append(name)
        if missing:
            plural = '' if len(missing) == 1 else 's'
            raise TypeError(f'{func_prefix} missing {len(missing)} required '
                            f'positional argument{plural}: '
                            f'{_english_list(missing)}')
        return tuple.__new__(_cls, values)

    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != num_fields:
            raise TypeError(f'Expected {num_fields} arguments, got '
                            f'{len(result)}')
        return result

    def _replace(self, **kwargs):
        values = list(self)
        for name in kwargs:
            i = field_index.get(name)
            if i is None:
                unexpected = [k for k in kwargs if k not in field_index]
                raise ValueError(f'Got unexpected field names: {unexpected!r}')
            values[i] = kwargs[name]
        return self._make(values)

    def __repr__(self):
        parts = []
        for i in range(num_fields):
            parts.append(f'{fields[i]}={self[i]!r}')
        args = ', '.join(parts)
        return f'{type(self).__name__}({args})'

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(fields, self))

    def __getnewargs__(self):
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    arg_list = ', '.join(fields)
    _set_doc(__new__, f'Create new instance of {typename}({arg_list})')
    _set_doc(_make, f'Make a new {typename} object from a sequence or '
                    'iterable')
    _set_doc(_replace, f'Return a new {typename} object replacing specified '
                       'fields with new values')
    _set_doc(__repr__, 'Return a nicely formatted representation string')

    namespace = {
        '__doc__': f'{typename}({arg_list})',
        '__new__': staticmethod(__new__),
        '_make': classmethod(_make),
        '_replace': _replace,
        '__repr__': __repr__,
        '_asdict': _asdict,
        '__getnewargs__': __getnewargs__,
        '_fields': fields,
        '_field_defaults': field_defaults,
        '__match_args__': fields,
        '__module__': module if module is not None else _caller_module(),
    }
    for i in range(num_fields):
        namespace[fields[i]] = _make_field_getter(i)
    return type(typename, (tuple,), namespace)


################################################################################
# Counter
################################################################################

class Counter(dict):
    """Dict subclass for counting hashable items.  Elements are stored as
    dictionary keys and their counts are stored as dictionary values.

    >>> Counter('abracadabra').most_common(3)
    [('a', 5), ('b', 2), ('r', 2)]
    """

    def __init__(self, *args, **kwds):
        if len(args) > 1:
            raise TypeError(f'expected at most 1 argument, got {len(args)}')
        dict.__init__(self)
        self.update(*args, **kwds)

    def __missing__(self, key):
        """The count of elements not in the Counter is zero."""
        return 0

    def total(self):
        """Sum of the counts"""
        result = 0
        for count in self.values():
            result += count
        return result

    def most_common(self, n=None):
        """List the n most common elements and their counts from the most
        common to the least.  If n is None, then list all element counts.
        Elements with equal counts keep their insertion order.
        """
        items = sorted(self.items(), key=_count_of, reverse=True)
        if n is None:
            return items
        if n <= 0:
            return []
        return items[:n]

    def elements(self):
        """Iterator over elements repeating each as many times as its count.
        Elements with a count below one are skipped."""
        for elem, count in list(self.items()):
            for _ in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            'Counter.fromkeys() is undefined.  Use Counter(iterable) instead.')

    def update(self, *args, **kwds):
        """Like dict.update() but add counts instead of replacing them.

        Source can be an iterable, a dictionary, or another Counter instance.
        """
        if len(args) > 1:
            raise TypeError(f'expected at most 1 argument, got {len(args)}')
        iterable = args[0] if args else None
        if iterable is not None:
            if _is_mapping(iterable):
                if self:
                    for elem in iterable.keys():
                        self[elem] = iterable[elem] + self.get(elem, 0)
                else:
                    for elem in iterable.keys():
                        self[elem] = iterable[elem]
            else:
                get = self.get
                for elem in iterable:
                    self[elem] = get(elem, 0) + 1
        if kwds:
            self.update(kwds)

    def subtract(self, *args, **kwds):
        """Like dict.update() but subtracts counts instead of replacing them.
        Counts can be reduced below zero."""
        if len(args) > 1:
            raise TypeError(f'expected at most 1 argument, got {len(args)}')
        iterable = args[0] if args else None
        if iterable is not None:
            get = self.get
            if _is_mapping(iterable):
                for elem in iterable.keys():
                    self[elem] = get(elem, 0) - iterable[elem]
            else:
                for elem in iterable:
                    self[elem] = get(elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        """Return a shallow copy."""
        return type(self)(self)

    __copy__ = copy

    def __delitem__(self, elem):
        """Like dict.__delitem__() but does not raise KeyError for missing
        values."""
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        name = type(self).__name__
        if not self:
            return f'{name}()'
        try:
            d = dict(self.most_common())
        except TypeError:
            d = dict(self)
        return f'{name}({d!r})'

    # -- multiset comparisons (missing elements count as zero) ----------------

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if self[e] != other[e]:
                    return False
        return True

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if not self[e] <= other[e]:
                    return False
        return True

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if not self[e] >= other[e]:
                    return False
        return True

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    # -- multiset arithmetic (results keep only positive counts) --------------

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    def __pos__(self):
        """Adds an empty counter, effectively stripping negative and zero
        counts"""
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        """Subtracts from an empty counter.  Strips positive and zero counts,
        and flips the sign on negative counts."""
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result

    def _keep_positive(self):
        """Internal method to strip elements with a negative or zero count"""
        for elem in [e for e, c in self.items() if not c > 0]:
            dict.__delitem__(self, elem)
        return self

    def __iadd__(self, other):
        for elem, count in other.items():
            self[elem] += count
        return self._keep_positive()

    def __isub__(self, other):
        for elem, count in other.items():
            self[elem] -= count
        return self._keep_positive()

    def __ior__(self, other):
        for elem, other_count in other.items():
            count = self[elem]
            if other_count > count:
                self[elem] = other_count
        return self._keep_positive()

    def __iand__(self, other):
        for elem, count in list(self.items()):
            other_count = other[elem]
            if other_count < count:
                self[elem] = other_count
        return self._keep_positive()


def _count_of(item):
    return item[1]


################################################################################
# ChainMap
################################################################################

class ChainMap:
    """A ChainMap groups multiple dicts (or other mappings) together to
    create a single, updateable view.  Lookups search the underlying
    mappings in order; writes and deletions only touch the first one.
    """

    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        return self.__missing__(key)

    def get(self, key, default=None):
        if key in self:
            return self[key]
        return default

    def _merged_keys(self):
        keys = {}
        i = len(self.maps) - 1
        while i >= 0:
            for key in self.maps[i]:
                keys[key] = None
            i -= 1
        return keys

    def __len__(self):
        return len(self._merged_keys())

    def __iter__(self):
        return iter(self._merged_keys())

    def __contains__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return True
        return False

    def __bool__(self):
        for mapping in self.maps:
            if mapping:
                return True
        return False

    def keys(self):
        return self._merged_keys().keys()

    def items(self):
        return dict([(key, self[key]) for key in self._merged_keys()]).items()

    def values(self):
        return [self[key] for key in self._merged_keys()]

    def __eq__(self, other):
        if isinstance(other, ChainMap):
            other = dict(other.items())
        elif not _is_mapping(other):
            return NotImplemented
        else:
            other = dict([(key, other[key]) for key in other.keys()])
        return dict(self.items()) == other

    __hash__ = None

    def __repr__(self):
        key = id(self)
        if key in _repr_running:
            return '...'
        _repr_running.add(key)
        try:
            maps = ', '.join([repr(m) for m in self.maps])
            return f'{type(self).__name__}({maps})'
        finally:
            _repr_running.discard(key)

    @classmethod
    def fromkeys(cls, iterable, *args):
        """Create a ChainMap with a single dict created from the iterable."""
        return cls(dict.fromkeys(iterable, *args))

    def copy(self):
        """New ChainMap or subclass with a new copy of maps[0] and refs to
        maps[1:]"""
        return type(self)(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        """New ChainMap with a new map followed by all previous maps."""
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return type(self)(m, *self.maps)

    @property
    def parents(self):
        """New ChainMap from maps[1:]."""
        return type(self)(*self.maps[1:])

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        if key not in self.maps[0]:
            raise KeyError(f'Key not found in the first mapping: {key!r}')
        del self.maps[0][key]

    def popitem(self):
        """Remove and return an item pair from maps[0]. Raise KeyError if
        maps[0] is empty."""
        if not self.maps[0]:
            raise KeyError('No keys found in the first mapping.')
        return self.maps[0].popitem()

    def pop(self, key, *args):
        """Remove key from maps[0] and return its value. Raise KeyError if
        key not in maps[0]."""
        if key in self.maps[0]:
            return self.maps[0].pop(key)
        if args:
            return args[0]
        raise KeyError(f'Key not found in the first mapping: {key!r}')

    def setdefault(self, key, default=None):
        if key in self:
            return self[key]
        self[key] = default
        return default

    def update(self, *args, **kwargs):
        self.maps[0].update(*args, **kwargs)

    def clear(self):
        """Clear maps[0], leaving maps[1:] intact."""
        self.maps[0].clear()

    def __ior__(self, other):
        self.maps[0].update(other)
        return self

    def __or__(self, other):
        if not _is_mapping(other):
            return NotImplemented
        result = self.copy()
        result.maps[0].update(other)
        return result

    def __ror__(self, other):
        if not _is_mapping(other):
            return NotImplemented
        merged = dict(other)
        i = len(self.maps) - 1
        while i >= 0:
            merged.update(self.maps[i])
            i -= 1
        return type(self)(merged)


################################################################################
# UserDict and UserList
################################################################################

class UserDict:
    """A dict-like class that keeps its contents in a real dict, ``data``."""

    def __init__(self, *args, **kwargs):
        if len(args) > 1:
            raise TypeError(f'expected at most 1 argument, got {len(args)}')
        self.data = {}
        if args and args[0] is not None:
            self.update(args[0])
        if kwargs:
            self.update(kwargs)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, key):
        if key in self.data:
            return self.data[key]
        if hasattr(type(self), '__missing__'):
            return self.__missing__(key)
        raise KeyError(key)

    def __setitem__(self, key, item):
        self.data[key] = item

    def __delitem__(self, key):
        del self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __contains__(self, key):
        return key in self.data

    def get(self, key, default=None):
        if key in self:
            return self[key]
        return default

    def keys(self):
        return self.data.keys()

    def items(self):
        return self.data.items()

    def values(self):
        return self.data.values()

    def pop(self, key, *args):
        if key in self:
            value = self[key]
            del self[key]
            return value
        if args:
            return args[0]
        raise KeyError(key)

    def popitem(self):
        if not self.data:
            raise KeyError('popitem(): dictionary is empty')
        key = next(iter(self.data))
        value = self[key]
        del self[key]
        return key, value

    def clear(self):
        for key in list(self.data):
            del self[key]

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args, **kwargs):
        if len(args) > 1:
            raise TypeError(f'expected at most 1 argument, got {len(args)}')
        if args:
            other = args[0]
            if _is_mapping(other):
                for key in other.keys():
                    self[key] = other[key]
            else:
                for key, value in other:
                    self[key] = value
        for key in kwargs:
            self[key] = kwargs[key]

    def __eq__(self, other):
        if isinstance(other, UserDict):
            return self.data == other.data
        if isinstance(other, dict):
            return self.data == other
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(self.data)

    def __or__(self, other):
        if isinstance(other, UserDict):
            other = other.data
        elif not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self.data)
        result.update(other)
        return result

    def __ror__(self, other):
        if isinstance(other, UserDict):
            other = other.data
        elif not isinstance(other, dict):
            return NotImplemented
        result = type(self)(other)
        result.update(self.data)
        return result

    def __ior__(self, other):
        self.update(other)
        return self

    def copy(self):
        result = type(self)()
        result.data = self.data.copy()
        return result

    __copy__ = copy

    @classmethod
    def fromkeys(cls, iterable, value=None):
        result = cls()
        for key in iterable:
            result[key] = value
        return result


class UserList:
    """A list-like class that keeps its contents in a real list, ``data``."""

    def __init__(self, initlist=None):
        self.data = []
        if initlist is not None:
            if type(initlist) == type(self.data):
                self.data[:] = initlist
            elif isinstance(initlist, UserList):
                self.data[:] = initlist.data[:]
            else:
                self.data = list(initlist)

    def _unwrap(self, other):
        return other.data if isinstance(other, UserList) else other

    def __repr__(self):
        return repr(self.data)

    def __lt__(self, other):
        return self.data < self._unwrap(other)

    def __le__(self, other):
        return self.data <= self._unwrap(other)

    def __eq__(self, other):
        return self.data == self._unwrap(other)

    def __gt__(self, other):
        return self.data > self._unwrap(other)

    def __ge__(self, other):
        return self.data >= self._unwrap(other)

    __hash__ = None

    def __contains__(self, item):
        return item in self.data

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        return iter(self.data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return type(self)(self.data[i])
        return self.data[i]

    def __setitem__(self, i, item):
        self.data[i] = item

    def __delitem__(self, i):
        del self.data[i]

    def __add__(self, other):
        if isinstance(other, UserList):
            return type(self)(self.data + other.data)
        if isinstance(other, list):
            return type(self)(self.data + other)
        return type(self)(self.data + list(other))

    def __radd__(self, other):
        if isinstance(other, UserList):
            return type(self)(other.data + self.data)
        if isinstance(other, list):
            return type(self)(other + self.data)
        return type(self)(list(other) + self.data)

    def __iadd__(self, other):
        if isinstance(other, UserList):
            self.data += other.data
        else:
            self.data += list(other)
        return self

    def __mul__(self, n):
        return type(self)(self.data * n)

    __rmul__ = __mul__

    def __imul__(self, n):
        self.data *= n
        return self

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    def append(self, item):
        self.data.append(item)

    def insert(self, i, item):
        self.data.insert(i, item)

    def pop(self, i=-1):
        return self.data.pop(i)

    def remove(self, item):
        self.data.remove(item)

    def clear(self):
        self.data.clear()

    def count(self, item):
        return self.data.count(item)

    def index(self, item, *args):
        return self.data.index(item, *args)

    def reverse(self):
        self.data.reverse()

    def sort(self, *args, **kwds):
        self.data.sort(*args, **kwds)

    def extend(self, other):
        if isinstance(other, UserList):
            self.data.extend(other.data)
        else:
            self.data.extend(other)
