//! The stack's notion of time: a monotonic [`Instant`] supplied by the embedder.
//!
//! The core never reads a clock. Every entry point takes the current time from
//! [`Clock::now`](crate::context::Clock::now), so a test decides exactly when each timer
//! fires and a run is reproducible from its inputs alone.

pub use core::time::Duration;

/// A point on the embedder's monotonic clock, in nanoseconds since an arbitrary origin.
///
/// Only differences between instants mean anything; the origin is whatever the embedder
/// chose (boot, process start, zero in a test).
///
/// ```
/// use zerocast_stack::time::{Duration, Instant};
/// let t0 = Instant::from_nanos(1_000);
/// let t1 = t0 + Duration::from_micros(5);
/// assert_eq!(t1.saturating_duration_since(t0), Duration::from_micros(5));
/// assert_eq!(t0.saturating_duration_since(t1), Duration::ZERO);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The clock's origin.
    pub const ZERO: Instant = Instant(0);
    /// The latest representable instant (about 584 years after the origin); adding past it
    /// saturates here.
    pub const MAX: Instant = Instant(u64::MAX);

    /// The instant `nanos` nanoseconds after the origin.
    #[must_use]
    pub const fn from_nanos(nanos: u64) -> Instant {
        Instant(nanos)
    }

    /// Nanoseconds since the origin.
    #[must_use]
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    #[must_use]
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// `self + d`, saturating at [`Instant::MAX`].
    #[must_use]
    pub fn saturating_add(self, d: Duration) -> Instant {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Instant(self.0.saturating_add(nanos))
    }
}

impl core::ops::Add<Duration> for Instant {
    type Output = Instant;
    /// Saturating: a timer set absurdly far ahead simply never fires.
    fn add(self, d: Duration) -> Instant {
        self.saturating_add(d)
    }
}

impl core::ops::AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = self.saturating_add(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addition_saturates_instead_of_wrapping() {
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(Instant::ZERO + Duration::MAX, Instant::MAX);
    }

    #[test]
    fn duration_since_a_later_instant_is_zero() {
        let a = Instant::from_nanos(10);
        let b = Instant::from_nanos(25);
        assert_eq!(b.saturating_duration_since(a), Duration::from_nanos(15));
        assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
    }
}
