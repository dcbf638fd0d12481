//! Timers: one deadline per key, ordered by instant.
//!
//! Every timer in the stack (neighbour probes, reassembly expiry, DAD, MLD reports, TCP
//! retransmission, ...) is a key of the timer-id type owned by the stack,
//! kept in one [`TimerHeap`]. Scheduling a key that is already pending moves it, so a
//! protocol never has to remember whether it armed a timer before. The embedder learns the
//! earliest deadline through the stack's `next_deadline` and calls the stack's
//! timer entry point when it passes; nothing here reads a clock.
//!
//! The set is a binary heap with lazy deletion: moving or cancelling a key only updates
//! its entry in a [`TimerIndex`] and leaves the old heap entry to be skipped when it
//! reaches the top. A TCP connection re-arms its timer several times per exchange, and two
//! ordered maps (the earlier design) paid a remove and an insert in each for every move;
//! a heap push plus one index update is a fraction of that. The index is pluggable so that
//! keys which are small integers (the stack's TCP connection slots) can live in a vector.

use alloc::collections::{BTreeMap, BinaryHeap};
use core::cmp::Ordering;

use crate::time::Instant;

/// The deadline a key is armed for, with the sequence number that orders it among equal
/// deadlines. A [`TimerIndex`] stores it and hands it back unchanged.
///
/// ```
/// use zerocast_stack::time::Instant;
/// use zerocast_stack::timer::{TimerHeap, TimerIndex};
/// let mut timers = TimerHeap::new();
/// timers.schedule('a', Instant::from_nanos(9));
/// // The default index is an ordered map; it tells the pending deadline of a key.
/// let pending = timers.index().get(&'a').expect("armed");
/// assert_eq!(pending.at(), Instant::from_nanos(9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    at: Instant,
    /// Unique per scheduling: it identifies the one heap entry that is live for the key.
    seq: u64,
}

impl Pending {
    /// When the key fires.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::{TimerHeap, TimerIndex};
    /// let mut timers = TimerHeap::new();
    /// timers.schedule(7u8, Instant::from_nanos(3));
    /// assert_eq!(timers.index().get(&7).map(|p| p.at()), Some(Instant::from_nanos(3)));
    /// ```
    #[must_use]
    pub const fn at(self) -> Instant {
        self.at
    }
}

