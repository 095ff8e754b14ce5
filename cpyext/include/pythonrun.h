/* pythonrun.h -- compiling and running source from C (start symbols,
 * compiler flags, PyRun_*), and writing to Python file objects. */
#ifndef THICKET_PYTHONRUN_H
#define THICKET_PYTHONRUN_H

/* Start symbols of the grammar. */
#define Py_single_input 256
#define Py_file_input 257
#define Py_eval_input 258
#define Py_func_type_input 345
#define Py_fstring_input 800

typedef struct {
    int cf_flags;
    int cf_feature_version;
} PyCompilerFlags;

#define PyCF_MASK 0x1fe0000  /* the CO_FUTURE_* flags */
#define PyCF_MASK_OBSOLETE 0x0010
#define PyCF_SOURCE_IS_UTF8 0x0100
#define PyCF_DONT_IMPLY_DEDENT 0x0200
#define PyCF_ONLY_AST 0x0400
#define PyCF_IGNORE_COOKIE 0x0800
#define PyCF_TYPE_COMMENTS 0x1000
#define PyCF_ALLOW_TOP_LEVEL_AWAIT 0x2000
#define PyCF_ALLOW_INCOMPLETE_INPUT 0x4000
#define _PyCompilerFlags_INIT {0, 11}

PyAPI_FUNC(PyObject *) Py_CompileString(const char *str, const char *filename, int start);
PyAPI_FUNC(PyObject *) Py_CompileStringExFlags(const char *str, const char *filename,
                                               int start, PyCompilerFlags *flags,
                                               int optimize);
PyAPI_FUNC(PyObject *) PyRun_StringFlags(const char *str, int start, PyObject *globals,
                                         PyObject *locals, PyCompilerFlags *flags);
PyAPI_FUNC(PyObject *) PyRun_String(const char *str, int start, PyObject *globals,
                                    PyObject *locals);
PyAPI_FUNC(int) PyRun_SimpleStringFlags(const char *command, PyCompilerFlags *flags);
PyAPI_FUNC(int) PyRun_SimpleString(const char *command);
#define PyRun_String(str, s, g, l) PyRun_StringFlags((str), (s), (g), (l), _Py_NULL)
#define PyRun_SimpleString(s) PyRun_SimpleStringFlags((s), _Py_NULL)

/* ---- file objects ---------------------------------------------------------------------- */
PyAPI_FUNC(PyObject *) PyFile_FromFd(int, const char *, const char *, int, const char *,
                                     const char *, const char *, int);
PyAPI_FUNC(PyObject *) PyFile_GetLine(PyObject *, int);
PyAPI_FUNC(int) PyFile_WriteObject(PyObject *, PyObject *, int);
PyAPI_FUNC(int) PyFile_WriteString(const char *, PyObject *);
PyAPI_FUNC(int) PyObject_AsFileDescriptor(PyObject *);

#endif /* THICKET_PYTHONRUN_H */
