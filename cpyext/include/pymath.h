/* pymath.h -- floating-point helpers: finite/inf/nan tests and the special values. */
#ifndef THICKET_PYMATH_H
#define THICKET_PYMATH_H

#define Py_MATH_PIl 3.1415926535897932384626433832795029L
#define Py_MATH_PI 3.14159265358979323846
#define Py_MATH_El 2.7182818284590452353602874713526625L
#define Py_MATH_E 2.7182818284590452354
#define Py_MATH_TAU 6.2831853071795864769252867665590057683943L

#define Py_IS_NAN(X) isnan(X)
#define Py_IS_INFINITY(X) isinf(X)
#define Py_IS_FINITE(X) isfinite(X)

#define Py_HUGE_VAL HUGE_VAL
#define Py_INFINITY ((double)INFINITY)
#define Py_NAN ((double)NAN)

/* Set errno to ERANGE on overflow (Py_OVERFLOWED) of a libm result X. */
#define Py_OVERFLOWED(X) ((X) != 0.0 && (errno == ERANGE || (X) == Py_HUGE_VAL || (X) == -Py_HUGE_VAL))
#define Py_ADJUST_ERANGE1(X) \
    do { if (errno == 0) { if ((X) == Py_HUGE_VAL || (X) == -Py_HUGE_VAL) errno = ERANGE; } \
         else if (errno == ERANGE && (X) == 0.0) errno = 0; } while (0)
#define Py_ADJUST_ERANGE2(X, Y) \
    do { if ((X) == Py_HUGE_VAL || (X) == -Py_HUGE_VAL || (Y) == Py_HUGE_VAL || (Y) == -Py_HUGE_VAL) { \
             if (errno == 0) errno = ERANGE; } \
         else if (errno == ERANGE) errno = 0; } while (0)

#endif /* THICKET_PYMATH_H */
