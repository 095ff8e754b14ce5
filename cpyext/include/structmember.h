/* structmember.h -- PyMemberDef: attributes of C types that map directly onto a
 * struct field (type code T_*, byte offset, READONLY flag), and the get/set
 * helpers behind them.  Not included by Python.h, as in CPython 3.11. */
#ifndef THICKET_STRUCTMEMBER_H
#define THICKET_STRUCTMEMBER_H
#ifdef __cplusplus
extern "C" {
#endif

#include "Python.h"

struct PyMemberDef {
    const char *name;
    int type;             /* T_* */
    Py_ssize_t offset;    /* of the field within the instance */
    int flags;            /* READONLY ... */
    const char *doc;
};

/* Field types. */
#define T_SHORT 0
#define T_INT 1
#define T_LONG 2
#define T_FLOAT 3
#define T_DOUBLE 4
#define T_STRING 5
#define T_OBJECT 6
#define T_CHAR 7
#define T_BYTE 8
#define T_UBYTE 9
#define T_USHORT 10
#define T_UINT 11
#define T_ULONG 12
#define T_STRING_INPLACE 13
#define T_BOOL 14
#define T_OBJECT_EX 16
#define T_LONGLONG 17
#define T_ULONGLONG 18
#define T_PYSSIZET 19
#define T_NONE 20

/* Flags. */
#define READONLY 1
#define READ_RESTRICTED 2
#define PY_WRITE_RESTRICTED 4
#define RESTRICTED (READ_RESTRICTED | PY_WRITE_RESTRICTED)

PyAPI_FUNC(PyObject *) PyMember_GetOne(const char *, PyMemberDef *);
PyAPI_FUNC(int) PyMember_SetOne(char *, PyMemberDef *, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* THICKET_STRUCTMEMBER_H */
