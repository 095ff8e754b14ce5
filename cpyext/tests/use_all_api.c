/* use_all_api.c -- uses every macro and static inline function of the cpyext
 * headers once, the way extension code does.  tests/headers_compile.rs compiles
 * it with -Wall -Wextra -Werror as C99, C11 and C++11: the headers must be
 * warning-free in all three.  Nothing here is run. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <datetime.h>

typedef struct {
    PyObject_HEAD
    PyObject *dict;
    PyObject *weakrefs;
    long number;
} Thing;

typedef struct {
    PyObject_VAR_HEAD
    PyObject *items[1];
} VarThing;

PyDoc_STRVAR(thing_doc, "A thing.");

static int thing_traverse(PyObject *self, visitproc visit, void *arg) {
    Thing *t = (Thing *)self;
    Py_VISIT(t->dict);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int thing_clear(PyObject *self) {
    Thing *t = (Thing *)self;
    Py_CLEAR(t->dict);
    return 0;
}

static void thing_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, thing_dealloc)
    if (((Thing *)self)->weakrefs != NULL) {
        PyObject_ClearWeakRefs(self);
    }
    (void)thing_clear(self);
    tp->tp_free(self);
    Py_TRASHCAN_END
}

static PyObject *thing_noargs(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    (void)self;
    Py_RETURN_NONE;
}

static PyObject *thing_fast(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                            PyObject *kwnames) {
    (void)self; (void)args; (void)kwnames;
    if (nargs > 1) {
        Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

static PyObject *thing_richcompare(PyObject *a, PyObject *b, int op) {
    long x, y;
    if (!PyObject_TypeCheck(b, Py_TYPE(a))) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    x = ((Thing *)a)->number;
    y = ((Thing *)b)->number;
    Py_RETURN_RICHCOMPARE(x, y, op);
}

static PyMethodDef thing_methods[] = {
    {"noargs", thing_noargs, METH_NOARGS, PyDoc_STR("no arguments")},
    {"fast", _PyCFunction_CAST(thing_fast), METH_FASTCALL | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef thing_members[] = {
    {"number", T_LONG, offsetof(Thing, number), READONLY, NULL},
    {"dict", T_OBJECT_EX, offsetof(Thing, dict), 0, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyObject *thing_get(PyObject *self, void *closure) {
    (void)closure;
    return PyLong_FromLong(((Thing *)self)->number);
}

static PyGetSetDef thing_getset[] = {
    {"value", thing_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

/* A static type with positional initialisers, as old extensions write it. */
static PyTypeObject Thing_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "use_all_api.Thing",                      /* tp_name */
    sizeof(Thing),                            /* tp_basicsize */
    0,                                        /* tp_itemsize */
    thing_dealloc,                            /* tp_dealloc */
    0,                                        /* tp_vectorcall_offset */
    0,                                        /* tp_getattr */
    0,                                        /* tp_setattr */
    0,                                        /* tp_as_async */
    0,                                        /* tp_repr */
    0,                                        /* tp_as_number */
    0,                                        /* tp_as_sequence */
    0,                                        /* tp_as_mapping */
    0,                                        /* tp_hash */
    0,                                        /* tp_call */
    0,                                        /* tp_str */
    PyObject_GenericGetAttr,                  /* tp_getattro */
    0,                                        /* tp_setattro */
    0,                                        /* tp_as_buffer */
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, /* tp_flags */
    thing_doc,                                /* tp_doc */
    thing_traverse,                           /* tp_traverse */
    thing_clear,                              /* tp_clear */
    thing_richcompare,                        /* tp_richcompare */
    offsetof(Thing, weakrefs),                /* tp_weaklistoffset */
    0,                                        /* tp_iter */
    0,                                        /* tp_iternext */
    thing_methods,                            /* tp_methods */
    thing_members,                            /* tp_members */
    thing_getset,                             /* tp_getset */
    0,                                        /* tp_base */
    0,                                        /* tp_dict */
    0,                                        /* tp_descr_get */
    0,                                        /* tp_descr_set */
    offsetof(Thing, dict),                    /* tp_dictoffset */
    0,                                        /* tp_init */
    PyType_GenericAlloc,                      /* tp_alloc */
    PyType_GenericNew,                        /* tp_new */
    PyObject_GC_Del,                          /* tp_free */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0              /* tp_is_gc .. tp_vectorcall */
};

