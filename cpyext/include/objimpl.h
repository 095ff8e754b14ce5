/* objimpl.h -- creating and destroying objects of C types: PyObject_New/NewVar,
 * the GC variants, PyObject_Init, GC tracking, Py_VISIT for tp_traverse, and
 * the trashcan that bounds recursion in nested deallocations. */
#ifndef THICKET_OBJIMPL_H
#define THICKET_OBJIMPL_H

PyAPI_FUNC(PyObject *) PyObject_Init(PyObject *, PyTypeObject *);
PyAPI_FUNC(PyVarObject *) PyObject_InitVar(PyVarObject *, PyTypeObject *, Py_ssize_t);
PyAPI_FUNC(PyObject *) _PyObject_New(PyTypeObject *);
PyAPI_FUNC(PyVarObject *) _PyObject_NewVar(PyTypeObject *, Py_ssize_t);

#define PyObject_New(type, typeobj) ((type *)_PyObject_New(typeobj))
#define PyObject_NewVar(type, typeobj, n) ((type *)_PyObject_NewVar((typeobj), (n)))
#define PyObject_NEW(type, typeobj) PyObject_New(type, typeobj)
#define PyObject_NEW_VAR(type, typeobj, n) PyObject_NewVar(type, typeobj, n)
#define PyObject_INIT(op, typeobj) PyObject_Init(_PyObject_CAST(op), (typeobj))
#define PyObject_INIT_VAR(op, typeobj, size) \
    PyObject_InitVar(_PyVarObject_CAST(op), (typeobj), (size))

/* Size of an instance of a variable-size type with n items. */
static inline size_t _PyObject_SIZE(PyTypeObject *type) {
    return (size_t)type->tp_basicsize;
}
static inline size_t _PyObject_VAR_SIZE(PyTypeObject *type, Py_ssize_t nitems) {
    size_t size = (size_t)type->tp_basicsize + (size_t)nitems * (size_t)type->tp_itemsize;
    return _Py_SIZE_ROUND_UP(size, SIZEOF_VOID_P);
}

/* ---- garbage collector interface ---------------------------------------------- */
PyAPI_FUNC(Py_ssize_t) PyGC_Collect(void);
PyAPI_FUNC(int) PyGC_Enable(void);
PyAPI_FUNC(int) PyGC_Disable(void);
PyAPI_FUNC(int) PyGC_IsEnabled(void);

PyAPI_FUNC(PyObject *) _PyObject_GC_New(PyTypeObject *);
PyAPI_FUNC(PyVarObject *) _PyObject_GC_NewVar(PyTypeObject *, Py_ssize_t);
PyAPI_FUNC(PyVarObject *) _PyObject_GC_Resize(PyVarObject *, Py_ssize_t);
PyAPI_FUNC(void) PyObject_GC_Track(void *);
PyAPI_FUNC(void) PyObject_GC_UnTrack(void *);
PyAPI_FUNC(void) PyObject_GC_Del(void *);
PyAPI_FUNC(int) PyObject_GC_IsTracked(PyObject *);
PyAPI_FUNC(int) PyObject_GC_IsFinalized(PyObject *);
PyAPI_FUNC(int) PyObject_IS_GC(PyObject *);

#define PyObject_GC_New(type, typeobj) ((type *)_PyObject_GC_New(typeobj))
#define PyObject_GC_NewVar(type, typeobj, n) ((type *)_PyObject_GC_NewVar((typeobj), (n)))
#define PyObject_GC_Resize(type, op, n) ((type *)_PyObject_GC_Resize(_PyVarObject_CAST(op), (n)))

#define PyType_IS_GC(t) PyType_HasFeature((t), Py_TPFLAGS_HAVE_GC)

/* In a tp_traverse: visit one member, returning early if the visitor says so.
 * Needs the arguments to be named `visit` and `arg`. */
#define Py_VISIT(op)                                                    \
    do {                                                                \
        if (op) {                                                       \
            int _thicket_vret = visit(_PyObject_CAST(op), arg);         \
            if (_thicket_vret) {                                        \
                return _thicket_vret;                                   \
            }                                                           \
        }                                                               \
    } while (0)

/* ---- the trashcan ------------------------------------------------------------------ */
PyAPI_FUNC(int) _PyTrash_begin(PyThreadState *tstate, PyObject *op);
PyAPI_FUNC(void) _PyTrash_end(PyThreadState *tstate);
PyAPI_FUNC(int) _PyTrash_cond(PyObject *op, destructor dealloc);

/* Wrap the body of a deallocator: when deallocations nest too deeply the
 * object is queued and freed later instead. */
#define Py_TRASHCAN_BEGIN_CONDITION(op, cond)                           \
    do {                                                                \
        PyThreadState *_thicket_tstate = _Py_NULL;                      \
        if (cond) {                                                     \
            _thicket_tstate = PyThreadState_Get();                      \
            if (_PyTrash_begin(_thicket_tstate, _PyObject_CAST(op))) {  \
                break;                                                  \
            }                                                           \
        }
#define Py_TRASHCAN_END                                                 \
        if (_thicket_tstate) {                                          \
            _PyTrash_end(_thicket_tstate);                              \
        }                                                               \
    } while (0);
#define Py_TRASHCAN_BEGIN(op, dealloc)                                  \
    Py_TRASHCAN_BEGIN_CONDITION((op),                                   \
        _PyTrash_cond(_PyObject_CAST(op), (destructor)(dealloc)))

#define Py_TRASHCAN_SAFE_BEGIN(op) Py_TRASHCAN_BEGIN_CONDITION((op), 1)
#define Py_TRASHCAN_SAFE_END(op) Py_TRASHCAN_END

#endif /* THICKET_OBJIMPL_H */
