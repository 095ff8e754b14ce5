/* selftest.c: a CPython 3.11 extension module for the differential test of
 * cpyext/csrc.  Built together with the C files of cpyext/csrc and -DTHICKET_CAPI_SELFTEST,
 * so that our functions are named tk_test_<name>; each entry point below runs
 * CPython's real function and ours on the same inputs and returns both outcomes
 * (values and outputs, or the exception type and message), which selftest.py
 * compares.
 *
 * The inputs come from Python as a list of "slots", one per C variadic argument.
 * Integer and pointer slots are passed as 64-bit integer arguments and double
 * slots as double arguments, the two kinds in separate runs: on the x86-64 System V
 * and AArch64 (Linux) ABIs va_arg reads them from separate register files (and
 * the integer overflow area in order), so one call shape serves every format.
 */
#include "../../csrc/capi_c.h"

#include <string.h>
#include <wchar.h>

/* PyEval_CallFunction/CallMethod are deprecated in 3.11 but still part of the API. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#if !(defined(__x86_64__) || defined(__aarch64__)) || defined(__APPLE__) || defined(_WIN32)
#error "selftest.c relies on the x86-64 System V / AArch64 Linux variadic ABI"
#endif

/* CPython exports these but its headers do not always declare them. */
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, ...);
PyAPI_FUNC(int) _PyArg_VaParse_SizeT(PyObject *, const char *, va_list);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, va_list);

#define NGP 20
#define NFP 8
#define GP(a)                                                                                               \
    (a)->gp[0], (a)->gp[1], (a)->gp[2], (a)->gp[3], (a)->gp[4], (a)->gp[5], (a)->gp[6], (a)->gp[7], (a)->gp[8], \
        (a)->gp[9], (a)->gp[10], (a)->gp[11], (a)->gp[12], (a)->gp[13], (a)->gp[14], (a)->gp[15], (a)->gp[16], \
        (a)->gp[17], (a)->gp[18], (a)->gp[19]
#define FP(a) (a)->fp[0], (a)->fp[1], (a)->fp[2], (a)->fp[3], (a)->fp[4], (a)->fp[5], (a)->fp[6], (a)->fp[7]
#define VARARGS(a) GP(a), FP(a)

/* ---- slots ------------------------------------------------------------------------ */

enum slot_kind { S_OUT, S_TYPE, S_CONV, S_STR, S_INT, S_DBL, S_OBJ, S_NEWREF, S_NULL, S_WSTR, S_COMPLEX, S_BUFPTR, S_BUFLEN };

typedef struct {
    enum slot_kind kind;
    char ctype[8];     /* S_OUT: what is stored */
    PyObject *obj;     /* S_OBJ, S_NEWREF, S_TYPE */
    void *ptr;         /* pointer passed */
    union {
        long long ll;
        double d;
        Py_complex c;
        Py_buffer view;
        char bytes[64];
    } store;
    Py_ssize_t refcnt_before;
} slot;

typedef struct {
    long long gp[NGP];
    double fp[NFP];
    int ngp, nfp;
    slot *slots;
    Py_ssize_t nslots;
    char outbuf[256]; /* for es# with a caller buffer */
} callargs;

static PyObject *conv_log;

static int conv_to_long(PyObject *obj, void *addr)
{
    if (obj == NULL) {
        PyList_Append(conv_log, PyUnicode_FromString("to_long cleanup"));
        return 1;
    }
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
        return 0;
    *(long *)addr = v;
    return 1;
}

static int conv_cleanup(PyObject *obj, void *addr)
{
    PyObject *entry = PyUnicode_FromString(obj == NULL ? "cleanup called" : "cleanup converted");
    PyList_Append(conv_log, entry);
    Py_DECREF(entry);
    if (obj != NULL)
        *(long *)addr = 4242;
    return Py_CLEANUP_SUPPORTED;
}

static int conv_fail(PyObject *obj, void *addr)
{
    (void)obj;
    (void)addr;
    PyErr_SetString(PyExc_ValueError, "converter failed");
    return 0;
}

static int conv_fail_silently(PyObject *obj, void *addr)
{
    (void)obj;
    (void)addr;
    return 0;
}

