//! CPython 3.11's `random` module in plain Rust: the same seed gives the same numbers.
//!
//! [`Random`] holds an MT19937 generator seeded the way CPython's `_random.Random.seed`
//! and `random.Random.seed` (version 2) seed it, and implements the methods of
//! `random.Random` on plain Rust values: `f64` for floats, [`BigInt`]/[`BigUint`] for
//! Python ints that may be large, and indices for the sequence methods (`choice`,
//! `shuffle`, `sample`, `choices`), which the interpreter applies to its own sequence
//! objects. Every method draws from the generator in exactly CPython's order, so
//! interleaved calls stay in step with CPython too. Errors are [`RandError`]s carrying
//! the Python exception class and CPython 3.11.7's message.
//!
//! Nothing here knows about the garbage collector or object layouts.
//!
//! ```
//! use num_bigint::BigInt;
//! use thicket_object_model::random::Random;
//!
//! // random.Random(42).random() in CPython 3.11
//! let mut r = Random::new_seeded_int(&BigInt::from(42));
//! assert_eq!(r.random(), 0.6394267984578837);
//! ```

mod distributions;
mod error;
mod float_hash;
mod mt;
mod sha512;

use std::collections::HashSet;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive};

pub use error::{RandError, RandErrorKind};
pub use float_hash::{float_hash, HASH_INF, HASH_MODULUS};
pub use sha512::sha512;

use mt::Mt19937;

/// Number of 32-bit words in the generator state (`len(getstate()[1]) - 1`).
pub const STATE_WORDS: usize = mt::N;

/// The version number `random.Random.getstate()` puts first in its tuple.
pub const STATE_VERSION: u32 = 3;

