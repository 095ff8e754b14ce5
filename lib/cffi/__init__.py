"""CFFI's interface on Thicket: ``from cffi import FFI; ffi = FFI()``.

The C side is the built-in module ``_thicket_ffi``; this file gives it CFFI's names.
Supported: ``cdef`` (functions, structs, unions, typedefs, pointers, arrays, function
pointers), ``dlopen`` (ABI mode), ``new``, ``cast``, ``string``, ``buffer``,
``from_buffer``, ``sizeof``, ``alignof``, ``typeof``, ``addressof``, ``NULL``,
``errno``, ``new_handle``/``from_handle`` (checked: a stale or made-up handle raises
``RuntimeError``), and ``callback``.
"""

import _thicket_ffi as _f

__version__ = "1.17.0"
__version_info__ = (1, 17, 0)


class FFIError(Exception):
    pass


class CDefError(Exception):
    pass


class VerificationError(Exception):
    pass


class CType:
    def __repr__(self):
        return "<ctype '%s'>" % self.cname


class CData:
    def __repr__(self):
        return _f.repr(self)

    def __getattr__(self, name):
        return _f.getattr(self, name)

    def __setattr__(self, name, value):
        _f.setattr(self, name, value)

    def __getitem__(self, i):
        return _f.getitem(self, i)

    def __setitem__(self, i, value):
        _f.setitem(self, i, value)

    def __len__(self):
        return _f.len(self)

    def __int__(self):
        return _f.int(self)

    def __index__(self):
        return _f.int(self)

    def __float__(self):
        return _f.float(self)

    def __bool__(self):
        return _f.bool(self)

    def __call__(self, *args):
        return _f.call(self, *args)

    def __eq__(self, other):
        return _f.eq(self, other)

    def __ne__(self, other):
        return not _f.eq(self, other)

    def __hash__(self):
        return _f.hash(self)

    def __add__(self, n):
        return _f.add(self, n)

    def __sub__(self, other):
        return _f.sub(self, other)


_NULL = _f._init(CData, CType, CDefError)


class buffer:
    """``ffi.buffer(cdata, size)``: the raw bytes of C memory, readable and writable."""

    def __init__(self, cdata, size=-1):
        self._cd = cdata
        if size < 0:
            size = _f.buffer_len(cdata)
        self._n = size

    def __len__(self):
        return self._n

    def _range(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(self._n)
            if step != 1:
                raise ValueError("buffer slices must have step 1")
            return start, max(start, stop)
        if i < 0:
            i += self._n
        if i < 0 or i >= self._n:
            raise IndexError("buffer index out of range")
        return i, i + 1

    def __getitem__(self, i):
        start, stop = self._range(i)
        data = _f.buffer_read(self._cd, start, stop)
        if isinstance(i, slice):
            return data
        return data[0:1]

    def __setitem__(self, i, value):
        start, stop = self._range(i)
        if isinstance(value, int):
            value = bytes([value])
        if len(value) != stop - start:
            raise ValueError("buffer slice assignment must not change the size")
        _f.buffer_write(self._cd, start, value)

    def __bytes__(self):
        return _f.buffer_read(self._cd, 0, self._n)

    def tobytes(self):
        return _f.buffer_read(self._cd, 0, self._n)

    def __repr__(self):
        return "<_cffi_backend.buffer object at 0x%x>" % id(self)


class Lib:
    """A library opened by ``ffi.dlopen``: its functions are attributes."""

    def __init__(self, index, name):
        self.__dict__["_index"] = index
        self.__dict__["_name"] = name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        f = _f.dlsym(self._index, name)
        self.__dict__[name] = f
        return f

    def __repr__(self):
        return "<cffi.Lib object for '%s'>" % self._name


class FFI:
    CData = CData
    CType = CType
    error = FFIError
    buffer = buffer

    def __init__(self, backend=None):
        self.NULL = _NULL
        # The hot entry points go straight to the natives.
        self.new_handle = _f.new_handle
        self.from_handle = _f.from_handle
        self.cast = _f.cast
        self.string = _f.string
        self.sizeof = _f.sizeof
        self.alignof = _f.alignof
        self.typeof = _f.typeof
        self.addressof = _f.addressof

    def cdef(self, csource, override=False, packed=False, pack=None):
        _f.cdef(csource)

    def dlopen(self, name, flags=0):
        return Lib(_f.dlopen(name), name if name is not None else "<None>")

    def new(self, cdecl, init=None):
        return _f.new(cdecl, init)

    def from_buffer(self, cdecl, python_buffer=None, require_writable=False):
        if python_buffer is None:
            return _f.from_buffer(cdecl)
        return _f.from_buffer(cdecl, python_buffer)

    def callback(self, cdecl, python_callable=None, error=None, onerror=None):
        if python_callable is None:
            def decorate(f):
                return _f.callback(cdecl, f, error)
            return decorate
        return _f.callback(cdecl, python_callable, error)

    def getctype(self, cdecl, replace_with=""):
        name = cdecl if isinstance(cdecl, str) else _f.typeof(cdecl).cname
        if replace_with:
            return name + " " + replace_with
        return name

    @property
    def errno(self):
        return _f.get_errno()

    @errno.setter
    def errno(self, value):
        _f.set_errno(value)


def open_handles():
    """Thicket: the number of open object handles (for tests and leak hunting)."""
    return _f.open_handles()
