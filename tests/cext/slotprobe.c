/* slotprobe: a C extension of Thicket's own that defines types whose slots Python code
 * reaches (number, sequence, mapping, iteration, call, comparison, hashing, members,
 * getsets, descriptors), one static type and one heap type made from a PyType_Spec,
 * and functions through which C reaches Python objects' operations (PyObject_*,
 * PyNumber_*, PySequence_*, PyMapping_*). Built for CPython 3.11 and for Thicket from
 * this same file; tests/cext/slotprobe_driver.py compares the two. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    int calls;
} probe_state;

/* ---- Vec: a static type, a small vector of longs ---- */

typedef struct {
    PyObject_HEAD
    Py_ssize_t n;
    long items[8];
    PyObject *tag;   /* T_OBJECT member */
    double weight;   /* T_DOUBLE member */
    int flags;       /* T_INT member, read-only */
} VecObject;

static PyTypeObject Vec_Type;

static PyObject *vec_make(PyTypeObject *t, Py_ssize_t n, const long *items)
{
    VecObject *v = (VecObject *)t->tp_alloc(t, 0);
    if (v == NULL)
        return NULL;
    v->n = n;
    for (Py_ssize_t i = 0; i < n; i++)
        v->items[i] = items[i];
    v->flags = (int)n;
    return (PyObject *)v;
}

static PyObject *Vec_new(PyTypeObject *t, PyObject *args, PyObject *kw)
{
    long items[8];
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (kw != NULL && PyDict_GET_SIZE(kw) != 0) {
        PyErr_SetString(PyExc_TypeError, "Vec() takes no keyword arguments");
        return NULL;
    }
    if (n > 8) {
        PyErr_Format(PyExc_ValueError, "at most 8 items, got %zd", n);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        items[i] = PyLong_AsLong(PyTuple_GET_ITEM(args, i));
        if (items[i] == -1 && PyErr_Occurred())
            return NULL;
    }
    return vec_make(t, n, items);
}

static void Vec_dealloc(VecObject *v)
{
    Py_XDECREF(v->tag);
    Py_TYPE(v)->tp_free((PyObject *)v);
}

