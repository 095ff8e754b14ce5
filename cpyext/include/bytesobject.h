/* bytesobject.h -- bytes: a variable-size object with its cached hash and the
 * characters (plus a trailing NUL) inline in ob_sval, and the bytes API. */
#ifndef THICKET_BYTESOBJECT_H
#define THICKET_BYTESOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_shash;   /* -1 until computed */
    char ob_sval[1];      /* ob_size bytes, then a NUL */
} PyBytesObject;

PyAPI_DATA(PyTypeObject) PyBytes_Type;
PyAPI_DATA(PyTypeObject) PyBytesIter_Type;

#define PyBytes_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_BYTES_SUBCLASS)
#define PyBytes_CheckExact(op) Py_IS_TYPE((op), &PyBytes_Type)

PyAPI_FUNC(PyObject *) PyBytes_FromStringAndSize(const char *, Py_ssize_t);
PyAPI_FUNC(PyObject *) PyBytes_FromString(const char *);
PyAPI_FUNC(PyObject *) PyBytes_FromObject(PyObject *);
PyAPI_FUNC(PyObject *) PyBytes_FromFormatV(const char *, va_list);
PyAPI_FUNC(PyObject *) PyBytes_FromFormat(const char *, ...);
PyAPI_FUNC(Py_ssize_t) PyBytes_Size(PyObject *);
PyAPI_FUNC(char *) PyBytes_AsString(PyObject *);
PyAPI_FUNC(PyObject *) PyBytes_Repr(PyObject *, int);
PyAPI_FUNC(void) PyBytes_Concat(PyObject **, PyObject *);
PyAPI_FUNC(void) PyBytes_ConcatAndDel(PyObject **, PyObject *);
PyAPI_FUNC(PyObject *) PyBytes_DecodeEscape(const char *, Py_ssize_t, const char *,
                                            Py_ssize_t, const char *);
PyAPI_FUNC(int) PyBytes_AsStringAndSize(PyObject *obj, char **s, Py_ssize_t *len);
PyAPI_FUNC(int) _PyBytes_Resize(PyObject **, Py_ssize_t);
PyAPI_FUNC(PyObject *) _PyBytes_Join(PyObject *sep, PyObject *x);

#define _PyBytes_CAST(op) ((PyBytesObject *)(op))

static inline char *_Thicket_PyBytes_AS_STRING(PyObject *op) {
    return _PyBytes_CAST(op)->ob_sval;
}
#define PyBytes_AS_STRING(op) _Thicket_PyBytes_AS_STRING(_PyObject_CAST(op))

static inline Py_ssize_t _Thicket_PyBytes_GET_SIZE(PyObject *op) {
    return Py_SIZE(op);
}
#define PyBytes_GET_SIZE(op) _Thicket_PyBytes_GET_SIZE(_PyObject_CAST(op))

#endif /* THICKET_BYTESOBJECT_H */
