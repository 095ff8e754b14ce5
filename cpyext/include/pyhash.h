/* pyhash.h -- constants of the numeric hash (hash(x) for int, float, complex
 * agree), as CPython defines them on 64-bit platforms. */
#ifndef THICKET_PYHASH_H
#define THICKET_PYHASH_H

#define _PyHASH_MULTIPLIER 1000003UL
#define _PyHASH_BITS 61
#define _PyHASH_MODULUS (((size_t)1 << _PyHASH_BITS) - 1)
#define _PyHASH_INF 314159
#define _PyHASH_IMAG _PyHASH_MULTIPLIER

#define PyHASH_MULTIPLIER _PyHASH_MULTIPLIER
#define PyHASH_BITS _PyHASH_BITS
#define PyHASH_MODULUS _PyHASH_MODULUS
#define PyHASH_INF _PyHASH_INF
#define PyHASH_IMAG _PyHASH_IMAG

#endif /* THICKET_PYHASH_H */
