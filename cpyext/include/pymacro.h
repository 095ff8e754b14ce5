/* pymacro.h -- small general-purpose macros: min/max, array length, doc strings,
 * alignment, build-time assertions, Py_UNUSED and Py_UNREACHABLE. */
#ifndef THICKET_PYMACRO_H
#define THICKET_PYMACRO_H

#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))
#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))
#define Py_ABS(x) ((x) < 0 ? -(x) : (x))

#define _Py_XSTRINGIFY(x) #x
#define Py_STRINGIFY(x) _Py_XSTRINGIFY(x)

#define Py_MEMBER_SIZE(type, member) sizeof(((type *)0)->member)

/* Compile-time checks.  The expression form yields 0 when COND holds. */
#define Py_BUILD_ASSERT_EXPR(cond) \
    (sizeof(char [1 - 2*!(cond)]) - 1)
#if defined(__cplusplus) && __cplusplus >= 201103L
#  define Py_BUILD_ASSERT(cond) static_assert((cond), #cond)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define Py_BUILD_ASSERT(cond) _Static_assert((cond), #cond)
#else
#  define Py_BUILD_ASSERT(cond) do { (void)Py_BUILD_ASSERT_EXPR(cond); } while (0)
#endif

#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))

/* Round sizes and pointers to a power-of-two alignment. */
#define _Py_SIZE_ROUND_DOWN(n, a) ((size_t)(n) & ~(size_t)((a) - 1))
#define _Py_SIZE_ROUND_UP(n, a) (((size_t)(n) + (size_t)((a) - 1)) & ~(size_t)((a) - 1))
#define _Py_ALIGN_DOWN(p, a) ((void *)((uintptr_t)(p) & ~(uintptr_t)((a) - 1)))
#define _Py_ALIGN_UP(p, a) ((void *)(((uintptr_t)(p) + (uintptr_t)((a) - 1)) & ~(uintptr_t)((a) - 1)))
#define _Py_IS_ALIGNED(p, a) (!((uintptr_t)(p) & (uintptr_t)((a) - 1)))

#if defined(__GNUC__) || defined(__clang__)
#  define Py_UNUSED(name) _unused_ ## name __attribute__((unused))
#else
#  define Py_UNUSED(name) _unused_ ## name
#endif

/* Doc strings are always kept. */
#define PyDoc_VAR(name) static const char name[]
#define PyDoc_STR(str) str
#define PyDoc_STRVAR(name, str) PyDoc_VAR(name) = PyDoc_STR(str)

#if defined(__GNUC__) || defined(__clang__)
#  define Py_UNREACHABLE() __builtin_unreachable()
#else
#  define Py_UNREACHABLE() abort()
#endif

#define _Py_RVALUE(expr) ((void)0, (expr))

#endif /* THICKET_PYMACRO_H */