static PyType_Slot spec_slots[] = {
    {Py_tp_doc, (void *)"spec type"},
    {Py_tp_dealloc, (void *)thing_dealloc},
    {Py_tp_traverse, (void *)thing_traverse},
    {Py_nb_add, NULL},
    {Py_sq_length, NULL},
    {Py_mp_subscript, NULL},
    {Py_bf_getbuffer, NULL},
    {0, NULL}
};

PyType_Spec use_all_spec = {
    "use_all_api.Spec", (int)sizeof(Thing), 0,
    (unsigned int)(Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE), spec_slots
};

static int module_exec(PyObject *m) {
    if (PyType_Ready(&Thing_Type) < 0) {
        return -1;
    }
    if (PyModule_AddIntMacro(m, METH_O) < 0) {
        return -1;
    }
#define USE_ALL_VERSION "1.0"
    if (PyModule_AddStringMacro(m, USE_ALL_VERSION) < 0) {
        return -1;
    }
    return PyModule_AddType(m, &Thing_Type);
}

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, (void *)module_exec},
    {0, NULL}
};

static struct PyModuleDef multi_phase_def = {
    PyModuleDef_HEAD_INIT, "use_all_api", "doc", 0, NULL, module_slots, NULL, NULL, NULL
};

static struct PyModuleDef single_phase_def = {
    PyModuleDef_HEAD_INIT, "use_all_api_single", NULL, -1, thing_methods, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit_use_all_api(void) {
    return PyModuleDef_Init(&multi_phase_def);
}

PyMODINIT_FUNC PyInit_use_all_api_single(void) {
    return PyModule_Create(&single_phase_def);
}

/* ---- object header, refcounts, type checks ------------------------------------------ */
long use_object(PyObject *o, PyObject *p) {
    long n = 0;
    PyObject *tmp = Py_NewRef(o);
    PyObject *tmp2 = Py_XNewRef(p);
    Py_INCREF(o);
    Py_DECREF(o);
    Py_XINCREF(p);
    Py_XDECREF(p);
    Py_SETREF(tmp, Py_NewRef(p));
    Py_XSETREF(tmp2, NULL);
    Py_DECREF(tmp);
    n += (long)Py_REFCNT(o) + (long)Py_SIZE(o);
    Py_SET_REFCNT(o, Py_REFCNT(o));
    Py_SET_TYPE(o, Py_TYPE(o));
    Py_SET_SIZE(o, Py_SIZE(o));
    n += Py_IS_TYPE(o, &PyLong_Type) + Py_Is(o, p) + Py_IsNone(o) + Py_IsTrue(o) + Py_IsFalse(o);
    n += PyType_HasFeature(Py_TYPE(o), Py_TPFLAGS_HEAPTYPE);
    n += PyType_FastSubclass(Py_TYPE(o), Py_TPFLAGS_LONG_SUBCLASS);
    n += PyType_Check(o) + PyType_CheckExact(o) + PyObject_TypeCheck(o, &PyFloat_Type);
    n += PyLong_Check(o) + PyLong_CheckExact(o) + PyBool_Check(o);
    n += PyFloat_Check(o) + PyFloat_CheckExact(o) + PyComplex_Check(o) + PyComplex_CheckExact(o);
    n += PyTuple_Check(o) + PyTuple_CheckExact(o) + PyList_Check(o) + PyList_CheckExact(o);
    n += PyDict_Check(o) + PyDict_CheckExact(o) + PySet_Check(o) + PySet_CheckExact(o);
    n += PyFrozenSet_Check(o) + PyFrozenSet_CheckExact(o) + PyAnySet_Check(o) + PyAnySet_CheckExact(o);
    n += PyBytes_Check(o) + PyBytes_CheckExact(o) + PyByteArray_Check(o) + PyByteArray_CheckExact(o);
    n += PyUnicode_Check(o) + PyUnicode_CheckExact(o) + PySlice_Check(o) + PyCFunction_Check(o);
    n += PyModule_Check(o) + PyModule_CheckExact(o) + PyCapsule_CheckExact(o) + PyMemoryView_Check(o);
    n += PyWeakref_Check(o) + PyWeakref_CheckRef(o) + PyWeakref_CheckProxy(o);
    n += PyExceptionClass_Check(o) + PyExceptionInstance_Check(o) + PyFunction_Check(o) + PyMethod_Check(o);
    n += PyDictKeys_Check(o) + PyDictValues_Check(o) + PyDictItems_Check(o) + PyGen_Check(o);
    n += PyType_IS_GC(Py_TYPE(o)) + PyRange_Check(o) + PySeqIter_Check(o) + PyCallIter_Check(o);
    if (PyExceptionInstance_Check(o)) {
        n += PyExceptionInstance_Class(o) == NULL;
    }
    return n;
}

PyObject *use_singletons(int which) {
    switch (which) {
    case 0: Py_RETURN_NONE;
    case 1: Py_RETURN_TRUE;
    case 2: Py_RETURN_FALSE;
    case 3: Py_RETURN_NOTIMPLEMENTED;
    case 4: return Py_NewRef(Py_Ellipsis);
    case 5: Py_RETURN_NAN;
    case 6: Py_RETURN_INF(1.0);
    default: return Py_BuildValue("(OOO)", Py_None, Py_True, Py_False);
    }
}

/* ---- containers ------------------------------------------------------------------------ */
Py_ssize_t use_containers(PyObject *tuple, PyObject *list, PyObject *dict, PyObject *set,
                          PyObject *bytes, PyObject *bytearray, PyObject *flt) {
    Py_ssize_t n = 0;
    PyObject *fast;
    PyObject *item = PyTuple_GET_ITEM(tuple, 0);
    PyTuple_SET_ITEM(tuple, 0, item);
    n += PyTuple_GET_SIZE(tuple);
    item = PyList_GET_ITEM(list, 0);
    PyList_SET_ITEM(list, 0, item);
    n += PyList_GET_SIZE(list);
    n += PyDict_GET_SIZE(dict) + PySet_GET_SIZE(set);
    n += PyBytes_GET_SIZE(bytes) + (Py_ssize_t)PyBytes_AS_STRING(bytes)[0];
    n += PyByteArray_GET_SIZE(bytearray) + (Py_ssize_t)PyByteArray_AS_STRING(bytearray)[0];
    n += (Py_ssize_t)PyFloat_AS_DOUBLE(flt);
    fast = PySequence_Fast(list, "need a sequence");
    if (fast != NULL) {
        n += PySequence_Fast_GET_SIZE(fast);
        n += PySequence_Fast_GET_ITEM(fast, 0) != NULL;
        n += PySequence_Fast_ITEMS(fast) != NULL;
        Py_DECREF(fast);
    }
    item = PySequence_ITEM(list, 0);
    Py_XDECREF(item);
    n += (Py_ssize_t)Py_ARRAY_LENGTH(thing_methods);
    return n;
}

/* ---- strings (PEP 393) -------------------------------------------------------------------- */
Py_UCS4 use_unicode(PyObject *s, PyObject *out) {
    Py_UCS4 acc = 0;
    int kind;
    void *data;
    Py_ssize_t i, len;
    if (PyUnicode_READY(s) < 0) {
        return 0;
    }
    kind = PyUnicode_KIND(s);
    data = PyUnicode_DATA(s);
    len = PyUnicode_GET_LENGTH(s);
    acc += PyUnicode_IS_READY(s) + PyUnicode_IS_ASCII(s) + PyUnicode_IS_COMPACT(s);
    acc += (Py_UCS4)PyUnicode_IS_COMPACT_ASCII(s) + PyUnicode_MAX_CHAR_VALUE(s);
    acc += (Py_UCS4)PyUnicode_CHECK_INTERNED(s);
    for (i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        acc += ch + PyUnicode_READ_CHAR(s, i);
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), i, ch);
        acc += (Py_UCS4)(Py_UNICODE_ISSPACE(ch) + Py_UNICODE_ISALNUM(ch) + Py_UNICODE_ISDIGIT(ch));
        acc += Py_UNICODE_TOLOWER(ch) + (Py_UCS4)Py_UNICODE_IS_SURROGATE(ch);
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        acc += PyUnicode_1BYTE_DATA(s)[0];
    } else if (kind == PyUnicode_2BYTE_KIND) {
        acc += PyUnicode_2BYTE_DATA(s)[0];
    } else if (kind == PyUnicode_4BYTE_KIND) {
        acc += PyUnicode_4BYTE_DATA(s)[0];
    }
    acc += (Py_UCS4)Py_TOLOWER('A') + (Py_UCS4)Py_TOUPPER('a') + (Py_UCS4)Py_ISSPACE(' ');
    acc += (Py_UCS4)Py_CHARMASK(-1);
    return acc;
}