/// Where a [`TimerHeap`] looks up the pending deadline of a key: at most one [`Pending`]
/// per key. [`OrdIndex`] serves any ordered key; a key space of small integers can use a
/// vector instead (the stack does for its TCP connections).
///
/// ```
/// use zerocast_stack::time::Instant;
/// use zerocast_stack::timer::{Pending, TimerHeap, TimerIndex};
///
/// /// Keys 0..8, one slot each.
/// #[derive(Default)]
/// struct Slots([Option<Pending>; 8], usize);
///
/// impl TimerIndex<usize> for Slots {
///     fn get(&self, key: &usize) -> Option<Pending> {
///         self.0[*key]
///     }
///     fn insert(&mut self, key: usize, pending: Pending) -> Option<Pending> {
///         let old = self.0[key].replace(pending);
///         self.1 += usize::from(old.is_none());
///         old
///     }
///     fn remove(&mut self, key: &usize) -> Option<Pending> {
///         let old = self.0[*key].take();
///         self.1 -= usize::from(old.is_some());
///         old
///     }
///     fn len(&self) -> usize {
///         self.1
///     }
/// }
///
/// let mut timers = TimerHeap::with_index(Slots::default());
/// timers.schedule(3, Instant::from_nanos(20));
/// timers.schedule(5, Instant::from_nanos(10));
/// assert_eq!(timers.pop_due(Instant::from_nanos(20)), Some(5));
/// assert_eq!(timers.pop_due(Instant::from_nanos(20)), Some(3));
/// assert!(timers.is_empty());
/// ```
pub trait TimerIndex<K> {
    /// The pending deadline of `key`.
    fn get(&self, key: &K) -> Option<Pending>;
    /// Records `pending` for `key`, returning what it replaced.
    fn insert(&mut self, key: K, pending: Pending) -> Option<Pending>;
    /// Forgets `key`, returning what it had.
    fn remove(&mut self, key: &K) -> Option<Pending>;
    /// How many keys are recorded.
    fn len(&self) -> usize;
    /// Whether no key is recorded.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The index for any ordered key: a `BTreeMap`.
///
/// ```
/// use zerocast_stack::time::Instant;
/// use zerocast_stack::timer::{OrdIndex, TimerHeap};
/// let mut timers: TimerHeap<&str, OrdIndex<&str>> = TimerHeap::new();
/// timers.schedule("dad", Instant::from_nanos(1));
/// assert_eq!(timers.len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct OrdIndex<K>(BTreeMap<K, Pending>);

impl<K> Default for OrdIndex<K> {
    fn default() -> Self {
        OrdIndex(BTreeMap::new())
    }
}

impl<K: Ord> TimerIndex<K> for OrdIndex<K> {
    fn get(&self, key: &K) -> Option<Pending> {
        self.0.get(key).copied()
    }
    fn insert(&mut self, key: K, pending: Pending) -> Option<Pending> {
        self.0.insert(key, pending)
    }
    fn remove(&mut self, key: &K) -> Option<Pending> {
        self.0.remove(key)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// One heap entry: live while the index holds the same sequence number for its key.
#[derive(Debug, Clone)]
struct Entry<K> {
    at: Instant,
    seq: u64,
    key: K,
}

// Reversed on (instant, sequence) so that `BinaryHeap`, a max-heap, pops the earliest.
// Sequence numbers are unique, so two entries are equal only if they are the same one.
impl<K> PartialEq for Entry<K> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq && self.at == other.at
    }
}
impl<K> Eq for Entry<K> {}
impl<K> PartialOrd for Entry<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Entry<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// Heap entries beyond twice the live ones (plus this slack) are swept out, so stale
/// entries that never reach the top cannot grow the heap without bound.
const STALE_SLACK: usize = 32;

/// A set of pending deadlines, at most one per key.
///
/// Ties between equal deadlines fire in scheduling order, so a run is deterministic.
/// [`TimerHeap::next_deadline`] is exact: a moved or cancelled entry never shows there.
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
pub struct TimerHeap<K, I = OrdIndex<K>> {
    /// Every live entry and some stale ones; the top is always live (so `next_deadline`
    /// is a peek), and entries beyond the live ones are swept before they double the heap.
    heap: BinaryHeap<Entry<K>>,
    /// The one live entry of each pending key.
    index: I,
    next_seq: u64,
}

impl<K: Ord + Clone> Default for TimerHeap<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone> TimerHeap<K> {
    /// An empty set indexed by an ordered map.
    ///
    /// ```
    /// use zerocast_stack::timer::TimerHeap;
    /// let timers: TimerHeap<u32> = TimerHeap::new();
    /// assert!(timers.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        TimerHeap {
            heap: BinaryHeap::new(),
            index: OrdIndex(BTreeMap::new()),
            next_seq: 0,
        }
    }
}

impl<K: Clone, I: TimerIndex<K>> TimerHeap<K, I> {
    /// An empty set over `index`, which must be empty.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::{OrdIndex, TimerHeap};
    /// let mut timers = TimerHeap::with_index(OrdIndex::default());
    /// timers.schedule(1u16, Instant::from_nanos(4));
    /// assert_eq!(timers.deadline(&1), Some(Instant::from_nanos(4)));
    /// ```
    #[must_use]
    pub fn with_index(index: I) -> Self {
        debug_assert!(index.is_empty(), "a new timer set starts empty");
        TimerHeap {
            heap: BinaryHeap::new(),
            index,
            next_seq: 0,
        }
    }

    /// The index of pending keys.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::{TimerHeap, TimerIndex};
    /// let mut timers = TimerHeap::new();
    /// timers.schedule('k', Instant::from_nanos(2));
    /// assert_eq!(timers.index().len(), 1);
    /// ```
    #[must_use]
    pub fn index(&self) -> &I {
        &self.index
    }

