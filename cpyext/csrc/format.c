/* format.c: printf-style formatting of the C-API — PyUnicode_FromFormat(V),
 * PyBytes_FromFormat(V), PyErr_Format(V), PyErr_WarnFormat, PyErr_WarnExplicitFormat,
 * PyErr_ResourceWarning and
 * PyOS_snprintf/PyOS_vsnprintf — following CPython 3.11's documented semantics
 * (unknown conversions copy the rest of the format verbatim, as 3.11 does).
 *
 * Non-variadic C-API this file relies on (the Rust side must export these names):
 *   functions: PyErr_Clear PyErr_NoMemory PyErr_SetObject PyErr_SetString
 *     PyErr_WarnEx PyErr_WarnExplicit PyMem_Free PyMem_Realloc PyObject_ASCII PyObject_Repr
 *     PyObject_Str PyUnicode_AsUCS4Copy PyUnicode_AsUTF8 PyUnicode_DecodeUTF8
 *     PyUnicode_FromKindAndData PyUnicode_GetLength PyBytes_FromStringAndSize
 *     _Py_Dealloc (Py_DECREF)
 *   data: PyExc_OverflowError PyExc_ResourceWarning PyExc_ValueError
 *   struct fields (3.11 layout): ob_refcnt
 */
#include "capi_c.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A growable array of code points; the result is made by PyUnicode_FromKindAndData,
 * which picks the narrowest representation. */
typedef struct {
    Py_UCS4 *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} cp_buffer;

static int cp_reserve(cp_buffer *b, Py_ssize_t extra)
{
    if (extra > PY_SSIZE_T_MAX / 4 - b->len) {
        PyErr_NoMemory();
        return -1;
    }
    if (b->len + extra <= b->cap)
        return 0;
    Py_ssize_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra)
        cap = cap > PY_SSIZE_T_MAX / 8 ? b->len + extra : cap * 2;
    Py_UCS4 *grown = PyMem_Realloc(b->data, (size_t)cap * sizeof(Py_UCS4));
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = grown;
    b->cap = cap;
    return 0;
}

static int cp_fill(cp_buffer *b, Py_UCS4 ch, Py_ssize_t count)
{
    if (count <= 0)
        return 0;
    if (cp_reserve(b, count) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < count; i++)
        b->data[b->len++] = ch;
    return 0;
}

static int cp_bytes(cp_buffer *b, const char *s, Py_ssize_t n)
{
    if (cp_reserve(b, n) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++)
        b->data[b->len++] = (unsigned char)s[i];
    return 0;
}

/* Appends at most `precision` code points of `str` (all when negative), padded on
 * the left with spaces to `width`. */
static int cp_object(cp_buffer *b, PyObject *str, Py_ssize_t width, Py_ssize_t precision)
{
    Py_ssize_t n = PyUnicode_GetLength(str);
    if (n < 0)
        return -1;
    Py_ssize_t take = (precision >= 0 && n > precision) ? precision : n;
    if (width > take && cp_fill(b, ' ', width - take) < 0)
        return -1;
    if (take == 0)
        return 0;
    Py_UCS4 *chars = PyUnicode_AsUCS4Copy(str);
    if (chars == NULL)
        return -1;
    if (cp_reserve(b, take) < 0) {
        PyMem_Free(chars);
        return -1;
    }
    memcpy(b->data + b->len, chars, (size_t)take * sizeof(Py_UCS4));
    b->len += take;
    PyMem_Free(chars);
    return 0;
}

/* A UTF-8 C string (at most `precision` bytes of it), decoded with "replace". */
static int cp_cstring(cp_buffer *b, const char *s, Py_ssize_t width, Py_ssize_t precision)
{
    Py_ssize_t n = 0;
    if (precision < 0)
        n = (Py_ssize_t)strlen(s);
    else
        while (n < precision && s[n] != '\0')
            n++;
    PyObject *decoded = PyUnicode_DecodeUTF8(s, n, "replace");
    if (decoded == NULL)
        return -1;
    int rc = cp_object(b, decoded, width, -1);
    Py_DECREF(decoded);
    return rc;
}

