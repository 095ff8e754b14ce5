/* censusprobe.c -- exercises the C-API functions of the census (normal and error
 * cases), for comparison between CPython 3.11 and Thicket (censusprobe_driver.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <wchar.h>

/* ---- a GC type whose instances form chains only C sees (trashcan, GC_New) ---- */
typedef struct {
    PyObject_HEAD
    PyObject *next;
    PyObject *weakreflist;
} NodeObject;

static long node_deallocs = 0;

static int node_traverse(NodeObject *self, visitproc visit, void *arg) {
    Py_VISIT(self->next);
    return 0;
}

static void node_dealloc(NodeObject *self) {
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, node_dealloc)
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    Py_CLEAR(self->next);
    node_deallocs++;
    PyObject_GC_Del(self);
    Py_TRASHCAN_END
}

static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "censusprobe.Node",
    .tp_basicsize = sizeof(NodeObject),
    .tp_dealloc = (destructor)node_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)node_traverse,
    .tp_weaklistoffset = offsetof(NodeObject, weakreflist),
};

static NodeObject *node_new(void) {
    NodeObject *n = PyObject_GC_New(NodeObject, &NodeType);
    if (n == NULL) return NULL;
    n->next = NULL;
    n->weakreflist = NULL;
    PyObject_GC_Track(n);
    return n;
}

/* chain(n): n nodes linked in C, released at once; returns (deallocs, tracked). */
static PyObject *chain(PyObject *self, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) return NULL;
    node_deallocs = 0;
    NodeObject *head = node_new();
    if (head == NULL) return NULL;
    int tracked = PyObject_GC_IsTracked((PyObject *)head);
    for (long i = 1; i < n; i++) {
        NodeObject *m = node_new();
        if (m == NULL) { Py_DECREF(head); return NULL; }
        m->next = (PyObject *)head;
        head = m;
    }
    Py_DECREF(head);
    return Py_BuildValue("li", node_deallocs, tracked);
}

static PyObject *gc_newvar_negative(PyObject *self, PyObject *unused) {
    PyVarObject *v = _PyObject_GC_NewVar(&NodeType, -1);
    if (v != NULL) return PyUnicode_FromString("unexpected object");
    return NULL;
}

/* ---- references, identity ---- */
static PyObject *refs(PyObject *self, PyObject *o) {
    Py_ssize_t before = Py_REFCNT(o);
    PyObject *a = (Py_NewRef)(o);
    PyObject *b = (Py_XNewRef)(o);
    Py_ssize_t delta = Py_REFCNT(o) - before;
    PyObject *n = (Py_XNewRef)(NULL);
    PyObject *it = PyObject_SelfIter(o);
    PyObject *r = Py_BuildValue("iniii", a == o && b == o, delta, n == NULL, it == o,
                                (Py_IsTrue)(o));
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(it);
    return r;
}

static PyObject *gc_is_tracked(PyObject *self, PyObject *o) {
    return PyLong_FromLong(PyObject_GC_IsTracked(o));
}

static PyObject *repr_guard(PyObject *self, PyObject *o) {
    int a = Py_ReprEnter(o);
    int b = Py_ReprEnter(o);
    Py_ReprLeave(o);
    int c = Py_ReprEnter(o);
    Py_ReprLeave(o);
    return Py_BuildValue("iii", a, b, c);
}

static PyObject *hash_pointer(PyObject *self, PyObject *unused) {
    return Py_BuildValue("nnn", _Py_HashPointer((void *)0x1230), _Py_HashPointer((void *)0x12345678),
                         _Py_HashPointer((void *)0));
}

static PyObject *generic_alias(PyObject *self, PyObject *args) {
    PyObject *origin, *params;
    if (!PyArg_ParseTuple(args, "OO", &origin, &params)) return NULL;
    return Py_GenericAlias(origin, params);
}

static PyObject *recursion(PyObject *self, PyObject *unused) {
    if (Py_EnterRecursiveCall(" in probe") != 0) return NULL;
    Py_LeaveRecursiveCall();
    long n = 0;
    while (n < 10000000 && Py_EnterRecursiveCall(" in census probe") == 0) n++;
    for (long i = 0; i < n; i++) Py_LeaveRecursiveCall();
    if (!PyErr_Occurred()) return PyUnicode_FromString("no error");
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    PyObject *r = Py_BuildValue("OO", t, v);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return r;
}