static PyObject *build_box(void *arg)
{
    return PyLong_FromSsize_t((Py_ssize_t)arg);
}

static PyObject *build_fail(void *arg)
{
    (void)arg;
    PyErr_SetString(PyExc_ValueError, "builder failed");
    return NULL;
}

static void *named_function(const char *name)
{
    if (!strcmp(name, "to_long"))
        return (void *)conv_to_long;
    if (!strcmp(name, "cleanup"))
        return (void *)conv_cleanup;
    if (!strcmp(name, "fail"))
        return (void *)conv_fail;
    if (!strcmp(name, "fail_silently"))
        return (void *)conv_fail_silently;
    if (!strcmp(name, "box"))
        return (void *)build_box;
    if (!strcmp(name, "build_fail"))
        return (void *)build_fail;
    return NULL;
}

static void push_gp(callargs *a, long long v)
{
    if (a->ngp < NGP)
        a->gp[a->ngp++] = v;
}

/* Reads the slot list; returns -1 with an exception on a bad description. */
static int load_slots(callargs *a, PyObject *list)
{
    memset(a, 0, sizeof *a);
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "slots must be a list");
        return -1;
    }
    a->nslots = PyList_GET_SIZE(list);
    a->slots = PyMem_Calloc((size_t)a->nslots + 1, sizeof(slot));
    for (Py_ssize_t i = 0; i < a->nslots; i++) {
        PyObject *desc = PyList_GET_ITEM(list, i);
        slot *s = &a->slots[i];
        const char *kind;
        PyObject *value = NULL;
        if (!PyArg_ParseTuple(desc, "s|O", &kind, &value))
            return -1;
        if (!strcmp(kind, "out")) {
            s->kind = S_OUT;
            snprintf(s->ctype, sizeof s->ctype, "%s", PyUnicode_AsUTF8(value));
            memset(&s->store, 0x5a, sizeof s->store);
            if (!strcmp(s->ctype, "ptr") || !strcmp(s->ctype, "obj") || !strcmp(s->ctype, "mem"))
                s->store.ll = 0;
            if (!strcmp(s->ctype, "buf"))
                memset(&s->store.view, 0, sizeof s->store.view);
            s->ptr = &s->store;
        }
        else if (!strcmp(kind, "callerbuf")) { /* char* pointing at a buffer of ours */
            s->kind = S_BUFPTR;
            s->store.ll = (long long)(intptr_t)a->outbuf;
            memset(a->outbuf, 0, sizeof a->outbuf);
            s->ptr = &s->store;
        }
        else if (!strcmp(kind, "buflen")) { /* Py_ssize_t in-out length */
            s->kind = S_BUFLEN;
            s->store.ll = PyLong_AsLongLong(value);
            s->ptr = &s->store;
        }
        else if (!strcmp(kind, "type")) {
            s->kind = S_TYPE;
            s->ptr = value;
        }
        else if (!strcmp(kind, "conv")) {
            s->kind = S_CONV;
            s->ptr = named_function(PyUnicode_AsUTF8(value));
        }
        else if (!strcmp(kind, "str")) {
            s->kind = S_STR;
            s->ptr = value == Py_None ? NULL : PyBytes_AsString(value);
        }
        else if (!strcmp(kind, "i")) {
            s->kind = S_INT;
            s->store.ll = (long long)PyLong_AsUnsignedLongLongMask(value);
        }
        else if (!strcmp(kind, "d")) {
            s->kind = S_DBL;
            s->store.d = PyFloat_AsDouble(value);
        }
        else if (!strcmp(kind, "o")) {
            s->kind = S_OBJ;
            s->ptr = value;
        }
        else if (!strcmp(kind, "n")) {
            s->kind = S_NEWREF;
            s->obj = value;
            s->ptr = value;
        }
        else if (!strcmp(kind, "null")) {
            s->kind = S_NULL;
        }
        else if (!strcmp(kind, "w")) {
            s->kind = S_WSTR;
            s->ptr = PyUnicode_AsWideCharString(value, NULL);
        }
        else if (!strcmp(kind, "D")) {
            s->kind = S_COMPLEX;
            s->store.c = PyComplex_AsCComplex(value);
            s->ptr = &s->store.c;
        }
        else {
            PyErr_Format(PyExc_ValueError, "bad slot kind %s", kind);
            return -1;
        }
        if (PyErr_Occurred())
            return -1;
        if (s->kind == S_INT)
            push_gp(a, s->store.ll);
        else if (s->kind == S_DBL) {
            if (a->nfp < NFP)
                a->fp[a->nfp++] = s->store.d;
        }
        else
            push_gp(a, (long long)(intptr_t)s->ptr);
    }
    return 0;
}

