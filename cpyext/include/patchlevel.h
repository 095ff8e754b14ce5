/* patchlevel.h -- the CPython version whose C-API (and ABI) these headers follow:
 * 3.11.7.  Extensions compare PY_VERSION_HEX to choose code paths. */
#ifndef THICKET_PATCHLEVEL_H
#define THICKET_PATCHLEVEL_H

#define PY_RELEASE_LEVEL_ALPHA 0xA
#define PY_RELEASE_LEVEL_BETA 0xB
#define PY_RELEASE_LEVEL_GAMMA 0xC
#define PY_RELEASE_LEVEL_FINAL 0xF

#define PY_MAJOR_VERSION 3
#define PY_MINOR_VERSION 11
#define PY_MICRO_VERSION 7
#define PY_RELEASE_LEVEL PY_RELEASE_LEVEL_FINAL
#define PY_RELEASE_SERIAL 0
#define PY_VERSION "3.11.7"

/* 0xMMmmuuLS: major, minor, micro, level, serial. */
#define PY_VERSION_HEX ((PY_MAJOR_VERSION << 24) | (PY_MINOR_VERSION << 16) | \
                        (PY_MICRO_VERSION << 8) | (PY_RELEASE_LEVEL << 4) | \
                        (PY_RELEASE_SERIAL << 0))

/* Marks a build against Thicket's cpyext headers (not CPython, not PyPy). */
#define THICKET_CPYEXT 1

#endif /* THICKET_PATCHLEVEL_H */
