# Helper module for stmt_import.py and stmt_import_from.py (not a test program on its own).
PI_APPROX = 3.14159
_private = "hidden"
print("mod_geometry: loading, __name__ =", __name__)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

    def dist2(self, other):
        return (self.x - other.x) ** 2 + (self.y - other.y) ** 2


def area_circle(r):
    return PI_APPROX * r * r


def make_points(n):
    return [Point(i, i * i) for i in range(n)]


class GeometryError(ValueError):
    pass


def checked_sqrt(v):
    if v < 0:
        raise GeometryError("negative input %r" % (v,))
    return v ** 0.5


if __name__ == "__main__":
    print("mod_geometry run directly")
