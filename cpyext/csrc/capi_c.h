/* capi_c.h: private header of Thicket's C-implemented part of the CPython C-API
 * (the variadic functions and the argument parsers, which Rust cannot define).
 *
 * Every exported function is defined as THICKET_EXPORT(name).  Normally that is
 * just `name`, so the symbol carries its CPython name.  With -DTHICKET_CAPI_SELFTEST
 * the files are compiled against CPython's own headers inside a test extension,
 * and every exported symbol is renamed tk_test_<name> so that it does not clash
 * with libpython's; the renamed prototypes are declared below.
 *
 * The files must never see PY_SSIZE_T_CLEAN: CPython's headers would then rename
 * PyArg_ParseTuple to _PyArg_ParseTuple_SizeT (and so on) under our feet.  Both
 * flavours are defined explicitly instead.
 */
#ifndef THICKET_CAPI_C_H
#define THICKET_CAPI_C_H

#ifdef PY_SSIZE_T_CLEAN
#error "cpyext/csrc must be compiled without PY_SSIZE_T_CLEAN"
#endif

#include <Python.h>
#include <stdarg.h>

#ifdef THICKET_CAPI_SELFTEST
#define THICKET_EXPORT(name) tk_test_##name
#else
#define THICKET_EXPORT(name) name
#endif

/* Flag passed down the builders and parsers: '#' lengths are Py_ssize_t. */
#define TK_FLAG_SIZE_T 1

/* Internal entry points shared between the files (not part of the C-API): kept out
 * of the dynamic symbol table of whatever links them. */
#if defined(__GNUC__) || defined(__clang__)
#define TK_INTERNAL __attribute__((visibility("hidden")))
#else
#define TK_INTERNAL
#endif

/* Builds one value from `format` as Py_VaBuildValue does (None for an empty format,
 * the single value for one unit, a tuple otherwise). */
TK_INTERNAL PyObject *_thicket_capi_vbuild(const char *format, va_list *va, int flags);

/* Builds the argument tuple of a call from `format`: no units give (), several
 * units give their tuple, a single unit that is a tuple is the argument tuple
 * itself, a single unit of any other type is wrapped in a 1-tuple. */
TK_INTERNAL PyObject *_thicket_capi_vbuild_args(const char *format, va_list *va, int flags);

/* Sets `exc` to a message formatted with our PyUnicode_FromFormatV. */
TK_INTERNAL PyObject *_thicket_capi_format_error(PyObject *exc, const char *format, ...);

#ifdef THICKET_CAPI_SELFTEST
/* The renamed prototypes (normally Python.h declares the real names). */
#define TK_DECL(ret, name, args) PyAPI_FUNC(ret) THICKET_EXPORT(name) args;
#else
#define TK_DECL(ret, name, args)
#endif

/* The _SizeT flavours are declared here in both modes: CPython's headers only
 * declare some of them. */
#ifndef THICKET_CAPI_SELFTEST
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, ...);
PyAPI_FUNC(int) _PyArg_VaParse_SizeT(PyObject *, const char *, va_list);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, va_list);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *, ...);
PyAPI_FUNC(PyObject *) _Py_VaBuildValue_SizeT(const char *, va_list);
PyAPI_FUNC(PyObject *) _PyObject_CallFunction_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallMethod_SizeT(PyObject *, const char *, const char *, ...);
#endif

/* getargs.c */
TK_DECL(int, PyArg_Parse, (PyObject *, const char *, ...))
TK_DECL(int, PyArg_ParseTuple, (PyObject *, const char *, ...))
TK_DECL(int, PyArg_ParseTupleAndKeywords, (PyObject *, PyObject *, const char *, char **, ...))
TK_DECL(int, PyArg_VaParse, (PyObject *, const char *, va_list))
TK_DECL(int, PyArg_VaParseTupleAndKeywords, (PyObject *, PyObject *, const char *, char **, va_list))
TK_DECL(int, _PyArg_Parse_SizeT, (PyObject *, const char *, ...))
TK_DECL(int, _PyArg_ParseTuple_SizeT, (PyObject *, const char *, ...))
TK_DECL(int, _PyArg_ParseTupleAndKeywords_SizeT, (PyObject *, PyObject *, const char *, char **, ...))
TK_DECL(int, _PyArg_VaParse_SizeT, (PyObject *, const char *, va_list))
TK_DECL(int, _PyArg_VaParseTupleAndKeywords_SizeT, (PyObject *, PyObject *, const char *, char **, va_list))
TK_DECL(int, PyArg_UnpackTuple, (PyObject *, const char *, Py_ssize_t, Py_ssize_t, ...))
TK_DECL(int, PyArg_ValidateKeywordArguments, (PyObject *))
TK_DECL(int, _PyArg_NoKeywords, (const char *, PyObject *))
TK_DECL(int, _PyArg_NoPositional, (const char *, PyObject *))

/* buildvalue.c */
TK_DECL(PyObject *, Py_BuildValue, (const char *, ...))
TK_DECL(PyObject *, _Py_BuildValue_SizeT, (const char *, ...))
TK_DECL(PyObject *, Py_VaBuildValue, (const char *, va_list))
TK_DECL(PyObject *, _Py_VaBuildValue_SizeT, (const char *, va_list))

/* format.c */
TK_DECL(PyObject *, PyUnicode_FromFormat, (const char *, ...))
TK_DECL(PyObject *, PyUnicode_FromFormatV, (const char *, va_list))
TK_DECL(PyObject *, PyBytes_FromFormat, (const char *, ...))
TK_DECL(PyObject *, PyBytes_FromFormatV, (const char *, va_list))
TK_DECL(PyObject *, PyErr_Format, (PyObject *, const char *, ...))
TK_DECL(PyObject *, PyErr_FormatV, (PyObject *, const char *, va_list))
TK_DECL(int, PyErr_WarnFormat, (PyObject *, Py_ssize_t, const char *, ...))
TK_DECL(int, PyErr_WarnExplicitFormat, (PyObject *, const char *, int, const char *, PyObject *, const char *, ...))
TK_DECL(int, PyErr_ResourceWarning, (PyObject *, Py_ssize_t, const char *, ...))
TK_DECL(int, PyOS_snprintf, (char *, size_t, const char *, ...))
TK_DECL(int, PyOS_vsnprintf, (char *, size_t, const char *, va_list))

/* sysio.c */
TK_DECL(void, PySys_WriteStdout, (const char *, ...))
TK_DECL(void, PySys_WriteStderr, (const char *, ...))
TK_DECL(void, PySys_FormatStdout, (const char *, ...))
TK_DECL(void, PySys_FormatStderr, (const char *, ...))

/* call.c */
TK_DECL(PyObject *, PyObject_CallFunction, (PyObject *, const char *, ...))
TK_DECL(PyObject *, _PyObject_CallFunction_SizeT, (PyObject *, const char *, ...))
TK_DECL(PyObject *, PyObject_CallMethod, (PyObject *, const char *, const char *, ...))
TK_DECL(PyObject *, _PyObject_CallMethod_SizeT, (PyObject *, const char *, const char *, ...))
TK_DECL(PyObject *, PyObject_CallFunctionObjArgs, (PyObject *, ...))
TK_DECL(PyObject *, PyObject_CallMethodObjArgs, (PyObject *, PyObject *, ...))
TK_DECL(PyObject *, PyTuple_Pack, (Py_ssize_t, ...))
TK_DECL(PyObject *, PyEval_CallFunction, (PyObject *, const char *, ...))
TK_DECL(PyObject *, PyEval_CallMethod, (PyObject *, const char *, const char *, ...))

#endif /* THICKET_CAPI_C_H */