static PyObject *Vec_repr(VecObject *v)
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < v->n; i++) {
        PyObject *s = PyUnicode_FromFormat("%ld", v->items[i]);
        if (s == NULL || PyList_Append(parts, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(parts);
            return NULL;
        }
        Py_DECREF(s);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *body = PyUnicode_Join(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    if (body == NULL)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("%s(%U)", Py_TYPE(v)->tp_name, body);
    Py_DECREF(body);
    return r;
}

static int vec_check(PyObject *o, VecObject **out)
{
    if (!PyObject_TypeCheck(o, &Vec_Type))
        return 0;
    *out = (VecObject *)o;
    return 1;
}

static PyObject *Vec_add(PyObject *a, PyObject *b)
{
    VecObject *x, *y;
    long items[8];
    if (!vec_check(a, &x) || !vec_check(b, &y))
        Py_RETURN_NOTIMPLEMENTED;
    if (x->n != y->n) {
        PyErr_SetString(PyExc_ValueError, "length mismatch");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < x->n; i++)
        items[i] = x->items[i] + y->items[i];
    return vec_make(Py_TYPE(x), x->n, items);
}

static PyObject *Vec_mul(PyObject *a, PyObject *b)
{
    VecObject *x;
    long items[8];
    PyObject *k = b;
    if (!vec_check(a, &x)) {
        if (!vec_check(b, &x))
            Py_RETURN_NOTIMPLEMENTED;
        k = a;
    }
    if (!PyLong_Check(k))
        Py_RETURN_NOTIMPLEMENTED;
    long m = PyLong_AsLong(k);
    for (Py_ssize_t i = 0; i < x->n; i++)
        items[i] = x->items[i] * m;
    return vec_make(Py_TYPE(x), x->n, items);
}

static PyObject *Vec_neg(VecObject *v)
{
    long items[8];
    for (Py_ssize_t i = 0; i < v->n; i++)
        items[i] = -v->items[i];
    return vec_make(Py_TYPE(v), v->n, items);
}

static int Vec_bool(VecObject *v)
{
    for (Py_ssize_t i = 0; i < v->n; i++)
        if (v->items[i])
            return 1;
    return 0;
}

static PyObject *Vec_index(VecObject *v)
{
    long s = 0;
    for (Py_ssize_t i = 0; i < v->n; i++)
        s += v->items[i];
    return PyLong_FromLong(s);
}

static Py_ssize_t Vec_len(VecObject *v) { return v->n; }

static PyObject *Vec_item(VecObject *v, Py_ssize_t i)
{
    if (i < 0 || i >= v->n) {
        PyErr_SetString(PyExc_IndexError, "Vec index out of range");
        return NULL;
    }
    return PyLong_FromLong(v->items[i]);
}

static int Vec_ass_item(VecObject *v, Py_ssize_t i, PyObject *val)
{
    if (i < 0 || i >= v->n) {
        PyErr_SetString(PyExc_IndexError, "Vec assignment index out of range");
        return -1;
    }
    if (val == NULL) {
        PyErr_SetString(PyExc_TypeError, "Vec items cannot be deleted");
        return -1;
    }
    long x = PyLong_AsLong(val);
    if (x == -1 && PyErr_Occurred())
        return -1;
    v->items[i] = x;
    return 0;
}

static int Vec_contains(VecObject *v, PyObject *o)
{
    long x = PyLong_AsLong(o);
    if (x == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    for (Py_ssize_t i = 0; i < v->n; i++)
        if (v->items[i] == x)
            return 1;
    return 0;
}

static PyObject *Vec_richcompare(PyObject *a, PyObject *b, int op)
{
    VecObject *x, *y;
    if (!vec_check(a, &x) || !vec_check(b, &y))
        Py_RETURN_NOTIMPLEMENTED;
    long sa = 0, sb = 0;
    int same = x->n == y->n;
    for (Py_ssize_t i = 0; i < x->n; i++)
        sa += x->items[i];
    for (Py_ssize_t i = 0; i < y->n; i++)
        sb += y->items[i];
    for (Py_ssize_t i = 0; same && i < x->n; i++)
        same = x->items[i] == y->items[i];
    switch (op) {
    case Py_EQ: return PyBool_FromLong(same);
    case Py_NE: return PyBool_FromLong(!same);
    default: Py_RETURN_RICHCOMPARE(sa, sb, op);
    }
}

static Py_hash_t Vec_hash(VecObject *v)
{
    Py_hash_t h = 17;
    for (Py_ssize_t i = 0; i < v->n; i++)
        h = h * 31 + v->items[i];
    return h == -1 ? -2 : h;
}

static PyObject *Vec_call(VecObject *v, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scale", "offset", NULL};
    long scale = 1, offset = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|ll:Vec.__call__", kwlist, &scale, &offset))
        return NULL;
    PyObject *t = PyTuple_New(v->n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < v->n; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromLong(v->items[i] * scale + offset));
    return t;
}

static PyObject *Vec_get_total(VecObject *v, void *closure)
{
    long s = 0;
    for (Py_ssize_t i = 0; i < v->n; i++)
        s += v->items[i];
    return PyLong_FromLong(s + (long)(Py_intptr_t)closure);
}

static int Vec_set_first(VecObject *v, PyObject *val, void *closure)
{
    if (val == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete first");
        return -1;
    }
    if (v->n == 0) {
        PyErr_SetString(PyExc_ValueError, "empty Vec");
        return -1;
    }
    long x = PyLong_AsLong(val);
    if (x == -1 && PyErr_Occurred())
        return -1;
    v->items[0] = x;
    return 0;
}

static PyObject *Vec_get_first(VecObject *v, void *closure)
{
    if (v->n == 0)
        Py_RETURN_NONE;
    return PyLong_FromLong(v->items[0]);
}

static PyObject *Vec_sum(VecObject *v, PyObject *unused)
{
    return Vec_index(v);
}

static PyObject *Vec_scaled(VecObject *v, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs != 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0)) {
        PyErr_SetString(PyExc_TypeError, "scaled() takes exactly one positional argument");
        return NULL;
    }
    return Vec_mul((PyObject *)v, args[0]);
}

static PyObject *Vec_zeros(PyTypeObject *cls, PyObject *n)
{
    long items[8] = {0};
    Py_ssize_t k = PyLong_AsSsize_t(n);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    if (k < 0 || k > 8) {
        PyErr_SetString(PyExc_ValueError, "0..8 items");
        return NULL;
    }
    return vec_make(cls, k, items);
}

static PyObject *Vec_version(PyObject *unused, PyObject *noargs)
{
    return PyUnicode_FromString("vec-1");
}

static PyMethodDef Vec_methods[] = {
    {"sum", (PyCFunction)Vec_sum, METH_NOARGS, "sum() -> int"},
    {"scaled", (PyCFunction)(void (*)(void))Vec_scaled, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"zeros", (PyCFunction)Vec_zeros, METH_O | METH_CLASS, NULL},
    {"version", (PyCFunction)Vec_version, METH_NOARGS | METH_STATIC, NULL},
    {NULL}
};

static PyMemberDef Vec_members[] = {
    {"tag", T_OBJECT, offsetof(VecObject, tag), 0, NULL},
    {"weight", T_DOUBLE, offsetof(VecObject, weight), 0, NULL},
    {"flags", T_INT, offsetof(VecObject, flags), READONLY, NULL},
    {NULL}
};

static PyGetSetDef Vec_getset[] = {
    {"total", (getter)Vec_get_total, NULL, "sum plus closure", (void *)(Py_intptr_t)1000},
    {"first", (getter)Vec_get_first, (setter)Vec_set_first, NULL, NULL},
    {NULL}
};

static PyNumberMethods Vec_as_number = {
    .nb_add = Vec_add,
    .nb_multiply = Vec_mul,
    .nb_negative = (unaryfunc)Vec_neg,
    .nb_bool = (inquiry)Vec_bool,
    .nb_index = (unaryfunc)Vec_index,
};

static PySequenceMethods Vec_as_sequence = {
    .sq_length = (lenfunc)Vec_len,
    .sq_item = (ssizeargfunc)Vec_item,
    .sq_ass_item = (ssizeobjargproc)Vec_ass_item,
    .sq_contains = (objobjproc)Vec_contains,
};

static PyTypeObject Vec_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "slotprobe.Vec",
    .tp_basicsize = sizeof(VecObject),
    .tp_dealloc = (destructor)Vec_dealloc,
    .tp_repr = (reprfunc)Vec_repr,
    .tp_as_number = &Vec_as_number,
    .tp_as_sequence = &Vec_as_sequence,
    .tp_hash = (hashfunc)Vec_hash,
    .tp_call = (ternaryfunc)Vec_call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A vector of at most 8 longs.",
    .tp_richcompare = Vec_richcompare,
    .tp_methods = Vec_methods,
    .tp_members = Vec_members,
    .tp_getset = Vec_getset,
    .tp_new = Vec_new,
};