/* Reads a run of decimal digits; -1 with ValueError(`what`) on overflow. */
static int read_decimal(const char **pf, Py_ssize_t *out, const char *what)
{
    Py_ssize_t v = 0;
    const char *f = *pf;
    while (*f >= '0' && *f <= '9') {
        int digit = *f - '0';
        if (v > (PY_SSIZE_T_MAX - digit) / 10) {
            PyErr_SetString(PyExc_ValueError, what);
            return -1;
        }
        v = v * 10 + digit;
        f++;
    }
    *pf = f;
    *out = v;
    return 0;
}

/* Handles one conversion; `spec` points at its '%'.  Returns the position after
 * it, or NULL with an exception set. */
static const char *convert_one(cp_buffer *b, const char *spec, va_list *va)
{
    const char *f = spec + 1;
    int zero_pad = (*f == '0');
    Py_ssize_t width = -1, precision = -1;

    if (*f >= '0' && *f <= '9' && read_decimal(&f, &width, "width too big") < 0)
        return NULL;
    if (*f == '.') {
        f++;
        if (*f >= '0' && *f <= '9' && read_decimal(&f, &precision, "precision too big") < 0)
            return NULL;
        if (*f == '%')
            f--; /* "%.3%" is not a conversion: fall to the verbatim copy below */
    }
    if (*f == '\0')
        f--; /* "%.12" at the very end: likewise */

    /* Length modifiers only count before d, i or u. */
    enum { MOD_NONE, MOD_LONG, MOD_LONGLONG, MOD_SIZE } mod = MOD_NONE;
    if (*f == 'l' && (f[1] == 'd' || f[1] == 'i' || f[1] == 'u')) {
        mod = MOD_LONG;
        f++;
    }
    else if (*f == 'l' && f[1] == 'l' && (f[2] == 'd' || f[2] == 'i' || f[2] == 'u')) {
        mod = MOD_LONGLONG;
        f += 2;
    }
    else if (*f == 'z' && (f[1] == 'd' || f[1] == 'i' || f[1] == 'u')) {
        mod = MOD_SIZE;
        f++;
    }

    switch (*f) {
    case 'c': {
        int ch = va_arg(*va, int);
        if (ch < 0 || ch > 0x10ffff) {
            PyErr_SetString(PyExc_OverflowError, "character argument not in range(0x110000)");
            return NULL;
        }
        if (cp_fill(b, (Py_UCS4)ch, 1) < 0)
            return NULL;
        break;
    }
    case 'd':
    case 'i':
    case 'u':
    case 'x': {
        char digits[64];
        int n;
        if (*f == 'x')
            n = snprintf(digits, sizeof digits, "%x", va_arg(*va, unsigned int));
        else if (*f == 'u') {
            if (mod == MOD_LONG)
                n = snprintf(digits, sizeof digits, "%lu", va_arg(*va, unsigned long));
            else if (mod == MOD_LONGLONG)
                n = snprintf(digits, sizeof digits, "%llu", va_arg(*va, unsigned long long));
            else if (mod == MOD_SIZE)
                n = snprintf(digits, sizeof digits, "%zu", va_arg(*va, size_t));
            else
                n = snprintf(digits, sizeof digits, "%u", va_arg(*va, unsigned int));
        }
        else {
            if (mod == MOD_LONG)
                n = snprintf(digits, sizeof digits, "%ld", va_arg(*va, long));
            else if (mod == MOD_LONGLONG)
                n = snprintf(digits, sizeof digits, "%lld", va_arg(*va, long long));
            else if (mod == MOD_SIZE)
                n = snprintf(digits, sizeof digits, "%zd", va_arg(*va, Py_ssize_t));
            else
                n = snprintf(digits, sizeof digits, "%d", va_arg(*va, int));
        }
        /* 3.11: the precision zero-fills the digit string as a whole (a sign
         * included), the width then pads on the left with spaces, or zeros when
         * the width starts with 0. */
        Py_ssize_t body = precision > n ? precision : n;
        if (width > body && cp_fill(b, zero_pad ? '0' : ' ', width - body) < 0)
            return NULL;
        if (cp_fill(b, '0', body - n) < 0 || cp_bytes(b, digits, n) < 0)
            return NULL;
        break;
    }
    case 'p': {
        char text[64];
        int n = snprintf(text, sizeof text, "%p", va_arg(*va, void *));
        const char *shown = text;
        char fixed[70];
        if (n >= 2 && text[1] == 'X')
            text[1] = 'x';
        else if (!(n >= 2 && text[0] == '0' && text[1] == 'x')) {
            snprintf(fixed, sizeof fixed, "0x%s", text);
            shown = fixed;
        }
        if (cp_bytes(b, shown, (Py_ssize_t)strlen(shown)) < 0)
            return NULL;
        break;
    }
    case 's': {
        const char *s = va_arg(*va, const char *);
        if (cp_cstring(b, s, width, precision) < 0)
            return NULL;
        break;
    }
    case 'U': {
        PyObject *obj = va_arg(*va, PyObject *);
        if (cp_object(b, obj, width, precision) < 0)
            return NULL;
        break;
    }
    case 'V': {
        PyObject *obj = va_arg(*va, PyObject *);
        const char *s = va_arg(*va, const char *);
        if (obj != NULL ? cp_object(b, obj, width, precision) < 0
                        : cp_cstring(b, s, width, precision) < 0)
            return NULL;
        break;
    }
    case 'S':
    case 'R':
    case 'A': {
        PyObject *obj = va_arg(*va, PyObject *);
        PyObject *text = *f == 'S' ? PyObject_Str(obj)
                         : *f == 'R' ? PyObject_Repr(obj)
                                     : PyObject_ASCII(obj);
        if (text == NULL)
            return NULL;
        int rc = cp_object(b, text, width, precision);
        Py_DECREF(text);
        if (rc < 0)
            return NULL;
        break;
    }
    case '%':
        if (cp_fill(b, '%', 1) < 0)
            return NULL;
        break;
    default: {
        /* Unknown conversion: the arguments can no longer be followed, so the
         * rest of the format is copied as it stands. */
        Py_ssize_t rest = (Py_ssize_t)strlen(spec);
        if (cp_bytes(b, spec, rest) < 0)
            return NULL;
        return spec + rest;
    }
    }
    return f + 1;
}

