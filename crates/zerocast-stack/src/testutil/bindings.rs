//! [`FakeBindings`]: the embedder side of one simulated host — a clock the test moves, a
//! seeded generator, and queues of what the stack transmitted and signalled.

use alloc::vec::Vec;

use crate::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
use crate::time::Instant;

/// SplitMix64: tiny, fast, and every seed (zero included) gives a full-period sequence,
/// which is all a reproducible simulation needs. Not for real networks.
///
/// ```
/// use zerocast_stack::context::Rng;
/// use zerocast_stack::testutil::SeededRng;
/// let (mut a, mut b) = (SeededRng::new(7), SeededRng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert_ne!(SeededRng::new(7).next_u64(), SeededRng::new(8).next_u64());
/// ```
#[derive(Clone, Debug)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    /// A generator whose whole output is determined by `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> SeededRng {
        SeededRng { state: seed }
    }

    /// `true` with probability `p` (values outside 0..=1 act as 0 or 1). Always consumes
    /// exactly one draw, so changing a probability does not shift every later decision
    /// made from the same seed.
    pub fn chance(&mut self, p: f64) -> bool {
        let draw = self.next_u64();
        // 53 random mantissa bits give a uniform value in [0, 1).
        let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }
}

impl Rng for SeededRng {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// One frame the stack handed to [`DeviceTx::transmit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentFrame {
    /// When it was sent.
    pub at: Instant,
    /// The device it left on.
    pub device: DeviceId,
    /// The frame's bytes (Ethernet frame, or bare IP packet on a pure-IP device).
    pub bytes: Vec<u8>,
}

/// The embedder of one simulated host.
///
/// ```
/// use zerocast_stack::context::{Clock, DeviceTx};
/// use zerocast_stack::testutil::FakeBindings;
/// use zerocast_stack::time::{Duration, Instant};
/// let mut bc = FakeBindings::new(1);
/// bc.advance(Duration::from_millis(3));
/// assert_eq!(bc.now(), Instant::from_nanos(3_000_000));
/// ```
#[derive(Clone, Debug)]
pub struct FakeBindings {
    now: Instant,
    /// The host's random source.
    pub rng: SeededRng,
    /// Frames transmitted and not yet taken by the network or the test.
    pub sent: Vec<SentFrame>,
    /// Readiness signals in the order the stack raised them.
    pub events: Vec<(SocketId, Readiness)>,
}

impl FakeBindings {
    /// A host at instant zero whose generator starts from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> FakeBindings {
        FakeBindings {
            now: Instant::ZERO,
            rng: SeededRng::new(seed),
            sent: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Moves the clock to `at`. Time never goes backwards: an earlier `at` is ignored.
    pub fn set_now(&mut self, at: Instant) {
        if at > self.now {
            self.now = at;
        }
    }

    /// Moves the clock forward by `d`.
    pub fn advance(&mut self, d: crate::time::Duration) {
        self.now += d;
    }

    /// Removes and returns every frame transmitted so far.
    pub fn take_sent(&mut self) -> Vec<SentFrame> {
        core::mem::take(&mut self.sent)
    }
}

impl Clock for FakeBindings {
    fn now(&self) -> Instant {
        self.now
    }
}

impl Rng for FakeBindings {
    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

impl DeviceTx for FakeBindings {
    fn transmit(&mut self, device: DeviceId, frame: &[u8]) {
        self.sent.push(SentFrame {
            at: self.now,
            device,
            bytes: frame.to_vec(),
        });
    }
}

impl SocketEvents for FakeBindings {
    fn socket_ready(&mut self, socket: SocketId, readiness: Readiness) {
        self.events.push((socket, readiness));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chance_extremes_are_exact() {
        let mut rng = SeededRng::new(42);
        assert!((0..1000).all(|_| !rng.chance(0.0)));
        assert!((0..1000).all(|_| rng.chance(1.0)));
    }

    #[test]
    fn chance_is_roughly_its_probability() {
        let mut rng = SeededRng::new(3);
        let n = if cfg!(miri) { 200 } else { 20_000 };
        let hits = (0..n).filter(|_| rng.chance(0.25)).count();
        let frac = hits as f64 / n as f64;
        assert!((0.15..0.35).contains(&frac), "{frac}");
    }

    #[test]
    fn clock_never_goes_backwards() {
        let mut bc = FakeBindings::new(0);
        bc.set_now(Instant::from_nanos(50));
        bc.set_now(Instant::from_nanos(10));
        assert_eq!(bc.now(), Instant::from_nanos(50));
    }
}