static void free_slots(callargs *a)
{
    for (Py_ssize_t i = 0; i < a->nslots; i++)
        if (a->slots[i].kind == S_WSTR)
            PyMem_Free(a->slots[i].ptr);
    PyMem_Free(a->slots);
}

/* Resets the output slots between the two runs. */
static void reset_outputs(callargs *a, PyObject *list)
{
    for (Py_ssize_t i = 0; i < a->nslots; i++) {
        slot *s = &a->slots[i];
        if (s->kind == S_OUT) {
            memset(&s->store, 0x5a, sizeof s->store);
            if (!strcmp(s->ctype, "ptr") || !strcmp(s->ctype, "obj") || !strcmp(s->ctype, "mem"))
                s->store.ll = 0;
            if (!strcmp(s->ctype, "buf"))
                memset(&s->store.view, 0, sizeof s->store.view);
        }
        else if (s->kind == S_BUFPTR) {
            s->store.ll = (long long)(intptr_t)a->outbuf;
            memset(a->outbuf, 0, sizeof a->outbuf);
        }
        else if (s->kind == S_BUFLEN) {
            s->store.ll = PyLong_AsLongLong(PyTuple_GET_ITEM(PyList_GET_ITEM(list, i), 1));
        }
    }
}

/* Turns the outputs into Python values; `ok`: the parse succeeded (pointers valid). */
static PyObject *decode_outputs(callargs *a, int ok)
{
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; i < a->nslots; i++) {
        slot *s = &a->slots[i];
        PyObject *v = NULL;
        if (s->kind == S_BUFPTR) {
            if (ok) {
                Py_ssize_t n = (i + 1 < a->nslots) ? (Py_ssize_t)a->slots[i + 1].store.ll : 0;
                const char *p = (const char *)(intptr_t)s->store.ll;
                v = PyBytes_FromStringAndSize(p, n >= 0 && n < 256 ? n : 0);
                if (p != a->outbuf) {
                    PyObject *tag = Py_BuildValue("(sN)", "allocated", v);
                    PyMem_Free((void *)p);
                    v = tag;
                }
            }
            else
                v = PyUnicode_FromString("-");
        }
        else if (s->kind == S_BUFLEN)
            v = PyLong_FromLongLong(s->store.ll);
        if (s->kind != S_OUT) {
            if (v != NULL) {
                PyList_Append(out, v);
                Py_DECREF(v);
            }
            continue;
        }
        const char *t = s->ctype;
        if (!strcmp(t, "b") || !strcmp(t, "B"))
            v = PyLong_FromLong(*(unsigned char *)s->ptr);
        else if (!strcmp(t, "h"))
            v = PyLong_FromLong(*(short *)s->ptr);
        else if (!strcmp(t, "H"))
            v = PyLong_FromLong(*(unsigned short *)s->ptr);
        else if (!strcmp(t, "i") || !strcmp(t, "C") || !strcmp(t, "p"))
            v = PyLong_FromLong(*(int *)s->ptr);
        else if (!strcmp(t, "I"))
            v = PyLong_FromUnsignedLong(*(unsigned int *)s->ptr);
        else if (!strcmp(t, "l"))
            v = PyLong_FromLong(*(long *)s->ptr);
        else if (!strcmp(t, "k"))
            v = PyLong_FromUnsignedLong(*(unsigned long *)s->ptr);
        else if (!strcmp(t, "L"))
            v = PyLong_FromLongLong(*(long long *)s->ptr);
        else if (!strcmp(t, "K"))
            v = PyLong_FromUnsignedLongLong(*(unsigned long long *)s->ptr);
        else if (!strcmp(t, "n") || !strcmp(t, "len"))
            v = PyLong_FromSsize_t(*(Py_ssize_t *)s->ptr);
        else if (!strcmp(t, "c"))
            v = PyLong_FromLong(*(unsigned char *)s->ptr);
        else if (!strcmp(t, "f"))
            v = PyFloat_FromDouble(*(float *)s->ptr);
        else if (!strcmp(t, "d"))
            v = PyFloat_FromDouble(*(double *)s->ptr);
        else if (!strcmp(t, "D"))
            v = PyComplex_FromCComplex(*(Py_complex *)s->ptr);
        else if (!strcmp(t, "obj")) {
            PyObject *o = *(PyObject **)s->ptr;
            v = o == NULL ? PyUnicode_FromString("<NULL>") : (Py_INCREF(o), o);
        }
        else if (!strcmp(t, "ptr") || !strcmp(t, "mem")) {
            const char *p = *(const char **)s->ptr;
            if (!ok)
                v = PyUnicode_FromString("-");
            else if (p == NULL)
                v = Py_None, Py_INCREF(v);
            else {
                Py_ssize_t n = (Py_ssize_t)strlen(p);
                if (i + 1 < a->nslots && a->slots[i + 1].kind == S_OUT && !strcmp(a->slots[i + 1].ctype, "len"))
                    n = *(Py_ssize_t *)a->slots[i + 1].ptr;
                v = PyBytes_FromStringAndSize(p, n);
                if (!strcmp(t, "mem"))
                    PyMem_Free((void *)p);
            }
        }
        else if (!strcmp(t, "buf")) {
            Py_buffer *view = (Py_buffer *)s->ptr;
            if (!ok)
                v = PyUnicode_FromString("-");
            else {
                v = Py_BuildValue("(Nnii)", PyBytes_FromStringAndSize(view->buf ? view->buf : "", view->len),
                                  view->len, view->readonly, view->obj != NULL);
                PyBuffer_Release(view);
            }
        }
        else
            v = PyUnicode_FromString("?");
        PyList_Append(out, v);
        Py_DECREF(v);
    }
    return out;
}