/* ---- Counter: a heap type from a spec, an iterator with a mapping face ---- */

typedef struct {
    PyObject_HEAD
    long next;
    long stop;
    PyObject *seen;  /* dict of key -> value, T_OBJECT_EX */
} CounterObject;

static int Counter_init(CounterObject *c, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"stop", "start", NULL};
    long stop, start = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "l|l", kwlist, &stop, &start))
        return -1;
    c->next = start;
    c->stop = stop;
    Py_XSETREF(c->seen, PyDict_New());
    return c->seen == NULL ? -1 : 0;
}

static void Counter_dealloc(CounterObject *c)
{
    PyTypeObject *t = Py_TYPE(c);
    Py_XDECREF(c->seen);
    t->tp_free((PyObject *)c);
    Py_DECREF(t);
}

static PyObject *Counter_iter(PyObject *self)
{
    Py_INCREF(self);
    return self;
}

static PyObject *Counter_next(CounterObject *c)
{
    if (c->next >= c->stop)
        return NULL;
    return PyLong_FromLong(c->next++);
}

static PyObject *Counter_subscript(CounterObject *c, PyObject *key)
{
    if (c->seen == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Counter not initialised");
        return NULL;
    }
    PyObject *v = PyDict_GetItemWithError(c->seen, key);
    if (v == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    Py_INCREF(v);
    return v;
}

static int Counter_ass_subscript(CounterObject *c, PyObject *key, PyObject *v)
{
    if (v == NULL)
        return PyDict_DelItem(c->seen, key);
    return PyDict_SetItem(c->seen, key, v);
}

static Py_ssize_t Counter_length(CounterObject *c)
{
    return c->seen == NULL ? 0 : PyDict_GET_SIZE(c->seen);
}

static PyObject *Counter_calls(PyObject *self, PyTypeObject *defining, PyObject *const *args,
                               Py_ssize_t nargs, PyObject *kwnames)
{
    probe_state *st = PyType_GetModuleState(defining);
    if (st == NULL)
        return NULL;
    st->calls++;
    return Py_BuildValue("(isn)", st->calls, defining->tp_name, nargs);
}

static PyMethodDef Counter_methods[] = {
    {"calls", (PyCFunction)(void (*)(void))Counter_calls, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {NULL}
};

static PyMemberDef Counter_members[] = {
    {"seen", T_OBJECT_EX, offsetof(CounterObject, seen), READONLY, NULL},
    {"stop", T_LONG, offsetof(CounterObject, stop), 0, NULL},
    {NULL}
};

static PyType_Slot Counter_slots[] = {
    {Py_tp_init, Counter_init},
    {Py_tp_dealloc, Counter_dealloc},
    {Py_tp_iter, Counter_iter},
    {Py_tp_iternext, Counter_next},
    {Py_mp_subscript, Counter_subscript},
    {Py_mp_ass_subscript, Counter_ass_subscript},
    {Py_mp_length, Counter_length},
    {Py_tp_methods, Counter_methods},
    {Py_tp_members, Counter_members},
    {Py_tp_doc, "Counts from start to stop."},
    {Py_tp_new, PyType_GenericNew},
    {0, NULL}
};

static PyType_Spec Counter_spec = {
    "slotprobe.Counter", sizeof(CounterObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, Counter_slots
};

/* ---- C reaching Python objects' operations ---- */

static PyObject *probe_ops(PyObject *m, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    PyObject *r = PyList_New(0);
    PyObject *x;
#define ADD(expr) do { x = (expr); if (x == NULL) { PyObject *t, *v, *tb; PyErr_Fetch(&t, &v, &tb); \
        x = PyUnicode_FromFormat("%s", ((PyTypeObject *)t)->tp_name); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb); } \
        PyList_Append(r, x); Py_DECREF(x); } while (0)
    ADD(PyNumber_Add(a, b));
    ADD(PyNumber_Subtract(a, b));
    ADD(PyNumber_Multiply(a, b));
    ADD(PyNumber_Negative(a));
    ADD(PyNumber_Positive(a));
    ADD(PyNumber_Absolute(a));
    ADD(PyNumber_Invert(a));
    ADD(PyNumber_Power(a, b, Py_None));
    ADD(PyNumber_Divmod(a, b));
    ADD(PyNumber_InPlaceAdd(a, b));
    ADD(PyNumber_InPlaceMultiply(a, b));
    ADD(PyObject_RichCompare(a, b, Py_LT));
    ADD(PyObject_RichCompare(a, b, Py_EQ));
    ADD(PyObject_Repr(a));
    ADD(PyObject_Str(b));
    ADD(PyLong_FromLong(PyObject_IsTrue(a)));
    ADD(PyLong_FromSsize_t(PyObject_Length(a)));
    if (PyErr_Occurred()) PyErr_Clear();
    ADD(PyLong_FromLong(PySequence_Check(a)));
    ADD(PyLong_FromLong(PyMapping_Check(a)));
    ADD(PyLong_FromLong(PyIter_Check(a)));
    ADD(PyObject_GetItem(a, b));
    ADD(PyLong_FromLong(PySequence_Contains(a, b)));
    if (PyErr_Occurred()) PyErr_Clear();
    PyObject *spec = PyUnicode_FromString(">6");
    ADD(PyObject_Format(b, spec));
    Py_DECREF(spec);
#undef ADD
    return r;
}