    /// Arms `key` to fire at `at`, replacing its pending deadline if it had one. Returns the
    /// deadline it replaced. Re-arming a key for the deadline it already has changes nothing
    /// (it keeps its place among equal deadlines) and costs one lookup, so a protocol may
    /// re-sync its timer on every packet.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// assert_eq!(timers.schedule('a', Instant::from_nanos(5)), None);
    /// assert_eq!(timers.schedule('a', Instant::from_nanos(8)), Some(Instant::from_nanos(5)));
    /// assert_eq!(timers.next_deadline(), Some(Instant::from_nanos(8)));
    /// ```
    pub fn schedule(&mut self, key: K, at: Instant) -> Option<Instant> {
        if let Some(pending) = self.index.get(&key) {
            if pending.at == at {
                return Some(at);
            }
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let old = self.index.insert(key.clone(), Pending { at, seq });
        self.heap.push(Entry { at, seq, key });
        if let Some(old) = old {
            // The old entry is stale now; it may have been the top.
            self.drop_stale_top(old.seq);
        }
        self.sweep_if_mostly_stale();
        old.map(|p| p.at)
    }

    /// Disarms `key`, returning the deadline it had.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// timers.schedule('a', Instant::from_nanos(5));
    /// assert_eq!(timers.cancel(&'a'), Some(Instant::from_nanos(5)));
    /// assert_eq!(timers.next_deadline(), None);
    /// ```
    pub fn cancel(&mut self, key: &K) -> Option<Instant> {
        let old = self.index.remove(key)?;
        self.drop_stale_top(old.seq);
        self.sweep_if_mostly_stale();
        Some(old.at)
    }

    /// The deadline of `key`, if it is armed.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// timers.schedule("x", Instant::from_nanos(6));
    /// assert_eq!(timers.deadline(&"x"), Some(Instant::from_nanos(6)));
    /// assert_eq!(timers.deadline(&"y"), None);
    /// ```
    #[must_use]
    pub fn deadline(&self, key: &K) -> Option<Instant> {
        self.index.get(key).map(|p| p.at)
    }

    /// The earliest pending deadline.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// timers.schedule(1, Instant::from_nanos(6));
    /// timers.schedule(2, Instant::from_nanos(4));
    /// assert_eq!(timers.next_deadline(), Some(Instant::from_nanos(4)));
    /// ```
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.heap.peek().map(|e| e.at)
    }

    /// Removes and returns the earliest key whose deadline is at or before `now`.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// timers.schedule('a', Instant::from_nanos(6));
    /// assert_eq!(timers.pop_due(Instant::from_nanos(5)), None);
    /// assert_eq!(timers.pop_due(Instant::from_nanos(6)), Some('a'));
    /// ```
    pub fn pop_due(&mut self, now: Instant) -> Option<K> {
        if self.heap.peek()?.at > now {
            return None;
        }
        let top = self.heap.pop()?;
        self.index.remove(&top.key);
        self.skip_stale();
        self.sweep_if_mostly_stale();
        Some(top.key)
    }

    /// How many timers are armed.
    ///
    /// ```
    /// use zerocast_stack::time::Instant;
    /// use zerocast_stack::timer::TimerHeap;
    /// let mut timers = TimerHeap::new();
    /// timers.schedule('a', Instant::from_nanos(1));
    /// timers.schedule('a', Instant::from_nanos(2));
    /// assert_eq!(timers.len(), 1);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no timer is armed.
    ///
    /// ```
    /// use zerocast_stack::timer::TimerHeap;
    /// assert!(TimerHeap::<u8>::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Keeps the heap within twice the live entries (plus [`STALE_SLACK`]): a key that
    /// moves again and again, or keys armed and cancelled below a long-lived top, leave
    /// entries that may never surface. The sweep is linear, and it runs only once more
    /// stale entries have piled up than there are live ones, so its cost spread over the
    /// operations that made them is a constant per operation.
    #[inline]
    fn sweep_if_mostly_stale(&mut self) {
        if self.heap.len() > 2 * self.index.len() + STALE_SLACK {
            let index = &self.index;
            self.heap.retain(|e| is_live(index, e));
        }
    }

    /// Entry `seq` just went stale: if it is the top, uncover the next live one.
    #[inline]
    fn drop_stale_top(&mut self, seq: u64) {
        if self.heap.peek().is_some_and(|top| top.seq == seq) {
            self.heap.pop();
            self.skip_stale();
        }
    }

    /// Pops stale entries until the top is live. With as many entries as live keys there
    /// is none to pop, and no lookup is paid (the common case after a timer fires).
    fn skip_stale(&mut self) {
        while self.heap.len() > self.index.len() {
            match self.heap.peek() {
                Some(top) if !is_live(&self.index, top) => {
                    self.heap.pop();
                }
                _ => break,
            }
        }
    }
}