/* ("ok", value, extra) or ("err", type name, message, extra). */
static PyObject *outcome(PyObject *value, PyObject *extra)
{
    if (value != NULL) {
        if (PyErr_Occurred()) {
            PyErr_Clear();
            return Py_BuildValue("(sNN)", "value with exception set", value, extra);
        }
        return Py_BuildValue("(sNN)", "ok", value, extra);
    }
    if (!PyErr_Occurred())
        return Py_BuildValue("(sN)", "NULL without exception", extra);
    PyObject *type, *val, *tb;
    PyErr_Fetch(&type, &val, &tb);
    PyErr_NormalizeException(&type, &val, &tb);
    PyObject *msg = val ? PyObject_Str(val) : PyUnicode_FromString("");
    if (msg == NULL) {
        PyErr_Clear();
        msg = PyUnicode_FromString("<unprintable>");
    }
    PyObject *r = Py_BuildValue("(ssNN)", "err", ((PyTypeObject *)type)->tp_name, msg, extra);
    Py_XDECREF(type);
    Py_XDECREF(val);
    Py_XDECREF(tb);
    return r;
}

/* ---- PyArg_* -------------------------------------------------------------------------- */

static int va_parse(int ours, int sizet, PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int r = ours ? (sizet ? tk_test__PyArg_VaParse_SizeT(args, format, va) : tk_test_PyArg_VaParse(args, format, va))
                 : (sizet ? _PyArg_VaParse_SizeT(args, format, va) : PyArg_VaParse(args, format, va));
    va_end(va);
    return r;
}

static int va_parse_kw(int ours, int sizet, PyObject *args, PyObject *kw, const char *format, char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int r = ours ? (sizet ? tk_test__PyArg_VaParseTupleAndKeywords_SizeT(args, kw, format, kwlist, va)
                          : tk_test_PyArg_VaParseTupleAndKeywords(args, kw, format, kwlist, va))
                 : (sizet ? _PyArg_VaParseTupleAndKeywords_SizeT(args, kw, format, kwlist, va)
                          : PyArg_VaParseTupleAndKeywords(args, kw, format, kwlist, va));
    va_end(va);
    return r;
}