static PyObject *argv_info(PyObject *self, PyObject *unused) {
    int argc = 0;
    wchar_t **argv = NULL;
    Py_GetArgcArgv(&argc, &argv);
    return Py_BuildValue("ii", argc > 0, argc > 0 && argv != NULL && wcslen(argv[0]) > 0);
}

static PyObject *cfunc_get(PyObject *self, PyObject *o);

static PyObject *static_types(PyObject *self, PyObject *args) {
    PyObject *cm, *sm, *f, *m, *r;
    if (!PyArg_ParseTuple(args, "OOOOO", &cm, &sm, &f, &m, &r)) return NULL;
    return Py_BuildValue("iiiiiiOOOOO", Py_IS_TYPE(cm, &PyClassMethod_Type),
                         Py_IS_TYPE(sm, &PyStaticMethod_Type), PyFunction_Check(f),
                         PyMethod_Check(m), Py_IS_TYPE(r, &PyReversed_Type),
                         PyFunction_Check(m), (PyObject *)&PyClassMethod_Type,
                         (PyObject *)&PyStaticMethod_Type, (PyObject *)&PyFunction_Type,
                         (PyObject *)&PyMethod_Type, (PyObject *)&PyReversed_Type);
}

static PyObject *cfunc_get(PyObject *self, PyObject *o) {
    PyCFunction f = PyCFunction_GetFunction(o);
    if (f == NULL) return NULL;
    return PyBool_FromLong(f == (PyCFunction)cfunc_get);
}

/* ---- character tables ---- */
static PyObject *char_tables(PyObject *self, PyObject *unused) {
    PyObject *ws = PyList_New(0);
    for (Py_UCS4 c = 0; c < 0x110000; c++) {
        if (_PyUnicode_IsWhitespace(c) != (c < 128 ? Py_UNICODE_ISSPACE(c) : _PyUnicode_IsWhitespace(c)))
            return PyUnicode_FromString("table and function disagree");
        if (Py_UNICODE_ISSPACE(c)) {
            PyObject *x = PyLong_FromLong((long)c);
            PyList_Append(ws, x);
            Py_DECREF(x);
        }
    }
    char lower[256], upper[256], flags[256 * 7];
    for (int i = 0; i < 256; i++) {
        lower[i] = (char)Py_TOLOWER(i);
        upper[i] = (char)Py_TOUPPER(i);
        flags[i * 7 + 0] = Py_ISLOWER(i) ? 'l' : '.';
        flags[i * 7 + 1] = Py_ISUPPER(i) ? 'u' : '.';
        flags[i * 7 + 2] = Py_ISALPHA(i) ? 'a' : '.';
        flags[i * 7 + 3] = Py_ISDIGIT(i) ? 'd' : '.';
        flags[i * 7 + 4] = Py_ISXDIGIT(i) ? 'x' : '.';
        flags[i * 7 + 5] = Py_ISALNUM(i) ? 'n' : '.';
        flags[i * 7 + 6] = Py_ISSPACE(i) ? 's' : '.';
    }
    return Py_BuildValue("Ny#y#s#", ws, lower, (Py_ssize_t)256, upper, (Py_ssize_t)256, flags,
                         (Py_ssize_t)sizeof flags);
}

/* ---- ints, floats, bytes ---- */
static PyObject *fromvoidptr(PyObject *self, PyObject *unused) {
    PyObject *a = PyLong_FromVoidPtr((void *)0x1234);
    PyObject *b = PyLong_FromVoidPtr((void *)(uintptr_t)-1);
    PyObject *c = PyLong_FromVoidPtr(NULL);
    return Py_BuildValue("NNN", a, b, c);
}

static PyObject *numbits(PyObject *self, PyObject *o) {
    size_t n = _PyLong_NumBits(o);
    if (n == (size_t)-1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSize_t(n);
}

static PyObject *float_fromstring(PyObject *self, PyObject *o) {
    return PyFloat_FromString(o);
}

static PyObject *bytes_resize(PyObject *self, PyObject *args) {
    Py_ssize_t n, m;
    if (!PyArg_ParseTuple(args, "nn", &n, &m)) return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) PyBytes_AS_STRING(b)[i] = (char)('a' + i % 26);
    if (_PyBytes_Resize(&b, m) < 0) {
        if (b != NULL) return PyUnicode_FromString("pointer not cleared");
        return NULL;
    }
    if (PyBytes_AS_STRING(b)[m] != 0) {
        Py_DECREF(b);
        return PyUnicode_FromString("no NUL");
    }
    return b;
}