/// Whether `entry` is the one its key is pending for.
fn is_live<K, I: TimerIndex<K>>(index: &I, entry: &Entry<K>) -> bool {
    index.get(&entry.key).is_some_and(|p| p.seq == entry.seq)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn at(n: u64) -> Instant {
        Instant::from_nanos(n)
    }

    #[test]
    fn equal_deadlines_fire_in_scheduling_order() {
        let mut t = TimerHeap::new();
        t.schedule(3, at(7));
        t.schedule(1, at(7));
        t.schedule(2, at(7));
        let fired: Vec<_> = core::iter::from_fn(|| t.pop_due(at(7))).collect();
        assert_eq!(fired, [3, 1, 2]);
    }

    #[test]
    fn earlier_deadlines_fire_first_whatever_the_scheduling_order() {
        let mut t = TimerHeap::new();
        for (k, d) in [(0, 50), (1, 10), (2, 40), (3, 20), (4, 30)] {
            t.schedule(k, at(d));
        }
        let fired: Vec<_> = core::iter::from_fn(|| t.pop_due(at(100))).collect();
        assert_eq!(fired, [1, 3, 4, 2, 0]);
    }

    #[test]
    fn rescheduling_moves_instead_of_duplicating() {
        let mut t = TimerHeap::new();
        assert_eq!(t.schedule('a', at(5)), None);
        assert_eq!(t.schedule('a', at(50)), Some(at(5)));
        assert_eq!(t.len(), 1);
        assert_eq!(t.next_deadline(), Some(at(50)));
        assert_eq!(t.pop_due(at(49)), None);
        assert_eq!(t.pop_due(at(50)), Some('a'));
        assert!(t.is_empty());
        assert_eq!(t.pop_due(Instant::MAX), None);
    }

    #[test]
    fn a_moved_key_takes_a_new_place_among_equal_deadlines() {
        let mut t = TimerHeap::new();
        t.schedule('a', at(5));
        t.schedule('b', at(5));
        t.schedule('a', at(9));
        t.schedule('a', at(5));
        let fired: Vec<_> = core::iter::from_fn(|| t.pop_due(at(9))).collect();
        assert_eq!(fired, ['b', 'a']);
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

    #[test]
    fn next_deadline_skips_the_moved_and_cancelled_tops() {
        let mut t = TimerHeap::new();
        t.schedule('a', at(1));
        t.schedule('b', at(2));
        t.schedule('c', at(3));
        // The top moves later: its old entry stays in the heap but must not show.
        t.schedule('a', at(10));
        assert_eq!(t.next_deadline(), Some(at(2)));
        // The new top is cancelled: the next live one shows.
        t.cancel(&'b');
        assert_eq!(t.next_deadline(), Some(at(3)));
        t.cancel(&'c');
        assert_eq!(t.next_deadline(), Some(at(10)));
        assert_eq!(t.pop_due(at(9)), None);
        assert_eq!(t.pop_due(at(10)), Some('a'));
        assert_eq!(t.next_deadline(), None);
    }

    #[test]
    fn stale_entries_below_the_top_are_skipped_when_they_surface() {
        let mut t = TimerHeap::new();
        t.schedule('a', at(1));
        t.schedule('b', at(2));
        // Moved and cancelled below the top: nothing is popped yet.
        t.schedule('b', at(20));
        t.schedule('c', at(3));
        t.cancel(&'c');
        assert_eq!(t.pop_due(at(100)), Some('a'));
        assert_eq!(t.next_deadline(), Some(at(20)));
        assert_eq!(t.pop_due(at(100)), Some('b'));
        assert_eq!(t.pop_due(at(100)), None);
        assert!(t.heap.is_empty(), "stale entries left behind");
    }

    #[test]
    fn a_key_moved_over_and_over_keeps_the_heap_small() {
        // Miri runs this ~50x slower; a few hundred rounds still sweep several times.
        let rounds = if cfg!(miri) { 300 } else { 10_000 };
        let mut t = TimerHeap::new();
        t.schedule(0u32, at(0));
        // Key 1 is pushed later again and again (an RTO restarting on every ACK) while
        // key 0 holds the top, so none of its stale entries ever surfaces.
        for n in 1..u64::from(rounds) {
            t.schedule(1, at(n));
        }
        assert!(
            t.heap.len() <= 2 * t.len() + STALE_SLACK,
            "{}",
            t.heap.len()
        );
        // Keys armed and cancelled below the top leave stale entries too.
        for n in 2..rounds {
            t.schedule(n, at(n.into()));
            t.cancel(&n);
        }
        assert!(
            t.heap.len() <= 2 * t.len() + STALE_SLACK,
            "{}",
            t.heap.len()
        );
        assert_eq!(t.pop_due(Instant::MAX), Some(0));
        assert_eq!(t.pop_due(Instant::MAX), Some(1));
        assert_eq!(t.pop_due(Instant::MAX), None);
    }

    /// Keys below 16 by slot, as the stack indexes its TCP connections.
    #[derive(Debug, Default)]
    struct Slots(Vec<Option<Pending>>, usize);

    impl TimerIndex<u8> for Slots {
        fn get(&self, key: &u8) -> Option<Pending> {
            self.0.get(usize::from(*key)).copied().flatten()
        }
        fn insert(&mut self, key: u8, pending: Pending) -> Option<Pending> {
            let i = usize::from(key);
            if self.0.len() <= i {
                self.0.resize(i + 1, None);
            }
            let old = self.0[i].replace(pending);
            self.1 += usize::from(old.is_none());
            old
        }
        fn remove(&mut self, key: &u8) -> Option<Pending> {
            let old = self.0.get_mut(usize::from(*key))?.take();
            self.1 -= usize::from(old.is_some());
            old
        }
        fn len(&self) -> usize {
            self.1
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Schedule(u8, u64),
        Cancel(u8),
        PopDue(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        // Few keys and few instants: moves, ties and stale tops are frequent.
        prop_oneof![
            4 => (0u8..12, 0u64..40).prop_map(|(k, d)| Op::Schedule(k, d)),
            1 => (0u8..12).prop_map(Op::Cancel),
            2 => (0u64..40).prop_map(Op::PopDue),
        ]
    }

    /// The specification: a list of (key, deadline, scheduling number); the earliest
    /// deadline fires first, ties in scheduling order.
    #[derive(Default)]
    struct Model {
        pending: Vec<(u8, u64, u64)>,
        seq: u64,
    }

    impl Model {
        fn schedule(&mut self, key: u8, d: u64) -> Option<Instant> {
            let i = self.pending.iter().position(|p| p.0 == key);
            let old = i.map(|i| self.pending[i].1);
            if old == Some(d) {
                return old.map(at);
            }
            if let Some(i) = i {
                self.pending.remove(i);
            }
            self.pending.push((key, d, self.seq));
            self.seq += 1;
            old.map(at)
        }
        fn cancel(&mut self, key: u8) -> Option<Instant> {
            let i = self.pending.iter().position(|p| p.0 == key)?;
            Some(at(self.pending.remove(i).1))
        }
        fn earliest(&self) -> Option<usize> {
            (0..self.pending.len()).min_by_key(|&i| (self.pending[i].1, self.pending[i].2))
        }
        fn pop_due(&mut self, now: u64) -> Option<u8> {
            let i = self.earliest().filter(|&i| self.pending[i].1 <= now)?;
            Some(self.pending.remove(i).0)
        }
    }

    fn check_against_model<I: TimerIndex<u8>>(mut t: TimerHeap<u8, I>, ops: &[Op]) {
        let mut model = Model::default();
        for (n, op) in ops.iter().enumerate() {
            match *op {
                Op::Schedule(k, d) => assert_eq!(t.schedule(k, at(d)), model.schedule(k, d)),
                Op::Cancel(k) => assert_eq!(t.cancel(&k), model.cancel(k)),
                Op::PopDue(now) => assert_eq!(t.pop_due(at(now)), model.pop_due(now)),
            }
            let earliest = model.earliest().map(|i| at(model.pending[i].1));
            assert_eq!(t.next_deadline(), earliest, "after op {n}: {op:?}");
            assert_eq!(t.len(), model.pending.len());
            for k in 0..12 {
                let d = model.pending.iter().find(|p| p.0 == k).map(|p| at(p.1));
                assert_eq!(t.deadline(&k), d);
            }
            assert!(t.heap.len() <= 2 * t.len() + STALE_SLACK);
        }
        // Draining fires everything left in the model's order.
        let rest: Vec<_> = core::iter::from_fn(|| t.pop_due(Instant::MAX)).collect();
        let expected: Vec<_> = core::iter::from_fn(|| model.pop_due(u64::MAX)).collect();
        assert_eq!(rest, expected);
        assert!(t.is_empty());
    }

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(8))]
        #[test]
        fn behaves_like_a_list_ordered_by_deadline_then_scheduling(
            ops in proptest::collection::vec(op(), 0..200)
        ) {
            check_against_model(TimerHeap::new(), &ops);
            check_against_model(TimerHeap::with_index(Slots::default()), &ops);
        }
    }
}
