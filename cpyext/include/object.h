/* object.h -- the object header every Python object starts with (PyObject,
 * PyVarObject), the slot function-pointer types, the accessors Py_TYPE/Py_SIZE/...,
 * and the singletons None, NotImplemented and Ellipsis.  Layouts are CPython
 * 3.11's on x86-64: a PyObject is 16 bytes, ob_refcnt then ob_type. */
#ifndef THICKET_OBJECT_H
#define THICKET_OBJECT_H

/* ---- names of the main structs (tags match CPython's) ------------------- */
typedef struct _object PyObject;
typedef struct _typeobject PyTypeObject;
typedef struct _longobject PyLongObject;
typedef struct _frame PyFrameObject;
typedef struct PyCodeObject PyCodeObject;
typedef struct _ts PyThreadState;
typedef struct _is PyInterpreterState;
typedef struct PyModuleDef PyModuleDef;
typedef struct PyModuleDef_Slot PyModuleDef_Slot;
typedef struct PyMethodDef PyMethodDef;
typedef struct PyGetSetDef PyGetSetDef;
typedef struct PyMemberDef PyMemberDef;
typedef struct bufferinfo Py_buffer;

/* ---- the headers --------------------------------------------------------- */
struct _object {
    Py_ssize_t ob_refcnt;
    PyTypeObject *ob_type;
};

typedef struct {
    PyObject ob_base;
    Py_ssize_t ob_size;   /* number of items in the variable part */
} PyVarObject;

/* Nothing precedes the header in this build (no trace-refs links). */
#define _PyObject_HEAD_EXTRA
#define _PyObject_EXTRA_INIT

#define PyObject_HEAD PyObject ob_base;
#define PyObject_VAR_HEAD PyVarObject ob_base;

/* Static initialisers: a refcount of 1, then the type (note the trailing comma,
 * which lets the next field follow directly). */
#define PyObject_HEAD_INIT(type) { 1, type },
#define PyVarObject_HEAD_INIT(type, size) { PyObject_HEAD_INIT(type) size },

#define _PyObject_CAST(op) _Py_CAST(PyObject*, (op))
#define _PyVarObject_CAST(op) _Py_CAST(PyVarObject*, (op))

/* Identity comparison. */
PyAPI_FUNC(int) Py_Is(PyObject *x, PyObject *y);
#define Py_Is(x, y) ((x) == (y))

/* ---- accessors ----------------------------------------------------------- */
static inline Py_ssize_t _Thicket_REFCNT(PyObject *ob) { return ob->ob_refcnt; }
#define Py_REFCNT(ob) _Thicket_REFCNT(_PyObject_CAST(ob))

static inline PyTypeObject *_Thicket_TYPE(PyObject *ob) { return ob->ob_type; }
#define Py_TYPE(ob) _Thicket_TYPE(_PyObject_CAST(ob))

static inline Py_ssize_t _Thicket_SIZE(PyObject *ob) {
    return ((PyVarObject *)ob)->ob_size;
}
#define Py_SIZE(ob) _Thicket_SIZE(_PyObject_CAST(ob))

static inline int _Thicket_IS_TYPE(PyObject *ob, PyTypeObject *type) {
    return ob->ob_type == type;
}
#define Py_IS_TYPE(ob, type) _Thicket_IS_TYPE(_PyObject_CAST(ob), (type))

static inline void _Thicket_SET_REFCNT(PyObject *ob, Py_ssize_t refcnt) {
    ob->ob_refcnt = refcnt;
}
#define Py_SET_REFCNT(ob, refcnt) _Thicket_SET_REFCNT(_PyObject_CAST(ob), (refcnt))

static inline void _Thicket_SET_TYPE(PyObject *ob, PyTypeObject *type) {
    ob->ob_type = type;
}
#define Py_SET_TYPE(ob, type) _Thicket_SET_TYPE(_PyObject_CAST(ob), (type))

static inline void _Thicket_SET_SIZE(PyVarObject *ob, Py_ssize_t size) {
    ob->ob_size = size;
}
#define Py_SET_SIZE(ob, size) _Thicket_SET_SIZE(_PyVarObject_CAST(ob), (size))