/* Resizing an object that is not a C-owned bytes: SystemError, pointer cleared. */
static PyObject *bytes_resize_bad(PyObject *self, PyObject *o) {
    PyObject *b = Py_NewRef(o);
    int r = _PyBytes_Resize(&b, 3);
    if (r == 0) return b;
    if (b != NULL) return PyUnicode_FromString("pointer not cleared");
    return NULL;
}

/* ---- strs ---- */
static PyObject *tailmatch(PyObject *self, PyObject *args) {
    PyObject *s, *sub;
    Py_ssize_t start, end;
    int dir;
    if (!PyArg_ParseTuple(args, "OOnni", &s, &sub, &start, &end, &dir)) return NULL;
    Py_ssize_t r = PyUnicode_Tailmatch(s, sub, start, end, dir);
    if (r == -1) return NULL;
    return PyLong_FromSsize_t(r);
}

static PyObject *str_misc(PyObject *self, PyObject *o) {
    PyObject *u = PyUnicode_FromObject(o);
    if (u == NULL) return NULL;
    /* (`_PyUnicode_Ready` itself is for strings not yet ready; CPython's would misread a
     * ready one, so only the macro is used on them.) */
    int ready = PyUnicode_READY(u);
    return Py_BuildValue("Nisii", u, u == o, PyUnicode_GetDefaultEncoding(), ready,
                         PyUnicode_CheckExact(u));
}

static PyObject *decode(PyObject *self, PyObject *args) {
    const char *s, *enc = NULL, *err = NULL;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#|zz", &s, &n, &enc, &err)) return NULL;
    return PyUnicode_Decode(s, n, enc, err);
}

static PyObject *writer(PyObject *self, PyObject *args) {
    PyObject *s;
    int overallocate;
    if (!PyArg_ParseTuple(args, "Ui", &s, &overallocate)) return NULL;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = overallocate;
    if (_PyUnicodeWriter_WriteASCIIString(&w, "ab", 2) < 0) goto fail;
    if (_PyUnicodeWriter_WriteStr(&w, s) < 0) goto fail;
    if (_PyUnicodeWriter_WriteChar(&w, 0xe9) < 0) goto fail;
    if (_PyUnicodeWriter_WriteSubstring(&w, s, 1, PyUnicode_GET_LENGTH(s)) < 0) goto fail;
    /* The inline path: prepare, then write through the fields. */
    if (_PyUnicodeWriter_Prepare(&w, 3, 0x263a) < 0) goto fail;
    PyUnicode_WRITE(w.kind, w.data, w.pos, '<');
    PyUnicode_WRITE(w.kind, w.data, w.pos + 1, 0x263a);
    PyUnicode_WRITE(w.kind, w.data, w.pos + 2, '>');
    w.pos += 3;
    if (_PyUnicodeWriter_WriteChar(&w, 0x1F600) < 0) goto fail;
    if (_PyUnicodeWriter_WriteASCIIString(&w, "!", 1) < 0) goto fail;
    PyObject *r = _PyUnicodeWriter_Finish(&w);
    if (r == NULL) return NULL;
    return Py_BuildValue("Nni", r, PyUnicode_GET_LENGTH(r), (int)PyUnicode_KIND(r));
fail:
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}

static PyObject *writer_small(PyObject *self, PyObject *unused) {
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    PyObject *empty = _PyUnicodeWriter_Finish(&w);
    _PyUnicodeWriter_Init(&w);
    w.min_length = 100;
    if (_PyUnicodeWriter_WriteASCIIString(&w, "xyz", 3) < 0) return NULL;
    PyObject *ascii = _PyUnicodeWriter_Finish(&w);
    return Py_BuildValue("NNi", empty, ascii, (int)PyUnicode_KIND(ascii));
}

static PyObject *writer_bad_char(PyObject *self, PyObject *unused) {
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    _PyUnicodeWriter_WriteASCIIString(&w, "ok", 2);
    if (_PyUnicodeWriter_WriteChar(&w, 0x110000) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&w);
}

