/* refcount.h -- reference counting as compiled into extensions: plain arithmetic
 * on ob_refcnt; when Py_DECREF drops the count to zero it calls _Py_Dealloc.
 * Also the "steal and replace" helpers (Py_CLEAR, Py_SETREF, ...). */
#ifndef THICKET_REFCOUNT_H
#define THICKET_REFCOUNT_H

PyAPI_FUNC(void) _Py_Dealloc(PyObject *);

/* Out-of-line versions, for callers that cannot use the macros. */
PyAPI_FUNC(void) Py_IncRef(PyObject *);
PyAPI_FUNC(void) Py_DecRef(PyObject *);
PyAPI_FUNC(void) _Py_IncRef(PyObject *);
PyAPI_FUNC(void) _Py_DecRef(PyObject *);

static inline Py_ALWAYS_INLINE void _Thicket_INCREF(PyObject *op) {
    op->ob_refcnt++;
}
#define Py_INCREF(op) _Thicket_INCREF(_PyObject_CAST(op))

static inline Py_ALWAYS_INLINE void _Thicket_DECREF(PyObject *op) {
    if (--op->ob_refcnt == 0) {
        _Py_Dealloc(op);
    }
}
#define Py_DECREF(op) _Thicket_DECREF(_PyObject_CAST(op))

static inline void _Thicket_XINCREF(PyObject *op) {
    if (op != _Py_NULL) {
        Py_INCREF(op);
    }
}
#define Py_XINCREF(op) _Thicket_XINCREF(_PyObject_CAST(op))

static inline void _Thicket_XDECREF(PyObject *op) {
    if (op != _Py_NULL) {
        Py_DECREF(op);
    }
}
#define Py_XDECREF(op) _Thicket_XDECREF(_PyObject_CAST(op))

/* Set the variable to NULL first, then drop the reference it held: the
 * deallocator may run arbitrary code that looks at the variable. */
#define Py_CLEAR(op)                                       \
    do {                                                   \
        PyObject *_thicket_tmp = _PyObject_CAST(op);       \
        if (_thicket_tmp != _Py_NULL) {                    \
            (op) = _Py_NULL;                               \
            Py_DECREF(_thicket_tmp);                       \
        }                                                  \
    } while (0)

/* Store a new value into a variable, then release the old one. */
#define Py_SETREF(op, op2)                                 \
    do {                                                   \
        PyObject *_thicket_tmp = _PyObject_CAST(op);       \
        (op) = (op2);                                      \
        Py_DECREF(_thicket_tmp);                           \
    } while (0)

#define Py_XSETREF(op, op2)                                \
    do {                                                   \
        PyObject *_thicket_tmp = _PyObject_CAST(op);       \
        (op) = (op2);                                      \
        Py_XDECREF(_thicket_tmp);                          \
    } while (0)

/* New references as expressions. */
PyAPI_FUNC(PyObject *) Py_NewRef(PyObject *obj);
PyAPI_FUNC(PyObject *) Py_XNewRef(PyObject *obj);

static inline PyObject *_Py_NewRef(PyObject *obj) {
    Py_INCREF(obj);
    return obj;
}
static inline PyObject *_Py_XNewRef(PyObject *obj) {
    Py_XINCREF(obj);
    return obj;
}
#define Py_NewRef(obj) _Py_NewRef(_PyObject_CAST(obj))
#define Py_XNewRef(obj) _Py_XNewRef(_PyObject_CAST(obj))

#endif /* THICKET_REFCOUNT_H */
