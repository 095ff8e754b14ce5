/* Python.h -- the one header C extensions include: Thicket's cpyext view of the
 * CPython 3.11 C-API.  Struct layouts, constants and macro semantics are those
 * of CPython 3.11 on x86-64 Linux; the functions are provided by the Thicket
 * runtime under their CPython names. */
#ifndef Py_PYTHON_H
#define Py_PYTHON_H

#include "pyconfig.h"
#include "patchlevel.h"

/* The C library headers extensions rely on getting through Python.h. */
#include <stdlib.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <assert.h>
#include <wchar.h>
#include <math.h>
#include <float.h>
#include <time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Basics: integer types, macros, memory. */
#include "pyport.h"
#include "pymacro.h"
#include "pymath.h"
#include "pymem.h"

/* The object model. */
#include "object.h"
#include "refcount.h"
#include "pybuffer.h"
#include "typeobject.h"
#include "typeslots.h"
#include "objimpl.h"
#include "pyhash.h"
#include "objectops.h"

/* Builtin types. */
#include "longobject.h"
#include "boolobject.h"
#include "floatobject.h"
#include "complexobject.h"
#include "bytesobject.h"
#include "bytearrayobject.h"
#include "unicodeobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "memoryobject.h"
#include "sliceobject.h"
#include "iterobject.h"
#include "methodobject.h"
#include "descrobject.h"
#include "moduleobject.h"
#include "funcobject.h"
#include "pycapsule.h"
#include "weakrefobject.h"
#include "structseq.h"

/* Runtime services. */
#include "pystate.h"
#include "pyerrors.h"
#include "pythread.h"
#include "ceval.h"
#include "codecs.h"
#include "modsupport.h"
#include "pythonrun.h"
#include "pylifecycle.h"
#include "sysmodule.h"
#include "import.h"

/* Protocols. */
#include "abstract.h"
#include "call.h"

/* String helpers. */
#include "pyctype.h"
#include "pystrtod.h"

#ifdef __cplusplus
}
#endif

#endif /* Py_PYTHON_H */
