# float_heavy.py -- many small float-holding objects and float arithmetic.
#
# Usage: float_heavy.py [POINTS]
# Each round makes POINTS 3-d points from trigonometric formulas, normalizes
# them in place, folds them into a component-wise maximum, and accumulates a
# centroid and a rotated copy using immutable vector operations (each of
# which allocates a new object).  Output: checksums of the results.
import sys
import math


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y, self.z + other.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def length(self):
        return math.sqrt(self.dot(self))

    def normalize(self):
        n = self.length()
        if n > 0.0:
            self.x /= n
            self.y /= n
            self.z /= n

    def rotate_z(self, c, s):
        return Vec(self.x * c - self.y * s, self.x * s + self.y * c, self.z)

    def max_with(self, other):
        if other.x > self.x:
            self.x = other.x
        if other.y > self.y:
            self.y = other.y
        if other.z > self.z:
            self.z = other.z


def make_points(n, phase):
    points = []
    for i in range(n):
        t = i * 0.001 + phase
        x = math.sin(t)
        points.append(Vec(x, math.cos(t) * 3.0, x * x * 0.5 + 0.25))
    return points


def one_round(n, phase):
    points = make_points(n, phase)
    for p in points:
        p.normalize()
    top = Vec(-1e300, -1e300, -1e300)
    for p in points:
        top.max_with(p)
    c = math.cos(phase)
    s = math.sin(phase)
    centre = Vec(0.0, 0.0, 0.0)
    spin = 0.0
    for p in points:
        centre = centre.add(p)
        q = p.rotate_z(c, s)
        spin += q.dot(top)
    centre = centre.scale(1.0 / n)
    return top, centre, spin


def main():
    n = 250000
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    rounds = 5
    sum_top = 0.0
    sum_centre = 0.0
    sum_spin = 0.0
    for r in range(rounds):
        top, centre, spin = one_round(n, r * 0.37)
        sum_top += top.x + top.y + top.z
        sum_centre += centre.length()
        sum_spin += spin
        print(f"round {r}: max ({top.x:.6f}, {top.y:.6f}, {top.z:.6f}) |centre| {centre.length():.6f}")
    print(f"checksum {sum_top:.9f} {sum_centre:.9f} {sum_spin:.6f}")


main()
