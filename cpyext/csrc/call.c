/* call.c: the variadic calling helpers — PyObject_CallFunction, PyObject_CallMethod
 * (and their _SizeT flavours), PyEval_CallFunction, PyEval_CallMethod,
 * PyObject_CallFunctionObjArgs, PyObject_CallMethodObjArgs and PyTuple_Pack.
 * As in CPython 3.11, a format that builds a single tuple supplies the whole
 * argument tuple, and any other single value is the only argument.
 *
 * Non-variadic C-API this file relies on (the Rust side must export these names):
 *   functions: PyCallable_Check PyErr_Occurred PyErr_SetString PyObject_Call
 *     PyObject_GetAttr PyObject_GetAttrString PyTuple_New PyTuple_SetItem
 *     _Py_Dealloc (Py_DECREF); and through buildvalue.c/format.c, theirs
 *   data: PyExc_SystemError PyExc_TypeError
 *   struct fields (3.11 layout): ob_refcnt, ob_type, tp_name
 */
#include "capi_c.h"

static PyObject *null_argument(void)
{
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    return NULL;
}

static PyObject *call_with_format(PyObject *callable, const char *format, va_list *va, int flags)
{
    PyObject *args;
    if (callable == NULL)
        return null_argument();
    if (format == NULL || *format == '\0')
        args = PyTuple_New(0);
    else
        args = _thicket_capi_vbuild_args(format, va, flags);
    if (args == NULL)
        return NULL;
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

static PyObject *call_method_with_format(PyObject *obj, const char *name, const char *format, va_list *va, int flags)
{
    if (obj == NULL || name == NULL)
        return null_argument();
    PyObject *method = PyObject_GetAttrString(obj, name);
    if (method == NULL)
        return NULL;
    PyObject *result = NULL;
    if (!PyCallable_Check(method))
        _thicket_capi_format_error(PyExc_TypeError, "attribute of type '%.200s' is not callable",
                                   Py_TYPE(method)->tp_name);
    else
        result = call_with_format(method, format, va, flags);
    Py_DECREF(method);
    return result;
}

PyObject *THICKET_EXPORT(PyObject_CallFunction)(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_with_format(callable, format, &va, 0);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(_PyObject_CallFunction_SizeT)(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_with_format(callable, format, &va, TK_FLAG_SIZE_T);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(PyEval_CallFunction)(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_with_format(callable, format, &va, 0);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(PyObject_CallMethod)(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_with_format(obj, name, format, &va, 0);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(_PyObject_CallMethod_SizeT)(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_with_format(obj, name, format, &va, TK_FLAG_SIZE_T);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(PyEval_CallMethod)(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_with_format(obj, name, format, &va, 0);
    va_end(va);
    return result;
}

/* Calls `callable` with the NULL-terminated PyObject* arguments in `va`. */
static PyObject *call_object_list(PyObject *callable, va_list va)
{
    va_list counting;
    Py_ssize_t n = 0;
    va_copy(counting, va);
    while (va_arg(counting, PyObject *) != NULL)
        n++;
    va_end(counting);

    PyObject *args = PyTuple_New(n);
    if (args == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = va_arg(va, PyObject *);
        Py_INCREF(item);
        PyTuple_SetItem(args, i, item);
    }
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

PyObject *THICKET_EXPORT(PyObject_CallFunctionObjArgs)(PyObject *callable, ...)
{
    if (callable == NULL)
        return null_argument();
    va_list va;
    va_start(va, callable);
    PyObject *result = call_object_list(callable, va);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(PyObject_CallMethodObjArgs)(PyObject *obj, PyObject *name, ...)
{
    if (obj == NULL || name == NULL)
        return null_argument();
    PyObject *method = PyObject_GetAttr(obj, name);
    if (method == NULL)
        return NULL;
    va_list va;
    va_start(va, name);
    PyObject *result = call_object_list(method, va);
    va_end(va);
    Py_DECREF(method);
    return result;
}

PyObject *THICKET_EXPORT(PyTuple_Pack)(Py_ssize_t n, ...)
{
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL)
        return NULL;
    va_list va;
    va_start(va, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = va_arg(va, PyObject *);
        Py_INCREF(item);
        PyTuple_SetItem(tuple, i, item);
    }
    va_end(va);
    return tuple;
}
