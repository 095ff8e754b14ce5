/* methodobject.h -- functions implemented in C: the PyMethodDef table entry,
 * the METH_* calling conventions, and builtin-function objects. */
#ifndef THICKET_METHODOBJECT_H
#define THICKET_METHODOBJECT_H

typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);
typedef PyObject *(*_PyCFunctionFast)(PyObject *, PyObject *const *, Py_ssize_t);
typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*_PyCFunctionFastWithKeywords)(PyObject *, PyObject *const *,
                                                  Py_ssize_t, PyObject *);
typedef PyObject *(*PyCMethod)(PyObject *, PyTypeObject *, PyObject *const *,
                               size_t, PyObject *);

/* Store any of the function types above in ml_meth without a cast warning. */
#define _PyCFunction_CAST(func) \
    _Py_CAST(PyCFunction, _Py_CAST(void (*)(void), (func)))

struct PyMethodDef {
    const char *ml_name;
    PyCFunction ml_meth;
    int ml_flags;         /* METH_* */
    const char *ml_doc;
};

/* Calling conventions (exactly one of the first group, maybe with KEYWORDS). */
#define METH_VARARGS 0x0001
#define METH_KEYWORDS 0x0002
#define METH_NOARGS 0x0004
#define METH_O 0x0008
/* For methods of types only. */
#define METH_CLASS 0x0010
#define METH_STATIC 0x0020
#define METH_COEXIST 0x0040
#define METH_FASTCALL 0x0080
#define METH_STACKLESS 0x0000
#define METH_METHOD 0x0200

PyAPI_DATA(PyTypeObject) PyCFunction_Type;
PyAPI_DATA(PyTypeObject) PyCMethod_Type;

#define PyCFunction_CheckExact(op) Py_IS_TYPE((op), &PyCFunction_Type)
#define PyCFunction_Check(op) PyObject_TypeCheck((op), &PyCFunction_Type)
#define PyCMethod_CheckExact(op) Py_IS_TYPE((op), &PyCMethod_Type)
#define PyCMethod_Check(op) PyObject_TypeCheck((op), &PyCMethod_Type)

PyAPI_FUNC(PyCFunction) PyCFunction_GetFunction(PyObject *);
PyAPI_FUNC(PyObject *) PyCFunction_GetSelf(PyObject *);
PyAPI_FUNC(int) PyCFunction_GetFlags(PyObject *);
PyAPI_FUNC(PyObject *) PyCFunction_Call(PyObject *, PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyCFunction_NewEx(PyMethodDef *, PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyCMethod_New(PyMethodDef *, PyObject *, PyObject *, PyTypeObject *);
PyAPI_FUNC(PyObject *) PyCFunction_New(PyMethodDef *, PyObject *);
#define PyCFunction_New(ml, self) PyCFunction_NewEx((ml), (self), _Py_NULL)
#define PyCFunction_NewEx(ml, self, mod) PyCMethod_New((ml), (self), (mod), _Py_NULL)

/* The builtin-function object (as 3.11 lays it out). */
typedef struct {
    PyObject_HEAD
    PyMethodDef *m_ml;
    PyObject *m_self;
    PyObject *m_module;
    PyObject *m_weakreflist;
    vectorcallfunc vectorcall;
} PyCFunctionObject;

typedef struct {
    PyCFunctionObject func;
    PyTypeObject *mm_class;
} PyCMethodObject;

#define _PyCFunctionObject_CAST(func) ((PyCFunctionObject *)(func))
#define PyCFunction_GET_FUNCTION(func) (_PyCFunctionObject_CAST(func)->m_ml->ml_meth)
#define PyCFunction_GET_SELF(func)                                               \
    ((_PyCFunctionObject_CAST(func)->m_ml->ml_flags & METH_STATIC) ? _Py_NULL : \
     _PyCFunctionObject_CAST(func)->m_self)
#define PyCFunction_GET_FLAGS(func) (_PyCFunctionObject_CAST(func)->m_ml->ml_flags)
#define PyCFunction_GET_CLASS(func)                                              \
    ((_PyCFunctionObject_CAST(func)->m_ml->ml_flags & METH_METHOD) ?            \
     ((PyCMethodObject *)(func))->mm_class : _Py_NULL)

#endif /* THICKET_METHODOBJECT_H */
