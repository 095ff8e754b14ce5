"""Abstract base classes for containers: Iterable, Iterator, Sized,
Container, Callable, Hashable, Collection, Reversible, Generator, Sequence,
MutableSequence, Set, MutableSet, Mapping, MutableMapping and the mapping
views.

Thicket has no metaclasses, so ``isinstance(x, Sequence)`` is only true for
classes that really inherit from Sequence.  To ask whether any object
(built-in types included) fits an ABC, use ``_check(obj, abc)``, or
``_check_subclass(cls, abc)`` for a class.  Those consult:

  * real inheritance,
  * registrations, made with ``SomeABC.register(cls)`` (the built-in types
    are registered below),
  * for the one-method ABCs (Iterable, Sized, Container, Callable,
    Hashable, Iterator, Reversible, Collection, Generator), whether the
    class defines the needed methods.

The mixin methods (Sequence.index, Mapping.get, MutableMapping.update, ...)
are ordinary methods, so user classes that subclass these ABCs get them.
Abstract methods are not enforced at instantiation.
"""

__all__ = ['Hashable', 'Iterable', 'Iterator', 'Generator', 'Reversible',
           'Sized', 'Container', 'Callable', 'Collection', 'Set',
           'MutableSet', 'Mapping', 'MutableMapping', 'MappingView',
           'KeysView', 'ItemsView', 'ValuesView', 'Sequence',
           'MutableSequence']

# ABC class -> list of classes registered as virtual subclasses of it.
_registry = {}


def _register(abc, subclass):
    """Register a virtual subclass of an ABC.  Returns the subclass, so that
    it can be used as a class decorator."""
    if not isinstance(subclass, type):
        raise TypeError('Can only register classes')
    registered = _registry.get(abc)
    if registered is None:
        registered = []
        _registry[abc] = registered
    if subclass not in registered:
        registered.append(subclass)
    return subclass


_MARKER = object()


def _lookup(cls, name):
    """The class attribute name as found on cls or its bases (not on its
    metaclass, so type.__call__ does not make every class callable), or
    _MARKER."""
    mro = getattr(cls, '__mro__', None)
    if mro is None:
        return getattr(cls, name, _MARKER)
    for base in mro:
        namespace = getattr(base, '__dict__', None)
        if namespace is None:
            return getattr(cls, name, _MARKER)
        if name in namespace:
            return namespace[name]
    return _MARKER


def _defines(cls, *names):
    """True if cls has every one of the attributes, none of them None."""
    for name in names:
        value = _lookup(cls, name)
        if value is _MARKER or value is None:
            return False
    return True


_UNHASHABLE = [list, dict, set]
try:
    _UNHASHABLE.append(bytearray)
except NameError:
    pass


def _is_hashable_class(cls):
    own = _lookup(cls, '__hash__')
    if own is None:
        return False
    for base in _UNHASHABLE:
        # A subclass of an unhashable built-in is unhashable unless it
        # defines its own __hash__.
        if issubclass(cls, base) and own is _lookup(base, '__hash__'):
            return False
    return True


# ABC -> function deciding, from the class alone, whether it fits the ABC.
_structural = {}


def _check_subclass(cls, abc):
    """issubclass(cls, abc), counting registrations and, for the one-method
    ABCs, classes that define the required methods."""
    if issubclass(cls, abc):
        return True
    for target in _registry:
        if issubclass(target, abc):
            for registered in _registry[target]:
                if issubclass(cls, registered):
                    return True
    test = _structural.get(abc)
    if test is not None and test(cls):
        return True
    return False


def _check(obj, abc):
    """isinstance(obj, abc), counting registrations and, for the one-method
    ABCs, classes that define the required methods."""
    if isinstance(obj, abc):
        return True
    if abc is Callable and callable(obj):
        return True
    return _check_subclass(type(obj), abc)


################################################################################
# One-method ABCs
################################################################################

class Hashable:
    """Objects usable as dict keys and set members."""

    register = classmethod(_register)

    def __hash__(self):
        return 0


class Iterable:
    """Objects that return an iterator from __iter__."""

    register = classmethod(_register)

    def __iter__(self):
        return iter(())


class Iterator(Iterable):
    """Objects with __next__ whose __iter__ returns themselves."""

    def __next__(self):
        """Return the next item from the iterator. When exhausted, raise
        StopIteration"""
        raise StopIteration

    def __iter__(self):
        return self


class Reversible(Iterable):
    """Iterables that also support reversed()."""

    def __reversed__(self):
        return iter(())


