/* getargs.c: the argument parsers of the C-API — PyArg_ParseTuple,
 * PyArg_ParseTupleAndKeywords, PyArg_Parse, PyArg_VaParse,
 * PyArg_VaParseTupleAndKeywords (each also as _SizeT), PyArg_UnpackTuple,
 * PyArg_ValidateKeywordArguments, _PyArg_NoKeywords and _PyArg_NoPositional —
 * written from CPython 3.11's documented behaviour and error messages.
 *
 * Without the _SizeT flavour (no PY_SSIZE_T_CLEAN in the extension) every '#'
 * unit fails with SystemError, as in 3.11.  Buffers taken by s* y* z* w*, memory
 * allocated for es/et and O& converters that answer Py_CLEANUP_SUPPORTED are
 * recorded, and released (converters are called again with NULL) when a later
 * unit fails.  Not supported: the removed Py_UNICODE units u, u#, Z, Z# (they
 * raise SystemError).  es/et encode utf-8, ascii and latin-1 here; any other
 * encoding goes to PyUnicode_AsEncodedString.  Malformed formats that abort
 * CPython (an unmatched ')' or '(') raise SystemError here instead.
 *
 * Non-variadic C-API this file relies on (the Rust side must export these names):
 *   functions: PyBuffer_FillInfo PyBuffer_IsContiguous PyBuffer_Release
 *     PyByteArray_AsString PyByteArray_Size PyBytes_AsString PyBytes_Size
 *     PyComplex_AsCComplex PyDict_GetItemWithError PyDict_Next PyDict_Size
 *     PyErr_Clear PyErr_NoMemory PyErr_Occurred PyErr_SetString PyFloat_AsDouble
 *     PyLong_AsLong PyLong_AsLongLong PyLong_AsSsize_t PyLong_AsUnsignedLongLongMask
 *     PyLong_AsUnsignedLongMask PyMem_Free PyMem_Malloc PyNumber_Index
 *     PyObject_GetBuffer PyObject_IsTrue PySequence_Check PySequence_GetItem
 *     PySequence_Size PyType_IsSubtype PyUnicode_AsASCIIString
 *     PyUnicode_AsEncodedString PyUnicode_AsLatin1String PyUnicode_AsUTF8AndSize
 *     PyUnicode_AsUTF8String PyUnicode_CompareWithASCIIString PyUnicode_FromString
 *     PyUnicode_GetLength PyUnicode_ReadChar _PyErr_BadInternalCall
 *     (PyErr_BadInternalCall) _Py_Dealloc (Py_DECREF); and format.c's
 *   data: _Py_NoneStruct PyByteArray_Type PyMemoryView_Type PyDict_Type PyTuple_Type
 *     PyExc_OverflowError PyExc_SystemError PyExc_TypeError PyExc_ValueError
 *   struct fields (3.11 layout): ob_refcnt, ob_type, tp_flags, tp_name,
 *     tp_as_buffer->bf_releasebuffer, PyTupleObject ob_size/ob_item
 *     (PyTuple_GET_SIZE/GET_ITEM), Py_buffer buf/len
 */
#include "capi_c.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define MAX_NESTING 30

/* ASCII letters: the format units (no locale, no data symbol needed). */
#define IS_LETTER(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define MSG_SIZE 512

/* ---- things to undo when a later unit fails ---------------------------------- */

typedef int (*undo_fn)(PyObject *, void *);

typedef struct {
    void *item;
    undo_fn undo;
} undo_entry;

typedef struct {
    undo_entry *entries;
    int count;
    int cap;
    undo_entry local[8];
} undo_list;

static void undo_init(undo_list *u)
{
    u->entries = u->local;
    u->count = 0;
    u->cap = (int)(sizeof u->local / sizeof u->local[0]);
}

static int undo_push(undo_list *u, void *item, undo_fn undo)
{
    if (u->count == u->cap) {
        int cap = u->cap * 2;
        undo_entry *grown = PyMem_Malloc((size_t)cap * sizeof(undo_entry));
        if (grown == NULL) {
            PyErr_NoMemory();
            /* Nothing was recorded: undo this one item right away. */
            undo(NULL, item);
            return -1;
        }
        memcpy(grown, u->entries, (size_t)u->count * sizeof(undo_entry));
        if (u->entries != u->local)
            PyMem_Free(u->entries);
        u->entries = grown;
        u->cap = cap;
    }
    u->entries[u->count].item = item;
    u->entries[u->count].undo = undo;
    u->count++;
    return 0;
}

/* Ends a parse: on failure everything recorded is undone; returns `ok`. */
static int undo_finish(undo_list *u, int ok)
{
    if (!ok)
        for (int i = 0; i < u->count; i++)
            u->entries[i].undo(NULL, u->entries[i].item);
    if (u->entries != u->local)
        PyMem_Free(u->entries);
    u->entries = u->local;
    u->count = 0;
    return ok;
}

static int undo_buffer(PyObject *unused, void *view)
{
    (void)unused;
    PyBuffer_Release((Py_buffer *)view);
    return 0;
}

static int undo_memory(PyObject *unused, void *ptr)
{
    (void)unused;
    PyMem_Free(ptr);
    return 0;
}

/* ---- one parse ------------------------------------------------------------------ */

typedef struct {
    va_list *va;
    int flags;
    undo_list *undo;
    char *msg; /* MSG_SIZE bytes for the "must be X, not Y" text */
} parser;

/* A conversion returns NULL on success, else a message for report().  When the
 * exception is already set it returns p->msg (report() then leaves it alone). */