PyObject *use_writer(PyObject *s) {
    _PyUnicodeWriter writer;
    _PyUnicodeWriter_Init(&writer);
    writer.overallocate = 1;
    if (_PyUnicodeWriter_Prepare(&writer, 4, 127) < 0 ||
        _PyUnicodeWriter_PrepareKind(&writer, PyUnicode_1BYTE_KIND) < 0 ||
        _PyUnicodeWriter_WriteStr(&writer, s) < 0 ||
        _PyUnicodeWriter_WriteChar(&writer, 'x') < 0 ||
        _PyUnicodeWriter_WriteASCIIString(&writer, "abc", 3) < 0) {
        _PyUnicodeWriter_Dealloc(&writer);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&writer);
}

/* ---- calls, arguments, errors, threads ------------------------------------------------------- */
PyObject *use_calls(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {(char *)"a", (char *)"b", NULL};
    static _Py_Identifier PyId_upper = _Py_static_string_init("upper");
    PyObject *a = NULL, *b = NULL, *r;
    const char *s;
    Py_ssize_t len;
    PyObject *name = PyUnicode_FromString("upper");
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O", kwlist, &a, &b)) {
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "s#", &s, &len)) {
        return NULL;
    }
    r = PyObject_CallMethodNoArgs(a, name);
    Py_XDECREF(r);
    r = PyObject_CallMethodOneArg(a, name, b);
    Py_XDECREF(r);
    r = PyObject_CallFunction(a, "n", len);
    Py_XDECREF(r);
    r = PyObject_CallMethod(a, "upper", NULL);
    Py_XDECREF(r);
    r = _PyObject_GetAttrId(a, &PyId_upper);
    Py_XDECREF(r);
    Py_XDECREF(name);
    if (PyVectorcall_NARGS(2 | PY_VECTORCALL_ARGUMENTS_OFFSET) != 2) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (a == NULL) {
        Py_FatalError("impossible");
    }
    return PyErr_Format(PyExc_ValueError, "%zd", Py_MIN(len, Py_MAX(len, Py_ABS(len))));
}

