/* sysio.c: the variadic writers to sys.stdout / sys.stderr — PySys_WriteStdout,
 * PySys_WriteStderr (C printf formatting, at most 1000 bytes, then
 * "... truncated") and PySys_FormatStdout, PySys_FormatStderr
 * (PyUnicode_FromFormat formatting, no limit).  As in CPython 3.11, the text goes
 * through the file's write() method, falls back to the C stream when there is no
 * usable file, and a pending exception is kept across the call.
 *
 * Non-variadic C-API this file relies on (the Rust side must export these names):
 *   functions: PySys_GetObject PyObject_GetAttrString PyObject_Call PyTuple_New
 *     PyTuple_SetItem PyUnicode_FromString PyUnicode_AsUTF8 PyErr_Fetch
 *     PyErr_Restore PyErr_Clear _Py_Dealloc (Py_DECREF); and format.c's
 *   struct fields (3.11 layout): ob_refcnt
 */
#include "capi_c.h"

#include <stdio.h>

/* file.write(text); 0 on success, -1 with an exception set otherwise. */
static int write_object(PyObject *file, PyObject *text)
{
    if (file == NULL) /* sys has no such attribute: nothing is set */
        return -1;
    PyObject *write = PyObject_GetAttrString(file, "write");
    if (write == NULL)
        return -1;
    PyObject *args = PyTuple_New(1);
    if (args == NULL) {
        Py_DECREF(write);
        return -1;
    }
    Py_INCREF(text);
    PyTuple_SetItem(args, 0, text);
    PyObject *result = PyObject_Call(write, args, NULL);
    Py_DECREF(args);
    Py_DECREF(write);
    if (result == NULL)
        return -1;
    Py_DECREF(result);
    return 0;
}

static void write_text(PyObject *file, FILE *stream, const char *text)
{
    PyObject *str = PyUnicode_FromString(text);
    int rc = str == NULL ? -1 : write_object(file, str);
    Py_XDECREF(str);
    if (rc != 0) {
        PyErr_Clear();
        fputs(text, stream);
    }
}

static void write_formatted(const char *name, FILE *stream, const char *format, va_list va)
{
    PyObject *type, *value, *tb;
    char buffer[1001];
    PyErr_Fetch(&type, &value, &tb);
    PyObject *file = PySys_GetObject(name);
    int written = THICKET_EXPORT(PyOS_vsnprintf)(buffer, sizeof buffer, format, va);
    write_text(file, stream, buffer);
    if (written < 0 || (size_t)written >= sizeof buffer)
        write_text(file, stream, "... truncated");
    PyErr_Restore(type, value, tb);
}

static void format_and_write(const char *name, FILE *stream, const char *format, va_list va)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *file = PySys_GetObject(name);
    PyObject *message = THICKET_EXPORT(PyUnicode_FromFormatV)(format, va);
    if (message != NULL) {
        if (write_object(file, message) != 0) {
            PyErr_Clear();
            const char *utf8 = PyUnicode_AsUTF8(message);
            if (utf8 != NULL)
                fputs(utf8, stream);
        }
        Py_DECREF(message);
    }
    PyErr_Restore(type, value, tb);
}

void THICKET_EXPORT(PySys_WriteStdout)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    write_formatted("stdout", stdout, format, va);
    va_end(va);
}

void THICKET_EXPORT(PySys_WriteStderr)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    write_formatted("stderr", stderr, format, va);
    va_end(va);
}

void THICKET_EXPORT(PySys_FormatStdout)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    format_and_write("stdout", stdout, format, va);
    va_end(va);
}

void THICKET_EXPORT(PySys_FormatStderr)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    format_and_write("stderr", stderr, format, va);
    va_end(va);
}