#define FAILED_WITH_EXCEPTION(p) return (p)->msg

static const char *expected(parser *p, const char *what, PyObject *arg)
{
    if (what[0] == '(') {
        /* Internal trouble: the text is used as it stands, as a SystemError. */
        snprintf(p->msg, MSG_SIZE, "%s", what);
    }
    else {
        snprintf(p->msg, MSG_SIZE, "must be %.50s, not %.50s", what,
                 arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
    }
    return p->msg;
}

static const char *internal_trouble(parser *p, const char *what)
{
    snprintf(p->msg, MSG_SIZE, "%s", what);
    return p->msg;
}

#define NEED_SSIZE_T_CLEAN(p)                                                        \
    do {                                                                             \
        if (!((p)->flags & TK_FLAG_SIZE_T)) {                                        \
            PyErr_SetString(PyExc_SystemError,                                       \
                            "PY_SSIZE_T_CLEAN macro must be defined for '#' formats"); \
            FAILED_WITH_EXCEPTION(p);                                                \
        }                                                                            \
    } while (0)

static int simple_buffer(PyObject *arg, Py_buffer *view, const char **what)
{
    if (PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) != 0) {
        *what = "bytes-like object";
        return -1;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        *what = "contiguous buffer";
        return -1;
    }
    return 0;
}

/* The data pointer of a read-only buffer that stays valid without being held:
 * types that need their buffers released (bytearray, memoryview, ...) are refused. */
static Py_ssize_t borrowed_buffer(PyObject *arg, const void **data, const char **what)
{
    if (!PyBytes_Check(arg)) {
        PyBufferProcs *procs = Py_TYPE(arg)->tp_as_buffer;
        if (PyByteArray_Check(arg) || PyMemoryView_Check(arg) || (procs != NULL && procs->bf_releasebuffer != NULL)) {
            *what = "read-only bytes-like object";
            return -1;
        }
    }
    Py_buffer view;
    if (simple_buffer(arg, &view, what) < 0)
        return -1;
    *data = view.buf;
    Py_ssize_t len = view.len;
    PyBuffer_Release(&view);
    return len;
}

static PyObject *encode_text(PyObject *text, const char *encoding)
{
    char name[24];
    size_t i = 0;
    for (; encoding[i] != '\0' && i + 1 < sizeof name; i++) {
        char c = encoding[i];
        name[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c == '_' ? '-' : c;
    }
    name[i] = '\0';
    if (encoding[i] == '\0') {
        if (!strcmp(name, "utf-8") || !strcmp(name, "utf8"))
            return PyUnicode_AsUTF8String(text);
        if (!strcmp(name, "ascii") || !strcmp(name, "us-ascii"))
            return PyUnicode_AsASCIIString(text);
        if (!strcmp(name, "latin-1") || !strcmp(name, "latin1") || !strcmp(name, "iso-8859-1") ||
            !strcmp(name, "iso8859-1"))
            return PyUnicode_AsLatin1String(text);
    }
    return PyUnicode_AsEncodedString(text, encoding, NULL);
}

/* es, et, es#, et#: the format points after the 'e'. */
static const char *convert_encoded(PyObject *arg, const char **pf, parser *p)
{
    const char *f = *pf;
    const char *encoding = va_arg(*p->va, const char *);
    if (encoding == NULL)
        encoding = "utf-8";
    int always_encode;
    if (*f == 's')
        always_encode = 1;
    else if (*f == 't')
        always_encode = 0;
    else
        return expected(p, "(unknown parser marker combination)", arg);
    f++;
    char **out = va_arg(*p->va, char **);
    int with_length = (*f == '#');
    if (with_length)
        f++;
    *pf = f;

    PyObject *holder;
    const char *data;
    Py_ssize_t size;
    if (!always_encode && PyBytes_Check(arg)) {
        holder = arg;
        Py_INCREF(holder);
        data = PyBytes_AsString(arg);
        size = PyBytes_Size(arg);
    }
    else if (!always_encode && PyByteArray_Check(arg)) {
        holder = arg;
        Py_INCREF(holder);
        data = PyByteArray_AsString(arg);
        size = PyByteArray_Size(arg);
    }
    else if (PyUnicode_Check(arg)) {
        holder = encode_text(arg, encoding);
        if (holder == NULL)
            return expected(p, "(encoding failed)", arg);
        if (!PyBytes_Check(holder)) {
            Py_DECREF(holder);
            return expected(p, "(encoder failed to return bytes)", arg);
        }
        data = PyBytes_AsString(holder);
        size = PyBytes_Size(holder);
    }
    else {
        return expected(p, always_encode ? "str" : "str, bytes or bytearray", arg);
    }

    if (with_length) {
        /* 3.11 looks at PY_SSIZE_T_CLEAN only once the value is converted. */
        if (!(p->flags & TK_FLAG_SIZE_T)) {
            Py_DECREF(holder);
            NEED_SSIZE_T_CLEAN(p);
        }
        Py_ssize_t *out_len = va_arg(*p->va, Py_ssize_t *);
        if (*out == NULL) {
            /* We allocate; the caller frees with PyMem_Free. */
            *out = PyMem_Malloc((size_t)size + 1);
            if (*out == NULL) {
                Py_DECREF(holder);
                PyErr_NoMemory();
                FAILED_WITH_EXCEPTION(p);
            }
            if (undo_push(p->undo, *out, undo_memory) < 0) {
                Py_DECREF(holder);
                return expected(p, "(cleanup problem)", arg);
            }
        }
        else if (size + 1 > *out_len) {
            /* The caller's buffer, with room for *out_len bytes incl. the NUL. */
            Py_DECREF(holder);
            _thicket_capi_format_error(PyExc_ValueError, "encoded string too long (%zd, maximum length %zd)",
                                       size, *out_len - 1);
            FAILED_WITH_EXCEPTION(p);
        }
        memcpy(*out, data, (size_t)size + 1);
        *out_len = size;
    }
    else {
        if ((Py_ssize_t)strlen(data) != size) {
            Py_DECREF(holder);
            return expected(p, "encoded string without null bytes", arg);
        }
        *out = PyMem_Malloc((size_t)size + 1);
        if (*out == NULL) {
            Py_DECREF(holder);
            PyErr_NoMemory();
            FAILED_WITH_EXCEPTION(p);
        }
        if (undo_push(p->undo, *out, undo_memory) < 0) {
            Py_DECREF(holder);
            return expected(p, "(cleanup problem)", arg);
        }
        memcpy(*out, data, (size_t)size + 1);
    }
    Py_DECREF(holder);
    return NULL;
}

/* s s# s* z z# z* */
static const char *convert_text(PyObject *arg, const char **pf, parser *p, char unit)
{
    const char *f = *pf;
    const char *what;
    if (*f == '*') {
        Py_buffer *view = va_arg(*p->va, Py_buffer *);
        *pf = f + 1;
        if (unit == 'z' && arg == Py_None) {
            PyBuffer_FillInfo(view, NULL, NULL, 0, 1, 0);
        }
        else if (PyUnicode_Check(arg)) {
            Py_ssize_t len;
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
            if (utf8 == NULL)
                return expected(p, "(unicode conversion error)", arg);
            PyBuffer_FillInfo(view, arg, (void *)utf8, len, 1, 0);
        }
        else if (simple_buffer(arg, view, &what) < 0) {
            return expected(p, what, arg);
        }
        if (undo_push(p->undo, view, undo_buffer) < 0)
            return expected(p, "(cleanup problem)", arg);
        return NULL;
    }
    if (*f == '#') {
        const char **out = va_arg(*p->va, const char **);
        NEED_SSIZE_T_CLEAN(p);
        Py_ssize_t *out_len = va_arg(*p->va, Py_ssize_t *);
        *pf = f + 1;
        if (unit == 'z' && arg == Py_None) {
            *out = NULL;
            *out_len = 0;
        }
        else if (PyUnicode_Check(arg)) {
            Py_ssize_t len;
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
            if (utf8 == NULL)
                return expected(p, "(unicode conversion error)", arg);
            *out = utf8;
            *out_len = len;
        }
        else {
            const void *data;
            Py_ssize_t len = borrowed_buffer(arg, &data, &what);
            if (len < 0)
                return expected(p, what, arg);
            *out = data;
            *out_len = len;
        }
        return NULL;
    }
    const char **out = va_arg(*p->va, const char **);
    if (unit == 'z' && arg == Py_None) {
        *out = NULL;
        return NULL;
    }
    if (!PyUnicode_Check(arg))
        return expected(p, unit == 'z' ? "str or None" : "str", arg);
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &len);
    if (utf8 == NULL)
        return expected(p, "(unicode conversion error)", arg);
    if ((Py_ssize_t)strlen(utf8) != len) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        FAILED_WITH_EXCEPTION(p);
    }
    *out = utf8;
    return NULL;
}

