# Importing modules from the script's folder: import, from-import, aliases, module state, import once.
import sys
print("before import")
import mod_geometry
import mod_geometry as geo
import mod_state
from mod_geometry import Point, area_circle as ac, PI_APPROX
from mod_state import bump, history
print("after imports")
print(mod_geometry is geo, geo.__name__, mod_state.__name__, type(mod_geometry).__name__)
print(mod_geometry.PI_APPROX, PI_APPROX, ac(2), geo.area_circle(1))
p = Point(3, 4)
print(p, p.dist2(Point(0, 0)), isinstance(p, geo.Point), type(p).__name__)
print(mod_geometry.make_points(4), mod_geometry._private)
print(bump(), bump(5), mod_state.counter, history, mod_state.history is history)
mod_state.counter = 100
print(bump(), mod_state.counter)
mod_state.reset()
print(mod_state.counter, history, mod_state.ORIGIN, mod_state.mod_geometry is geo)
try:
    geo.checked_sqrt(-4)
except geo.GeometryError as e:
    print("GeometryError", e, isinstance(e, ValueError))
print(geo.checked_sqrt(16.0))
import mod_geometry
print("re-import did not reload:", mod_geometry is geo)
print("mod_geometry" in sys.modules, "mod_state" in sys.modules, "mod_nonexistent" in sys.modules)
print(sorted(n for n in dir(geo) if not n.startswith("__")))
try:
    import mod_nonexistent
except ImportError as e:
    print(type(e).__name__, e)
try:
    from mod_geometry import nothing_here
except ImportError as e:
    print(type(e).__name__, str(e).split(" (")[0])
geo.new_attr = "added from importer"
print(mod_geometry.new_attr, getattr(mod_state.mod_geometry, "new_attr"))
def use_inside_function():
    import mod_state as ms
    from mod_geometry import make_points
    return ms.bump(2), len(make_points(3))
print(use_inside_function(), mod_state.counter)
print(__name__)
