/*
 * gcbench_boehm.c -- Thicket benchmark-comparison baseline.
 *
 * A GCBench-style workload (after the benchmark by Ellis, Kovac and Boehm;
 * written from a description, not from its source), allocating with the
 * Boehm-Demers-Weiser conservative collector and never freeing explicitly:
 *   1. build and drop a stretch tree of depth 18 (bottom-up);
 *   2. build a long-lived tree of depth 16 top-down (allocate an empty node,
 *      then fill in its children and recurse -- mutating existing nodes);
 *   3. allocate a live array of 500000 doubles, a[i] = 1.0/i (a[0] = 0),
 *      with GC_MALLOC_ATOMIC since it holds no pointers;
 *   4. for depth d = 4, 6, ..., 16: build n = 2*nodes(16)/nodes(d) trees
 *      top-down, then n trees bottom-up, dropping each one immediately;
 *   5. verify the long-lived tree and the array are intact.
 *
 * Usage: gcbench_boehm          (no arguments)
 * Build: gcc -O2 -Wall -Wextra -o gcbench_boehm gcbench_boehm.c -lgc
 */
#include <stdio.h>
#include <stdlib.h>
#include <gc.h>

#define STRETCH_DEPTH 18
#define LONG_LIVED_DEPTH 16
#define ARRAY_LEN 500000
#define MIN_DEPTH 4
#define MAX_DEPTH 16

typedef struct node {
    struct node *left;
    struct node *right;
    int i;
    int j;
} node;

static void out_of_memory(void)
{
    fprintf(stderr, "gcbench_boehm: out of memory\n");
    exit(2);
}

static node *alloc_node(node *left, node *right)
{
    node *n = GC_MALLOC(sizeof *n);
    if (n == NULL)
        out_of_memory();
    n->left = left;
    n->right = right;
    n->i = 0;
    n->j = 0;
    return n;
}

/* Number of nodes in a complete tree of the given depth (depth 0 = 1 node). */
static long tree_size(int depth)
{
    return (1L << (depth + 1)) - 1;
}

/* Bottom-up: children are allocated before their parent. */
static node *make_tree(int depth)
{
    if (depth <= 0)
        return alloc_node(NULL, NULL);
    node *l = make_tree(depth - 1);
    node *r = make_tree(depth - 1);
    return alloc_node(l, r);
}

/* Top-down: give an existing node two fresh children, then recurse. */
static void populate(int depth, node *n)
{
    if (depth <= 0)
        return;
    n->left = alloc_node(NULL, NULL);
    n->right = alloc_node(NULL, NULL);
    populate(depth - 1, n->left);
    populate(depth - 1, n->right);
}

static node *make_tree_top_down(int depth)
{
    node *root = alloc_node(NULL, NULL);
    populate(depth, root);
    return root;
}

static long count_nodes(const node *n)
{
    if (n == NULL)
        return 0;
    return 1 + count_nodes(n->left) + count_nodes(n->right);
}

int main(void)
{
    GC_INIT();

    /* 1. Stretch the heap with a temporary tree. */
    node *stretch = make_tree(STRETCH_DEPTH);
    stretch = NULL;
    (void)stretch;

    /* 2. Long-lived tree, built top-down. */
    node *long_lived = make_tree_top_down(LONG_LIVED_DEPTH);

    /* 3. Long-lived array of doubles (pointer-free, so atomic). */
    double *array = GC_MALLOC_ATOMIC(ARRAY_LEN * sizeof *array);
    if (array == NULL)
        out_of_memory();
    array[0] = 0.0;
    for (int i = 1; i < ARRAY_LEN; i++)
        array[i] = 1.0 / i;

    /* 4. Short-lived trees of increasing depth, left to the collector. */
    for (int d = MIN_DEPTH; d <= MAX_DEPTH; d += 2) {
        long n = 2 * tree_size(LONG_LIVED_DEPTH) / tree_size(d);
        for (long k = 0; k < n; k++)
            make_tree_top_down(d);
        for (long k = 0; k < n; k++)
            make_tree(d);
        printf("depth %d: %ld trees top-down, %ld bottom-up\n", d, n, n);
    }

    /* 5. The long-lived data must have survived collection. */
    long nodes = count_nodes(long_lived);
    if (nodes != tree_size(LONG_LIVED_DEPTH)) {
        fprintf(stderr, "long lived tree has %ld nodes, expected %ld\n",
                nodes, tree_size(LONG_LIVED_DEPTH));
        return 1;
    }
    if (array[0] != 0.0 || array[1000] != 1.0 / 1000) {
        fprintf(stderr, "long lived array corrupted\n");
        return 1;
    }
    for (int i = 1; i < ARRAY_LEN; i++) {
        if (array[i] != 1.0 / i) {
            fprintf(stderr, "long lived array corrupted at %d\n", i);
            return 1;
        }
    }
    printf("long lived tree ok, array ok\n");
    return 0;
}
