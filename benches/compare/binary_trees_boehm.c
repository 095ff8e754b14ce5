/*
 * binary_trees_boehm.c -- Thicket benchmark-comparison baseline.
 *
 * Binary-trees workload (the Benchmarks Game algorithm, single-threaded),
 * allocating every node with the Boehm-Demers-Weiser conservative collector
 * (GC_MALLOC). Trees are built bottom-up (children first) and are never
 * freed explicitly: dropping the last reference leaves them to the collector.
 *
 * Usage: binary_trees_boehm [max_depth]   (default 10)
 * Build: gcc -O2 -Wall -Wextra -o binary_trees_boehm binary_trees_boehm.c -lgc
 */
#include <stdio.h>
#include <stdlib.h>
#include <gc.h>

#define MIN_DEPTH 4

typedef struct node {
    struct node *left;
    struct node *right;
} node;

static node *alloc_node(node *left, node *right)
{
    node *n = GC_MALLOC(sizeof *n);
    if (n == NULL) {
        fprintf(stderr, "binary_trees_boehm: out of memory\n");
        exit(2);
    }
    n->left = left;
    n->right = right;
    return n;
}

/* Build a complete tree of the given depth, children before parent. */
static node *build(int depth)
{
    if (depth <= 0)
        return alloc_node(NULL, NULL);
    node *l = build(depth - 1);
    node *r = build(depth - 1);
    return alloc_node(l, r);
}

/* Number of nodes reachable from n (n included). */
static long check(const node *n)
{
    long c = 1;
    if (n->left != NULL)
        c += check(n->left);
    if (n->right != NULL)
        c += check(n->right);
    return c;
}

int main(int argc, char **argv)
{
    GC_INIT();

    int n = 10;
    if (argc > 1) {
        char *end;
        long v = strtol(argv[1], &end, 10);
        if (*argv[1] == '\0' || *end != '\0' || v < 0 || v > 40) {
            fprintf(stderr, "usage: %s [max_depth]\n", argv[0]);
            return 2;
        }
        n = (int)v;
    }
    int max_depth = n > MIN_DEPTH + 2 ? n : MIN_DEPTH + 2;

    node *stretch = build(max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, check(stretch));
    stretch = NULL;

    node *long_lived = build(max_depth);

    for (int d = MIN_DEPTH; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + MIN_DEPTH);
        long total = 0;
        for (long i = 0; i < iterations; i++) {
            node *t = build(d);
            total += check(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, total);
    }

    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
    return 0;
}