/// A seed as `random.seed(a)` accepts it (version 2 seeding).
#[derive(Clone, Copy, Debug)]
pub enum Seed<'a> {
    /// `None`: seed from the operating system's randomness.
    None,
    /// An `int` (or `bool`): its absolute value, all bits used.
    Int(&'a BigInt),
    /// A `float`: seeded by its `hash()`.
    Float(f64),
    /// A `str`: its UTF-8 bytes followed by their SHA-512 digest, as an int.
    Str(&'a str),
    /// A `bytes` or `bytearray`: the bytes followed by their SHA-512 digest, as an int.
    Bytes(&'a [u8]),
}

/// The full state of a [`Random`], as `getstate()` returns it (without the version).
#[derive(Clone, Debug, PartialEq)]
pub struct RandomState {
    /// The [`STATE_WORDS`] generator words.
    pub words: Vec<u32>,
    /// The position of the next word (0..=624); the last item of CPython's state tuple.
    pub index: usize,
    /// The second value of the last `gauss()` pair, not yet returned.
    pub gauss_next: Option<f64>,
}

/// A random number generator behaving as CPython 3.11's `random.Random`.
#[derive(Clone, Debug)]
pub struct Random {
    mt: Mt19937,
    gauss_next: Option<f64>,
}

/// The key CPython seeds with for a non-negative int: its 32-bit words, least
/// significant first (one zero word for zero).
fn int_key(n: &BigUint) -> Vec<u32> {
    let words = n.to_u32_digits();
    if words.is_empty() {
        vec![0]
    } else {
        words
    }
}

/// The key CPython's `seed(None)` uses: 624 words from the OS, or time and process
/// id if the OS source fails.
fn os_key() -> Vec<u32> {
    use std::io::Read;
    let mut bytes = vec![0u8; mt::N * 4];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if from_os {
        return bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4-byte chunk")))
            .collect();
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let local = 0u8;
    let addr = &local as *const u8 as usize as u64;
    vec![
        nanos as u32,
        (nanos >> 32) as u32,
        std::process::id(),
        addr as u32,
        (addr >> 32) as u32,
    ]
}

/// Python's `bisect.bisect_right(a, x, lo, hi)`, step for step (also on unsorted input).
fn bisect_right<T: PartialOrd>(a: &[T], x: &T, mut lo: usize, mut hi: usize) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if *x < a[mid] {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

impl Random {
    fn from_mt(mt: Mt19937) -> Self {
        Random {
            mt,
            gauss_next: None,
        }
    }

    /// `random.Random(n)` for an int `n`: seeded by the words of `abs(n)`.
    pub fn new_seeded_int(seed: &BigInt) -> Self {
        Self::from_mt(Mt19937::from_key(&int_key(seed.magnitude())))
    }

    /// `random.Random()`: seeded from the operating system's randomness.
    pub fn new_from_os() -> Self {
        Self::from_mt(Mt19937::from_key(&os_key()))
    }

    /// `random.Random(a)` for any supported seed.
    pub fn from_seed(seed: Seed<'_>) -> Self {
        // A cheap placeholder state, replaced at once by the seeding.
        let mut r = Self::from_mt(Mt19937::from_word(0));
        r.seed(seed);
        r
    }

    /// `seed(a)` (version 2) for any supported seed; clears the cached `gauss()` value.
    pub fn seed(&mut self, seed: Seed<'_>) {
        match seed {
            Seed::None => self.seed_from_os(),
            Seed::Int(n) => self.seed_int(n),
            Seed::Float(x) => self.seed_from_float(x),
            Seed::Str(s) => self.seed_from_str(s),
            Seed::Bytes(b) => self.seed_from_bytes(b),
        }
    }

    /// `seed(n)` for an int: seeded by the 32-bit words of `abs(n)`.
    pub fn seed_int(&mut self, seed: &BigInt) {
        self.seed_key(&int_key(seed.magnitude()));
    }

    /// `seed()` / `seed(None)`: seeded from the OS (`/dev/urandom`), falling back to
    /// time and process id.
    pub fn seed_from_os(&mut self) {
        self.seed_key(&os_key());
    }

    /// `seed(s)` for a `str` (version 2): the UTF-8 bytes plus their SHA-512 digest, read
    /// as a big-endian int.
    pub fn seed_from_str(&mut self, seed: &str) {
        self.seed_from_bytes(seed.as_bytes());
    }

    /// `seed(b)` for `bytes`/`bytearray` (version 2): the bytes plus their SHA-512 digest,
    /// read as a big-endian int.
    pub fn seed_from_bytes(&mut self, seed: &[u8]) {
        let mut all = Vec::with_capacity(seed.len() + 64);
        all.extend_from_slice(seed);
        all.extend_from_slice(&sha512(seed));
        self.seed_key(&int_key(&BigUint::from_bytes_be(&all)));
    }

    /// `seed(x)` for a `float`: seeded by `hash(x)` (see [`Random::seed_from_hash`]).
    ///
    /// A NaN hashes by object identity in CPython 3.10+, which an `f64` does not have;
    /// here a NaN seeds as hash 0 (its hash before 3.10). An interpreter that wants
    /// CPython's behaviour passes its own identity hash to [`Random::seed_from_hash`].
    pub fn seed_from_float(&mut self, seed: f64) {
        self.seed_from_hash(float_hash(seed).unwrap_or(0));
    }

    /// Seeds from a `hash()` value as CPython seeds from a hashable non-int: by the
    /// hash reinterpreted as an unsigned 64-bit `size_t`.
    pub fn seed_from_hash(&mut self, hash: i64) {
        self.seed_key(&int_key(&BigUint::from(hash as u64)));
    }

    /// `seed(s, version=1)` for a `str`: the old string hash of its code points.
    pub fn seed_v1_str(&mut self, seed: &str) {
        self.seed_v1(seed.chars().map(u32::from), seed.chars().count());
    }

    /// `seed(b, version=1)` for `bytes` (decoded as Latin-1). CPython does not apply
    /// version 1 to `bytearray`, which then fails as unhashable.
    pub fn seed_v1_bytes(&mut self, seed: &[u8]) {
        self.seed_v1(seed.iter().map(|&b| u32::from(b)), seed.len());
    }

    fn seed_v1(&mut self, mut chars: impl Iterator<Item = u32> + Clone, len: usize) {
        let mut x: u64 = chars.clone().next().map_or(0, |c| u64::from(c) << 7);
        for c in chars.by_ref() {
            x = 1_000_003u64.wrapping_mul(x) ^ u64::from(c);
        }
        x ^= len as u64;
        self.seed_key(&int_key(&BigUint::from(x)));
    }

    fn seed_key(&mut self, key: &[u32]) {
        self.mt = Mt19937::from_key(key);
        self.gauss_next = None;
    }

    /// `getstate()` (without the leading version number [`STATE_VERSION`]).
    pub fn getstate(&self) -> RandomState {
        RandomState {
            words: self.mt.state().to_vec(),
            index: self.mt.index(),
            gauss_next: self.gauss_next,
        }
    }

    /// `setstate(state)`: `ValueError("state vector is the wrong size")` unless there
    /// are [`STATE_WORDS`] words, `ValueError("invalid state")` if the index exceeds
    /// 624. (Checking the version and converting the tuple's ints, with their
    /// `OverflowError`s, is the caller's part.)
    pub fn setstate(&mut self, state: &RandomState) -> Result<(), RandError> {
        let words: [u32; mt::N] = state
            .words
            .as_slice()
            .try_into()
            .map_err(|_| RandError::value("state vector is the wrong size"))?;
        if state.index > mt::N {
            return Err(RandError::value("invalid state"));
        }
        self.mt = Mt19937::from_parts(words, state.index);
        self.gauss_next = state.gauss_next;
        Ok(())
    }

    /// The next raw 32-bit output of the generator.
    pub fn next_u32(&mut self) -> u32 {
        self.mt.next_u32()
    }

    /// `random()`: a float in [0.0, 1.0) from 53 random bits (27 bits of one output
    /// and 26 of the next).
    pub fn random(&mut self) -> f64 {
        let a = self.mt.next_u32() >> 5;
        let b = self.mt.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for `k <= 64`, as a `u64`.
    ///
    /// # Panics
    /// If `k > 64`.
    pub fn getrandbits_u64(&mut self, k: u32) -> u64 {
        assert!(k <= 64, "getrandbits_u64: {k} bits do not fit a u64");
        match k {
            0 => 0,
            1..=32 => u64::from(self.mt.next_u32() >> (32 - k)),
            _ => {
                let low = u64::from(self.mt.next_u32());
                let high = u64::from(self.mt.next_u32() >> (64 - k));
                low | (high << 32)
            }
        }
    }

    /// `getrandbits(k)`: an int of `k` random bits, built from 32-bit outputs least
    /// significant word first, the last output shifted right to the remaining bits.
    /// (A negative `k` is the caller's `ValueError`: [`RandError::negative_bit_count`].)
    pub fn getrandbits(&mut self, k: u64) -> BigUint {
        if k <= 64 {
            return BigUint::from(self.getrandbits_u64(k as u32));
        }
        let words = ((k - 1) / 32 + 1) as usize;
        let mut digits = Vec::with_capacity(words);
        let mut remaining = k;
        for _ in 0..words {
            let mut r = self.mt.next_u32();
            if remaining < 32 {
                r >>= 32 - remaining;
            }
            digits.push(r);
            remaining = remaining.saturating_sub(32);
        }
        BigUint::new(digits)
    }

    /// `randbytes(n)`: `getrandbits(n * 8).to_bytes(n, 'little')`.
    pub fn randbytes(&mut self, n: usize) -> Vec<u8> {
        let mut bytes = self.getrandbits(n as u64 * 8).to_bytes_le();
        bytes.resize(n, 0);
        bytes
    }

    /// `_randbelow(n)` for `n` that fits a `u64`: `getrandbits(n.bit_length())` until
    /// the draw is below `n`.
    ///
    /// # Panics
    /// If `n == 0` (CPython loops forever there).
    pub fn randbelow_u64(&mut self, n: u64) -> u64 {
        assert!(n > 0, "randbelow: n must be positive");
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits_u64(k);
            if r < n {
                return r;
            }
        }
    }

    /// `_randbelow(n)` for a `usize` (see [`Random::randbelow_u64`]).
    ///
    /// # Panics
    /// If `n == 0`.
    pub fn randbelow_usize(&mut self, n: usize) -> usize {
        self.randbelow_u64(n as u64) as usize
    }

    /// `_randbelow(n)` (`_randbelow_with_getrandbits`): a uniform int in `[0, n)`.
    ///
    /// # Panics
    /// If `n <= 0` (CPython loops forever for 0).
    pub fn randbelow(&mut self, n: &BigInt) -> BigInt {
        assert!(n.is_positive(), "randbelow: n must be positive");
        if let Some(small) = n.to_u64() {
            return BigInt::from(self.randbelow_u64(small));
        }
        let k = n.bits();
        loop {
            let r = BigInt::from_biguint(Sign::Plus, self.getrandbits(k));
            if r < *n {
                return r;
            }
        }
    }

    /// `randrange(start)` (`stop` is `None`) or `randrange(start, stop, step)`.
    ///
    /// `step` is 1 when omitted; with `stop` `None`, any other step is CPython's
    /// `TypeError("Missing a non-None stop argument")`. Converting non-int arguments
    /// (the deprecated float path) is the caller's part.
    pub fn randrange(
        &mut self,
        start: &BigInt,
        stop: Option<&BigInt>,
        step: &BigInt,
    ) -> Result<BigInt, RandError> {
        let Some(stop) = stop else {
            if !step.is_one() {
                return Err(RandError::type_error("Missing a non-None stop argument"));
            }
            if start.is_positive() {
                return Ok(self.randbelow(start));
            }
            return Err(RandError::value("empty range for randrange()"));
        };
        let width = stop - start;
        if step.is_one() {
            if width.is_positive() {
                return Ok(start + self.randbelow(&width));
            }
            return Err(RandError::value(format!(
                "empty range for randrange() ({start}, {stop}, {width})"
            )));
        }
        let n = if step.is_positive() {
            (width + step - BigInt::one()).div_floor(step)
        } else if step.is_negative() {
            (width + step + BigInt::one()).div_floor(step)
        } else {
            return Err(RandError::value("zero step for randrange()"));
        };
        if !n.is_positive() {
            return Err(RandError::value("empty range for randrange()"));
        }
        Ok(start + step * self.randbelow(&n))
    }

    /// `randint(a, b)`: `randrange(a, b + 1)`, both ends included.
    pub fn randint(&mut self, a: &BigInt, b: &BigInt) -> Result<BigInt, RandError> {
        self.randrange(a, Some(&(b + 1)), &BigInt::one())
    }

    /// `choice(seq)` for a sequence of length `len`: the index to pick;
    /// `IndexError("Cannot choose from an empty sequence")` when `len == 0`.
    pub fn choice_index(&mut self, len: usize) -> Result<usize, RandError> {
        if len == 0 {
            return Err(RandError::index("Cannot choose from an empty sequence"));
        }
        Ok(self.randbelow_usize(len))
    }

    /// `shuffle(x)` in place.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.randbelow_usize(i + 1);
            items.swap(i, j);
        }
    }

    /// The swaps `shuffle(x)` performs on a list of length `n`, in order: apply
    /// `x[i], x[j] = x[j], x[i]` for each `(i, j)`.
    pub fn shuffle_swaps(&mut self, n: usize) -> Vec<(usize, usize)> {
        (1..n)
            .rev()
            .map(|i| (i, self.randbelow_usize(i + 1)))
            .collect()
    }

    /// `sample(population, k)` for a population of length `n`: the indices of the
    /// chosen items, in selection order. Uses CPython's choice between a pool list and
    /// a set of selected indices, so results match. `ValueError("Sample larger than
    /// population or is negative")` unless `0 <= k <= n` (callers saturate a huge int
    /// `k` to `i64::MAX`/`i64::MIN`).
    pub fn sample_indices(&mut self, n: usize, k: i64) -> Result<Vec<usize>, RandError> {
        let k = usize::try_from(k)
            .ok()
            .filter(|&k| k <= n)
            .ok_or_else(|| RandError::value("Sample larger than population or is negative"))?;
        // Size of a small set minus size of an empty list, plus the table size of a
        // set holding k items: ceil(log(3k, 4)) computed in floats as CPython does.
        let mut setsize: u128 = 21;
        if k > 5 {
            let three_k = (k as u128 * 3) as f64;
            let exponent = (three_k.ln() / 4f64.ln()).ceil() as u32;
            setsize += 4u128.saturating_pow(exponent);
        }
        let mut result = Vec::with_capacity(k);
        if n as u128 <= setsize {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = self.randbelow_usize(n - i);
                result.push(pool[j]);
                pool[j] = pool[n - i - 1];
            }
        } else {
            let mut selected = HashSet::with_capacity(k);
            for _ in 0..k {
                let mut j = self.randbelow_usize(n);
                while selected.contains(&j) {
                    j = self.randbelow_usize(n);
                }
                selected.insert(j);
                result.push(j);
            }
        }
        Ok(result)
    }

    /// `sample(population, k, counts=counts)` for a population of length `n`: the
    /// population indices chosen, sampling `range(sum(counts))` and mapping back by
    /// bisection as CPython does.
    pub fn sample_counts_indices(
        &mut self,
        n: usize,
        counts: &[i64],
        k: i64,
    ) -> Result<Vec<usize>, RandError> {
        let mut cum_counts: Vec<i128> = counts
            .iter()
            .scan(0i128, |sum, &c| {
                *sum += i128::from(c);
                Some(*sum)
            })
            .collect();
        if cum_counts.len() != n {
            return Err(RandError::value(
                "The number of counts does not match the population",
            ));
        }
        let total = cum_counts
            .pop()
            .ok_or_else(|| RandError::index("pop from empty list"))?;
        if total <= 0 {
            return Err(RandError::value(
                "Total of counts must be greater than zero",
            ));
        }
        let total = usize::try_from(total).map_err(|_| {
            RandError::new(
                RandErrorKind::OverflowError,
                "Python int too large to convert to C ssize_t",
            )
        })?;
        let selections = self.sample_indices(total, k)?;
        Ok(selections
            .into_iter()
            .map(|s| bisect_right(&cum_counts, &(s as i128), 0, cum_counts.len()))
            .collect())
    }

    /// `itertools.accumulate(weights)` for float weights: the cumulative weights
    /// `choices(weights=...)` builds before choosing.
    pub fn cumulative_weights(weights: &[f64]) -> Vec<f64> {
        let mut sum: Option<f64> = None;
        weights
            .iter()
            .map(|&w| {
                // accumulate starts from the first item itself, not 0.0 + it.
                let next = sum.map_or(w, |s| s + w);
                sum = Some(next);
                next
            })
            .collect()
    }

    /// `choices(population, cum_weights=cum_weights, k=k)` (or unweighted with
    /// `None`) for a population of length `n`: `k` indices chosen with replacement.
    /// For `weights=`, pass [`Random::cumulative_weights`]. A negative `k` is an
    /// empty result in CPython (pass 0).
    ///
    /// Errors, as CPython: `ValueError` if the weights' length is not `n`, if their
    /// total is not positive or not finite; `IndexError("list index out of range")`
    /// when `n == 0` (after the one draw CPython makes first when unweighted).
    pub fn choices_indices(
        &mut self,
        n: usize,
        k: usize,
        cum_weights: Option<&[f64]>,
    ) -> Result<Vec<usize>, RandError> {
        let Some(cum_weights) = cum_weights else {
            let nf = n as f64;
            let mut out = Vec::with_capacity(k);
            for _ in 0..k {
                let i = (self.random() * nf).floor() as usize;
                if i >= n {
                    return Err(RandError::index("list index out of range"));
                }
                out.push(i);
            }
            return Ok(out);
        };
        if cum_weights.len() != n {
            return Err(RandError::value(
                "The number of weights does not match the population",
            ));
        }
        let Some(&last) = cum_weights.last() else {
            return Err(RandError::index("list index out of range"));
        };
        let total = last + 0.0;
        if total <= 0.0 {
            return Err(RandError::value(
                "Total of weights must be greater than zero",
            ));
        }
        if !total.is_finite() {
            return Err(RandError::value("Total of weights must be finite"));
        }
        let hi = n - 1;
        Ok((0..k)
            .map(|_| {
                let x = self.random() * total;
                bisect_right(cum_weights, &x, 0, hi)
            })
            .collect())
    }
}
