"""Names for built-in types and a few helpers: FunctionType, MethodType,
BuiltinFunctionType, ModuleType, GeneratorType, NoneType, SimpleNamespace,
GenericAlias.

Written for Thicket's Python-subset interpreter.  The type names are taken
from live objects, so they are exactly the interpreter's own types.
GenericAlias is a plain class here (CPython's is written in C): it records
the origin and the arguments of ``C[args]``, prints like CPython's, and
calling it creates an instance of the origin.
"""

import sys as _sys

__all__ = ['FunctionType', 'LambdaType', 'MethodType', 'BuiltinFunctionType',
           'BuiltinMethodType', 'ModuleType', 'GeneratorType', 'NoneType',
           'NotImplementedType', 'EllipsisType', 'SimpleNamespace',
           'GenericAlias']


def _f():
    pass


class _C:
    def _m(self):
        pass


def _g():
    yield 1


FunctionType = type(_f)
LambdaType = type(lambda: None)
MethodType = type(_C()._m)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
ModuleType = type(_sys)
GeneratorType = type(_g())
NoneType = type(None)
NotImplementedType = type(NotImplemented)
EllipsisType = type(Ellipsis)

del _f, _C, _g


class SimpleNamespace:
    """A simple attribute-based namespace.

    SimpleNamespace(**kwargs)"""

    def __init__(self, /, **kwargs):
        for name, value in kwargs.items():
            setattr(self, name, value)

    def __repr__(self):
        items = [f"{k}={v!r}" for k, v in self.__dict__.items()]
        return f"namespace({', '.join(items)})"

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented


def _alias_item_repr(item):
    if item is Ellipsis:
        return '...'
    if hasattr(item, '__origin__') and hasattr(item, '__args__'):
        return repr(item)
    qualname = getattr(item, '__qualname__', None)
    module = getattr(item, '__module__', None)
    if qualname is None or module is None:
        return repr(item)
    if module == 'builtins':
        return qualname
    return f"{module}.{qualname}"


class GenericAlias:
    """Represent a PEP 585 generic type

    E.g. for t = list[int], t.__origin__ is list and t.__args__ is (int,)."""

    def __init__(self, origin, args):
        if not isinstance(args, tuple):
            args = (args,)
        self.__origin__ = origin
        self.__args__ = args
        self.__parameters__ = tuple(a for a in args
                                    if hasattr(a, '__typing_subst__'))

    def __repr__(self):
        if len(self.__args__) == 0:
            inner = '()'
        else:
            inner = ', '.join(_alias_item_repr(a) for a in self.__args__)
        return f"{_alias_item_repr(self.__origin__)}[{inner}]"

    def __call__(self, *args, **kwargs):
        result = self.__origin__(*args, **kwargs)
        try:
            result.__orig_class__ = self
        except Exception:
            pass
        return result

    def __mro_entries__(self, bases):
        return (self.__origin__,)

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return (self.__origin__ == other.__origin__
                and self.__args__ == other.__args__)

    def __hash__(self):
        return hash(self.__origin__) ^ hash(self.__args__)

    def __getattr__(self, name):
        # Like CPython's, an alias forwards attribute reads to its origin
        # (apart from dunder names, which are its own).
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        return getattr(self.__origin__, name)