class Generator(Iterator):
    """Iterators with send(), throw() and close(), like generator objects."""

    def __next__(self):
        """Return the next item from the generator.
        When exhausted, raise StopIteration.
        """
        return self.send(None)

    def send(self, value):
        """Send a value into the generator.
        Return next yielded value or raise StopIteration.
        """
        raise StopIteration

    def throw(self, typ, val=None, tb=None):
        """Raise an exception in the generator.
        Return next yielded value or raise StopIteration.
        """
        if val is None:
            if tb is None:
                raise typ
            val = typ()
        raise val

    def close(self):
        """Raise GeneratorExit inside generator.
        """
        try:
            self.throw(GeneratorExit)
        except (GeneratorExit, StopIteration):
            return
        raise RuntimeError('generator ignored GeneratorExit')


class Sized:
    """Objects with __len__."""

    register = classmethod(_register)

    def __len__(self):
        return 0


class Container:
    """Objects supporting the ``in`` operator through __contains__."""

    register = classmethod(_register)

    def __contains__(self, x):
        return False


class Collection(Sized, Iterable, Container):
    """Sized iterable containers."""


class Callable:
    """Objects that can be called."""

    register = classmethod(_register)

    def __call__(self, *args, **kwds):
        return False


_structural[Hashable] = _is_hashable_class
_structural[Iterable] = lambda cls: _defines(cls, '__iter__')
_structural[Iterator] = lambda cls: _defines(cls, '__iter__', '__next__')
_structural[Reversible] = lambda cls: _defines(cls, '__reversed__', '__iter__')
_structural[Generator] = lambda cls: _defines(
    cls, '__iter__', '__next__', 'send', 'throw', 'close')
_structural[Sized] = lambda cls: _defines(cls, '__len__')
_structural[Container] = lambda cls: _defines(cls, '__contains__')
_structural[Collection] = lambda cls: _defines(
    cls, '__len__', '__iter__', '__contains__')
_structural[Callable] = lambda cls: _defines(cls, '__call__')


################################################################################
# Sets
################################################################################