long use_threads(PyObject *o) {
    long r;
    PyGILState_STATE st = PyGILState_Ensure();
    Py_BEGIN_ALLOW_THREADS
    r = 1;
    Py_BLOCK_THREADS
    r += PyObject_IsTrue(o);
    Py_UNBLOCK_THREADS
    Py_END_ALLOW_THREADS
    PyGILState_Release(st);
    (void)PyThreadState_GET();
    return r;
}

/* ---- allocation ------------------------------------------------------------------------- */
PyObject *use_alloc(void) {
    Thing *t = PyObject_New(Thing, &Thing_Type);
    Thing *g = PyObject_GC_New(Thing, &Thing_Type);
    VarThing *v = PyObject_NewVar(VarThing, &Thing_Type, 3);
    VarThing *gv = PyObject_GC_NewVar(VarThing, &Thing_Type, 3);
    long *mem = PyMem_New(long, 10);
    size_t sz = _PyObject_SIZE(&Thing_Type) + _PyObject_VAR_SIZE(&Thing_Type, 2);
    (void)sz;
    PyMem_Resize(mem, long, 20);
    PyMem_Free(mem);
    PyObject_Del(v);
    PyObject_GC_Del(gv);
    if (g != NULL) {
        PyObject_GC_Track(g);
    }
    PyObject_Init((PyObject *)t, &Thing_Type);
    return (PyObject *)t;
}

