/* capibench -- small C functions for the C-API benchmarks (benches/capi.py).
 *
 * Built unmodified for CPython 3.11, PyPy (cpyext) and Thicket (build-ext). Each
 * function exercises one calling convention or one concrete-type API family:
 *
 *   noargs()          METH_NOARGS, returns None
 *   one(x)            METH_O: PyLong_AsLong(x) + 1 via PyLong_FromLong
 *   three(a, b, c)    METH_VARARGS, PyArg_ParseTuple "lll", returns a + b + c
 *   tuple10(n)        a 10-tuple (n, n+1, ..., n+9): PyTuple_New / PyTuple_SET_ITEM
 *   list_append(n)    PyList_New(0) and n PyList_Append of 0..n-1; returns the list
 *   dict_set(n)       PyDict_New and n PyDict_SetItem i -> 2*i; returns the dict
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
cb_noargs(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    Py_RETURN_NONE;
}

static PyObject *
cb_one(PyObject *self, PyObject *x)
{
    long v;
    (void)self;
    v = PyLong_AsLong(x);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(v + 1);
}

static PyObject *
cb_three(PyObject *self, PyObject *args)
{
    long a, b, c;
    (void)self;
    if (!PyArg_ParseTuple(args, "lll", &a, &b, &c))
        return NULL;
    return PyLong_FromLong(a + b + c);
}

static PyObject *
cb_tuple10(PyObject *self, PyObject *arg)
{
    long n;
    Py_ssize_t i;
    PyObject *t;
    (void)self;
    n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    t = PyTuple_New(10);
    if (t == NULL)
        return NULL;
    for (i = 0; i < 10; i++) {
        PyObject *v = PyLong_FromLong(n + (long)i);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

static PyObject *
cb_list_append(PyObject *self, PyObject *arg)
{
    long n, i;
    PyObject *list;
    (void)self;
    n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    list = PyList_New(0);
    if (list == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *v = PyLong_FromLong(i);
        int rc;
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        rc = PyList_Append(list, v);
        Py_DECREF(v);
        if (rc < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

static PyObject *
cb_dict_set(PyObject *self, PyObject *arg)
{
    long n, i;
    PyObject *dict;
    (void)self;
    n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    dict = PyDict_New();
    if (dict == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *k = PyLong_FromLong(i);
        PyObject *v;
        int rc;
        if (k == NULL) {
            Py_DECREF(dict);
            return NULL;
        }
        v = PyLong_FromLong(2 * i);
        if (v == NULL) {
            Py_DECREF(k);
            Py_DECREF(dict);
            return NULL;
        }
        rc = PyDict_SetItem(dict, k, v);
        Py_DECREF(k);
        Py_DECREF(v);
        if (rc < 0) {
            Py_DECREF(dict);
            return NULL;
        }
    }
    return dict;
}

static PyMethodDef capibench_methods[] = {
    {"noargs", cb_noargs, METH_NOARGS, "Returns None."},
    {"one", cb_one, METH_O, "one(x) -> x + 1"},
    {"three", cb_three, METH_VARARGS, "three(a, b, c) -> a + b + c"},
    {"tuple10", cb_tuple10, METH_O, "tuple10(n) -> (n, n+1, ..., n+9)"},
    {"list_append", cb_list_append, METH_O, "list_append(n) -> [0, 1, ..., n-1]"},
    {"dict_set", cb_dict_set, METH_O, "dict_set(n) -> {i: 2*i for i < n}"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef capibench_module = {
    PyModuleDef_HEAD_INIT,
    "capibench",
    "Small C functions for the C-API benchmarks.",
    -1,
    capibench_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_capibench(void)
{
    return PyModule_Create(&capibench_module);
}
