/* sliceobject.h -- slice objects and the index-normalising helpers used by
 * sequence types (PySlice_Unpack + PySlice_AdjustIndices). */
#ifndef THICKET_SLICEOBJECT_H
#define THICKET_SLICEOBJECT_H

typedef struct {
    PyObject_HEAD
    PyObject *start, *stop, *step;   /* never NULL; None when omitted */
} PySliceObject;

PyAPI_DATA(PyTypeObject) PySlice_Type;
PyAPI_DATA(PyTypeObject) PyEllipsis_Type;

#define PySlice_Check(op) Py_IS_TYPE((op), &PySlice_Type)

PyAPI_FUNC(PyObject *) PySlice_New(PyObject *start, PyObject *stop, PyObject *step);
PyAPI_FUNC(int) PySlice_GetIndices(PyObject *r, Py_ssize_t length, Py_ssize_t *start,
                                   Py_ssize_t *stop, Py_ssize_t *step);
PyAPI_FUNC(int) PySlice_GetIndicesEx(PyObject *r, Py_ssize_t length, Py_ssize_t *start,
                                     Py_ssize_t *stop, Py_ssize_t *step,
                                     Py_ssize_t *slicelength);
PyAPI_FUNC(int) PySlice_Unpack(PyObject *slice, Py_ssize_t *start, Py_ssize_t *stop,
                               Py_ssize_t *step);
PyAPI_FUNC(Py_ssize_t) PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start,
                                             Py_ssize_t *stop, Py_ssize_t step);
PyAPI_FUNC(PyObject *) _PySlice_FromIndices(Py_ssize_t start, Py_ssize_t stop);

#define PySlice_GetIndicesEx(slice, length, start, stop, step, slicelen)       \
    (PySlice_Unpack((slice), (start), (stop), (step)) < 0 ? ((*(slicelen) = 0), -1) : \
     ((*(slicelen) = PySlice_AdjustIndices((length), (start), (stop), *(step))), 0))

#endif /* THICKET_SLICEOBJECT_H */