/* ---- slices, buffers, datetime, misc -------------------------------------------------------- */
Py_ssize_t use_misc(PyObject *slice, PyObject *dt, Py_buffer *view) {
    Py_ssize_t start, stop, step, slicelen, n = 0;
    Py_BUILD_ASSERT(sizeof(PyObject) == 16);
    if (PySlice_GetIndicesEx(slice, 10, &start, &stop, &step, &slicelen) < 0) {
        return -1;
    }
    if (PyObject_GetBuffer(dt, view, PyBUF_SIMPLE | PyBUF_WRITABLE) == 0) {
        PyBuffer_Release(view);
    }
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return -1;
    }
    if (PyDateTime_Check(dt) && PyDateTime_CheckExact(dt)) {
        n += PyDateTime_GET_YEAR(dt) + PyDateTime_GET_MONTH(dt) + PyDateTime_GET_DAY(dt);
        n += PyDateTime_DATE_GET_HOUR(dt) + PyDateTime_DATE_GET_MINUTE(dt);
        n += PyDateTime_DATE_GET_SECOND(dt) + PyDateTime_DATE_GET_MICROSECOND(dt);
        n += PyDateTime_DATE_GET_FOLD(dt) + (PyDateTime_DATE_GET_TZINFO(dt) == Py_None);
    }
    if (PyTime_Check(dt) || PyTime_CheckExact(dt)) {
        n += PyDateTime_TIME_GET_HOUR(dt) + PyDateTime_TIME_GET_MINUTE(dt);
        n += PyDateTime_TIME_GET_SECOND(dt) + PyDateTime_TIME_GET_MICROSECOND(dt);
        n += PyDateTime_TIME_GET_FOLD(dt) + (PyDateTime_TIME_GET_TZINFO(dt) == Py_None);
    }
    if (PyDelta_Check(dt) || PyDelta_CheckExact(dt)) {
        n += PyDateTime_DELTA_GET_DAYS(dt) + PyDateTime_DELTA_GET_SECONDS(dt);
        n += PyDateTime_DELTA_GET_MICROSECONDS(dt);
    }
    n += PyDate_Check(dt) + PyDate_CheckExact(dt) + PyTZInfo_Check(dt) + PyTZInfo_CheckExact(dt);
    {
        PyObject *objs[] = {
            PyDate_FromDate(2024, 1, 2),
            PyDateTime_FromDateAndTime(2024, 1, 2, 3, 4, 5, 6),
            PyDateTime_FromDateAndTimeAndFold(2024, 1, 2, 3, 4, 5, 6, 1),
            PyTime_FromTime(1, 2, 3, 4),
            PyTime_FromTimeAndFold(1, 2, 3, 4, 0),
            PyDelta_FromDSU(1, 2, 3),
            PyTimeZone_FromOffset(dt),
            PyTimeZone_FromOffsetAndName(dt, dt),
            PyDateTime_FromTimestamp(dt),
            PyDate_FromTimestamp(dt),
            Py_NewRef(PyDateTime_TimeZone_UTC),
        };
        size_t i;
        for (i = 0; i < Py_ARRAY_LENGTH(objs); i++) {
            Py_XDECREF(objs[i]);
        }
    }
    n += Py_IS_FINITE(1.0) + Py_IS_NAN(0.0) + Py_IS_INFINITY(0.0);
    n += (Py_ssize_t)PyLong_SHIFT + (Py_ssize_t)(PY_SSIZE_T_MAX > 0) + (PY_SSIZE_T_MIN < 0);
    n += PyCFunction_Check(dt) ? (PyCFunction_GET_FLAGS(dt) & METH_STATIC) : 0;
    n += PyWeakref_Check(dt) ? (PyWeakref_GET_OBJECT(dt) == Py_None) : 0;
    n += PyMemoryView_Check(dt) ? PyMemoryView_GET_BUFFER(dt)->len : 0;
    if (PyErr_Occurred()) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyErr_NormalizeException(&t, &v, &tb);
        PyErr_Restore(t, v, tb);
        PyErr_Warn(PyExc_RuntimeWarning, "misc");
    }
    return n;
}

#if PY_VERSION_HEX < 0x030B0000 || PY_MAJOR_VERSION != 3 || PYTHON_API_VERSION != 1013
#error "wrong version macros"
#endif
