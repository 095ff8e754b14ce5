/* pyport.h -- integer types of the C-API (Py_ssize_t, Py_hash_t, ...), their
 * limits, and the compiler/linkage helpers (PyAPI_FUNC, Py_LOCAL_INLINE, ...). */
#ifndef THICKET_PYPORT_H
#define THICKET_PYPORT_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>

/* ---- integer types ---------------------------------------------------- */
typedef ssize_t Py_ssize_t;
typedef Py_ssize_t Py_hash_t;
typedef size_t Py_uhash_t;
typedef uintptr_t Py_uintptr_t;
typedef intptr_t Py_intptr_t;
typedef Py_ssize_t Py_ssize_clean_t;

#define SIZEOF_PY_HASH_T SIZEOF_SIZE_T
#define SIZEOF_PY_UHASH_T SIZEOF_SIZE_T

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)

#define PY_LLONG_MIN LLONG_MIN
#define PY_LLONG_MAX LLONG_MAX
#define PY_ULLONG_MAX ULLONG_MAX
#define PY_LONG_LONG long long

#define PY_UINT32_T uint32_t
#define PY_UINT64_T uint64_t
#define PY_INT32_T int32_t
#define PY_INT64_T int64_t

#define PY_TIMEOUT_T long long

/* Byte order of x86-64. */
#define PY_BIG_ENDIAN 0
#define PY_LITTLE_ENDIAN 1

#define PY_DWORD_MAX 4294967295U

/* ---- linkage ----------------------------------------------------------- */
#if defined(__GNUC__) || defined(__clang__)
#  define Py_EXPORTED_SYMBOL __attribute__((visibility("default")))
#  define Py_IMPORTED_SYMBOL __attribute__((visibility("default")))
#  define Py_LOCAL_SYMBOL __attribute__((visibility("hidden")))
#else
#  define Py_EXPORTED_SYMBOL
#  define Py_IMPORTED_SYMBOL
#  define Py_LOCAL_SYMBOL
#endif

#define PyAPI_FUNC(RTYPE) Py_IMPORTED_SYMBOL RTYPE
#define PyAPI_DATA(RTYPE) extern Py_IMPORTED_SYMBOL RTYPE

#ifdef __cplusplus
#  define PyMODINIT_FUNC extern "C" Py_EXPORTED_SYMBOL PyObject*
#else
#  define PyMODINIT_FUNC Py_EXPORTED_SYMBOL PyObject*
#endif

/* ---- inlining and attributes -------------------------------------------- */
#define Py_LOCAL(type) static type
#define Py_LOCAL_INLINE(type) static inline type

#if defined(__GNUC__) || defined(__clang__)
#  define Py_ALWAYS_INLINE __attribute__((always_inline))
#  define Py_NO_INLINE __attribute__((noinline))
#  define _Py_NO_RETURN __attribute__((__noreturn__))
#  define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#  define _Py_HOT_FUNCTION __attribute__((hot))
#  define Py_DEPRECATED(VERSION_UNUSED) __attribute__((__deprecated__))
#else
#  define Py_ALWAYS_INLINE
#  define Py_NO_INLINE
#  define _Py_NO_RETURN
#  define Py_GCC_ATTRIBUTE(x)
#  define _Py_HOT_FUNCTION
#  define Py_DEPRECATED(VERSION_UNUSED)
#endif

#define _Py_NO_SANITIZE_ADDRESS
#define _Py_NO_SANITIZE_THREAD
#define _Py_NO_SANITIZE_MEMORY

#define Py_MEMCPY memcpy

/* Temporarily silence a diagnostic around deprecated API use. */
#if defined(__clang__)
#  define _Py_COMP_DIAG_PUSH _Pragma("clang diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS \
       _Pragma("clang diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("clang diagnostic pop")
#elif defined(__GNUC__)
#  define _Py_COMP_DIAG_PUSH _Pragma("GCC diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS \
       _Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("GCC diagnostic pop")
#else
#  define _Py_COMP_DIAG_PUSH
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS
#  define _Py_COMP_DIAG_POP
#endif

/* C casts that C++ compilers do not flag. */
#ifdef __cplusplus
#  define _Py_STATIC_CAST(T, v) static_cast<T>(v)
#  define _Py_CAST(T, v) ((T)(v))
#else
#  define _Py_STATIC_CAST(T, v) ((T)(v))
#  define _Py_CAST(T, v) ((T)(v))
#endif

#ifdef __cplusplus
#  define _Py_NULL nullptr
#else
#  define _Py_NULL NULL
#endif

/* Narrow a wider integer, asserting in debug builds that nothing is lost. */
#define Py_SAFE_DOWNCAST(VALUE, WIDE, NARROW) ((NARROW)(VALUE))

/* Arithmetic right shift (the target's >> on signed values is arithmetic). */
#define Py_ARITHMETIC_RIGHT_SHIFT(TYPE, I, J) ((I) >> (J))

#define Py_FORCE_EXPANSION(X) X

#ifndef Py_LL
#  define Py_LL(x) x##LL
#endif
#ifndef Py_ULL
#  define Py_ULL(x) Py_LL(x##U)
#endif

/* wchar_t is 32 bits: a full code point. */
#define Py_UNICODE_SIZE 4
#define Py_UNICODE_WIDE 1
#define HAVE_WCHAR_H 1

#endif /* THICKET_PYPORT_H */
