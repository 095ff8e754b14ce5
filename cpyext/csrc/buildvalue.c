/* buildvalue.c: Py_BuildValue and its va_list / _SizeT flavours — turning a format
 * string and C values into a Python object, with CPython 3.11's semantics: an
 * empty format gives None, one unit gives that value, several give a tuple;
 * (...) [...] {...} nest; spaces, tabs, commas and colons are ignored; 'N' steals
 * its reference, and after an error every remaining 'N' argument is still
 * released (the remaining units are built and dropped while the first error is
 * kept).  Without the _SizeT flavour (no PY_SSIZE_T_CLEAN) a '#' unit fails with
 * SystemError, as in 3.11.
 *
 * Non-variadic C-API this file relies on (the Rust side must export these names):
 *   functions: PyBytes_FromStringAndSize PyComplex_FromCComplex PyDict_New
 *     PyDict_SetItem PyErr_Fetch PyErr_Occurred PyErr_Restore PyErr_SetString
 *     PyFloat_FromDouble PyList_New PyList_SetItem PyLong_FromLong
 *     PyLong_FromLongLong PyLong_FromSsize_t PyLong_FromUnsignedLong
 *     PyLong_FromUnsignedLongLong PySequence_Tuple PyTuple_New PyTuple_SetItem
 *     PyUnicode_FromOrdinal PyUnicode_FromStringAndSize PyUnicode_FromWideChar
 *     _Py_Dealloc (Py_DECREF)
 *   data: _Py_NoneStruct PyTuple_Type PyExc_SystemError
 *   struct fields (3.11 layout): ob_refcnt, ob_type, tp_flags
 */
#include "capi_c.h"

#include <string.h>
#include <wchar.h>

static PyObject *build_one(const char **pf, va_list *va, int flags);

/* Number of values the format holds up to `end` at nesting level 0, or -1 with
 * SystemError when the brackets do not close. */
static Py_ssize_t count_units(const char *f, char end)
{
    Py_ssize_t count = 0;
    int depth = 0;
    for (; depth > 0 || *f != end; f++) {
        switch (*f) {
        case '\0':
            PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
            return -1;
        case '(':
        case '[':
        case '{':
            if (depth == 0)
                count++;
            depth++;
            break;
        case ')':
        case ']':
        case '}':
            depth--;
            break;
        case '#':
        case '&':
        case ',':
        case ':':
        case ' ':
        case '\t':
            break;
        default:
            if (depth == 0)
                count++;
        }
    }
    return count;
}

/* After an error: builds and drops `n` more values (so that 'N' references are
 * released and the va_list stays in step) while keeping the pending exception,
 * then steps over the closing bracket. */
static void drain(const char **pf, va_list *va, char end, Py_ssize_t n, int flags)
{
    PyObject *type, *value, *tb;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyErr_Fetch(&type, &value, &tb);
        PyObject *v = build_one(pf, va, flags);
        PyErr_Restore(type, value, tb);
        Py_XDECREF(v);
    }
    if (**pf != end) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return;
    }
    if (end != '\0')
        (*pf)++;
}

static int close_bracket(const char **pf, char end)
{
    if (**pf != end) {
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return -1;
    }
    if (end != '\0')
        (*pf)++;
    return 0;
}

