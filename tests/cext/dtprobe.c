/* dtprobe: a small extension of ours that reads datetime objects through the
 * datetime.h macros (struct fields, data[] bytes) and calls every constructor of the
 * PyDateTime_CAPI capsule, plus the PyCapsule_* functions. Built unmodified for Thicket
 * and for CPython 3.11; tests/cext/dtprobe_driver.py compares the two. */
#include <Python.h>
#include <datetime.h>

static int destroyed = 0;
static int ctx_value = 7;

static PyObject *
fields(PyObject *self, PyObject *o)
{
    int exact = 0;
    if (PyDateTime_Check(o)) {
        exact = PyDateTime_CheckExact(o);
        PyObject *tz = PyDateTime_DATE_GET_TZINFO(o);
        return Py_BuildValue("(siiiiiiiiiiO)", "datetime", exact,
                             PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o),
                             PyDateTime_GET_DAY(o), PyDateTime_DATE_GET_HOUR(o),
                             PyDateTime_DATE_GET_MINUTE(o), PyDateTime_DATE_GET_SECOND(o),
                             PyDateTime_DATE_GET_MICROSECOND(o), PyDateTime_DATE_GET_FOLD(o),
                             (int)((PyDateTime_DateTime *)o)->hastzinfo, tz);
    }
    if (PyDate_Check(o)) {
        exact = PyDate_CheckExact(o);
        return Py_BuildValue("(siiii)", "date", exact, PyDateTime_GET_YEAR(o),
                             PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
    }
    if (PyTime_Check(o)) {
        exact = PyTime_CheckExact(o);
        PyObject *tz = PyDateTime_TIME_GET_TZINFO(o);
        return Py_BuildValue("(siiiiiiiO)", "time", exact, PyDateTime_TIME_GET_HOUR(o),
                             PyDateTime_TIME_GET_MINUTE(o), PyDateTime_TIME_GET_SECOND(o),
                             PyDateTime_TIME_GET_MICROSECOND(o), PyDateTime_TIME_GET_FOLD(o),
                             (int)((PyDateTime_Time *)o)->hastzinfo, tz);
    }
    if (PyDelta_Check(o)) {
        exact = PyDelta_CheckExact(o);
        return Py_BuildValue("(siiii)", "timedelta", exact, PyDateTime_DELTA_GET_DAYS(o),
                             PyDateTime_DELTA_GET_SECONDS(o),
                             PyDateTime_DELTA_GET_MICROSECONDS(o));
    }
    if (PyTZInfo_Check(o)) {
        return Py_BuildValue("(si)", "tzinfo", PyTZInfo_CheckExact(o));
    }
    return Py_BuildValue("(s)", "other");
}

static PyObject *
new_date(PyObject *self, PyObject *args)
{
    int y, m, d;
    PyObject *cls = NULL;
    if (!PyArg_ParseTuple(args, "iii|O", &y, &m, &d, &cls))
        return NULL;
    if (cls == NULL)
        return PyDate_FromDate(y, m, d);
    return PyDateTimeAPI->Date_FromDate(y, m, d, (PyTypeObject *)cls);
}

static PyObject *
new_datetime(PyObject *self, PyObject *args)
{
    int y, mo, d, h, mi, s, us, fold = 0;
    PyObject *tz = Py_None, *cls = NULL;
    if (!PyArg_ParseTuple(args, "iiiiiii|OiO", &y, &mo, &d, &h, &mi, &s, &us, &tz,
                          &fold, &cls))
        return NULL;
    if (cls == NULL && tz == Py_None && fold == 0)
        return PyDateTime_FromDateAndTime(y, mo, d, h, mi, s, us);
    if (cls == NULL)
        cls = (PyObject *)PyDateTimeAPI->DateTimeType;
    if (fold == 0)
        return PyDateTimeAPI->DateTime_FromDateAndTime(y, mo, d, h, mi, s, us, tz,
                                                       (PyTypeObject *)cls);
    return PyDateTimeAPI->DateTime_FromDateAndTimeAndFold(y, mo, d, h, mi, s, us, tz, fold,
                                                          (PyTypeObject *)cls);
}

static PyObject *
new_time(PyObject *self, PyObject *args)
{
    int h, mi, s, us, fold = 0;
    PyObject *tz = Py_None, *cls = NULL;
    if (!PyArg_ParseTuple(args, "iiii|OiO", &h, &mi, &s, &us, &tz, &fold, &cls))
        return NULL;
    if (cls == NULL && tz == Py_None)
        return PyTime_FromTimeAndFold(h, mi, s, us, fold);
    if (cls == NULL)
        cls = (PyObject *)PyDateTimeAPI->TimeType;
    return PyDateTimeAPI->Time_FromTimeAndFold(h, mi, s, us, tz, fold, (PyTypeObject *)cls);
}

static PyObject *
new_delta(PyObject *self, PyObject *args)
{
    int d, s, us, normalize = 1;
    PyObject *cls = NULL;
    if (!PyArg_ParseTuple(args, "iii|iO", &d, &s, &us, &normalize, &cls))
        return NULL;
    if (cls == NULL)
        return PyDelta_FromDSU(d, s, us);
    return PyDateTimeAPI->Delta_FromDelta(d, s, us, normalize, (PyTypeObject *)cls);
}

