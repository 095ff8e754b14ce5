/*
 * binary_trees_malloc.c -- Thicket benchmark-comparison baseline.
 *
 * Binary-trees workload (the Benchmarks Game algorithm, single-threaded),
 * using plain malloc/free: every node is malloc'ed, trees are built
 * bottom-up (children first) and each tree is freed recursively as soon as
 * it has been checked.
 *
 * Usage: binary_trees_malloc [max_depth]   (default 10)
 * Build: gcc -O2 -Wall -Wextra -o binary_trees_malloc binary_trees_malloc.c
 */
#include <stdio.h>
#include <stdlib.h>

#define MIN_DEPTH 4

typedef struct node {
    struct node *left;
    struct node *right;
} node;

static node *alloc_node(node *left, node *right)
{
    node *n = malloc(sizeof *n);
    if (n == NULL) {
        fprintf(stderr, "binary_trees_malloc: out of memory\n");
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

static void release(node *n)
{
    if (n->left != NULL)
        release(n->left);
    if (n->right != NULL)
        release(n->right);
    free(n);
}

int main(int argc, char **argv)
{
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
    release(stretch);

    node *long_lived = build(max_depth);

    for (int d = MIN_DEPTH; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + MIN_DEPTH);
        long total = 0;
        for (long i = 0; i < iterations; i++) {
            node *t = build(d);
            total += check(t);
            release(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, total);
    }

    printf("long lived tree of depth %d\t check: %ld\n", max_depth, check(long_lived));
    release(long_lived);
    return 0;
}