static int run_parse(int ours, const char *kind, int sizet, PyObject *args, PyObject *kw, const char *format,
                     char **kwlist, callargs *a)
{
    if (!strcmp(kind, "tuple"))
        return ours ? (sizet ? tk_test__PyArg_ParseTuple_SizeT(args, format, VARARGS(a))
                             : tk_test_PyArg_ParseTuple(args, format, VARARGS(a)))
                    : (sizet ? _PyArg_ParseTuple_SizeT(args, format, VARARGS(a))
                             : PyArg_ParseTuple(args, format, VARARGS(a)));
    if (!strcmp(kind, "parse"))
        return ours ? (sizet ? tk_test__PyArg_Parse_SizeT(args, format, VARARGS(a))
                             : tk_test_PyArg_Parse(args, format, VARARGS(a)))
                    : (sizet ? _PyArg_Parse_SizeT(args, format, VARARGS(a)) : PyArg_Parse(args, format, VARARGS(a)));
    if (!strcmp(kind, "keywords"))
        return ours ? (sizet ? tk_test__PyArg_ParseTupleAndKeywords_SizeT(args, kw, format, kwlist, VARARGS(a))
                             : tk_test_PyArg_ParseTupleAndKeywords(args, kw, format, kwlist, VARARGS(a)))
                    : (sizet ? _PyArg_ParseTupleAndKeywords_SizeT(args, kw, format, kwlist, VARARGS(a))
                             : PyArg_ParseTupleAndKeywords(args, kw, format, kwlist, VARARGS(a)));
    if (!strcmp(kind, "va"))
        return va_parse(ours, sizet, args, format, VARARGS(a));
    if (!strcmp(kind, "vakeywords"))
        return va_parse_kw(ours, sizet, args, kw, format, kwlist, VARARGS(a));
    PyErr_SetString(PyExc_ValueError, "unknown parse kind");
    return -1;
}

/* parse(kind, sizet, args, kwargs, format, kwlist, slots) -> (cpython, ours) */
static PyObject *st_parse(PyObject *self, PyObject *argv)
{
    (void)self;
    const char *kind, *format;
    int sizet;
    PyObject *args, *kw, *names, *slots;
    if (!PyArg_ParseTuple(argv, "siOOsOO!", &kind, &sizet, &args, &kw, &format, &names, &PyList_Type, &slots))
        return NULL;
    if (kw == Py_None)
        kw = NULL;
    if (args == Py_None)
        args = NULL;
    char *kwlist[32] = {NULL};
    if (names != Py_None) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names) && i < 31; i++)
            kwlist[i] = (char *)PyUnicode_AsUTF8(PyList_GET_ITEM(names, i));
    }
    callargs a;
    if (load_slots(&a, slots) < 0) {
        free_slots(&a);
        return NULL;
    }
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        reset_outputs(&a, slots);
        Py_CLEAR(conv_log);
        conv_log = PyList_New(0);
        int r = run_parse(ours, kind, sizet, args, kw, format, kwlist, &a);
        PyObject *outs = decode_outputs(&a, r == 1);
        PyObject *extra = Py_BuildValue("(NO)", outs, conv_log);
        results[ours] = outcome(r == 1 ? PyLong_FromLong(r) : NULL, extra);
    }
    free_slots(&a);
    return Py_BuildValue("(NN)", results[0], results[1]);
}

/* unpack(args, name, min, max, nslots) -> (cpython, ours) */
static PyObject *st_unpack(PyObject *self, PyObject *argv)
{
    (void)self;
    PyObject *args;
    const char *name;
    Py_ssize_t min, max;
    if (!PyArg_ParseTuple(argv, "Oznn", &args, &name, &min, &max))
        return NULL;
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        PyObject *o[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
        int r = ours ? tk_test_PyArg_UnpackTuple(args, name, min, max, &o[0], &o[1], &o[2], &o[3], &o[4], &o[5])
                     : PyArg_UnpackTuple(args, name, min, max, &o[0], &o[1], &o[2], &o[3], &o[4], &o[5]);
        PyObject *outs = PyList_New(0);
        for (int i = 0; i < 6; i++)
            PyList_Append(outs, o[i] ? o[i] : Py_None);
        results[ours] = outcome(r ? PyLong_FromLong(r) : NULL, outs);
    }
    return Py_BuildValue("(NN)", results[0], results[1]);
}

