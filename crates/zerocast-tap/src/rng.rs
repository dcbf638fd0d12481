//! The random source the binding hands the stack, and the one the fault injector draws from.
//!
//! xoshiro256** (Blackman and Vigna): small, fast, and good enough for protocol jitter and
//! test faults. [`SmallRng::from_os`] seeds it from the kernel (`getrandom(2)`), as ISNs,
//! ephemeral ports and DAD delays must not be guessable on a real network;
//! [`SmallRng::from_seed`] makes a run (a fault pattern, say) repeatable.

use zerocast_stack::context::Rng;

/// xoshiro256** state.
///
/// ```
/// use zerocast_stack::context::Rng;
/// use zerocast_tap::rng::SmallRng;
/// let mut a = SmallRng::from_seed(7);
/// let mut b = SmallRng::from_seed(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Clone, Debug)]
pub struct SmallRng {
    state: [u64; 4],
}

impl SmallRng {
    /// A generator whose whole sequence follows from `seed` (expanded with splitmix64, so
    /// neighbouring seeds give unrelated sequences and the state is never all zero).
    #[must_use]
    pub fn from_seed(seed: u64) -> SmallRng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        SmallRng {
            state: [next(), next(), next(), next()],
        }
    }

    /// A generator seeded from the kernel's random source.
    ///
    /// # Errors
    /// `getrandom(2)` failed (no entropy source at all).
    pub fn from_os() -> std::io::Result<SmallRng> {
        let seed = getrandom::u64().map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(SmallRng::from_seed(seed))
    }

    /// `true` with probability `p` (0.0 never, 1.0 always).
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 random bits make a uniform double in [0, 1).
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }
}

impl Rng for SmallRng {
    fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_seeds_give_different_sequences() {
        let a: Vec<u64> = {
            let mut r = SmallRng::from_seed(1);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = SmallRng::from_seed(2);
            (0..4).map(|_| r.next_u64()).collect()
        };
        assert_ne!(a, b);
    }

    #[test]
    fn chance_matches_its_probability_roughly() {
        let mut r = SmallRng::from_seed(99);
        let hits = (0..10_000).filter(|_| r.chance(0.25)).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
        assert!(!(0..1000).any(|_| r.chance(0.0)));
        assert!((0..1000).all(|_| r.chance(1.0)));
    }

    #[test]
    fn os_seeded_generators_differ() {
        let mut a = SmallRng::from_os().unwrap();
        let mut b = SmallRng::from_os().unwrap();
        assert_ne!(a.next_u64(), b.next_u64());
    }
}
