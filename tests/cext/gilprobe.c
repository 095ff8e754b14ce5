/* gilprobe: a test extension for the GIL (tests/cext_gil.rs). Each function starts a
 * pthread that takes the GIL with PyGILState_Ensure and uses the API; the calling
 * thread releases the GIL (or, in `blocked_while_held`, first keeps it) meanwhile. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

typedef struct {
    PyObject *callable; /* borrowed: the caller keeps it alive */
    long n;
    PyObject *result;   /* a new reference, or NULL */
    int check_before, check_after, state, nested_state, check_after_release;
    int tstate_ok;
    atomic_int started, entered, done;
} job;

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The thread: builds [0, 1, ..., n-1] and calls callable(list) under the GIL. */
static void *worker(void *arg) {
    job *j = arg;
    j->check_before = PyGILState_Check();
    atomic_store(&j->started, 1);
    PyGILState_STATE st = PyGILState_Ensure();
    atomic_store(&j->entered, 1);
    j->state = st == PyGILState_UNLOCKED;
    j->check_after = PyGILState_Check();
    PyGILState_STATE inner = PyGILState_Ensure();
    j->nested_state = inner == PyGILState_LOCKED;
    PyGILState_Release(inner);
    j->tstate_ok = PyThreadState_Get() == PyGILState_GetThisThreadState();
    PyObject *l = PyList_New(0);
    for (long i = 0; l != NULL && i < j->n; i++) {
        PyObject *v = PyLong_FromLong(i);
        if (v == NULL || PyList_Append(l, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(l);
            break;
        }
        Py_DECREF(v);
    }
    if (l != NULL) {
        j->result = PyObject_CallOneArg(j->callable, l);
        Py_DECREF(l);
    }
    if (j->result == NULL)
        PyErr_Print();
    PyGILState_Release(st);
    j->check_after_release = PyGILState_Check();
    atomic_store(&j->done, 1);
    return NULL;
}

/* (result, flags): the worker's result and what it observed of the GIL. */
static PyObject *report(job *j, int extra) {
    if (j->result == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the worker failed");
        return NULL;
    }
    PyObject *r = Py_BuildValue("(O(iiiiiii))", j->result, j->check_before, j->state,
                                j->check_after, j->nested_state, j->tstate_ok,
                                j->check_after_release, extra);
    Py_DECREF(j->result);
    return r;
}

/* run_in_thread(f, n): releases the GIL, runs the worker, joins it. */
static PyObject *run_in_thread(PyObject *self, PyObject *args) {
    job j = {0};
    if (!PyArg_ParseTuple(args, "Ol", &j.callable, &j.n))
        return NULL;
    int main_check = PyGILState_Check();
    pthread_t t;
    int err;
    Py_BEGIN_ALLOW_THREADS
    err = pthread_create(&t, NULL, worker, &j);
    if (err == 0)
        pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (err != 0) {
        PyErr_SetString(PyExc_OSError, "pthread_create failed");
        return NULL;
    }
    return report(&j, main_check);
}

/* concurrent(f, n): with the GIL released, the calling thread waits (up to 10 s)
 * until the worker has finished its Python work, before joining it: the worker ran
 * while this C call was still in progress. */
static PyObject *concurrent(PyObject *self, PyObject *args) {
    job j = {0};
    if (!PyArg_ParseTuple(args, "Ol", &j.callable, &j.n))
        return NULL;
    pthread_t t;
    int err, seen_done = 0;
    Py_BEGIN_ALLOW_THREADS
    err = pthread_create(&t, NULL, worker, &j);
    if (err == 0) {
        for (int i = 0; i < 10000 && !atomic_load(&j.done); i++)
            sleep_ms(1);
        seen_done = atomic_load(&j.done);
        pthread_join(t, NULL);
    }
    Py_END_ALLOW_THREADS
    if (err != 0) {
        PyErr_SetString(PyExc_OSError, "pthread_create failed");
        return NULL;
    }
    return report(&j, seen_done);
}

/* blocked_while_held(f, n): starts the worker while holding the GIL; once the worker
 * is about to call PyGILState_Ensure, waits 200 ms and records whether it got in
 * (it must not); then releases the GIL and joins it. */
static PyObject *blocked_while_held(PyObject *self, PyObject *args) {
    job j = {0};
    if (!PyArg_ParseTuple(args, "Ol", &j.callable, &j.n))
        return NULL;
    pthread_t t;
    if (pthread_create(&t, NULL, worker, &j) != 0) {
        PyErr_SetString(PyExc_OSError, "pthread_create failed");
        return NULL;
    }
    while (!atomic_load(&j.started))
        sleep_ms(1);
    sleep_ms(200);
    int entered_while_held = atomic_load(&j.entered);
    Py_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    PyObject *r = report(&j, 0);
    if (r == NULL)
        return NULL;
    PyObject *out = Py_BuildValue("(Oii)", r, entered_while_held, atomic_load(&j.entered));
    Py_DECREF(r);
    return out;
}

static PyMethodDef methods[] = {
    {"run_in_thread", run_in_thread, METH_VARARGS, NULL},
    {"concurrent", concurrent, METH_VARARGS, NULL},
    {"blocked_while_held", blocked_while_held, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "gilprobe", "The GIL across threads.", -1, methods,
};

PyMODINIT_FUNC PyInit_gilprobe(void) {
    return PyModule_Create(&moduledef);
}