/* misc(which, obj) for the one-argument helpers */
static PyObject *st_misc(PyObject *self, PyObject *argv)
{
    (void)self;
    const char *which;
    PyObject *obj;
    if (!PyArg_ParseTuple(argv, "sO", &which, &obj))
        return NULL;
    if (obj == Py_None)
        obj = NULL;
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        int r;
        if (!strcmp(which, "validate"))
            r = ours ? tk_test_PyArg_ValidateKeywordArguments(obj) : PyArg_ValidateKeywordArguments(obj);
        else if (!strcmp(which, "nokeywords"))
            r = ours ? tk_test__PyArg_NoKeywords("f", obj) : (_PyArg_NoKeywords)("f", obj);
        else
            r = ours ? tk_test__PyArg_NoPositional("f", obj) : (_PyArg_NoPositional)("f", obj);
        results[ours] = outcome(r ? PyLong_FromLong(r) : NULL, Py_None);
        Py_INCREF(Py_None);
    }
    return Py_BuildValue("(NN)", results[0], results[1]);
}

/* ---- Py_BuildValue ------------------------------------------------------------------- */

static PyObject *va_build(int ours, int sizet, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *r = ours ? (sizet ? tk_test__Py_VaBuildValue_SizeT(format, va) : tk_test_Py_VaBuildValue(format, va))
                       : (sizet ? _Py_VaBuildValue_SizeT(format, va) : Py_VaBuildValue(format, va));
    va_end(va);
    return r;
}

/* Runs fn (a statement using `a`) for CPython then ours, tracking 'n' slots. */
static PyObject *refcount_deltas(callargs *a)
{
    PyObject *d = PyList_New(0);
    for (Py_ssize_t i = 0; i < a->nslots; i++)
        if (a->slots[i].kind == S_NEWREF) {
            PyObject *v = PyLong_FromSsize_t(Py_REFCNT(a->slots[i].obj) - a->slots[i].refcnt_before);
            PyList_Append(d, v);
            Py_DECREF(v);
        }
    return d;
}

static void take_newrefs(callargs *a)
{
    for (Py_ssize_t i = 0; i < a->nslots; i++)
        if (a->slots[i].kind == S_NEWREF) {
            a->slots[i].refcnt_before = Py_REFCNT(a->slots[i].obj);
            Py_INCREF(a->slots[i].obj);
        }
}

/* build(variant, sizet, format, slots) -> (cpython, ours); variant "plain" or "va" */
static PyObject *st_build(PyObject *self, PyObject *argv)
{
    (void)self;
    const char *variant, *format;
    int sizet;
    PyObject *slots;
    if (!PyArg_ParseTuple(argv, "sisO!", &variant, &sizet, &format, &PyList_Type, &slots))
        return NULL;
    callargs a;
    if (load_slots(&a, slots) < 0) {
        free_slots(&a);
        return NULL;
    }
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        take_newrefs(&a);
        PyObject *r;
        if (!strcmp(variant, "va"))
            r = va_build(ours, sizet, format, VARARGS(&a));
        else if (ours)
            r = sizet ? tk_test__Py_BuildValue_SizeT(format, VARARGS(&a)) : tk_test_Py_BuildValue(format, VARARGS(&a));
        else
            r = sizet ? _Py_BuildValue_SizeT(format, VARARGS(&a)) : Py_BuildValue(format, VARARGS(&a));
        results[ours] = outcome(r, refcount_deltas(&a));
    }
    free_slots(&a);
    return Py_BuildValue("(NN)", results[0], results[1]);
}

/* ---- PyUnicode_FromFormat / PyErr_Format / PyOS_snprintf -------------------------------- */

static PyObject *va_fromformat(int ours, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *r = ours ? tk_test_PyUnicode_FromFormatV(format, va) : PyUnicode_FromFormatV(format, va);
    va_end(va);
    return r;
}

