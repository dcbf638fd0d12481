//! One timer's deadline, written only through a setter that reports changes.
//!
//! After every segment and call the stack keeps a connection's timer-heap entry at the
//! connection's earliest deadline. Most calls move no timer (a read, an ACK that only
//! restarts nothing), so the connection keeps a "timers changed" flag and the stack
//! recomputes the earliest deadline only when it is set. [`Deadline::set`] takes that flag
//! as an argument: a write that forgets to report itself does not compile.

use crate::time::Instant;

/// A deadline, armed (`Some`) or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    /// When it fires, if armed.
    #[inline]
    pub(crate) fn get(self) -> Option<Instant> {
        self.0
    }

    /// Armed and due at `now`.
    #[inline]
    pub(crate) fn is_due(self, now: Instant) -> bool {
        self.0.is_some_and(|t| t <= now)
    }

    /// Arms it at `at` (or disarms it with `None`); sets `changed` if that moved it.
    #[inline]
    pub(crate) fn set(&mut self, at: Option<Instant>, changed: &mut bool) {
        *changed |= self.0 != at;
        self.0 = at;
    }
}

#[cfg(test)]
mod tests {
    use super::Deadline;
    use crate::time::{Duration, Instant};

    #[test]
    fn set_reports_only_a_move() {
        let t = Instant::ZERO + Duration::from_millis(5);
        let mut d = Deadline::default();
        let mut changed = false;
        d.set(None, &mut changed);
        assert!(!changed, "disarming a disarmed deadline moves nothing");
        d.set(Some(t), &mut changed);
        assert!(changed);
        assert_eq!(d.get(), Some(t));
        changed = false;
        d.set(Some(t), &mut changed);
        assert!(!changed, "the same instant again moves nothing");
        assert!(!d.is_due(Instant::ZERO));
        assert!(d.is_due(t));
        d.set(None, &mut changed);
        assert!(changed);
        assert_eq!(d.get(), None);
    }
}
