//! The MT19937 Mersenne Twister core: the 624-word state, its two seeding routines
//! (`init_genrand` for one word, `init_by_array` for a key of words) and tempered 32-bit
//! output. This is the generator behind CPython's `_random.Random`, written from the
//! published algorithm (Matsumoto and Nishimura, 1998); the word-for-word behaviour,
//! including the position counter CPython exposes in `getstate()`, is what makes seeded
//! sequences match CPython's.

/// Number of 32-bit words of state.
pub const N: usize = 624;
/// Middle word offset used by the twist.
const M: usize = 397;
/// Twist matrix constant.
const MATRIX_A: u32 = 0x9908_b0df;
/// Most significant bit of a word.
const UPPER_MASK: u32 = 0x8000_0000;
/// The 31 least significant bits of a word.
const LOWER_MASK: u32 = 0x7fff_ffff;

/// An MT19937 generator: the state words and the position of the next word to temper.
///
/// `index == N` means the state must be twisted before the next output, which is the
/// condition right after seeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mt19937 {
    state: [u32; N],
    index: usize,
}

impl Mt19937 {
    /// A generator seeded from a single word (the reference `init_genrand`).
    pub fn from_word(seed: u32) -> Self {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: N }
    }

    /// A generator seeded from a key of words (the reference `init_by_array`), as
    /// CPython seeds from the 32-bit words of an integer, least significant first.
    /// An empty key is treated as the one-word key `[0]`.
    pub fn from_key(key: &[u32]) -> Self {
        let key: &[u32] = if key.is_empty() { &[0] } else { key };
        let mut g = Self::from_word(19_650_218);
        let mt = &mut g.state;
        let mut i = 1usize;
        let mut j = 0usize;
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] =
                (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        // The most significant bit is set, so the state is never all zero.
        mt[0] = 0x8000_0000;
        g
    }

    /// A generator with the given state words and position, as `setstate` installs.
    /// The caller has checked `index <= N`.
    pub fn from_parts(state: [u32; N], index: usize) -> Self {
        debug_assert!(index <= N);
        Mt19937 { state, index }
    }

    /// The state words.
    pub fn state(&self) -> &[u32; N] {
        &self.state
    }

    /// The position of the next state word to be tempered (`N` when a twist is due).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Regenerates all N state words.
    fn twist(&mut self) {
        let mt = &mut self.state;
        let mag = |y: u32| if y & 1 == 0 { 0 } else { MATRIX_A };
        for kk in 0..N - M {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag(y);
        }
        for kk in N - M..N - 1 {
            let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M - N] ^ (y >> 1) ^ mag(y);
        }
        let y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag(y);
        self.index = 0;
    }

    /// The next tempered 32-bit output (the reference `genrand_int32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference implementation's published check: the first outputs after
    /// `init_by_array({0x123, 0x234, 0x345, 0x456})`.
    #[test]
    fn reference_outputs() {
        let mut g = Mt19937::from_key(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..5).map(|_| g.next_u32()).collect();
        assert_eq!(
            first,
            [
                1_067_595_299,
                955_945_823,
                477_289_528,
                4_107_218_783,
                4_228_976_476
            ]
        );
    }

    /// The 10000th output of `init_genrand(5489)` is 4123659995 (C++ `std::mt19937`).
    #[test]
    fn ten_thousandth_output() {
        let mut g = Mt19937::from_word(5489);
        let mut last = 0;
        for _ in 0..10_000 {
            last = g.next_u32();
        }
        assert_eq!(last, 4_123_659_995);
    }
}