/* format(variant, format, slots) -> (cpython, ours); variant: plain, va, err, snprintf */
static PyObject *st_format(PyObject *self, PyObject *argv)
{
    (void)self;
    const char *variant, *format;
    PyObject *slots;
    if (!PyArg_ParseTuple(argv, "ssO!", &variant, &format, &PyList_Type, &slots))
        return NULL;
    callargs a;
    if (load_slots(&a, slots) < 0) {
        free_slots(&a);
        return NULL;
    }
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        PyObject *r;
        if (!strcmp(variant, "va"))
            r = va_fromformat(ours, format, VARARGS(&a));
        else if (!strcmp(variant, "err")) {
            PyErr_SetString(PyExc_KeyError, "pending");
            r = ours ? tk_test_PyErr_Format(PyExc_RuntimeError, format, VARARGS(&a))
                     : PyErr_Format(PyExc_RuntimeError, format, VARARGS(&a));
        }
        else if (!strcmp(variant, "warn")) {
            int rc = ours ? tk_test_PyErr_WarnFormat(PyExc_UserWarning, 1, format, VARARGS(&a))
                          : PyErr_WarnFormat(PyExc_UserWarning, 1, format, VARARGS(&a));
            r = rc < 0 ? NULL : PyLong_FromLong(rc);
        }
        else if (!strncmp(variant, "sys", 3)) {
            /* sysout, syserr, sysfmtout, sysfmterr; a "+pending" suffix sets an
             * exception first, which must survive the call */
            int pending = strstr(variant, "+pending") != NULL;
            if (pending)
                PyErr_SetString(PyExc_KeyError, "pending");
            if (!strncmp(variant, "sysout", 6))
                ours ? tk_test_PySys_WriteStdout(format, VARARGS(&a)) : PySys_WriteStdout(format, VARARGS(&a));
            else if (!strncmp(variant, "syserr", 6))
                ours ? tk_test_PySys_WriteStderr(format, VARARGS(&a)) : PySys_WriteStderr(format, VARARGS(&a));
            else if (!strncmp(variant, "sysfmtout", 9))
                ours ? tk_test_PySys_FormatStdout(format, VARARGS(&a)) : PySys_FormatStdout(format, VARARGS(&a));
            else
                ours ? tk_test_PySys_FormatStderr(format, VARARGS(&a)) : PySys_FormatStderr(format, VARARGS(&a));
            r = pending ? NULL : (Py_INCREF(Py_None), Py_None);
        }
        else if (!strcmp(variant, "bytes"))
            r = ours ? tk_test_PyBytes_FromFormat(format, VARARGS(&a)) : PyBytes_FromFormat(format, VARARGS(&a));
        else if (!strcmp(variant, "explicit")) {
            int rc = ours ? tk_test_PyErr_WarnExplicitFormat(PyExc_UserWarning, "file.c", 12, "capi_mod", NULL, format,
                                                             VARARGS(&a))
                          : PyErr_WarnExplicitFormat(PyExc_UserWarning, "file.c", 12, "capi_mod", NULL, format,
                                                     VARARGS(&a));
            r = rc < 0 ? NULL : PyLong_FromLong(rc);
        }
        else if (!strcmp(variant, "resource")) {
            int rc = ours ? tk_test_PyErr_ResourceWarning(Py_None, 1, format, VARARGS(&a))
                          : PyErr_ResourceWarning(Py_None, 1, format, VARARGS(&a));
            r = rc < 0 ? NULL : PyLong_FromLong(rc);
        }
        else if (!strcmp(variant, "snprintf")) {
            char buf[16];
            memset(buf, 'x', sizeof buf);
            int n = ours ? tk_test_PyOS_snprintf(buf, sizeof buf, format, VARARGS(&a))
                         : PyOS_snprintf(buf, sizeof buf, format, VARARGS(&a));
            r = Py_BuildValue("(iy#)", n, buf, (Py_ssize_t)sizeof buf);
        }
        else
            r = ours ? tk_test_PyUnicode_FromFormat(format, VARARGS(&a)) : PyUnicode_FromFormat(format, VARARGS(&a));
        Py_INCREF(Py_None);
        results[ours] = outcome(r, Py_None);
    }
    free_slots(&a);
    return Py_BuildValue("(NN)", results[0], results[1]);
}

