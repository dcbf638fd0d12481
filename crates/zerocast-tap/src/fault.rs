//! Fault injection between the device and the stack (`--drop P`, `--reorder P`), drawn from
//! a seed so a failing run can be repeated.
//!
//! Each frame, in either direction, is dropped with probability `drop`; a frame that
//! survives is held back with probability `reorder` and delivered right after the next frame
//! in the same direction, or after [`MAX_HOLD`] if none comes, so two frames swap places
//! (or one arrives late). This is what the TCP work needs to see retransmission and
//! out-of-order handling against a real kernel peer.

use std::time::{Duration, Instant};

use crate::rng::SmallRng;

/// How long a held-back frame waits for a successor before it is delivered anyway.
pub const MAX_HOLD: Duration = Duration::from_millis(10);

/// Probabilities of the injected faults.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct FaultConfig {
    /// Probability that a frame is lost.
    pub drop: f64,
    /// Probability that a frame is delayed behind the next one.
    pub reorder: f64,
    /// The seed of the faults' generator.
    pub seed: u64,
}

impl FaultConfig {
    /// Whether any fault is configured.
    ///
    /// ```
    /// use zerocast_tap::fault::FaultConfig;
    /// assert!(!FaultConfig::default().is_active());
    /// assert!(FaultConfig { drop: 0.1, ..FaultConfig::default() }.is_active());
    /// ```
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.drop > 0.0 || self.reorder > 0.0
    }
}

/// Counts of what the injector did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultCounters {
    /// Frames dropped.
    pub dropped: u64,
    /// Frames held back behind a later one.
    pub reordered: u64,
}

/// Decides the fate of each frame of one direction.
///
/// ```
/// use zerocast_tap::fault::{FaultConfig, FaultInjector};
/// let mut f = FaultInjector::new(FaultConfig { drop: 0.0, reorder: 1.0, seed: 1 });
/// let mut out = Vec::new();
/// let now = std::time::Instant::now();
/// f.pass(&[1], now, |fr| out.push(fr.to_vec())); // held back
/// f.pass(&[2], now, |fr| out.push(fr.to_vec())); // [2] goes, then the held [1]
/// assert_eq!(out, [vec![2], vec![1]]);
/// ```
#[derive(Debug)]
pub struct FaultInjector {
    config: FaultConfig,
    rng: SmallRng,
    held: Option<Vec<u8>>,
    release_at: Option<Instant>,
    counters: FaultCounters,
}

impl FaultInjector {
    /// An injector drawing from `config.seed`.
    #[must_use]
    pub fn new(config: FaultConfig) -> FaultInjector {
        FaultInjector {
            config,
            rng: SmallRng::from_seed(config.seed),
            held: None,
            release_at: None,
            counters: FaultCounters::default(),
        }
    }

    /// Passes `frame`, seen at `now`, through the faults: `deliver` is called zero, one or
    /// two times (the frame itself and/or one held back earlier).
    pub fn pass(&mut self, frame: &[u8], now: Instant, mut deliver: impl FnMut(&[u8])) {
        if self.rng.chance(self.config.drop) {
            self.counters.dropped += 1;
            return;
        }
        // At most one frame waits, so a held frame is never held twice: it goes right
        // after this one.
        if self.held.is_none() && self.rng.chance(self.config.reorder) {
            self.counters.reordered += 1;
            self.held = Some(frame.to_vec());
            self.release_at = Some(now + MAX_HOLD);
            return;
        }
        deliver(frame);
        self.flush(deliver);
    }

    /// When the held frame must go if no successor comes (the caller sleeps no longer).
    #[must_use]
    pub fn release_at(&self) -> Option<Instant> {
        self.release_at
    }

    /// Delivers the held frame if it has waited [`MAX_HOLD`] by `now`, so a held frame is
    /// late rather than lost.
    pub fn flush_due(&mut self, now: Instant, deliver: impl FnMut(&[u8])) {
        if self.release_at.is_some_and(|at| now >= at) {
            self.flush(deliver);
        }
    }

    /// Delivers the held frame now, if any.
    pub fn flush(&mut self, mut deliver: impl FnMut(&[u8])) {
        self.release_at = None;
        if let Some(held) = self.held.take() {
            deliver(&held);
        }
    }

    /// Whether a frame is waiting.
    #[must_use]
    pub fn holds_frame(&self) -> bool {
        self.held.is_some()
    }

    /// What the injector has done so far.
    #[must_use]
    pub fn counters(&self) -> FaultCounters {
        self.counters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: FaultConfig, frames: u8) -> Vec<u8> {
        let mut f = FaultInjector::new(config);
        let mut out = Vec::new();
        let now = Instant::now();
        for i in 0..frames {
            f.pass(&[i], now, |fr| out.push(fr[0]));
        }
        f.flush(|fr| out.push(fr[0]));
        out
    }

    #[test]
    fn no_faults_pass_everything_in_order() {
        let out = run(FaultConfig::default(), 50);
        assert_eq!(out, (0..50).collect::<Vec<u8>>());
    }

    #[test]
    fn drop_rate_is_roughly_the_probability_and_seeded() {
        let config = FaultConfig {
            drop: 0.3,
            reorder: 0.0,
            seed: 5,
        };
        let out = run(config, 200);
        assert!((100..180).contains(&out.len()), "{}", out.len());
        assert!(out.windows(2).all(|w| w[0] < w[1]), "drops never reorder");
        assert_eq!(out, run(config, 200), "same seed, same faults");
        assert_ne!(out, run(FaultConfig { seed: 6, ..config }, 200));
    }

    #[test]
    fn a_held_frame_is_released_after_max_hold_without_a_successor() {
        let mut f = FaultInjector::new(FaultConfig {
            drop: 0.0,
            reorder: 1.0,
            seed: 3,
        });
        let t0 = Instant::now();
        let mut out = Vec::new();
        f.pass(&[9], t0, |fr| out.push(fr[0]));
        assert!(out.is_empty() && f.holds_frame());
        assert_eq!(f.release_at(), Some(t0 + MAX_HOLD));
        f.flush_due(t0 + MAX_HOLD / 2, |fr| out.push(fr[0]));
        assert!(out.is_empty(), "not yet due");
        f.flush_due(t0 + MAX_HOLD, |fr| out.push(fr[0]));
        assert_eq!(out, [9]);
        assert_eq!(f.release_at(), None);
    }

    #[test]
    fn reordering_swaps_neighbours_and_loses_nothing() {
        let config = FaultConfig {
            drop: 0.0,
            reorder: 0.5,
            seed: 11,
        };
        let out = run(config, 100);
        let mut sorted = out.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<u8>>());
        assert_ne!(out, sorted, "some frames changed places");
        // A held frame is at most one place late.
        for (pos, &frame) in out.iter().enumerate() {
            assert!(usize::from(frame).abs_diff(pos) <= 1, "{out:?}");
        }
    }
}