static PyObject *
new_timezone(PyObject *self, PyObject *args)
{
    PyObject *offset, *name = NULL;
    if (!PyArg_ParseTuple(args, "O|U", &offset, &name))
        return NULL;
    if (name == NULL)
        return PyTimeZone_FromOffset(offset);
    return PyTimeZone_FromOffsetAndName(offset, name);
}

static PyObject *
from_timestamp(PyObject *self, PyObject *args)
{
    PyObject *cls, *targs;
    int date = 0;
    if (!PyArg_ParseTuple(args, "OO|p", &cls, &targs, &date))
        return NULL;
    if (date)
        return PyDateTimeAPI->Date_FromTimestamp(cls, targs);
    return PyDateTimeAPI->DateTime_FromTimestamp(cls, targs, NULL);
}

static PyObject *
utc(PyObject *self, PyObject *unused)
{
    Py_INCREF(PyDateTime_TimeZone_UTC);
    return PyDateTime_TimeZone_UTC;
}

static PyObject *
api_types(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(OOOOO)", PyDateTimeAPI->DateType, PyDateTimeAPI->DateTimeType,
                         PyDateTimeAPI->TimeType, PyDateTimeAPI->DeltaType,
                         PyDateTimeAPI->TZInfoType);
}

/* ---- capsules ---- */

static void
probe_destructor(PyObject *cap)
{
    if (PyCapsule_GetPointer(cap, PyCapsule_GetName(cap)) == &ctx_value)
        destroyed++;
}

static PyObject *
capsule_new(PyObject *self, PyObject *args)
{
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "|z", &name))
        return NULL;
    /* The name must outlive the capsule: keep it in a leaked copy. */
    char *copy = NULL;
    if (name != NULL) {
        copy = PyMem_Malloc(strlen(name) + 1);
        strcpy(copy, name);
    }
    return PyCapsule_New(&ctx_value, copy, probe_destructor);
}

static PyObject *
capsule_check(PyObject *self, PyObject *args)
{
    PyObject *cap;
    const char *name = NULL;
    if (!PyArg_ParseTuple(args, "O|z", &cap, &name))
        return NULL;
    int valid = PyCapsule_IsValid(cap, name);
    void *p = PyCapsule_GetPointer(cap, name);
    if (p == NULL)
        return NULL;
    const char *n = PyCapsule_GetName(cap);
    if (PyCapsule_SetContext(cap, &ctx_value) < 0)
        return NULL;
    int ctx = *(int *)PyCapsule_GetContext(cap);
    return Py_BuildValue("(iizii)", valid, p == &ctx_value, n, ctx,
                         PyCapsule_GetDestructor(cap) == probe_destructor);
}

static PyObject *
capsule_errors(PyObject *self, PyObject *obj)
{
    PyObject *out = PyList_New(0);
    PyObject *t, *v, *tb;
#define RECORD(expr)                                                   \
    do {                                                               \
        (void)(expr);                                                  \
        PyErr_Fetch(&t, &v, &tb);                                      \
        PyObject *item = Py_BuildValue("(OO)", t ? t : Py_None,        \
                                       v ? v : Py_None);               \
        PyList_Append(out, item);                                      \
        Py_DECREF(item);                                               \
        Py_XDECREF(t);                                                 \
        Py_XDECREF(v);                                                 \
        Py_XDECREF(tb);                                                \
    } while (0)
    RECORD(PyCapsule_GetPointer(obj, NULL));
    RECORD(PyCapsule_GetName(obj));
    RECORD(PyCapsule_GetContext(obj));
    RECORD(PyCapsule_SetPointer(obj, &ctx_value));
    RECORD(PyCapsule_New(NULL, "x", NULL));
    RECORD(PyCapsule_Import("dtprobe_no_such_module.attr", 0));
    RECORD(PyCapsule_Import("datetime.no_such_attr", 0));
    RECORD(PyCapsule_Import("datetime.date", 0));
    RECORD(PyCapsule_IsValid(obj, NULL) ? NULL : PyErr_Occurred());
#undef RECORD
    return out;
}

static PyObject *
capsule_import(PyObject *self, PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    void *p = PyCapsule_Import(name, 0);
    if (p == NULL)
        return NULL;
    return PyBool_FromLong(p == &ctx_value || p == PyDateTimeAPI);
}

static PyObject *
destroyed_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(destroyed);
}

static PyMethodDef methods[] = {
    {"fields", fields, METH_O, NULL},
    {"new_date", new_date, METH_VARARGS, NULL},
    {"new_datetime", new_datetime, METH_VARARGS, NULL},
    {"new_time", new_time, METH_VARARGS, NULL},
    {"new_delta", new_delta, METH_VARARGS, NULL},
    {"new_timezone", new_timezone, METH_VARARGS, NULL},
    {"from_timestamp", from_timestamp, METH_VARARGS, NULL},
    {"utc", utc, METH_NOARGS, NULL},
    {"api_types", api_types, METH_NOARGS, NULL},
    {"capsule_new", capsule_new, METH_VARARGS, NULL},
    {"capsule_check", capsule_check, METH_VARARGS, NULL},
    {"capsule_errors", capsule_errors, METH_O, NULL},
    {"capsule_import", capsule_import, METH_VARARGS, NULL},
    {"destroyed", destroyed_count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "dtprobe", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_dtprobe(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    PyObject *cap = PyCapsule_New(&ctx_value, "dtprobe.capsule", NULL);
    if (cap == NULL || PyModule_AddObject(m, "capsule", cap) < 0)
        return NULL;
    return m;
}
