//! Timers: one deadline per key, ordered by instant.
//!
//! Every timer in the stack (neighbour probes, reassembly expiry, DAD, MLD reports, TCP
//! retransmission, ...) is a key of the timer-id type owned by the stack,
//! kept in one [`TimerHeap`]. Scheduling a key that is already pending moves it, so a
//! protocol never has to remember whether it armed a timer before. The embedder learns the
//! earliest deadline through the stack's `next_deadline` and calls the stack's
//! timer entry point when it passes; nothing here reads a clock.

use alloc::collections::BTreeMap;

use crate::time::Instant;

/// A set of pending deadlines, at most one per key.
///
/// Ties between equal deadlines fire in scheduling order, so a run is deterministic.
///
/// ```
/// use zerocast_stack::time::Instant;
/// use zerocast_stack::timer::TimerHeap;
/// let mut timers = TimerHeap::new();
/// timers.schedule("probe", Instant::from_nanos(30));
/// timers.schedule("expire", Instant::from_nanos(10));
/// timers.schedule("probe", Instant::from_nanos(5)); // moves the pending "probe"
/// assert_eq!(timers.next_deadline(), Some(Instant::from_nanos(5)));
/// assert_eq!(timers.pop_due(Instant::from_nanos(10)), Some("probe"));
/// assert_eq!(timers.pop_due(Instant::from_nanos(10)), Some("expire"));
/// assert_eq!(timers.pop_due(Instant::from_nanos(10)), None);
/// ```
#[derive(Debug, Clone)]
pub struct TimerHeap<K: Ord + Clone> {
    /// Deadlines in firing order; the sequence number breaks ties in scheduling order.
    by_deadline: BTreeMap<(Instant, u64), K>,
    /// Where each pending key sits in `by_deadline`.
    by_key: BTreeMap<K, (Instant, u64)>,
    next_seq: u64,
}

impl<K: Ord + Clone> Default for TimerHeap<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone> TimerHeap<K> {
    /// An empty set.
    #[must_use]
    pub const fn new() -> Self {
        TimerHeap {
            by_deadline: BTreeMap::new(),
            by_key: BTreeMap::new(),
            next_seq: 0,
        }
    }

    /// Arms `key` to fire at `at`, replacing its pending deadline if it had one. Returns the
    /// deadline it replaced. Re-arming a key for the deadline it already has changes nothing
    /// (it keeps its place among equal deadlines) and costs one lookup, so a protocol may
    /// re-sync its timer on every packet.
    pub fn schedule(&mut self, key: K, at: Instant) -> Option<Instant> {
        if let Some(&(pending, _)) = self.by_key.get(&key) {
            if pending == at {
                return Some(at);
            }
        }
        let old = self.cancel(&key);
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.by_deadline.insert((at, seq), key.clone());
        self.by_key.insert(key, (at, seq));
        old
    }

    /// Disarms `key`, returning the deadline it had.
    pub fn cancel(&mut self, key: &K) -> Option<Instant> {
        let slot = self.by_key.remove(key)?;
        self.by_deadline.remove(&slot);
        Some(slot.0)
    }

    /// The deadline of `key`, if it is armed.
    #[must_use]
    pub fn deadline(&self, key: &K) -> Option<Instant> {
        self.by_key.get(key).map(|slot| slot.0)
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.by_deadline.keys().next().map(|slot| slot.0)
    }

    /// Removes and returns the earliest key whose deadline is at or before `now`.
    pub fn pop_due(&mut self, now: Instant) -> Option<K> {
        let (&slot, _) = self.by_deadline.iter().next()?;
        if slot.0 > now {
            return None;
        }
        let key = self.by_deadline.remove(&slot)?;
        self.by_key.remove(&key);
        Some(key)
    }

    /// How many timers are armed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether no timer is armed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: u64) -> Instant {
        Instant::from_nanos(n)
    }

    #[test]
    fn equal_deadlines_fire_in_scheduling_order() {
        let mut t = TimerHeap::new();
        t.schedule(3, at(7));
        t.schedule(1, at(7));
        t.schedule(2, at(7));
        let fired: alloc::vec::Vec<_> = core::iter::from_fn(|| t.pop_due(at(7))).collect();
        assert_eq!(fired, [3, 1, 2]);
    }

    #[test]
    fn rescheduling_moves_instead_of_duplicating() {
        let mut t = TimerHeap::new();
        assert_eq!(t.schedule('a', at(5)), None);
        assert_eq!(t.schedule('a', at(50)), Some(at(5)));
        assert_eq!(t.len(), 1);
        assert_eq!(t.pop_due(at(49)), None);
        assert_eq!(t.pop_due(at(50)), Some('a'));
        assert!(t.is_empty());
    }

    #[test]
    fn rearming_the_same_deadline_keeps_the_place_in_line() {
        let mut t = TimerHeap::new();
        t.schedule('a', at(5));
        t.schedule('b', at(5));
        assert_eq!(t.schedule('a', at(5)), Some(at(5)));
        assert_eq!(t.pop_due(at(5)), Some('a'));
        assert_eq!(t.pop_due(at(5)), Some('b'));
    }

    #[test]
    fn cancelled_timers_never_fire() {
        let mut t = TimerHeap::new();
        t.schedule('x', at(1));
        assert_eq!(t.cancel(&'x'), Some(at(1)));
        assert_eq!(t.cancel(&'x'), None);
        assert_eq!(t.pop_due(Instant::MAX), None);
        assert_eq!(t.next_deadline(), None);
    }
}