/* ---- slices ---- */
static PyObject *slice_unpack(PyObject *self, PyObject *args) {
    PyObject *sl;
    Py_ssize_t len, start, stop, step;
    if (!PyArg_ParseTuple(args, "On", &sl, &len)) return NULL;
    if (PySlice_Unpack(sl, &start, &stop, &step) < 0) return NULL;
    PyObject *raw = Py_BuildValue("nnn", start, stop, step);
    Py_ssize_t n = PySlice_AdjustIndices(len, &start, &stop, step);
    return Py_BuildValue("Nnnnn", raw, start, stop, step, n);
}

/* ---- lists, dicts, sets ---- */
static PyObject *list_setslice(PyObject *self, PyObject *args) {
    PyObject *l, *v;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "OnnO", &l, &lo, &hi, &v)) return NULL;
    if (PyList_SetSlice(l, lo, hi, v == Py_Ellipsis ? NULL : v) < 0) return NULL;
    return Py_BuildValue("nO", PyList_GET_SIZE(l), l);
}

/* A list made in C, written with the macro, then sliced before Python sees it. */
static PyObject *list_setslice_cfirst(PyObject *self, PyObject *v) {
    PyObject *l = PyList_New(4);
    for (int i = 0; i < 4; i++) PyList_SET_ITEM(l, i, PyLong_FromLong(i * 10));
    if (PyList_SetSlice(l, 1, 3, v) < 0) {
        Py_DECREF(l);
        return NULL;
    }
    /* An empty deletion at the end, and a deletion of the first item. */
    if (PyList_SetSlice(l, PyList_GET_SIZE(l), PyList_GET_SIZE(l), NULL) < 0 ||
        PyList_SetSlice(l, -5, 1, NULL) < 0) {
        Py_DECREF(l);
        return NULL;
    }
    return l;
}

/* A list Python holds, changed by the macro, then sliced: the macro's write is kept. */
static PyObject *list_setslice_after_macro(PyObject *self, PyObject *l) {
    if (!PyList_Check(l) || PyList_GET_SIZE(l) < 2) return PyUnicode_FromString("need a list");
    PyObject *old = PyList_GET_ITEM(l, 0);
    PyList_SET_ITEM(l, 0, PyUnicode_FromString("macro"));
    Py_DECREF(old);
    PyObject *t = Py_BuildValue("(ss)", "x", "y");
    int r = PyList_SetSlice(l, 1, 2, t);
    Py_DECREF(t);
    if (r < 0) return NULL;
    return Py_NewRef(l);
}

static PyObject *dict_ops(PyObject *self, PyObject *args) {
    PyObject *d, *k, *v, *other;
    if (!PyArg_ParseTuple(args, "OOOO", &d, &k, &v, &other)) return NULL;
    int had = PyDict_Contains(d, k);
    if (had < 0) return NULL;
    PyObject *got = PyDict_SetDefault(d, k, v);
    if (got == NULL) return NULL;
    Py_INCREF(got);
    int has = PyDict_Contains(d, k);
    if (PyDict_Update(d, other) < 0) {
        Py_DECREF(got);
        return NULL;
    }
    return Py_BuildValue("iNin", had, got, has, PyDict_GET_SIZE(d));
}