/* ---- calls ------------------------------------------------------------------------------ */

/* call(kind, sizet, target, name, format, slots) -> (cpython, ours)
 * kind: function, method, evalfunction, evalmethod, objargs, methodobjargs, pack */
static PyObject *st_call(PyObject *self, PyObject *argv)
{
    (void)self;
    const char *kind, *name, *format;
    int sizet;
    PyObject *target, *slots, *nameobj;
    if (!PyArg_ParseTuple(argv, "siOOzO!", &kind, &sizet, &target, &nameobj, &format, &PyList_Type, &slots))
        return NULL;
    if (target == Py_None)
        target = NULL;
    name = (nameobj != Py_None && PyUnicode_Check(nameobj)) ? PyUnicode_AsUTF8(nameobj) : NULL;
    callargs a;
    if (load_slots(&a, slots) < 0) {
        free_slots(&a);
        return NULL;
    }
    PyObject *results[2];
    for (int ours = 0; ours < 2; ours++) {
        take_newrefs(&a);
        PyObject *r;
        if (!strcmp(kind, "function"))
            r = ours ? (sizet ? tk_test__PyObject_CallFunction_SizeT(target, format, VARARGS(&a))
                              : tk_test_PyObject_CallFunction(target, format, VARARGS(&a)))
                     : (sizet ? _PyObject_CallFunction_SizeT(target, format, VARARGS(&a))
                              : PyObject_CallFunction(target, format, VARARGS(&a)));
        else if (!strcmp(kind, "method"))
            r = ours ? (sizet ? tk_test__PyObject_CallMethod_SizeT(target, name, format, VARARGS(&a))
                              : tk_test_PyObject_CallMethod(target, name, format, VARARGS(&a)))
                     : (sizet ? _PyObject_CallMethod_SizeT(target, name, format, VARARGS(&a))
                              : PyObject_CallMethod(target, name, format, VARARGS(&a)));
        else if (!strcmp(kind, "evalfunction"))
            r = ours ? tk_test_PyEval_CallFunction(target, format, VARARGS(&a))
                     : PyEval_CallFunction(target, format, VARARGS(&a));
        else if (!strcmp(kind, "evalmethod"))
            r = ours ? tk_test_PyEval_CallMethod(target, name, format, VARARGS(&a))
                     : PyEval_CallMethod(target, name, format, VARARGS(&a));
        else if (!strcmp(kind, "objargs"))
            r = ours ? tk_test_PyObject_CallFunctionObjArgs(target, GP(&a)) : PyObject_CallFunctionObjArgs(target, GP(&a));
        else if (!strcmp(kind, "methodobjargs"))
            r = ours ? tk_test_PyObject_CallMethodObjArgs(target, nameobj, GP(&a))
                     : PyObject_CallMethodObjArgs(target, nameobj, GP(&a));
        else
            r = ours ? tk_test_PyTuple_Pack(a.ngp, GP(&a)) : PyTuple_Pack(a.ngp, GP(&a));
        results[ours] = outcome(r, refcount_deltas(&a));
    }
    free_slots(&a);
    return Py_BuildValue("(NN)", results[0], results[1]);
}

static PyMethodDef methods[] = {
    {"parse", st_parse, METH_VARARGS, "PyArg_* parsers: (cpython, ours)"},
    {"unpack", st_unpack, METH_VARARGS, "PyArg_UnpackTuple: (cpython, ours)"},
    {"misc", st_misc, METH_VARARGS, "ValidateKeywordArguments, _PyArg_NoKeywords/NoPositional"},
    {"build", st_build, METH_VARARGS, "Py_BuildValue family: (cpython, ours)"},
    {"format", st_format, METH_VARARGS, "PyUnicode_FromFormat family: (cpython, ours)"},
    {"call", st_call, METH_VARARGS, "variadic call helpers: (cpython, ours)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_capi_selftest", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__capi_selftest(void)
{
    return PyModule_Create(&module);
}