PyObject *THICKET_EXPORT(PyUnicode_FromFormatV)(const char *format, va_list vargs)
{
    cp_buffer b = {NULL, 0, 0};
    va_list va;
    va_copy(va, vargs);
    const char *f = format;
    PyObject *result = NULL;

    while (*f != '\0') {
        if (*f == '%') {
            f = convert_one(&b, f, &va);
            if (f == NULL)
                goto done;
            continue;
        }
        const char *start = f;
        while (*f != '\0' && *f != '%') {
            if ((unsigned char)*f > 127) {
                char msg[128];
                snprintf(msg, sizeof msg,
                         "PyUnicode_FromFormatV() expects an ASCII-encoded format "
                         "string, got a non-ASCII byte: 0x%02x",
                         (unsigned char)*f);
                PyErr_SetString(PyExc_ValueError, msg);
                goto done;
            }
            f++;
        }
        if (cp_bytes(&b, start, f - start) < 0)
            goto done;
    }
    result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b.data ? (void *)b.data : (void *)"", b.len);
done:
    va_end(va);
    PyMem_Free(b.data);
    return result;
}

PyObject *THICKET_EXPORT(PyUnicode_FromFormat)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = THICKET_EXPORT(PyUnicode_FromFormatV)(format, va);
    va_end(va);
    return result;
}

/* ---- PyBytes_FromFormat ------------------------------------------------------------ */

typedef struct {
    char *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} byte_buffer;