/* A tuple (list when `as_list`) of `n` values ending at `end`. */
static PyObject *build_sequence(const char **pf, va_list *va, char end, Py_ssize_t n, int flags, int as_list)
{
    if (n < 0)
        return NULL;
    PyObject *seq = as_list ? PyList_New(n) : PyTuple_New(n);
    if (seq == NULL) {
        drain(pf, va, end, n, flags);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = build_one(pf, va, flags);
        if (item == NULL) {
            drain(pf, va, end, n - i - 1, flags);
            Py_DECREF(seq);
            return NULL;
        }
        /* Both steal the new reference; they cannot fail on a fresh container. */
        if (as_list)
            PyList_SetItem(seq, i, item);
        else
            PyTuple_SetItem(seq, i, item);
    }
    if (close_bracket(pf, end) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    return seq;
}

static PyObject *build_dict(const char **pf, va_list *va, char end, Py_ssize_t n, int flags)
{
    if (n < 0)
        return NULL;
    if (n % 2 != 0) {
        PyErr_SetString(PyExc_SystemError, "Bad dict format");
        drain(pf, va, end, n, flags);
        return NULL;
    }
    PyObject *dict = PyDict_New();
    if (dict == NULL) {
        drain(pf, va, end, n, flags);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i += 2) {
        PyObject *key = build_one(pf, va, flags);
        if (key == NULL) {
            drain(pf, va, end, n - i - 1, flags);
            Py_DECREF(dict);
            return NULL;
        }
        PyObject *value = build_one(pf, va, flags);
        if (value == NULL || PyDict_SetItem(dict, key, value) < 0) {
            drain(pf, va, end, n - i - 2, flags);
            Py_DECREF(key);
            Py_XDECREF(value);
            Py_DECREF(dict);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    if (close_bracket(pf, end) < 0) {
        Py_DECREF(dict);
        return NULL;
    }
    return dict;
}

/* Reads the optional '#' length after a string unit: -1 when absent. */
static int read_length(const char **pf, va_list *va, int flags, Py_ssize_t *len)
{
    *len = -1;
    if (**pf != '#')
        return 0;
    (*pf)++;
    if (flags & TK_FLAG_SIZE_T) {
        *len = va_arg(*va, Py_ssize_t);
        return 0;
    }
    PyErr_SetString(PyExc_SystemError, "PY_SSIZE_T_CLEAN macro must be defined for '#' formats");
    return -1;
}

static PyObject *build_one(const char **pf, va_list *va, int flags)
{
    for (;;) {
        char unit = *(*pf)++;
        switch (unit) {
        case '(':
            return build_sequence(pf, va, ')', count_units(*pf, ')'), flags, 0);
        case '[':
            return build_sequence(pf, va, ']', count_units(*pf, ']'), flags, 1);
        case '{':
            return build_dict(pf, va, '}', count_units(*pf, '}'), flags);
        case 'b':
        case 'B':
        case 'h':
        case 'i':
            return PyLong_FromLong((long)va_arg(*va, int));
        case 'H':
            return PyLong_FromLong((long)va_arg(*va, unsigned int));
        case 'I':
            return PyLong_FromUnsignedLong((unsigned long)va_arg(*va, unsigned int));
        case 'n':
            return PyLong_FromSsize_t(va_arg(*va, Py_ssize_t));
        case 'l':
            return PyLong_FromLong(va_arg(*va, long));
        case 'k':
            return PyLong_FromUnsignedLong(va_arg(*va, unsigned long));
        case 'L':
            return PyLong_FromLongLong(va_arg(*va, long long));
        case 'K':
            return PyLong_FromUnsignedLongLong(va_arg(*va, unsigned long long));
        case 'f':
        case 'd':
            return PyFloat_FromDouble(va_arg(*va, double));
        case 'D':
            return PyComplex_FromCComplex(*va_arg(*va, Py_complex *));
        case 'c': {
            char byte = (char)va_arg(*va, int);
            return PyBytes_FromStringAndSize(&byte, 1);
        }
        case 'C':
            return PyUnicode_FromOrdinal(va_arg(*va, int));
        case 'u': {
            const wchar_t *w = va_arg(*va, const wchar_t *);
            Py_ssize_t len;
            if (read_length(pf, va, flags, &len) < 0)
                return NULL;
            if (w == NULL)
                Py_RETURN_NONE;
            if (len < 0)
                len = (Py_ssize_t)wcslen(w);
            return PyUnicode_FromWideChar(w, len);
        }
        case 's':
        case 'z':
        case 'U':
        case 'y': {
            const char *s = va_arg(*va, const char *);
            Py_ssize_t len;
            if (read_length(pf, va, flags, &len) < 0)
                return NULL;
            if (s == NULL)
                Py_RETURN_NONE;
            if (len < 0) {
                size_t n = strlen(s);
                if (n > (size_t)PY_SSIZE_T_MAX) {
                    PyErr_SetString(PyExc_OverflowError, unit == 'y' ? "string too long for Python bytes"
                                                                     : "string too long for Python string");
                    return NULL;
                }
                len = (Py_ssize_t)n;
            }
            return unit == 'y' ? PyBytes_FromStringAndSize(s, len) : PyUnicode_FromStringAndSize(s, len);
        }
        case 'N':
        case 'S':
        case 'O': {
            if (**pf == '&') {
                PyObject *(*convert)(void *) = va_arg(*va, PyObject *(*)(void *));
                void *arg = va_arg(*va, void *);
                (*pf)++;
                return convert(arg);
            }
            PyObject *obj = va_arg(*va, PyObject *);
            if (obj == NULL) {
                /* A NULL from a failed call passes its error on; a NULL with no
                 * error set is the caller's bug. */
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_SystemError, "NULL object passed to Py_BuildValue");
                return NULL;
            }
            if (unit != 'N')
                Py_INCREF(obj);
            return obj;
        }
        case ':':
        case ',':
        case ' ':
        case '\t':
            continue;
        default:
            PyErr_SetString(PyExc_SystemError, "bad format char passed to Py_BuildValue");
            return NULL;
        }
    }
}

PyObject *_thicket_capi_vbuild(const char *format, va_list *va, int flags)
{
    const char *f = format;
    Py_ssize_t n = count_units(f, '\0');
    if (n < 0)
        return NULL;
    if (n == 0)
        Py_RETURN_NONE;
    if (n == 1)
        return build_one(&f, va, flags);
    return build_sequence(&f, va, '\0', n, flags, 0);
}

PyObject *_thicket_capi_vbuild_args(const char *format, va_list *va, int flags)
{
    const char *f = format;
    Py_ssize_t n = count_units(f, '\0');
    if (n < 0)
        return NULL;
    if (n == 0)
        return PyTuple_New(0);
    if (n > 1)
        return build_sequence(&f, va, '\0', n, flags, 0);
    PyObject *v = build_one(&f, va, flags);
    if (v == NULL || PyTuple_CheckExact(v))
        return v;
    PyObject *args;
    if (PyTuple_Check(v)) {
        /* A tuple subclass still spreads into the arguments. */
        args = PySequence_Tuple(v);
        Py_DECREF(v);
        return args;
    }
    args = PyTuple_New(1);
    if (args == NULL) {
        Py_DECREF(v);
        return NULL;
    }
    PyTuple_SetItem(args, 0, v);
    return args;
}

static PyObject *vbuild_copy(const char *format, va_list va, int flags)
{
    va_list copy;
    va_copy(copy, va);
    PyObject *result = _thicket_capi_vbuild(format, &copy, flags);
    va_end(copy);
    return result;
}

PyObject *THICKET_EXPORT(Py_VaBuildValue)(const char *format, va_list va)
{
    return vbuild_copy(format, va, 0);
}

PyObject *THICKET_EXPORT(_Py_VaBuildValue_SizeT)(const char *format, va_list va)
{
    return vbuild_copy(format, va, TK_FLAG_SIZE_T);
}

PyObject *THICKET_EXPORT(Py_BuildValue)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = _thicket_capi_vbuild(format, &va, 0);
    va_end(va);
    return result;
}

PyObject *THICKET_EXPORT(_Py_BuildValue_SizeT)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = _thicket_capi_vbuild(format, &va, TK_FLAG_SIZE_T);
    va_end(va);
    return result;
}
