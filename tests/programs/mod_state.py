# Helper module for stmt_import.py: module-level state shared by every importer.
import mod_geometry

counter = 0
history = []
ORIGIN = mod_geometry.Point(0, 0)


def bump(by=1):
    global counter
    counter += by
    history.append(counter)
    return counter


def reset():
    global counter
    counter = 0
    del history[:]