static int bb_append(byte_buffer *b, const char *s, Py_ssize_t n)
{
    if (n > PY_SSIZE_T_MAX / 2 - b->len) {
        PyErr_NoMemory();
        return -1;
    }
    if (b->len + n > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap *= 2;
        char *grown = PyMem_Realloc(b->data, (size_t)cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

/* One conversion of PyBytes_FromFormatV; `spec` points at its '%'.  3.11 reads a
 * width (and ignores it), a precision (used by %s), skips any other flag
 * characters, and takes the l and z modifiers before d and u only. */
static const char *bytes_convert_one(byte_buffer *b, const char *spec, va_list *va)
{
    const char *f = spec + 1;
    Py_ssize_t precision = -1;
    char text[64];
    int n = -1;

    while (*f >= '0' && *f <= '9')
        f++;
    if (*f == '.') {
        f++;
        precision = 0;
        while (*f >= '0' && *f <= '9') {
            if (precision <= (PY_SSIZE_T_MAX - 9) / 10)
                precision = precision * 10 + (*f - '0');
            f++;
        }
    }
    while (*f != '\0' && *f != '%' && !((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z')))
        f++;
    enum { MOD_NONE, MOD_LONG, MOD_SIZE } mod = MOD_NONE;
    if (*f == 'l' && (f[1] == 'd' || f[1] == 'u')) {
        mod = MOD_LONG;
        f++;
    }
    else if (*f == 'z' && (f[1] == 'd' || f[1] == 'u')) {
        mod = MOD_SIZE;
        f++;
    }

    switch (*f) {
    case 'c': {
        int c = va_arg(*va, int);
        if (c < 0 || c > 255) {
            PyErr_SetString(PyExc_OverflowError,
                            "PyBytes_FromFormatV(): %c format expects an integer in range [0; 255]");
            return NULL;
        }
        text[0] = (char)c;
        n = 1;
        break;
    }
    case 'd':
        if (mod == MOD_LONG)
            n = snprintf(text, sizeof text, "%ld", va_arg(*va, long));
        else if (mod == MOD_SIZE)
            n = snprintf(text, sizeof text, "%zd", va_arg(*va, Py_ssize_t));
        else
            n = snprintf(text, sizeof text, "%d", va_arg(*va, int));
        break;
    case 'u':
        if (mod == MOD_LONG)
            n = snprintf(text, sizeof text, "%lu", va_arg(*va, unsigned long));
        else if (mod == MOD_SIZE)
            n = snprintf(text, sizeof text, "%zu", va_arg(*va, size_t));
        else
            n = snprintf(text, sizeof text, "%u", va_arg(*va, unsigned int));
        break;
    case 'i':
        n = snprintf(text, sizeof text, "%i", va_arg(*va, int));
        break;
    case 'x':
        n = snprintf(text, sizeof text, "%x", va_arg(*va, unsigned int));
        break;
    case 's': {
        const char *s = va_arg(*va, const char *);
        Py_ssize_t len = 0;
        if (precision < 0)
            len = (Py_ssize_t)strlen(s);
        else
            while (len < precision && s[len] != '\0')
                len++;
        return bb_append(b, s, len) < 0 ? NULL : f + 1;
    }
    case 'p': {
        char raw[64];
        int m = snprintf(raw, sizeof raw, "%p", va_arg(*va, void *));
        if (m >= 2 && raw[1] == 'X')
            raw[1] = 'x';
        if (m >= 2 && raw[0] == '0' && raw[1] == 'x')
            n = snprintf(text, sizeof text, "%s", raw);
        else
            n = snprintf(text, sizeof text, "0x%s", raw);
        break;
    }
    case '%':
        text[0] = '%';
        n = 1;
        break;
    default: {
        /* Unknown: the rest of the format is copied as it stands. */
        Py_ssize_t rest = (Py_ssize_t)strlen(spec);
        return bb_append(b, spec, rest) < 0 ? NULL : spec + rest;
    }
    }
    return bb_append(b, text, n) < 0 ? NULL : f + 1;
}

PyObject *THICKET_EXPORT(PyBytes_FromFormatV)(const char *format, va_list vargs)
{
    byte_buffer b = {NULL, 0, 0};
    va_list va;
    va_copy(va, vargs);
    const char *f = format;
    PyObject *result = NULL;
    while (*f != '\0') {
        if (*f == '%') {
            f = bytes_convert_one(&b, f, &va);
            if (f == NULL)
                goto done;
            continue;
        }
        const char *start = f;
        while (*f != '\0' && *f != '%')
            f++;
        if (bb_append(&b, start, f - start) < 0)
            goto done;
    }
    result = PyBytes_FromStringAndSize(b.data ? b.data : "", b.len);
done:
    va_end(va);
    PyMem_Free(b.data);
    return result;
}

PyObject *THICKET_EXPORT(PyBytes_FromFormat)(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = THICKET_EXPORT(PyBytes_FromFormatV)(format, va);
    va_end(va);
    return result;
}

/* ---- errors and warnings ------------------------------------------------------------- */

PyObject *THICKET_EXPORT(PyErr_FormatV)(PyObject *exception, const char *format, va_list vargs)
{
    /* The formatter may call back into Python (%R, %S): it must not run with an
     * exception pending. */
    PyErr_Clear();
    PyObject *message = THICKET_EXPORT(PyUnicode_FromFormatV)(format, vargs);
    if (message != NULL) {
        PyErr_SetObject(exception, message);
        Py_DECREF(message);
    }
    /* else the formatting error itself stays set */
    return NULL;
}

PyObject *THICKET_EXPORT(PyErr_Format)(PyObject *exception, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    THICKET_EXPORT(PyErr_FormatV)(exception, format, va);
    va_end(va);
    return NULL;
}

PyObject *_thicket_capi_format_error(PyObject *exception, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    THICKET_EXPORT(PyErr_FormatV)(exception, format, va);
    va_end(va);
    return NULL;
}

static int warn_formatted(PyObject *category, Py_ssize_t stack_level, const char *format, va_list va)
{
    PyObject *message = THICKET_EXPORT(PyUnicode_FromFormatV)(format, va);
    if (message == NULL)
        return -1;
    const char *text = PyUnicode_AsUTF8(message);
    int rc = text == NULL ? -1 : PyErr_WarnEx(category, text, stack_level);
    Py_DECREF(message);
    return rc;
}

int THICKET_EXPORT(PyErr_WarnFormat)(PyObject *category, Py_ssize_t stack_level, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int rc = warn_formatted(category, stack_level, format, va);
    va_end(va);
    return rc;
}

int THICKET_EXPORT(PyErr_WarnExplicitFormat)(PyObject *category, const char *filename, int lineno,
                                             const char *module, PyObject *registry, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *message = THICKET_EXPORT(PyUnicode_FromFormatV)(format, va);
    va_end(va);
    if (message == NULL)
        return -1;
    const char *text = PyUnicode_AsUTF8(message);
    int rc = text == NULL ? -1 : PyErr_WarnExplicit(category, text, filename, lineno, module, registry);
    Py_DECREF(message);
    return rc;
}

/* Approximation: the `source` object is not attached to the warning. */
int THICKET_EXPORT(PyErr_ResourceWarning)(PyObject *source, Py_ssize_t stack_level, const char *format, ...)
{
    (void)source;
    va_list va;
    va_start(va, format);
    int rc = warn_formatted(PyExc_ResourceWarning, stack_level, format, va);
    va_end(va);
    return rc;
}

int THICKET_EXPORT(PyOS_vsnprintf)(char *str, size_t size, const char *format, va_list va)
{
    int len;
    if (size == 0)
        return -666;
    if (size > INT_MAX - 1)
        len = -666;
    else
        len = vsnprintf(str, size, format, va);
    str[size - 1] = '\0';
    return len;
}

int THICKET_EXPORT(PyOS_snprintf)(char *str, size_t size, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int len = THICKET_EXPORT(PyOS_vsnprintf)(str, size, format, va);
    va_end(va);
    return len;
}