class Set(Collection):
    """A finite, iterable container with set comparisons and operators.

    Subclasses define __contains__, __iter__ and __len__; the comparison
    and &, |, -, ^ operators come from here.  Results of the operators are
    built with the class method _from_iterable (by default cls(iterable)).
    """

    def __le__(self, other):
        if not _check(other, Set):
            return NotImplemented
        if len(self) > len(other):
            return False
        for elem in self:
            if elem not in other:
                return False
        return True

    def __lt__(self, other):
        if not _check(other, Set):
            return NotImplemented
        return len(self) < len(other) and self.__le__(other)

    def __gt__(self, other):
        if not _check(other, Set):
            return NotImplemented
        return len(self) > len(other) and self.__ge__(other)

    def __ge__(self, other):
        if not _check(other, Set):
            return NotImplemented
        if len(self) < len(other):
            return False
        for elem in other:
            if elem not in self:
                return False
        return True

    def __eq__(self, other):
        if not _check(other, Set):
            return NotImplemented
        return len(self) == len(other) and self.__le__(other)

    __hash__ = None

    @classmethod
    def _from_iterable(cls, it):
        """Construct an instance of the class from any iterable input."""
        return cls(it)

    def __and__(self, other):
        if not _check(other, Iterable):
            return NotImplemented
        return self._from_iterable([value for value in other if value in self])

    __rand__ = __and__

    def isdisjoint(self, other):
        """Return True if two sets have a null intersection."""
        for value in other:
            if value in self:
                return False
        return True

    def __or__(self, other):
        if not _check(other, Iterable):
            return NotImplemented
        return self._from_iterable([e for s in (self, other) for e in s])

    __ror__ = __or__

    def __sub__(self, other):
        if not _check(other, Set):
            if not _check(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return self._from_iterable([value for value in self
                                    if value not in other])

    def __rsub__(self, other):
        if not _check(other, Set):
            if not _check(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return self._from_iterable([value for value in other
                                    if value not in self])

    def __xor__(self, other):
        if not _check(other, Set):
            if not _check(other, Iterable):
                return NotImplemented
            other = self._from_iterable(other)
        return (self - other) | (other - self)

    __rxor__ = __xor__

    def _hash(self):
        """A hash consistent with frozenset's, for hashable subclasses."""
        return hash(frozenset(self))


class MutableSet(Set):
    """A Set that can change: subclasses also define add() and discard()."""

    def add(self, value):
        """Add an element."""
        raise NotImplementedError

    def discard(self, value):
        """Remove an element.  Do not raise an exception if absent."""
        raise NotImplementedError

    def remove(self, value):
        """Remove an element. If not a member, raise a KeyError."""
        if value not in self:
            raise KeyError(value)
        self.discard(value)

    def pop(self):
        """Return the popped value.  Raise KeyError if empty."""
        it = iter(self)
        value = next(it, _MARKER)
        if value is _MARKER:
            raise KeyError
        self.discard(value)
        return value

    def clear(self):
        """This is slow (creates N new iterators!) but effective."""
        while self:
            self.pop()

    def __ior__(self, it):
        for value in it:
            self.add(value)
        return self

    def __iand__(self, it):
        for value in list(self - it):
            self.discard(value)
        return self

    def __ixor__(self, it):
        if it is self:
            self.clear()
        else:
            if not _check(it, Set):
                it = self._from_iterable(it)
            for value in it:
                if value in self:
                    self.discard(value)
                else:
                    self.add(value)
        return self

    def __isub__(self, it):
        if it is self:
            self.clear()
        else:
            for value in it:
                self.discard(value)
        return self


################################################################################
# Mappings
################################################################################

class Mapping(Collection):
    """A read-only mapping.  Subclasses define __getitem__, __iter__ and
    __len__; get, __contains__, keys, items, values and __eq__ come from
    here."""

    def __getitem__(self, key):
        raise KeyError(key)

    def get(self, key, default=None):
        """D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True

    def keys(self):
        """D.keys() -> a set-like object providing a view on D's keys"""
        return KeysView(self)

    def items(self):
        """D.items() -> a set-like object providing a view on D's items"""
        return ItemsView(self)

    def values(self):
        """D.values() -> an object providing a view on D's values"""
        return ValuesView(self)

    def __eq__(self, other):
        if not _check(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None

    __reversed__ = None


class MappingView(Sized):
    """Base of the views returned by Mapping.keys(), items() and values()."""

    def __init__(self, mapping):
        self._mapping = mapping

    def __len__(self):
        return len(self._mapping)

    def __repr__(self):
        return f'{type(self).__name__}({self._mapping!r})'


class KeysView(MappingView, Set):
    """The keys of a mapping, as a set."""

    @classmethod
    def _from_iterable(cls, it):
        return set(it)

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        for key in self._mapping:
            yield key


class ItemsView(MappingView, Set):
    """The (key, value) pairs of a mapping, as a set."""

    @classmethod
    def _from_iterable(cls, it):
        return set(it)

    def __contains__(self, item):
        key, value = item
        try:
            v = self._mapping[key]
        except KeyError:
            return False
        return v is value or v == value

    def __iter__(self):
        for key in self._mapping:
            yield (key, self._mapping[key])


class ValuesView(MappingView, Collection):
    """The values of a mapping."""

    def __contains__(self, value):
        for key in self._mapping:
            v = self._mapping[key]
            if v is value or v == value:
                return True
        return False

    def __iter__(self):
        for key in self._mapping:
            yield self._mapping[key]


class MutableMapping(Mapping):
    """A mapping that can change.  Subclasses also define __setitem__ and
    __delitem__; pop, popitem, clear, update and setdefault come from here.
    """

    def __setitem__(self, key, value):
        raise KeyError(key)

    def __delitem__(self, key):
        raise KeyError(key)

    def pop(self, key, default=_MARKER):
        """D.pop(k[,d]) -> v, remove specified key and return the
        corresponding value.  If key is not found, d is returned if given,
        otherwise KeyError is raised.
        """
        try:
            value = self[key]
        except KeyError:
            if default is _MARKER:
                raise
            return default
        del self[key]
        return value

    def popitem(self):
        """D.popitem() -> (k, v), remove and return some (key, value) pair
        as a 2-tuple; but raise KeyError if D is empty.
        """
        key = next(iter(self), _MARKER)
        if key is _MARKER:
            raise KeyError
        value = self[key]
        del self[key]
        return key, value

    def clear(self):
        """D.clear() -> None.  Remove all items from D."""
        while True:
            key = next(iter(self), _MARKER)
            if key is _MARKER:
                return
            del self[key]

    def update(self, *args, **kwds):
        """D.update([E, ]**F) -> None.  Update D from mapping/iterable E
        and F.  If E has a .keys() method: for k in E: D[k] = E[k];
        otherwise: for (k, v) in E: D[k] = v.  Then: for k in F: D[k] = F[k]
        """
        if len(args) > 1:
            raise TypeError('update expected at most 1 argument, got '
                            f'{len(args)}')
        if args:
            other = args[0]
            if _check(other, Mapping):
                for key in other:
                    self[key] = other[key]
            elif hasattr(other, 'keys'):
                for key in other.keys():
                    self[key] = other[key]
            else:
                for key, value in other:
                    self[key] = value
        for key in kwds:
            self[key] = kwds[key]

    def setdefault(self, key, default=None):
        """D.setdefault(k[,d]) -> D.get(k,d), also set D[k]=d if k not in D"""
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default


################################################################################
# Sequences
################################################################################

class Sequence(Reversible, Collection):
    """A read-only indexable sequence.  Subclasses define __getitem__ and
    __len__; __iter__, __contains__, __reversed__, index and count come
    from here."""

    def __getitem__(self, index):
        raise IndexError

    def __iter__(self):
        i = 0
        while True:
            try:
                v = self[i]
            except IndexError:
                return
            yield v
            i += 1

    def __contains__(self, value):
        for v in self:
            if v is value or v == value:
                return True
        return False

    def __reversed__(self):
        i = len(self) - 1
        while i >= 0:
            yield self[i]
            i -= 1

    def index(self, value, start=0, stop=None):
        """S.index(value, [start, [stop]]) -> integer -- return first index
        of value.  Raises ValueError if the value is not present.
        """
        if start is not None and start < 0:
            start = max(len(self) + start, 0)
        if stop is not None and stop < 0:
            stop += len(self)
        i = start
        while stop is None or i < stop:
            try:
                v = self[i]
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        raise ValueError

    def count(self, value):
        """S.count(value) -> integer -- return number of occurrences of
        value"""
        total = 0
        for v in self:
            if v is value or v == value:
                total += 1
        return total


class MutableSequence(Sequence):
    """A sequence that can change.  Subclasses also define __setitem__,
    __delitem__ and insert; append, clear, reverse, extend, pop, remove and
    += come from here."""

    def __setitem__(self, index, value):
        raise IndexError

    def __delitem__(self, index):
        raise IndexError

    def insert(self, index, value):
        """S.insert(index, value) -- insert value before index"""
        raise IndexError

    def append(self, value):
        """S.append(value) -- append value to the end of the sequence"""
        self.insert(len(self), value)

    def clear(self):
        """S.clear() -> None -- remove all items from S"""
        while len(self):
            self.pop()

    def reverse(self):
        """S.reverse() -- reverse *IN PLACE*"""
        n = len(self)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]

    def extend(self, values):
        """S.extend(iterable) -- extend sequence by appending elements from
        the iterable"""
        if values is self:
            values = list(values)
        for v in values:
            self.append(v)

    def pop(self, index=-1):
        """S.pop([index]) -> item -- remove and return item at index
        (default last).  Raise IndexError if list is empty or index is out
        of range.
        """
        v = self[index]
        del self[index]
        return v

    def remove(self, value):
        """S.remove(value) -- remove first occurrence of value.
        Raise ValueError if the value is not present.
        """
        del self[self.index(value)]

    def __iadd__(self, values):
        self.extend(values)
        return self


################################################################################
# Registration of the built-in types
################################################################################

def _gen():
    yield None


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


def _register_all(abc, types):
    for cls in types:
        abc.register(cls)


_register_all(Hashable, _builtin_types(
    lambda: int, lambda: float, lambda: bool, lambda: str, lambda: tuple,
    lambda: frozenset, lambda: type(None), lambda: type, lambda: range,
    lambda: type(_gen), lambda: type(len), lambda: bytes, lambda: complex))
_register_all(Callable, _builtin_types(
    lambda: type(_gen), lambda: type(len), lambda: type))
_register_all(Sequence, _builtin_types(
    lambda: tuple, lambda: str, lambda: range, lambda: bytes))
_register_all(MutableSequence, _builtin_types(
    lambda: list, lambda: bytearray))
_register_all(Set, _builtin_types(lambda: frozenset))
_register_all(MutableSet, _builtin_types(lambda: set))
_register_all(MutableMapping, _builtin_types(lambda: dict))
_register_all(KeysView, _builtin_types(lambda: type({}.keys())))
_register_all(ItemsView, _builtin_types(lambda: type({}.items())))
_register_all(ValuesView, _builtin_types(lambda: type({}.values())))
_register_all(Generator, _builtin_types(lambda: type(_gen())))
_register_all(Iterator, _builtin_types(
    lambda: type(iter([])), lambda: type(iter(())), lambda: type(iter('')),
    lambda: type(iter(range(0))), lambda: type(iter(set())),
    lambda: type(iter({})), lambda: type(iter({}.values())),
    lambda: type(iter({}.items())), lambda: type(reversed([])),
    lambda: type(zip()), lambda: type(map(len, ())),
    lambda: type(filter(None, ())), lambda: type(enumerate(())),
    lambda: type(iter(bytes())), lambda: type(iter(bytearray()))))

try:
    import collections as _collections
    MutableSequence.register(_collections.deque)
    MutableMapping.register(_collections.OrderedDict)
    MutableMapping.register(_collections.defaultdict)
    MutableMapping.register(_collections.Counter)
    MutableMapping.register(_collections.ChainMap)
    MutableMapping.register(_collections.UserDict)
    MutableSequence.register(_collections.UserList)
except Exception:
    pass