/* y y# y* */
static const char *convert_bytes(PyObject *arg, const char **pf, parser *p)
{
    const char *f = *pf;
    const char *what;
    if (*f == '*') {
        Py_buffer *view = va_arg(*p->va, Py_buffer *);
        if (simple_buffer(arg, view, &what) < 0)
            return expected(p, what, arg);
        *pf = f + 1;
        if (undo_push(p->undo, view, undo_buffer) < 0)
            return expected(p, "(cleanup problem)", arg);
        return NULL;
    }
    const void **out = (const void **)va_arg(*p->va, const char **);
    Py_ssize_t len = borrowed_buffer(arg, out, &what);
    if (len < 0)
        return expected(p, what, arg);
    if (*f == '#') {
        NEED_SSIZE_T_CLEAN(p);
        Py_ssize_t *out_len = va_arg(*p->va, Py_ssize_t *);
        *out_len = len;
        *pf = f + 1;
    }
    else if ((Py_ssize_t)strlen((const char *)*out) != len) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        FAILED_WITH_EXCEPTION(p);
    }
    return NULL;
}

static const char *range_error(parser *p, const char *message)
{
    PyErr_SetString(PyExc_OverflowError, message);
    FAILED_WITH_EXCEPTION(p);
}

/* One unit that is not a parenthesised group. */
static const char *convert_simple(PyObject *arg, const char **pf, parser *p)
{
    char unit = *(*pf)++;
    long v;

    switch (unit) {
    case 'b': {
        unsigned char *out = va_arg(*p->va, unsigned char *);
        v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        if (v < 0)
            return range_error(p, "unsigned byte integer is less than minimum");
        if (v > UCHAR_MAX)
            return range_error(p, "unsigned byte integer is greater than maximum");
        *out = (unsigned char)v;
        return NULL;
    }
    case 'h': {
        short *out = va_arg(*p->va, short *);
        v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        if (v < SHRT_MIN)
            return range_error(p, "signed short integer is less than minimum");
        if (v > SHRT_MAX)
            return range_error(p, "signed short integer is greater than maximum");
        *out = (short)v;
        return NULL;
    }
    case 'i': {
        int *out = va_arg(*p->va, int *);
        v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        if (v > INT_MAX)
            return range_error(p, "signed integer is greater than maximum");
        if (v < INT_MIN)
            return range_error(p, "signed integer is less than minimum");
        *out = (int)v;
        return NULL;
    }
    case 'l': {
        long *out = va_arg(*p->va, long *);
        v = PyLong_AsLong(arg);
        if (v == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = v;
        return NULL;
    }
    case 'B':
    case 'H':
    case 'I': {
        /* No range check: the value is taken modulo 2**bits. */
        void *out = va_arg(*p->va, void *);
        unsigned long u = PyLong_AsUnsignedLongMask(arg);
        if (u == (unsigned long)-1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        if (unit == 'B')
            *(unsigned char *)out = (unsigned char)u;
        else if (unit == 'H')
            *(unsigned short *)out = (unsigned short)u;
        else
            *(unsigned int *)out = (unsigned int)u;
        return NULL;
    }
    case 'k': {
        unsigned long *out = va_arg(*p->va, unsigned long *);
        if (!PyLong_Check(arg))
            return expected(p, "int", arg);
        unsigned long u = PyLong_AsUnsignedLongMask(arg);
        if (u == (unsigned long)-1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = u;
        return NULL;
    }
    case 'K': {
        unsigned long long *out = va_arg(*p->va, unsigned long long *);
        if (!PyLong_Check(arg))
            return expected(p, "int", arg);
        unsigned long long u = PyLong_AsUnsignedLongLongMask(arg);
        if (u == (unsigned long long)-1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = u;
        return NULL;
    }
    case 'L': {
        long long *out = va_arg(*p->va, long long *);
        long long ll = PyLong_AsLongLong(arg);
        if (ll == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = ll;
        return NULL;
    }
    case 'n': {
        Py_ssize_t *out = va_arg(*p->va, Py_ssize_t *);
        Py_ssize_t n = -1;
        PyObject *index = PyNumber_Index(arg);
        if (index != NULL) {
            n = PyLong_AsSsize_t(index);
            Py_DECREF(index);
        }
        if (n == -1 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = n;
        return NULL;
    }
    case 'f':
    case 'd': {
        void *out = va_arg(*p->va, void *);
        double d = PyFloat_AsDouble(arg);
        if (d == -1.0 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        if (unit == 'f')
            *(float *)out = (float)d;
        else
            *(double *)out = d;
        return NULL;
    }
    case 'D': {
        Py_complex *out = va_arg(*p->va, Py_complex *);
        Py_complex c = PyComplex_AsCComplex(arg);
        if (c.real == -1.0 && PyErr_Occurred())
            FAILED_WITH_EXCEPTION(p);
        *out = c;
        return NULL;
    }
    case 'c': {
        char *out = va_arg(*p->va, char *);
        if (PyBytes_Check(arg) && PyBytes_Size(arg) == 1)
            *out = PyBytes_AsString(arg)[0];
        else if (PyByteArray_Check(arg) && PyByteArray_Size(arg) == 1)
            *out = PyByteArray_AsString(arg)[0];
        else
            return expected(p, "a byte string of length 1", arg);
        return NULL;
    }
    case 'C': {
        int *out = va_arg(*p->va, int *);
        if (!PyUnicode_Check(arg) || PyUnicode_GetLength(arg) != 1)
            return expected(p, "a unicode character", arg);
        *out = (int)PyUnicode_ReadChar(arg, 0);
        return NULL;
    }
    case 'p': {
        int *out = va_arg(*p->va, int *);
        int truth = PyObject_IsTrue(arg);
        if (truth < 0)
            FAILED_WITH_EXCEPTION(p);
        *out = truth;
        return NULL;
    }
    case 's':
    case 'z':
        return convert_text(arg, pf, p, unit);
    case 'y':
        return convert_bytes(arg, pf, p);
    case 'e':
        return convert_encoded(arg, pf, p);
    case 'S':
    case 'Y':
    case 'U': {
        PyObject **out = va_arg(*p->va, PyObject **);
        int ok = unit == 'S' ? PyBytes_Check(arg) : unit == 'Y' ? PyByteArray_Check(arg) : PyUnicode_Check(arg);
        if (!ok)
            return expected(p, unit == 'S' ? "bytes" : unit == 'Y' ? "bytearray" : "str", arg);
        *out = arg;
        return NULL;
    }
    case 'O': {
        if (**pf == '!') {
            PyTypeObject *type = va_arg(*p->va, PyTypeObject *);
            PyObject **out = va_arg(*p->va, PyObject **);
            (*pf)++;
            if (!PyType_IsSubtype(Py_TYPE(arg), type))
                return expected(p, type->tp_name, arg);
            *out = arg;
            return NULL;
        }
        if (**pf == '&') {
            int (*convert)(PyObject *, void *) = va_arg(*p->va, int (*)(PyObject *, void *));
            void *target = va_arg(*p->va, void *);
            (*pf)++;
            int rc = convert(arg, target);
            if (rc == 0)
                return expected(p, "(unspecified)", arg);
            if (rc == Py_CLEANUP_SUPPORTED && undo_push(p->undo, target, convert) < 0)
                return expected(p, "(cleanup problem)", arg);
            return NULL;
        }
        PyObject **out = va_arg(*p->va, PyObject **);
        *out = arg;
        return NULL;
    }
    case 'w': {
        Py_buffer *view = va_arg(*p->va, Py_buffer *);
        if (**pf != '*')
            return expected(p, "(invalid use of 'w' format character)", arg);
        (*pf)++;
        if (PyObject_GetBuffer(arg, view, PyBUF_WRITABLE) < 0) {
            PyErr_Clear();
            return expected(p, "read-write bytes-like object", arg);
        }
        if (!PyBuffer_IsContiguous(view, 'C')) {
            PyBuffer_Release(view);
            return expected(p, "contiguous buffer", arg);
        }
        if (undo_push(p->undo, view, undo_buffer) < 0)
            return expected(p, "(cleanup problem)", arg);
        return NULL;
    }
    case 'u':
    case 'Z':
        PyErr_SetString(PyExc_SystemError, "the Py_UNICODE format units u, u#, Z and Z# are not supported");
        FAILED_WITH_EXCEPTION(p);
    default:
        return expected(p, "(impossible<bad format char>)", arg);
    }
}

static const char *convert_item(PyObject *arg, const char **pf, parser *p, int *levels);

/* Number of values a group holds; `f` points after its '('. */
static int group_size(const char *f)
{
    int depth = 0, n = 0;
    for (;; f++) {
        char c = *f;
        if (c == '(') {
            if (depth == 0)
                n++;
            depth++;
        }
        else if (c == ')') {
            if (depth == 0)
                break;
            depth--;
        }
        else if (c == ':' || c == ';' || c == '\0')
            break;
        else if (depth == 0 && IS_LETTER(c) && c != 'e')
            n++;
    }
    return n;
}

/* A parenthesised group; `*pf` points after its '('. */
static const char *convert_group(PyObject *arg, const char **pf, parser *p, int *levels)
{
    int n = group_size(*pf);
    /* 3.11 refuses bytes here, but takes str as a sequence of characters. */
    if (!PySequence_Check(arg) || PyBytes_Check(arg)) {
        levels[0] = 0;
        snprintf(p->msg, MSG_SIZE, "must be %d-item sequence, not %.50s", n,
                 arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
        return p->msg;
    }
    Py_ssize_t len = PySequence_Size(arg);
    if (len != n) {
        levels[0] = 0;
        snprintf(p->msg, MSG_SIZE, "must be sequence of length %d, not %zd", n, len);
        return p->msg;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(arg, i);
        if (item == NULL) {
            PyErr_Clear();
            levels[0] = i + 1;
            levels[1] = 0;
            return internal_trouble(p, "is not retrievable");
        }
        const char *msg = convert_item(item, pf, p, levels + 1);
        /* Borrowed results (s, O, ...) stay valid through the sequence itself. */
        Py_DECREF(item);
        if (msg != NULL) {
            levels[0] = i + 1;
            return msg;
        }
    }
    return NULL;
}

static const char *convert_item(PyObject *arg, const char **pf, parser *p, int *levels)
{
    if (**pf == '(') {
        (*pf)++;
        const char *msg = convert_group(arg, pf, p, levels);
        if (msg == NULL)
            (*pf)++; /* the ')' */
        return msg;
    }
    const char *msg = convert_simple(arg, pf, p);
    if (msg != NULL)
        levels[0] = 0;
    return msg;
}

/* Raises the error for argument `index` (1-based; 0: unnamed) unless one is set. */
static void report(Py_ssize_t index, const char *msg, const int *levels, const char *fname, const char *custom)
{
    char text[MSG_SIZE];
    if (PyErr_Occurred())
        return;
    if (custom == NULL) {
        size_t used = 0;
        text[0] = '\0';
        if (fname != NULL)
            used += (size_t)snprintf(text, sizeof text, "%.200s() ", fname);
        if (index != 0) {
            used += (size_t)snprintf(text + used, sizeof text - used, "argument %zd", index);
            for (int i = 0; i < 32 && levels[i] > 0 && used < 220; i++)
                used += (size_t)snprintf(text + used, sizeof text - used, ", item %d", levels[i] - 1);
        }
        else {
            used += (size_t)snprintf(text + used, sizeof text - used, "argument");
        }
        snprintf(text + used, sizeof text - used, " %.256s", msg);
        custom = text;
    }
    PyErr_SetString(msg[0] == '(' ? PyExc_SystemError : PyExc_TypeError, custom);
}

#define FUNC_NAME(fname) ((fname) == NULL ? "function" : (fname))
#define FUNC_PARENS(fname) ((fname) == NULL ? "" : "()")

/* PyArg_ParseTuple, PyArg_VaParse and (compat) PyArg_Parse. */
static int parse_positional(PyObject *args, const char *format, va_list *va, int flags, int compat)
{
    char msgbuf[MSG_SIZE];
    int levels[32];
    undo_list undo;
    parser p = {va, flags, &undo, msgbuf};
    const char *fname = NULL, *custom = NULL;
    int min = -1, max = 0, depth = 0;
    const char *f;

    /* A first pass counts the top-level units and finds ':' or ';'. */
    for (f = format; *f != '\0'; f++) {
        char c = *f;
        if (c == '(') {
            if (depth == 0)
                max++;
            if (++depth >= MAX_NESTING) {
                PyErr_SetString(PyExc_SystemError, "too many tuple nesting levels in argument format string");
                return 0;
            }
        }
        else if (c == ')') {
            if (depth == 0) {
                PyErr_SetString(PyExc_SystemError, "excess ')' in getargs format");
                return 0;
            }
            depth--;
        }
        else if (c == ':') {
            fname = f + 1;
            break;
        }
        else if (c == ';') {
            custom = f + 1;
            break;
        }
        else if (c == '|') {
            if (depth == 0)
                min = max;
        }
        else if (depth == 0 && IS_LETTER(c) && c != 'e') {
            max++;
        }
    }
    if (depth != 0) {
        PyErr_SetString(PyExc_SystemError, "missing ')' in getargs format");
        return 0;
    }
    if (min < 0)
        min = max;

    undo_init(&undo);
    f = format;

    if (compat) {
        if (max == 0) {
            if (args == NULL)
                return 1;
            _thicket_capi_format_error(PyExc_TypeError, "%.200s%s takes no arguments", FUNC_NAME(fname),
                                       FUNC_PARENS(fname));
            return 0;
        }
        if (min == 1 && max == 1) {
            if (args == NULL) {
                _thicket_capi_format_error(PyExc_TypeError, "%.200s%s takes at least one argument",
                                           FUNC_NAME(fname), FUNC_PARENS(fname));
                return 0;
            }
            const char *msg = convert_item(args, &f, &p, levels);
            if (msg == NULL)
                return undo_finish(&undo, 1);
            report(levels[0], msg, levels + 1, fname, custom);
            return undo_finish(&undo, 0);
        }
        PyErr_SetString(PyExc_SystemError, "old style getargs format uses new features");
        return 0;
    }

    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "new style getargs format but argument is not a tuple");
        return 0;
    }
    Py_ssize_t len = PyTuple_GET_SIZE(args);
    if (len < min || len > max) {
        if (custom != NULL) {
            PyErr_SetString(PyExc_TypeError, custom);
        }
        else {
            int bound = len < min ? min : max;
            _thicket_capi_format_error(PyExc_TypeError, "%.150s%s takes %s %d argument%s (%zd given)",
                                       FUNC_NAME(fname), FUNC_PARENS(fname),
                                       min == max ? "exactly" : len < min ? "at least" : "at most", bound,
                                       bound == 1 ? "" : "s", len);
        }
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (*f == '|')
            f++;
        const char *msg = convert_item(PyTuple_GET_ITEM(args, i), &f, &p, levels);
        if (msg != NULL) {
            report(i + 1, msg, levels, fname, custom);
            return undo_finish(&undo, 0);
        }
    }
    if (*f != '\0' && !IS_LETTER(*f) && *f != '(' && *f != '|' && *f != ':' && *f != ';') {
        _thicket_capi_format_error(PyExc_SystemError, "bad format string: %.200s", format);
        return undo_finish(&undo, 0);
    }
    return undo_finish(&undo, 1);
}

/* Steps over one unit without converting, consuming its va_list slots (none when
 * `va` is NULL).  Returns NULL, or a message for a broken format. */
static const char *skip_unit(const char **pf, va_list *va, int flags)
{
    const char *f = *pf;
    char c = *f++;
    switch (c) {
    case 'b':
    case 'B':
    case 'h':
    case 'H':
    case 'i':
    case 'I':
    case 'l':
    case 'k':
    case 'L':
    case 'K':
    case 'n':
    case 'f':
    case 'd':
    case 'D':
    case 'c':
    case 'C':
    case 'p':
    case 'S':
    case 'Y':
    case 'U':
        if (va != NULL)
            (void)va_arg(*va, void *);
        break;
    case 'e':
        if (va != NULL)
            (void)va_arg(*va, const char *);
        if (*f != 's' && *f != 't') {
            return "impossible<bad format char>";
        }
        f++;
        /* fall through */
    case 's':
    case 'z':
    case 'y':
    case 'u':
    case 'Z':
    case 'w':
        if (va != NULL)
            (void)va_arg(*va, char **);
        if (*f == '#') {
            if (va != NULL) {
                if (!(flags & TK_FLAG_SIZE_T)) {
                    return "PY_SSIZE_T_CLEAN macro must be defined for '#' formats";
                }
                (void)va_arg(*va, Py_ssize_t *);
            }
            f++;
        }
        else if ((c == 's' || c == 'z' || c == 'y' || c == 'w') && *f == '*') {
            f++;
        }
        break;
    case 'O':
        if (*f == '!') {
            f++;
            if (va != NULL) {
                (void)va_arg(*va, PyTypeObject *);
                (void)va_arg(*va, PyObject **);
            }
        }
        else if (*f == '&') {
            f++;
            if (va != NULL) {
                (void)va_arg(*va, int (*)(PyObject *, void *));
                (void)va_arg(*va, void *);
            }
        }
        else if (va != NULL) {
            (void)va_arg(*va, PyObject **);
        }
        break;
    case '(':
        while (*f != ')') {
            const char *msg = skip_unit(&f, va, flags);
            if (msg != NULL) {
                return msg;
            }
        }
        f++;
        break;
    case ')':
        return "excess ')' in getargs format";
    default:
        return "impossible<bad format char>";
    }
    *pf = f;
    return NULL;
}

/* The value of keyword `name` in `kwargs` (borrowed), NULL when absent or on error. */
static PyObject *keyword_value(PyObject *kwargs, const char *name)
{
    PyObject *key = PyUnicode_FromString(name);
    if (key == NULL)
        return NULL;
    PyObject *value = PyDict_GetItemWithError(kwargs, key);
    Py_DECREF(key);
    return value;
}

#define AT_FORMAT_END(c) ((c) == '\0' || (c) == ';' || (c) == ':')

static int parse_keywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, va_list *va,
                          int flags)
{
    char msgbuf[MSG_SIZE];
    int levels[32];
    undo_list undo;
    parser p = {va, flags, &undo, msgbuf};
    const char *fname = strchr(format, ':');
    const char *custom = NULL;
    int npositional_only, nnames;
    int min = INT_MAX, max = INT_MAX; /* first optional / first keyword-only index */
    int deferred = 0;                 /* a positional-only argument is missing */
    int i;

    if (fname != NULL) {
        fname++;
    }
    else {
        custom = strchr(format, ';');
        if (custom != NULL)
            custom++;
    }
    for (npositional_only = 0; kwlist[npositional_only] != NULL && kwlist[npositional_only][0] == '\0';
         npositional_only++) {
    }
    for (nnames = npositional_only; kwlist[nnames] != NULL; nnames++) {
        if (kwlist[nnames][0] == '\0') {
            PyErr_SetString(PyExc_SystemError, "Empty keyword parameter name");
            return 0;
        }
    }

    undo_init(&undo);
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    Py_ssize_t nkwargs = kwargs == NULL ? 0 : PyDict_Size(kwargs);
    if (nargs + nkwargs > nnames) {
        _thicket_capi_format_error(PyExc_TypeError, "%.200s%s takes at most %d %sargument%s (%zd given)",
                                   FUNC_NAME(fname), FUNC_PARENS(fname), nnames, nargs == 0 ? "keyword " : "",
                                   nnames == 1 ? "" : "s", nargs + nkwargs);
        return 0;
    }

    const char *f = format;
    for (i = 0; i < nnames; i++) {
        if (*f == '|') {
            if (min != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string (| specified twice)");
                return undo_finish(&undo, 0);
            }
            min = i;
            f++;
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ before |)");
                return undo_finish(&undo, 0);
            }
        }
        if (*f == '$') {
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ specified twice)");
                return undo_finish(&undo, 0);
            }
            max = i;
            f++;
            if (max < npositional_only) {
                PyErr_SetString(PyExc_SystemError, "Empty parameter name after $");
                return undo_finish(&undo, 0);
            }
            if (deferred)
                break; /* the bounds are known now: report below */
            if (max < nargs) {
                if (max == 0)
                    _thicket_capi_format_error(PyExc_TypeError, "%.200s%s takes no positional arguments",
                                               FUNC_NAME(fname), FUNC_PARENS(fname));
                else
                    _thicket_capi_format_error(PyExc_TypeError,
                                               "%.200s%s takes %s %d positional argument%s (%zd given)",
                                               FUNC_NAME(fname), FUNC_PARENS(fname),
                                               min != INT_MAX ? "at most" : "exactly", max, max == 1 ? "" : "s",
                                               nargs);
                return undo_finish(&undo, 0);
            }
        }
        if (AT_FORMAT_END(*f)) {
            _thicket_capi_format_error(PyExc_SystemError,
                                       "More keyword list entries (%d) than format specifiers (%d)", nnames, i);
            return undo_finish(&undo, 0);
        }
        if (!deferred) {
            PyObject *value = NULL;
            if (i < nargs) {
                value = PyTuple_GET_ITEM(args, i);
            }
            else if (nkwargs > 0 && i >= npositional_only) {
                value = keyword_value(kwargs, kwlist[i]);
                if (value != NULL)
                    nkwargs--;
                else if (PyErr_Occurred())
                    return undo_finish(&undo, 0);
            }
            if (value != NULL) {
                const char *msg = convert_item(value, &f, &p, levels);
                if (msg != NULL) {
                    report(i + 1, msg, levels, fname, custom);
                    return undo_finish(&undo, 0);
                }
                continue;
            }
            if (i < min) {
                if (i < npositional_only) {
                    deferred = 1;
                }
                else {
                    _thicket_capi_format_error(PyExc_TypeError, "%.200s%s missing required argument '%s' (pos %d)",
                                               FUNC_NAME(fname), FUNC_PARENS(fname), kwlist[i], i + 1);
                    return undo_finish(&undo, 0);
                }
            }
            /* Every required argument is in and no keyword is left: done, without
             * looking at the rest of the format (as CPython). */
            if (nkwargs == 0 && !deferred)
                return undo_finish(&undo, 1);
        }
        const char *msg = skip_unit(&f, va, flags);
        if (msg != NULL) {
            _thicket_capi_format_error(PyExc_SystemError, "%s: '%s'", msg, f);
            return undo_finish(&undo, 0);
        }
    }

    if (deferred) {
        int required = npositional_only < min ? npositional_only : min;
        _thicket_capi_format_error(PyExc_TypeError, "%.200s%s takes %s %d positional argument%s (%zd given)",
                                   FUNC_NAME(fname), FUNC_PARENS(fname), required < i ? "at least" : "exactly",
                                   required, required == 1 ? "" : "s", nargs);
        return undo_finish(&undo, 0);
    }
    if (!AT_FORMAT_END(*f) && *f != '|' && *f != '$') {
        _thicket_capi_format_error(PyExc_SystemError,
                                   "more argument specifiers than keyword list entries (remaining format:'%s')", f);
        return undo_finish(&undo, 0);
    }
    if (nkwargs > 0) {
        /* A keyword that also came by position. */
        for (i = npositional_only; i < nargs; i++) {
            PyObject *value = keyword_value(kwargs, kwlist[i]);
            if (value != NULL) {
                _thicket_capi_format_error(PyExc_TypeError, "argument for %.200s%s given by name ('%s') and position (%d)",
                                           FUNC_NAME(fname), FUNC_PARENS(fname), kwlist[i], i + 1);
                return undo_finish(&undo, 0);
            }
            if (PyErr_Occurred())
                return undo_finish(&undo, 0);
        }
        /* A keyword that names no parameter. */
        Py_ssize_t pos = 0;
        PyObject *key;
        while (PyDict_Next(kwargs, &pos, &key, NULL)) {
            if (!PyUnicode_Check(key)) {
                PyErr_SetString(PyExc_TypeError, "keywords must be strings");
                return undo_finish(&undo, 0);
            }
            int known = 0;
            for (i = npositional_only; i < nnames && !known; i++)
                known = PyUnicode_CompareWithASCIIString(key, kwlist[i]) == 0;
            if (!known) {
                _thicket_capi_format_error(PyExc_TypeError, "'%U' is an invalid keyword argument for %.200s%s", key,
                                           fname == NULL ? "this function" : fname, FUNC_PARENS(fname));
                return undo_finish(&undo, 0);
            }
        }
    }
    return undo_finish(&undo, 1);
}

/* ---- the exported entry points --------------------------------------------------- */

static int parse_tuple_va(PyObject *args, const char *format, va_list va, int flags, int compat)
{
    va_list copy;
    va_copy(copy, va);
    int ok = parse_positional(args, format, &copy, flags, compat);
    va_end(copy);
    return ok;
}

static int parse_keywords_va(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, va_list va,
                             int flags)
{
    if (args == NULL || !PyTuple_Check(args) || (kwargs != NULL && !PyDict_Check(kwargs)) || format == NULL ||
        kwlist == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    va_list copy;
    va_copy(copy, va);
    int ok = parse_keywords(args, kwargs, format, kwlist, &copy, flags);
    va_end(copy);
    return ok;
}

int THICKET_EXPORT(PyArg_Parse)(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_tuple_va(args, format, va, 0, 1);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(_PyArg_Parse_SizeT)(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_tuple_va(args, format, va, TK_FLAG_SIZE_T, 1);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(PyArg_ParseTuple)(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_tuple_va(args, format, va, 0, 0);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(_PyArg_ParseTuple_SizeT)(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_tuple_va(args, format, va, TK_FLAG_SIZE_T, 0);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(PyArg_VaParse)(PyObject *args, const char *format, va_list va)
{
    return parse_tuple_va(args, format, va, 0, 0);
}

int THICKET_EXPORT(_PyArg_VaParse_SizeT)(PyObject *args, const char *format, va_list va)
{
    return parse_tuple_va(args, format, va, TK_FLAG_SIZE_T, 0);
}

int THICKET_EXPORT(PyArg_ParseTupleAndKeywords)(PyObject *args, PyObject *kwargs, const char *format,
                                                char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = parse_keywords_va(args, kwargs, format, kwlist, va, 0);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(_PyArg_ParseTupleAndKeywords_SizeT)(PyObject *args, PyObject *kwargs, const char *format,
                                                       char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = parse_keywords_va(args, kwargs, format, kwlist, va, TK_FLAG_SIZE_T);
    va_end(va);
    return ok;
}

int THICKET_EXPORT(PyArg_VaParseTupleAndKeywords)(PyObject *args, PyObject *kwargs, const char *format,
                                                  char **kwlist, va_list va)
{
    return parse_keywords_va(args, kwargs, format, kwlist, va, 0);
}

int THICKET_EXPORT(_PyArg_VaParseTupleAndKeywords_SizeT)(PyObject *args, PyObject *kwargs, const char *format,
                                                         char **kwlist, va_list va)
{
    return parse_keywords_va(args, kwargs, format, kwlist, va, TK_FLAG_SIZE_T);
}

int THICKET_EXPORT(PyArg_UnpackTuple)(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max, ...)
{
    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n < min || (n > 0 && n > max)) {
        int too_few = n < min;
        Py_ssize_t bound = too_few ? min : max;
        const char *qualifier = min == max ? "" : too_few ? "at least " : "at most ";
        if (name != NULL)
            _thicket_capi_format_error(PyExc_TypeError, "%.200s expected %s%zd argument%s, got %zd", name, qualifier,
                                       bound, bound == 1 ? "" : "s", n);
        else
            _thicket_capi_format_error(PyExc_TypeError, "unpacked tuple should have %s%zd element%s, but has %zd",
                                       qualifier, bound, bound == 1 ? "" : "s", n);
        return 0;
    }
    va_list va;
    va_start(va, max);
    for (Py_ssize_t i = 0; i < n; i++)
        *va_arg(va, PyObject **) = PyTuple_GET_ITEM(args, i);
    va_end(va);
    return 1;
}

int THICKET_EXPORT(PyArg_ValidateKeywordArguments)(PyObject *kwargs)
{
    if (kwargs == NULL || !PyDict_Check(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}

/* CPython's headers also define these two names as function-like macros: the
 * parentheses keep the definitions from being expanded. */
int(THICKET_EXPORT(_PyArg_NoKeywords))(const char *funcname, PyObject *kwargs)
{
    if (kwargs == NULL)
        return 1;
    if (!PyDict_CheckExact(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (PyDict_Size(kwargs) == 0)
        return 1;
    _thicket_capi_format_error(PyExc_TypeError, "%.200s() takes no keyword arguments", funcname);
    return 0;
}

int(THICKET_EXPORT(_PyArg_NoPositional))(const char *funcname, PyObject *args)
{
    if (args == NULL)
        return 1;
    if (!PyTuple_CheckExact(args)) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (PyTuple_GET_SIZE(args) == 0)
        return 1;
    _thicket_capi_format_error(PyExc_TypeError, "%.200s() takes no positional arguments", funcname);
    return 0;
}
