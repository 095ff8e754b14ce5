#!/usr/bin/env bash
# The whole test suite: formatting and lint gates, every test in the normal
# configuration (debug build: the heap verifier runs after every collection), then every
# test again under the stress modes (a minor collection every 3 allocations, poisoned
# nursery, verification on), the Python corpus under stress in a release build, then the
# examples checked against their reference output.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets (warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "tests, normal configuration"
cargo test --workspace

step "tests, stress configuration (THICKET_GC_STRESS_MINOR=3, poisoned nursery)"
# Debug builds verify the heap after every collection unless a test turns that off (the
# few that check explicitly at chosen points instead, to stay quick). The Python corpus
# runs under stress in the next step, in a release build: verifying a whole interpreter
# heap every three allocations would take hours.
THICKET_GC_STRESS_MINOR=3 THICKET_GC_POISON=1 cargo test --workspace -- --skip corpus_matches_cpython

step "Python corpus vs CPython 3.11 under the stress modes (release build)"
# A collection at every third safepoint-reaching allocation, poisoned nursery: objects
# move under the interpreter at every safepoint, and a stale reference reads poison.
THICKET_GC_STRESS_MINOR=3 THICKET_GC_POISON=1 cargo test --release --test programs

step "examples against reference output (release)"
cargo build --release -p thicket-gc --examples
expected_bt() {
  # The classic binary-trees output, computed independently of the collector.
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1]); mn = 4; mx = max(mn + 2, n)
nodes = lambda d: 2 ** (d + 1) - 1
print(f"stretch tree of depth {mx+1}\t check: {nodes(mx+1)}")
for d in range(mn, mx + 1, 2):
    it = 1 << (mx - d + mn)
    print(f"{it}\t trees of depth {d}\t check: {it * nodes(d)}")
print(f"long lived tree of depth {mx}\t check: {nodes(mx)}")
PY
}
for mode in "" "--handles"; do
  diff <(expected_bt 16) <(./target/release/examples/binary_trees $mode 16 2>/dev/null)
  # A small nursery keeps the old generation (walked by every verification) small.
  diff <(expected_bt 8) <(THICKET_GC_NURSERY=256K THICKET_GC_STRESS_MINOR=7 THICKET_GC_POISON=1 \
        THICKET_GC_VERIFY=1 ./target/release/examples/binary_trees $mode 8 2>/dev/null)
done
echo "binary_trees: output matches (normal and stress, raw and --handles)"

step "all tests passed"