static PyObject *probe_call(PyObject *m, PyObject *args)
{
    PyObject *f, *a;
    if (!PyArg_ParseTuple(args, "OO", &f, &a))
        return NULL;
    PyObject *kw = Py_BuildValue("{s:i}", "offset", 5);
    PyObject *t = PyTuple_Pack(1, a);
    PyObject *r = PyObject_Call(f, t, kw);
    Py_DECREF(t);
    Py_DECREF(kw);
    return r;
}

static PyObject *probe_iterate(PyObject *m, PyObject *o)
{
    PyObject *it = PyObject_GetIter(o);
    if (it == NULL)
        return NULL;
    PyObject *r = PyList_New(0), *x;
    while ((x = PyIter_Next(it)) != NULL) {
        PyList_Append(r, x);
        Py_DECREF(x);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(r);
        return NULL;
    }
    return r;
}

static PyObject *probe_mapping(PyObject *m, PyObject *o)
{
    PyObject *keys = PyMapping_Keys(o);
    if (keys == NULL)
        return NULL;
    PyObject *items = PyMapping_Items(o);
    if (items == NULL) {
        Py_DECREF(keys);
        return NULL;
    }
    PyObject *r = Py_BuildValue("(NNn)", keys, items, PyMapping_Size(o));
    return r;
}

