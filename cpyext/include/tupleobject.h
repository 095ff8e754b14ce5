/* tupleobject.h -- tuples: a variable-size object whose items are stored inline
 * in ob_item, the direct-access macros, and the tuple API. */
#ifndef THICKET_TUPLEOBJECT_H
#define THICKET_TUPLEOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    PyObject *ob_item[1];   /* ob_size items; NULL only while being built */
} PyTupleObject;

PyAPI_DATA(PyTypeObject) PyTuple_Type;
PyAPI_DATA(PyTypeObject) PyTupleIter_Type;

#define PyTuple_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TUPLE_SUBCLASS)
#define PyTuple_CheckExact(op) Py_IS_TYPE((op), &PyTuple_Type)

PyAPI_FUNC(PyObject *) PyTuple_New(Py_ssize_t size);
PyAPI_FUNC(Py_ssize_t) PyTuple_Size(PyObject *);
PyAPI_FUNC(PyObject *) PyTuple_GetItem(PyObject *, Py_ssize_t);
PyAPI_FUNC(int) PyTuple_SetItem(PyObject *, Py_ssize_t, PyObject *);
PyAPI_FUNC(PyObject *) PyTuple_GetSlice(PyObject *, Py_ssize_t, Py_ssize_t);
PyAPI_FUNC(PyObject *) PyTuple_Pack(Py_ssize_t, ...);
PyAPI_FUNC(int) _PyTuple_Resize(PyObject **, Py_ssize_t);
PyAPI_FUNC(void) _PyTuple_MaybeUntrack(PyObject *);

#define _PyTuple_CAST(op) ((PyTupleObject *)(op))

/* Unchecked access; GET_ITEM is an lvalue, SET_ITEM steals the reference and
 * does not release the previous item. */
#define PyTuple_GET_ITEM(op, i) (_PyTuple_CAST(op)->ob_item[i])

static inline Py_ssize_t _Thicket_PyTuple_GET_SIZE(PyObject *op) {
    return Py_SIZE(op);
}
#define PyTuple_GET_SIZE(op) _Thicket_PyTuple_GET_SIZE(_PyObject_CAST(op))

static inline void _Thicket_PyTuple_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value) {
    _PyTuple_CAST(op)->ob_item[index] = value;
}
#define PyTuple_SET_ITEM(op, index, value) \
    _Thicket_PyTuple_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

#endif /* THICKET_TUPLEOBJECT_H */
