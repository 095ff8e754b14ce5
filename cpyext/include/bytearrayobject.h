/* bytearrayobject.h -- bytearray: a resizable buffer (ob_bytes, with the live
 * data starting at ob_start) and the bytearray API. */
#ifndef THICKET_BYTEARRAYOBJECT_H
#define THICKET_BYTEARRAYOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    Py_ssize_t ob_alloc;    /* bytes allocated at ob_bytes */
    char *ob_bytes;         /* the allocation */
    char *ob_start;         /* first live byte within ob_bytes */
    Py_ssize_t ob_exports;  /* open buffer views */
} PyByteArrayObject;

PyAPI_DATA(PyTypeObject) PyByteArray_Type;
PyAPI_DATA(PyTypeObject) PyByteArrayIter_Type;
PyAPI_DATA(char) _PyByteArray_empty_string[];

#define PyByteArray_Check(self) PyObject_TypeCheck((self), &PyByteArray_Type)
#define PyByteArray_CheckExact(self) Py_IS_TYPE((self), &PyByteArray_Type)

PyAPI_FUNC(PyObject *) PyByteArray_FromObject(PyObject *);
PyAPI_FUNC(PyObject *) PyByteArray_Concat(PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *, Py_ssize_t);
PyAPI_FUNC(Py_ssize_t) PyByteArray_Size(PyObject *);
PyAPI_FUNC(char *) PyByteArray_AsString(PyObject *);
PyAPI_FUNC(int) PyByteArray_Resize(PyObject *, Py_ssize_t);

static inline char *_Thicket_PyByteArray_AS_STRING(PyObject *op) {
    if (Py_SIZE(op)) {
        return ((PyByteArrayObject *)op)->ob_start;
    }
    return _PyByteArray_empty_string;
}
#define PyByteArray_AS_STRING(self) _Thicket_PyByteArray_AS_STRING(_PyObject_CAST(self))

static inline Py_ssize_t _Thicket_PyByteArray_GET_SIZE(PyObject *op) {
    return Py_SIZE(op);
}
#define PyByteArray_GET_SIZE(self) _Thicket_PyByteArray_GET_SIZE(_PyObject_CAST(self))

#endif /* THICKET_BYTEARRAYOBJECT_H */