/* ---- slot function types -------------------------------------------------- */
typedef PyObject *(*unaryfunc)(PyObject *);
typedef PyObject *(*binaryfunc)(PyObject *, PyObject *);
typedef PyObject *(*ternaryfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*inquiry)(PyObject *);
typedef Py_ssize_t (*lenfunc)(PyObject *);
typedef PyObject *(*ssizeargfunc)(PyObject *, Py_ssize_t);
typedef PyObject *(*ssizessizeargfunc)(PyObject *, Py_ssize_t, Py_ssize_t);
typedef int (*ssizeobjargproc)(PyObject *, Py_ssize_t, PyObject *);
typedef int (*ssizessizeobjargproc)(PyObject *, Py_ssize_t, Py_ssize_t, PyObject *);
typedef int (*objobjargproc)(PyObject *, PyObject *, PyObject *);
typedef int (*objobjproc)(PyObject *, PyObject *);
typedef int (*visitproc)(PyObject *, void *);
typedef int (*traverseproc)(PyObject *, visitproc, void *);
typedef void (*freefunc)(void *);
typedef void (*destructor)(PyObject *);
typedef PyObject *(*getattrfunc)(PyObject *, char *);
typedef PyObject *(*getattrofunc)(PyObject *, PyObject *);
typedef int (*setattrfunc)(PyObject *, char *, PyObject *);
typedef int (*setattrofunc)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*reprfunc)(PyObject *);
typedef Py_hash_t (*hashfunc)(PyObject *);
typedef PyObject *(*richcmpfunc)(PyObject *, PyObject *, int);
typedef PyObject *(*getiterfunc)(PyObject *);
typedef PyObject *(*iternextfunc)(PyObject *);
typedef PyObject *(*descrgetfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*descrsetfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*initproc)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*newfunc)(PyTypeObject *, PyObject *, PyObject *);
typedef PyObject *(*allocfunc)(PyTypeObject *, Py_ssize_t);
typedef PyObject *(*vectorcallfunc)(PyObject *callable, PyObject *const *args,
                                    size_t nargsf, PyObject *kwnames);
typedef int (*getbufferproc)(PyObject *, Py_buffer *, int);
typedef void (*releasebufferproc)(PyObject *, Py_buffer *);
typedef int (*printfunc)(PyObject *, FILE *, int); /* the unused tp_vectorcall_offset slot's old type */

typedef enum {
    PYGEN_RETURN = 0,
    PYGEN_ERROR = -1,
    PYGEN_NEXT = 1
} PySendResult;
typedef PySendResult (*sendfunc)(PyObject *iter, PyObject *value, PyObject **result);

/* ---- rich comparison operators -------------------------------------------- */
#define Py_LT 0
#define Py_LE 1
#define Py_EQ 2
#define Py_NE 3
#define Py_GT 4
#define Py_GE 5

/* ---- singletons ------------------------------------------------------------ */
PyAPI_DATA(PyObject) _Py_NoneStruct;
PyAPI_DATA(PyObject) _Py_NotImplementedStruct;
PyAPI_DATA(PyObject) _Py_EllipsisObject;

#define Py_None (&_Py_NoneStruct)
#define Py_NotImplemented (&_Py_NotImplementedStruct)
#define Py_Ellipsis (&_Py_EllipsisObject)

PyAPI_FUNC(int) Py_IsNone(PyObject *x);
#define Py_IsNone(x) Py_Is((x), Py_None)

/* Return a new reference to None / NotImplemented from the current function. */
#define Py_RETURN_NONE return Py_NewRef(Py_None)
#define Py_RETURN_NOTIMPLEMENTED return Py_NewRef(Py_NotImplemented)

/* Return the Python bool for `left OP right` on two C values. */
#define Py_RETURN_RICHCOMPARE(left, right, op)                              \
    do {                                                                    \
        int _thicket_cmp;                                                   \
        switch (op) {                                                       \
        case Py_LT: _thicket_cmp = (left) < (right); break;                 \
        case Py_LE: _thicket_cmp = (left) <= (right); break;                \
        case Py_EQ: _thicket_cmp = (left) == (right); break;                \
        case Py_NE: _thicket_cmp = (left) != (right); break;                \
        case Py_GT: _thicket_cmp = (left) > (right); break;                 \
        case Py_GE: _thicket_cmp = (left) >= (right); break;                \
        default: Py_UNREACHABLE();                                          \
        }                                                                   \
        if (_thicket_cmp) { Py_RETURN_TRUE; } else { Py_RETURN_FALSE; }     \
    } while (0)

/* Flag for PyObject_Print. */
#define Py_PRINT_RAW 1

#endif /* THICKET_OBJECT_H */
