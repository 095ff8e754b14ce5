# fannkuch.py -- "pancake flipping" over all permutations of 0..N-1.
#
# Usage: fannkuch.py [N [REPEAT]]
# For each permutation: repeatedly reverse the first p[0]+1 elements until
# p[0] == 0 and count the reversals.  Permutations are visited in the usual
# rotation order, and the checksum adds the flip counts with alternating sign.
# The whole computation is repeated REPEAT times (sys.argv[2], default 3) so
# that the default size runs for about as long as the other programs; every
# repetition must give the same result.
# Output: checksum and maximum flip count.
import sys


def fannkuch(n):
    perm = list(range(n))
    work = [0] * n
    count = [0] * n
    max_flips = 0
    checksum = 0
    parity = 0
    while True:
        first = perm[0]
        if first != 0:
            k = 0
            while k < n:
                work[k] = perm[k]
                k += 1
            flips = 0
            while first != 0:
                lo = 0
                hi = first
                while lo < hi:
                    t = work[lo]
                    work[lo] = work[hi]
                    work[hi] = t
                    lo += 1
                    hi -= 1
                flips += 1
                first = work[0]
            if flips > max_flips:
                max_flips = flips
            if parity == 0:
                checksum += flips
            else:
                checksum -= flips
        parity = 1 - parity

        # advance to the next permutation: rotate the first i+1 elements
        i = 1
        while True:
            if i >= n:
                return checksum, max_flips
            head = perm[0]
            k = 0
            while k < i:
                perm[k] = perm[k + 1]
                k += 1
            perm[i] = head
            count[i] += 1
            if count[i] <= i:
                break
            count[i] = 0
            i += 1


def main():
    n = 9
    if len(sys.argv) > 1:
        n = int(sys.argv[1])
    repeat = 3
    if len(sys.argv) > 2:
        repeat = int(sys.argv[2])
    checksum, max_flips = fannkuch(n)
    for _ in range(repeat - 1):
        again = fannkuch(n)
        if again[0] != checksum or again[1] != max_flips:
            print("repetitions disagree")
    print(checksum)
    print(f"Pfannkuchen({n}) = {max_flips}")


main()