static PyObject *dict_contains(PyObject *self, PyObject *args) {
    PyObject *d, *k;
    if (!PyArg_ParseTuple(args, "OO", &d, &k)) return NULL;
    int r = PyDict_Contains(d, k);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *set_discard(PyObject *self, PyObject *args) {
    PyObject *s, *k;
    if (!PyArg_ParseTuple(args, "OO", &s, &k)) return NULL;
    int r = PySet_Discard(s, k);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

/* ---- abstract ---- */
static PyObject *vcall_method(PyObject *self, PyObject *args) {
    PyObject *o, *name, *pos, *kw;
    if (!PyArg_ParseTuple(args, "OUO!O!", &o, &name, &PyTuple_Type, &pos, &PyDict_Type, &kw))
        return NULL;
    Py_ssize_t np = PyTuple_GET_SIZE(pos), nk = PyDict_GET_SIZE(kw);
    PyObject *stack[16];
    if (np + nk + 2 > 16) return PyUnicode_FromString("too many");
    stack[0] = NULL; /* the slot PY_VECTORCALL_ARGUMENTS_OFFSET lends */
    stack[1] = o;
    for (Py_ssize_t i = 0; i < np; i++) stack[2 + i] = PyTuple_GET_ITEM(pos, i);
    PyObject *names = PyTuple_New(nk);
    Py_ssize_t p = 0, i = 0;
    PyObject *k, *v;
    while (PyDict_Next(kw, &p, &k, &v)) {
        PyTuple_SET_ITEM(names, i, Py_NewRef(k));
        stack[2 + np + i] = v;
        i++;
    }
    PyObject *r = PyObject_VectorcallMethod(name, stack + 1, (1 + np) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                            nk ? names : NULL);
    Py_DECREF(names);
    return r;
}

static PyObject *length_hint(PyObject *self, PyObject *args) {
    PyObject *o;
    Py_ssize_t d;
    if (!PyArg_ParseTuple(args, "On", &o, &d)) return NULL;
    Py_ssize_t r = PyObject_LengthHint(o, d);
    if (r < 0) return NULL;
    return PyLong_FromSsize_t(r);
}

static PyObject *dir_of(PyObject *self, PyObject *o) { return PyObject_Dir(o); }

static PyObject *to_base(PyObject *self, PyObject *args) {
    PyObject *o;
    int base;
    if (!PyArg_ParseTuple(args, "Oi", &o, &base)) return NULL;
    return PyNumber_ToBase(o, base);
}

static PyObject *as_ssize_t(PyObject *self, PyObject *args) {
    PyObject *o, *exc;
    if (!PyArg_ParseTuple(args, "OO", &o, &exc)) return NULL;
    Py_ssize_t r = PyNumber_AsSsize_t(o, exc == Py_None ? NULL : exc);
    if (r == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(r);
}

/* ---- errors ---- */
static PyObject *unraisable(PyObject *self, PyObject *args) {
    const char *msg;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "sO", &msg, &obj)) return NULL;
    PyErr_SetString(PyExc_ValueError, "boom");
    _PyErr_WriteUnraisableMsg(msg, obj == Py_None ? NULL : obj);
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyMethodDef methods[] = {
    {"chain", chain, METH_O, NULL},
    {"gc_newvar_negative", gc_newvar_negative, METH_NOARGS, NULL},
    {"refs", refs, METH_O, NULL},
    {"gc_is_tracked", gc_is_tracked, METH_O, NULL},
    {"repr_guard", repr_guard, METH_O, NULL},
    {"hash_pointer", hash_pointer, METH_NOARGS, NULL},
    {"generic_alias", generic_alias, METH_VARARGS, NULL},
    {"recursion", recursion, METH_NOARGS, NULL},
    {"argv_info", argv_info, METH_NOARGS, NULL},
    {"static_types", static_types, METH_VARARGS, NULL},
    {"cfunc_get", cfunc_get, METH_O, NULL},
    {"char_tables", char_tables, METH_NOARGS, NULL},
    {"fromvoidptr", fromvoidptr, METH_NOARGS, NULL},
    {"numbits", numbits, METH_O, NULL},
    {"float_fromstring", float_fromstring, METH_O, NULL},
    {"bytes_resize", bytes_resize, METH_VARARGS, NULL},
    {"bytes_resize_bad", bytes_resize_bad, METH_O, NULL},
    {"tailmatch", tailmatch, METH_VARARGS, NULL},
    {"str_misc", str_misc, METH_O, NULL},
    {"decode", decode, METH_VARARGS, NULL},
    {"writer", writer, METH_VARARGS, NULL},
    {"writer_small", writer_small, METH_NOARGS, NULL},
    {"writer_bad_char", writer_bad_char, METH_NOARGS, NULL},
    {"slice_unpack", slice_unpack, METH_VARARGS, NULL},
    {"list_setslice", list_setslice, METH_VARARGS, NULL},
    {"list_setslice_cfirst", list_setslice_cfirst, METH_O, NULL},
    {"list_setslice_after_macro", list_setslice_after_macro, METH_O, NULL},
    {"dict_ops", dict_ops, METH_VARARGS, NULL},
    {"dict_contains", dict_contains, METH_VARARGS, NULL},
    {"set_discard", set_discard, METH_VARARGS, NULL},
    {"vcall_method", vcall_method, METH_VARARGS, NULL},
    {"length_hint", length_hint, METH_VARARGS, NULL},
    {"dir_of", dir_of, METH_O, NULL},
    {"to_base", to_base, METH_VARARGS, NULL},
    {"as_ssize_t", as_ssize_t, METH_VARARGS, NULL},
    {"unraisable", unraisable, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "censusprobe", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit_censusprobe(void) {
    if (PyType_Ready(&NodeType) < 0) return NULL;
    return PyModule_Create(&moduledef);
}