static PyObject *probe_vec(PyObject *m, PyObject *args)
{
    long items[3] = {1, 2, 3};
    return vec_make(&Vec_Type, 3, items);
}

/* Replaces every item of a list through the macros (CPython's idiom: the slot owns a
 * reference, so the old item is released), and reads them back the same way. */
static PyObject *probe_set_items(PyObject *m, PyObject *args)
{
    PyObject *l;
    long scale;
    if (!PyArg_ParseTuple(args, "O!l", &PyList_Type, &l, &scale))
        return NULL;
    long total = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(l); i++) {
        PyObject *old = PyList_GET_ITEM(l, i);
        long x = PyLong_AsLong(old);
        if (x == -1 && PyErr_Occurred())
            return NULL;
        PyObject *nv = PyLong_FromLong(x * scale);
        if (nv == NULL)
            return NULL;
        PyList_SET_ITEM(l, i, nv);
        Py_DECREF(old);
        total += PyLong_AsLong(PyList_GET_ITEM(l, i));
    }
    return PyLong_FromLong(total);
}

/* Objects C makes that equal shared ones on the Python side (empty and one-character
 * strings, empty bytes and tuple, small ints), handed to Python twice. */
static PyObject *probe_shared(PyObject *m, PyObject *unused)
{
    PyObject *items[] = {
        PyUnicode_FromString(""), PyUnicode_FromStringAndSize("a", 1),
        PyUnicode_New(0, 127), PyBytes_FromStringAndSize("", 0),
        PyBytes_FromStringAndSize("b", 1), PyTuple_New(0), PyLong_FromLong(7),
    };
    Py_ssize_t n = sizeof(items) / sizeof(items[0]);
    PyObject *t = PyTuple_New(2 * n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(t, i, items[i]);
        PyTuple_SET_ITEM(t, n + i, items[i]);
    }
    return t;
}

static PyMethodDef probe_methods[] = {
    {"shared", probe_shared, METH_NOARGS, NULL},
    {"set_items", probe_set_items, METH_VARARGS, NULL},
    {"ops", probe_ops, METH_VARARGS, NULL},
    {"call", probe_call, METH_VARARGS, NULL},
    {"iterate", probe_iterate, METH_O, NULL},
    {"mapping", probe_mapping, METH_O, NULL},
    {"vec", probe_vec, METH_NOARGS, NULL},
    {NULL}
};

static int probe_exec(PyObject *m)
{
    if (PyType_Ready(&Vec_Type) < 0)
        return -1;
    if (PyModule_AddType(m, &Vec_Type) < 0)
        return -1;
    PyObject *counter = PyType_FromModuleAndSpec(m, &Counter_spec, NULL);
    if (counter == NULL)
        return -1;
    if (PyModule_AddObject(m, "Counter", counter) < 0) {
        Py_DECREF(counter);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot probe_slots[] = {
    {Py_mod_exec, probe_exec},
    {0, NULL}
};

static struct PyModuleDef probe_module = {
    PyModuleDef_HEAD_INIT, "slotprobe", "Slots both ways.", sizeof(probe_state),
    probe_methods, probe_slots, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit_slotprobe(void)
{
    return PyModuleDef_Init(&probe_module);
}
