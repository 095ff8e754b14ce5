# spectral_norm.py -- power iteration for the spectral norm of an infinite
# matrix A(i, j) = 1 / ((i + j) * (i + j + 1) / 2 + i + 1), truncated to N x N.
#
# Usage: spectral_norm.py [N]
# Output: the estimate, to 9 decimals.
import sys
import math


def entry(i, j):
    s = i + j
    return 1.0 / (s * (s + 1) // 2 + i + 1)


def mul_a(v, out, n):
    # out = A v
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += entry(i, j) * v[j]
        out[i] = acc


def mul_at(v, out, n):
    # out = A^T v
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += entry(j, i) * v[j]
        out[i] = acc


def mul_ata(v, out, tmp, n):
    mul_a(v, tmp, n)
    mul_at(tmp, out, n)


def main():
    n = 550
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        mul_ata(u, v, tmp, n)
        mul_ata(v, u, tmp, n)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    print(f"{math.sqrt(vbv / vv):.9f}")


main()
