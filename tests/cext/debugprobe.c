/* debugprobe: a test extension that misuses the C-API on purpose, one misuse per
 * function, for the THICKET_CAPI_DEBUG=1 checks (tests/cext_debug.rs). `good` uses the
 * API correctly and must produce no report. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kept[16];
static int nkept;

/* Correct use: new references released, borrowed ones left alone, GIL released and
 * taken back around C-only work. Returns [x, x, len] as a tuple. */
static PyObject *good(PyObject *self, PyObject *x) {
    PyObject *l = PyList_New(0);
    if (l == NULL)
        return NULL;
    if (PyList_Append(l, x) < 0 || PyList_Append(l, x) < 0) {
        Py_DECREF(l);
        return NULL;
    }
    long sum = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < 1000; i++)
        sum += i;
    Py_END_ALLOW_THREADS
    PyObject *n = PyLong_FromLong(PyList_Size(l) + sum - 499500);
    if (n == NULL) {
        Py_DECREF(l);
        return NULL;
    }
    if (PyList_Append(l, n) < 0) {
        Py_DECREF(n);
        Py_DECREF(l);
        return NULL;
    }
    Py_DECREF(n);
    PyObject *t = PyList_AsTuple(l);
    Py_DECREF(l);
    return t;
}

/* Releases a borrowed reference: the argument's count falls below what Python owns. */
static PyObject *decref_borrowed(PyObject *self, PyObject *x) {
    Py_DECREF(x);
    Py_RETURN_NONE;
}

/* Releases a borrowed reference, then passes the object to the API. */
static PyObject *decref_then_use(PyObject *self, PyObject *x) {
    Py_DECREF(x);
    return PyLong_FromSsize_t(PyList_Size(x));
}

/* Releases a new list twice: the second Py_DECREF hits freed memory. */
static PyObject *double_decref(PyObject *self, PyObject *unused) {
    PyObject *l = PyList_New(0);
    Py_DECREF(l);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

/* Uses a list after releasing it. */
static PyObject *use_freed(PyObject *self, PyObject *unused) {
    PyObject *l = PyList_New(0);
    Py_DECREF(l);
    if (PyList_Append(l, Py_None) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* Takes a reference to a freed list (found when it leaves the quarantine or at exit). */
static PyObject *incref_freed(PyObject *self, PyObject *unused) {
    PyObject *l = PyList_New(0);
    Py_DECREF(l);
    Py_INCREF(l);
    Py_RETURN_NONE;
}

/* Calls the API after releasing the GIL. */
static PyObject *no_gil(PyObject *self, PyObject *unused) {
    PyThreadState *ts = PyEval_SaveThread();
    PyObject *r = PyLong_FromLong(7);
    PyEval_RestoreThread(ts);
    return r;
}

/* Fails without setting an exception. */
static PyObject *null_no_exc(PyObject *self, PyObject *unused) {
    return NULL;
}

/* Succeeds with an exception set. */
static PyObject *result_with_exc(PyObject *self, PyObject *unused) {
    PyErr_SetString(PyExc_ValueError, "left behind");
    Py_RETURN_NONE;
}

/* Keeps a reference to its argument forever. */
static PyObject *keep(PyObject *self, PyObject *x) {
    if (nkept < 16) {
        Py_INCREF(x);
        kept[nkept++] = x;
    }
    Py_RETURN_NONE;
}

/* Keeps a new list of `n` ints that Python never sees. */
static PyObject *keep_new_list(PyObject *self, PyObject *n) {
    Py_ssize_t k = PyLong_AsSsize_t(n);
    if (k < 0 && PyErr_Occurred())
        return NULL;
    PyObject *l = PyList_New(k);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *v = PyLong_FromSsize_t(i * 1000);
        if (v == NULL) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, i, v);
    }
    if (nkept < 16)
        kept[nkept++] = l;
    Py_RETURN_NONE;
}

/* Releases everything `keep` and `keep_new_list` kept. */
static PyObject *release_kept(PyObject *self, PyObject *unused) {
    while (nkept > 0)
        Py_DECREF(kept[--nkept]);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"good", good, METH_O, NULL},
    {"decref_borrowed", decref_borrowed, METH_O, NULL},
    {"decref_then_use", decref_then_use, METH_O, NULL},
    {"double_decref", double_decref, METH_NOARGS, NULL},
    {"use_freed", use_freed, METH_NOARGS, NULL},
    {"incref_freed", incref_freed, METH_NOARGS, NULL},
    {"no_gil", no_gil, METH_NOARGS, NULL},
    {"null_no_exc", null_no_exc, METH_NOARGS, NULL},
    {"result_with_exc", result_with_exc, METH_NOARGS, NULL},
    {"keep", keep, METH_O, NULL},
    {"keep_new_list", keep_new_list, METH_O, NULL},
    {"release_kept", release_kept, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "debugprobe", "C-API misuse, on purpose.", -1, methods,
};

PyMODINIT_FUNC PyInit_debugprobe(void) {
    return PyModule_Create(&moduledef);
}
