//! Neighbour Unreachability Detection: the one state machine behind ARP and NDP.
//!
//! RFC 4861 section 7.3 describes how a node learns and re-checks the link-layer address of
//! each neighbour; RFC 7048 makes it less impatient by keeping failed entries in an
//! UNREACHABLE state that keeps probing with exponential backoff instead of forgetting
//! them. IPv4's ARP has no reachability model of its own (RFC 826 only says "merge"), so the
//! stack runs ARP through the same machine, as Linux does: an ARP request naming us is a
//! solicitation carrying the sender's address, an ARP reply is a solicited advertisement.
//!
//! [`NeighborTable`] is pure: it is generic over the protocol address `A` (an IPv4 or IPv6
//! address) and over the queued frame `F`, reads no clock (every input carries `now`) and
//! sends nothing. Each input pushes [`NudAction`]s — "send a multicast probe", "these queued
//! frames can go to this MAC", "resolution failed for this frame" — which `arp.rs` and
//! `ndp.rs` turn into packets. The table is bounded twice: in entries (a new entry evicts
//! the least useful one, see [`NeighborTable::resolve`]) and in queued frames (per entry and
//! in total; the oldest frame is dropped first, as RFC 4861 section 7.2.2 asks).

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use zerocast_wire::MacAddr;

use crate::context::Rng;
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// RFC 4861 section 10: MAX_MULTICAST_SOLICIT, the multicast solicitations sent while
/// resolving before resolution is declared failed.
pub const MAX_MULTICAST_SOLICIT: u8 = 3;
/// RFC 4861 section 10: MAX_UNICAST_SOLICIT, the unicast probes sent in PROBE before the
/// neighbour is declared unreachable.
pub const MAX_UNICAST_SOLICIT: u8 = 3;
/// RFC 4861 section 10: REACHABLE_TIME, the default BaseReachableTime.
pub const REACHABLE_TIME: Duration = Duration::from_secs(30);
/// RFC 4861 section 10: RETRANS_TIMER, the default RetransTimer between solicitations.
pub const RETRANS_TIMER: Duration = Duration::from_secs(1);
/// RFC 4861 section 10: DELAY_FIRST_PROBE_TIME, how long DELAY waits for an upper-layer
/// confirmation before probing.
pub const DELAY_FIRST_PROBE_TIME: Duration = Duration::from_secs(5);
/// RFC 4861 section 10: MIN_RANDOM_FACTOR (0.5), in thousandths.
pub const MIN_RANDOM_FACTOR_PER_MILLE: u64 = 500;
/// RFC 4861 section 10: MAX_RANDOM_FACTOR (1.5), in thousandths.
pub const MAX_RANDOM_FACTOR_PER_MILLE: u64 = 1500;
/// RFC 7048 section 4: BACKOFF_MULTIPLE, the factor by which each retransmission in
/// UNREACHABLE waits longer than the previous one.
pub const BACKOFF_MULTIPLE: u32 = 3;
/// RFC 7048 section 4: MAX_RETRANS_TIMER, the cap on the backed-off retransmission time.
pub const MAX_RETRANS_TIMER: Duration = Duration::from_secs(60);

/// RFC 4861 section 6.3.2: ReachableTime is BaseReachableTime times a factor drawn
/// uniformly between MIN_RANDOM_FACTOR and MAX_RANDOM_FACTOR, so neighbours that learned
/// each other at the same moment do not all re-probe at the same moment.
///
/// ```
/// use zerocast_stack::{context::Rng, neighbor::nud::randomized_reachable_time, time::Duration};
/// struct Fixed(u64);
/// impl Rng for Fixed { fn next_u64(&mut self) -> u64 { self.0 } }
/// let base = Duration::from_secs(30);
/// assert_eq!(randomized_reachable_time(base, &mut Fixed(0)), Duration::from_secs(15));
/// assert_eq!(randomized_reachable_time(base, &mut Fixed(u64::MAX)), Duration::from_secs(45));
/// ```
pub fn randomized_reachable_time(base: Duration, rng: &mut impl Rng) -> Duration {
    let span = MAX_RANDOM_FACTOR_PER_MILLE - MIN_RANDOM_FACTOR_PER_MILLE;
    let per_mille = MIN_RANDOM_FACTOR_PER_MILLE + rng.below(span + 1);
    let nanos = base.as_nanos().saturating_mul(u128::from(per_mille)) / 1000;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// RFC 7048 section 4: the wait after the `n`-th multicast probe in UNREACHABLE (`n` from
/// 1): RetransTimer × BACKOFF_MULTIPLE^n, never more than MAX_RETRANS_TIMER. (The RFC
/// also allows a random factor; the stack keeps the schedule exact, so a run reproduces.)
///
/// ```
/// use zerocast_stack::neighbor::nud::unreachable_backoff;
/// use zerocast_stack::time::Duration;
/// let one = Duration::from_secs(1);
/// assert_eq!(unreachable_backoff(one, 1), Duration::from_secs(3));
/// assert_eq!(unreachable_backoff(one, 3), Duration::from_secs(27));
/// assert_eq!(unreachable_backoff(one, 4), Duration::from_secs(60)); // 81 s, capped
/// ```
#[must_use]
pub fn unreachable_backoff(retrans_timer: Duration, n: u32) -> Duration {
    let factor = BACKOFF_MULTIPLE.saturating_pow(n);
    retrans_timer
        .checked_mul(factor)
        .unwrap_or(MAX_RETRANS_TIMER)
        .min(MAX_RETRANS_TIMER)
}

/// The reachability state of one neighbour (RFC 4861 section 7.3.2, plus RFC 7048's
/// UNREACHABLE).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NudState {
    /// Address resolution is in progress: multicast solicitations are out, frames wait.
    Incomplete,
    /// Positive confirmation arrived within the last ReachableTime.
    Reachable,
    /// The address is known but unconfirmed; nothing happens until a frame is sent.
    Stale,
    /// A frame went out from STALE; waiting DELAY_FIRST_PROBE_TIME for an upper-layer hint.
    Delay,
    /// Unicast probes are out to the cached address.
    Probe,
    /// Probing or resolution failed (RFC 7048 section 3). After PROBE the cached address
    /// is kept and frames still go to it (with no alternative, giving up would only lose
    /// them); after INCOMPLETE there is none and frames fail at once. Either way multicast
    /// probes continue with exponential backoff while frames keep coming.
    Unreachable,
}

/// What the owner of the table must do after an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NudAction<A, F> {
    /// Send a solicitation to everyone who might own `target`: an NS to its solicited-node
    /// group (NDP) or a broadcast ARP request.
    SolicitMulticast {
        /// The address being resolved.
        target: A,
    },
    /// Send a solicitation for `target` to its cached link-layer address.
    SolicitUnicast {
        /// The address being confirmed.
        target: A,
        /// Where to send it.
        link_addr: MacAddr,
    },
    /// A frame queued during resolution can go now.
    Send {
        /// The neighbour.
        target: A,
        /// Its link-layer address.
        link_addr: MacAddr,
        /// The frame.
        frame: F,
    },
    /// Resolution failed for this frame: answer with ICMP destination (host) unreachable
    /// (RFC 4861 section 7.2.2, RFC 1812 section 5.2.7.1).
    ResolutionFailed {
        /// The address that did not resolve.
        target: A,
        /// The frame.
        frame: F,
    },
    /// The frame was dropped without an error: its queue overflowed or its entry was
    /// evicted. Only counting is left to do.
    Dropped {
        /// The neighbour it was queued for.
        target: A,
        /// The frame.
        frame: F,
    },
    /// RFC 4861 section 7.2.5: the neighbour's IsRouter flag went from true to false, so
    /// it must leave the Default Router List.
    NoLongerRouter {
        /// The former router.
        neighbor: A,
    },
}

/// How [`NeighborTable::resolve`] answered.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Send now to this link-layer address.
    Resolved(MacAddr),
    /// Resolution is in progress: hand the frame to [`NeighborTable::enqueue`].
    Pending,
    /// The neighbour is UNREACHABLE: fail the frame now (ICMP destination unreachable).
    Unreachable,
}

/// What a Neighbor Advertisement (or an ARP reply) says about its target.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Advertisement {
    /// The Target Link-Layer Address option (ARP: the sender hardware address).
    pub link_addr: Option<MacAddr>,
    /// The S flag: a reply to our solicitation, proving two-way reachability.
    pub solicited: bool,
    /// The O flag: the advertised address replaces a cached one.
    pub override_flag: bool,
    /// The R flag; `None` for ARP, which has none (the entry's flag is kept).
    pub router: Option<bool>,
}

/// Limits and timer values of one table.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct NudConfig {
    /// Most entries; creating one more evicts one (see [`NeighborTable::resolve`]).
    pub max_entries: usize,
    /// Most frames waiting for one neighbour (RFC 4861 section 7.2.2 asks for at least one).
    pub max_queued_per_entry: usize,
    /// Most frames waiting in the whole table.
    pub max_queued_total: usize,
    /// RetransTimer (RFC 4861 section 6.3.2), updated from Router Advertisements.
    pub retrans_timer: Duration,
    /// BaseReachableTime (RFC 4861 section 6.3.2), updated from Router Advertisements.
    pub base_reachable_time: Duration,
    /// MAX_MULTICAST_SOLICIT.
    pub max_multicast_solicit: u8,
    /// MAX_UNICAST_SOLICIT.
    pub max_unicast_solicit: u8,
}

impl Default for NudConfig {
    /// The RFC 4861 section 10 values, 256 entries, 4 frames per entry, 64 in total.
    ///
    /// ```
    /// let c = zerocast_stack::neighbor::nud::NudConfig::default();
    /// assert_eq!((c.max_multicast_solicit, c.retrans_timer.as_secs()), (3, 1));
    /// ```
    fn default() -> Self {
        NudConfig {
            max_entries: 256,
            max_queued_per_entry: 4,
            max_queued_total: 64,
            retrans_timer: RETRANS_TIMER,
            base_reachable_time: REACHABLE_TIME,
            max_multicast_solicit: MAX_MULTICAST_SOLICIT,
            max_unicast_solicit: MAX_UNICAST_SOLICIT,
        }
    }
}

/// What the table did, for the device counters.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct NudCounters {
    /// Multicast (or broadcast) solicitations requested.
    pub multicast_probes: u64,
    /// Unicast probes requested.
    pub unicast_probes: u64,
    /// Resolutions that ran out of solicitations.
    pub resolution_failures: u64,
    /// Frames failed with an ICMP error.
    pub frames_failed: u64,
    /// Frames dropped from a full queue or with an evicted entry.
    pub frames_dropped: u64,
    /// Entries evicted to make room.
    pub evictions: u64,
}

/// One neighbour.
#[derive(Debug)]
struct Entry<F> {
    state: NudState,
    /// Known in every state but INCOMPLETE and UNREACHABLE.
    link_addr: Option<MacAddr>,
    /// RFC 4861 section 7.2.5's IsRouter.
    is_router: bool,
    /// Solicitations sent in the current state (INCOMPLETE, PROBE, UNREACHABLE).
    probes_sent: u32,
    /// Frames waiting for resolution, each with its table-wide arrival number.
    queue: VecDeque<(u64, F)>,
    /// Last time a frame was sent or queued for the neighbour (eviction picks the oldest).
    last_used: Instant,
    /// UNREACHABLE keeps probing only while frames keep coming (RFC 7048 section 3).
    used_since_probe: bool,
}

impl<F> Entry<F> {
    fn new(state: NudState, link_addr: Option<MacAddr>, now: Instant) -> Self {
        Entry {
            state,
            link_addr,
            is_router: false,
            probes_sent: 0,
            queue: VecDeque::new(),
            last_used: now,
            used_since_probe: false,
        }
    }

    /// Lower is evicted first: failed entries, then idle ones, then those in use, and
    /// resolutions in progress last (their frames are lost with them).
    fn eviction_rank(&self) -> u8 {
        match self.state {
            NudState::Unreachable => 0,
            NudState::Stale => 1,
            NudState::Reachable | NudState::Delay | NudState::Probe => 2,
            NudState::Incomplete => 3,
        }
    }
}

/// The neighbour cache of one device for one address family.
///
/// ```
/// use zerocast_stack::context::Rng;
/// use zerocast_stack::neighbor::nud::{NeighborTable, NudAction, NudConfig, Resolution};
/// use zerocast_stack::time::{Duration, Instant};
/// use zerocast_wire::{Ipv4Addr, MacAddr};
/// # struct Seeded(u64);
/// # impl Rng for Seeded { fn next_u64(&mut self) -> u64 { self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1); self.0 } }
/// let mut table: NeighborTable<Ipv4Addr, &str> = NeighborTable::new(NudConfig::default(), &mut Seeded(1));
/// let (peer, mac, t0) = (Ipv4Addr([10, 0, 0, 2]), MacAddr([2, 0, 0, 0, 0, 2]), Instant::ZERO);
/// let mut out = Vec::new();
/// assert_eq!(table.resolve(t0, peer, &mut out), Resolution::Pending);
/// table.enqueue(t0, peer, "ping", &mut out);
/// assert_eq!(out, [NudAction::SolicitMulticast { target: peer }]);
/// out.clear();
/// // The ARP reply arrives: the queued frame is released.
/// table.handle_solicited_reply(t0 + Duration::from_millis(3), peer, mac, &mut out);
/// assert_eq!(out, [NudAction::Send { target: peer, link_addr: mac, frame: "ping" }]);
/// assert_eq!(table.resolve(t0, peer, &mut out), Resolution::Resolved(mac));
/// ```
#[derive(Debug)]
pub struct NeighborTable<A: Ord + Copy, F> {
    entries: BTreeMap<A, Entry<F>>,
    /// At most one pending deadline per neighbour: the state's timer.
    timers: TimerHeap<A>,
    config: NudConfig,
    /// ReachableTime: BaseReachableTime randomised (RFC 4861 section 6.3.2).
    reachable_time: Duration,
    queued_total: usize,
    next_frame_seq: u64,
    counters: NudCounters,
}

impl<A: Ord + Copy, F> NeighborTable<A, F> {
    /// An empty table; ReachableTime is drawn from `rng`.
    pub fn new(config: NudConfig, rng: &mut impl Rng) -> Self {
        NeighborTable {
            entries: BTreeMap::new(),
            timers: TimerHeap::new(),
            config,
            reachable_time: randomized_reachable_time(config.base_reachable_time, rng),
            queued_total: 0,
            next_frame_seq: 0,
            counters: NudCounters::default(),
        }
    }

    /// The limits and timer values in force.
    #[must_use]
    pub fn config(&self) -> &NudConfig {
        &self.config
    }

    /// The current ReachableTime.
    #[must_use]
    pub fn reachable_time(&self) -> Duration {
        self.reachable_time
    }

    /// What the table did so far.
    #[must_use]
    pub fn counters(&self) -> &NudCounters {
        &self.counters
    }

    /// RFC 4861 section 6.3.4: a Router Advertisement's non-zero Reachable Time becomes
    /// BaseReachableTime, and ReachableTime is re-drawn when it changes. Also call this
    /// every few hours (section 6.3.2) so ReachableTime does not stay unlucky.
    pub fn set_base_reachable_time(&mut self, base: Duration, rng: &mut impl Rng) {
        self.config.base_reachable_time = base;
        self.reachable_time = randomized_reachable_time(base, rng);
    }

    /// RFC 4861 section 6.3.4: a Router Advertisement's non-zero Retrans Timer.
    pub fn set_retrans_timer(&mut self, retrans_timer: Duration) {
        self.config.retrans_timer = retrans_timer;
    }

    /// The state of `neighbor`'s entry.
    #[must_use]
    pub fn state(&self, neighbor: A) -> Option<NudState> {
        self.entries.get(&neighbor).map(|e| e.state)
    }

    /// The cached link-layer address of `neighbor`.
    #[must_use]
    pub fn link_addr(&self, neighbor: A) -> Option<MacAddr> {
        self.entries.get(&neighbor).and_then(|e| e.link_addr)
    }

    /// Whether `neighbor` is known as a router (IsRouter).
    #[must_use]
    pub fn is_router(&self, neighbor: A) -> bool {
        self.entries.get(&neighbor).is_some_and(|e| e.is_router)
    }

    /// How many entries the table holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many frames wait for resolution in the whole table.
    #[must_use]
    pub fn queued_frames(&self) -> usize {
        self.queued_total
    }

    /// The earliest deadline of any entry.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// The neighbours and their states, in address order (for `ip neigh`-style listings).
    pub fn iter(&self) -> impl Iterator<Item = (A, NudState, Option<MacAddr>)> + '_ {
        self.entries.iter().map(|(a, e)| (*a, e.state, e.link_addr))
    }

    /// Finds the link-layer address to send a frame to `target` (RFC 4861 sections 7.2.2
    /// and 7.3.3).
    ///
    /// - Unknown: a new INCOMPLETE entry and the first multicast solicitation;
    ///   [`Resolution::Pending`].
    /// - INCOMPLETE: [`Resolution::Pending`]; the solicitations already run on their timer.
    /// - STALE: the first frame moves it to DELAY (section 7.3.3); the address is used.
    /// - REACHABLE, DELAY, PROBE: the cached address.
    /// - UNREACHABLE after PROBE: the cached address; if no probe is in flight, a multicast
    ///   probe now, starting the backoff (RFC 7048 section 4).
    /// - UNREACHABLE after a failed resolution: [`Resolution::Unreachable`]; the entry
    ///   remembers it was wanted, so its backed-off probing continues.
    ///
    /// Making room for a new entry evicts one: an UNREACHABLE entry first, then STALE, then
    /// any other resolved state, an INCOMPLETE one last (its frames are dropped), the least
    /// recently used within each class.
    pub fn resolve(
        &mut self,
        now: Instant,
        target: A,
        out: &mut Vec<NudAction<A, F>>,
    ) -> Resolution {
        let Some(entry) = self.entries.get_mut(&target) else {
            self.make_room(out);
            let mut entry = Entry::new(NudState::Incomplete, None, now);
            entry.probes_sent = 1;
            self.entries.insert(target, entry);
            self.counters.multicast_probes += 1;
            out.push(NudAction::SolicitMulticast { target });
            self.timers
                .schedule(target, now + self.config.retrans_timer);
            return Resolution::Pending;
        };
        entry.last_used = now;
        match (entry.state, entry.link_addr) {
            (NudState::Stale, Some(mac)) => {
                entry.state = NudState::Delay;
                self.timers.schedule(target, now + DELAY_FIRST_PROBE_TIME);
                Resolution::Resolved(mac)
            }
            (NudState::Reachable | NudState::Delay | NudState::Probe, Some(mac)) => {
                Resolution::Resolved(mac)
            }
            (NudState::Unreachable, Some(mac)) => {
                entry.used_since_probe = true;
                if self.timers.deadline(&target).is_none() {
                    // Probing had stopped for lack of traffic: resume at the first step.
                    entry.used_since_probe = false;
                    entry.probes_sent = 1;
                    self.counters.multicast_probes += 1;
                    out.push(NudAction::SolicitMulticast { target });
                    let wait = unreachable_backoff(self.config.retrans_timer, 1);
                    self.timers.schedule(target, now + wait);
                }
                Resolution::Resolved(mac)
            }
            (NudState::Unreachable, None) => {
                entry.used_since_probe = true;
                Resolution::Unreachable
            }
            _ => Resolution::Pending,
        }
    }

    /// The link-layer address to send to `target` right now when no state change or timer
    /// is involved: the neighbour is REACHABLE, DELAY or PROBE (RFC 4861 section 7.3.3:
    /// sending in these states changes nothing but the entry's last use). `None` when the
    /// full [`resolve`](Self::resolve) is needed. One lookup, for the per-packet path.
    ///
    /// ```
    /// use zerocast_stack::neighbor::nud::{NeighborTable, NudConfig};
    /// use zerocast_stack::time::Instant;
    /// use zerocast_wire::{Ipv4Addr, MacAddr};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut t: NeighborTable<Ipv4Addr, Vec<u8>> = NeighborTable::new(NudConfig::default(), &mut bc);
    /// assert_eq!(t.steady_link_addr(Instant::ZERO, Ipv4Addr([10, 0, 0, 1])), None);
    /// ```
    pub fn steady_link_addr(&mut self, now: Instant, target: A) -> Option<MacAddr> {
        let entry = self.entries.get_mut(&target)?;
        match (entry.state, entry.link_addr) {
            (NudState::Reachable | NudState::Delay | NudState::Probe, Some(mac)) => {
                entry.last_used = now;
                Some(mac)
            }
            _ => None,
        }
    }

    /// Queues `frame` for `target` after [`resolve`](Self::resolve) answered
    /// [`Resolution::Pending`]. A full queue drops its oldest frame (RFC 4861 section
    /// 7.2.2: "the new arrival SHOULD replace the oldest entry"), and so does a full table
    /// (the oldest frame anywhere). Should the entry have resolved or failed meanwhile, the
    /// frame is sent or failed at once.
    pub fn enqueue(&mut self, now: Instant, target: A, frame: F, out: &mut Vec<NudAction<A, F>>) {
        match self.resolve(now, target, out) {
            Resolution::Resolved(link_addr) => {
                out.push(NudAction::Send {
                    target,
                    link_addr,
                    frame,
                });
                return;
            }
            Resolution::Unreachable => {
                self.counters.frames_failed += 1;
                out.push(NudAction::ResolutionFailed { target, frame });
                return;
            }
            Resolution::Pending => {}
        }
        let per_entry = self.config.max_queued_per_entry;
        if per_entry == 0 || self.config.max_queued_total == 0 {
            self.counters.frames_dropped += 1;
            out.push(NudAction::Dropped { target, frame });
            return;
        }
        let full = self
            .entries
            .get(&target)
            .is_some_and(|e| e.queue.len() >= per_entry);
        if full {
            self.drop_oldest_of(target, out);
        } else if self.queued_total >= self.config.max_queued_total {
            self.drop_oldest_anywhere(out);
        }
        let seq = self.next_frame_seq;
        self.next_frame_seq += 1;
        if let Some(entry) = self.entries.get_mut(&target) {
            entry.queue.push_back((seq, frame));
            self.queued_total += 1;
        }
    }

    /// RFC 4861 section 7.3.1: an upper layer (TCP acknowledging new data, say) proves the
    /// neighbour is reachable. Only an entry with a known address moves to REACHABLE; an
    /// INCOMPLETE or UNREACHABLE entry, or a missing one, is left alone.
    pub fn confirm_reachable(&mut self, now: Instant, neighbor: A) {
        let Some(entry) = self.entries.get_mut(&neighbor) else {
            return;
        };
        if entry.link_addr.is_some() {
            entry.state = NudState::Reachable;
            entry.probes_sent = 0;
            self.timers.schedule(neighbor, now + self.reachable_time);
        }
    }

    /// A neighbour told us its link-layer address without proving two-way reachability: a
    /// Neighbor Solicitation's Source Link-Layer Address (RFC 4861 section 7.2.3), a Router
    /// Advertisement's or Redirect's (sections 6.3.4 and 8.3), or an ARP request.
    ///
    /// An unknown neighbour gets a STALE entry; a different address replaces the cached one
    /// and makes the entry STALE; INCOMPLETE and UNREACHABLE entries learn the address,
    /// become STALE and release their queued frames (which moves them on to DELAY, section
    /// 7.3.3). The same address changes nothing.
    pub fn handle_link_addr(
        &mut self,
        now: Instant,
        neighbor: A,
        link_addr: MacAddr,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        let Some(entry) = self.entries.get_mut(&neighbor) else {
            self.make_room(out);
            self.entries
                .insert(neighbor, Entry::new(NudState::Stale, Some(link_addr), now));
            return;
        };
        match (entry.state, entry.link_addr) {
            (NudState::Incomplete, _) | (NudState::Unreachable, None) => {
                entry.link_addr = Some(link_addr);
                self.become_stale_and_release(now, neighbor, out);
            }
            _ if entry.link_addr != Some(link_addr) => {
                entry.link_addr = Some(link_addr);
                entry.state = NudState::Stale;
                self.timers.cancel(&neighbor);
            }
            _ => {}
        }
    }

    /// Marks `neighbor` as a router (RFC 4861 section 6.3.4: a Router Advertisement sets
    /// IsRouter). Does nothing without an entry; call after
    /// [`handle_link_addr`](Self::handle_link_addr) when the RA carried its address.
    pub fn set_router(&mut self, neighbor: A) {
        if let Some(entry) = self.entries.get_mut(&neighbor) {
            entry.is_router = true;
        }
    }

    /// An ARP reply from `neighbor`: ARP has no S or O flag, so a reply is taken as a
    /// solicited, overriding advertisement (what Linux does), and RFC 826's merge rule
    /// ("update the sender hardware address") is the override.
    pub fn handle_solicited_reply(
        &mut self,
        now: Instant,
        neighbor: A,
        link_addr: MacAddr,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        let advert = Advertisement {
            link_addr: Some(link_addr),
            solicited: true,
            override_flag: true,
            router: None,
        };
        self.handle_advertisement(now, neighbor, advert, out);
    }

    /// A Neighbor Advertisement for `target` (RFC 4861 section 7.2.5).
    ///
    /// - No entry: ignored (advertisements never create entries).
    /// - INCOMPLETE or UNREACHABLE: without a link-layer address ignored; otherwise the
    ///   address is recorded, the entry becomes REACHABLE if S is set and STALE if not,
    ///   IsRouter follows R, and the queued frames go out.
    /// - Otherwise, with O clear and a different address: a REACHABLE entry becomes STALE
    ///   and nothing else changes; other states ignore it.
    /// - Otherwise (O set, or the same address, or none): the address is recorded if given;
    ///   S makes the entry REACHABLE, else a changed address makes it STALE; IsRouter
    ///   follows R.
    pub fn handle_advertisement(
        &mut self,
        now: Instant,
        target: A,
        advert: Advertisement,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        let Some(entry) = self.entries.get_mut(&target) else {
            return;
        };
        let was_router = entry.is_router;
        match (entry.state, entry.link_addr) {
            (NudState::Incomplete, _) | (NudState::Unreachable, None) => {
                let Some(link_addr) = advert.link_addr else {
                    return;
                };
                entry.link_addr = Some(link_addr);
                entry.is_router = advert.router.unwrap_or(entry.is_router);
                if advert.solicited {
                    self.become_reachable_and_release(now, target, link_addr, out);
                } else {
                    self.become_stale_and_release(now, target, out);
                }
            }
            _ => {
                let changed = match (advert.link_addr, entry.link_addr) {
                    (Some(new), Some(cached)) => new != cached,
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if changed && !advert.override_flag {
                    if entry.state == NudState::Reachable {
                        entry.state = NudState::Stale;
                        self.timers.cancel(&target);
                    }
                    return;
                }
                if let Some(link_addr) = advert.link_addr {
                    entry.link_addr = Some(link_addr);
                }
                entry.is_router = advert.router.unwrap_or(entry.is_router);
                if advert.solicited {
                    entry.state = NudState::Reachable;
                    entry.probes_sent = 0;
                    self.timers.schedule(target, now + self.reachable_time);
                } else if changed {
                    entry.state = NudState::Stale;
                    self.timers.cancel(&target);
                }
            }
        }
        if was_router && !self.is_router(target) {
            out.push(NudAction::NoLongerRouter { neighbor: target });
        }
    }

    /// Forgets `neighbor` (its address was removed, or the administrator flushed it); its
    /// queued frames are dropped.
    pub fn remove(&mut self, neighbor: A, out: &mut Vec<NudAction<A, F>>) {
        self.timers.cancel(&neighbor);
        if let Some(entry) = self.entries.remove(&neighbor) {
            self.drop_queue(neighbor, entry.queue, out);
        }
    }

    /// Runs every timer due at or before `now` (RFC 4861 section 7.3.3, RFC 7048 section
    /// 3):
    /// - INCOMPLETE: another multicast solicitation every RetransTimer until
    ///   MAX_MULTICAST_SOLICIT have gone unanswered; then the queued frames fail and the
    ///   entry becomes UNREACHABLE.
    /// - REACHABLE: ReachableTime passed without confirmation; STALE.
    /// - DELAY: no upper-layer confirmation came; PROBE, first unicast probe.
    /// - PROBE: another unicast probe every RetransTimer until MAX_UNICAST_SOLICIT have gone
    ///   unanswered; then UNREACHABLE.
    /// - UNREACHABLE: if frames were sent or attempted since the last probe, another
    ///   multicast probe, then the next backoff step ([`unreachable_backoff`]); otherwise
    ///   probing pauses until the next frame, and an entry without an address (a failed
    ///   resolution) is deleted.
    pub fn handle_timers(&mut self, now: Instant, out: &mut Vec<NudAction<A, F>>) {
        while let Some(target) = self.timers.pop_due(now) {
            self.fire(now, target, out);
        }
    }

    fn fire(&mut self, now: Instant, target: A, out: &mut Vec<NudAction<A, F>>) {
        let retrans = self.config.retrans_timer;
        let Some(entry) = self.entries.get_mut(&target) else {
            return;
        };
        match entry.state {
            NudState::Incomplete => {
                if entry.probes_sent < u32::from(self.config.max_multicast_solicit) {
                    entry.probes_sent += 1;
                    self.counters.multicast_probes += 1;
                    out.push(NudAction::SolicitMulticast { target });
                    self.timers.schedule(target, now + retrans);
                } else {
                    self.counters.resolution_failures += 1;
                    let queue = core::mem::take(&mut entry.queue);
                    self.queued_total -= queue.len();
                    self.counters.frames_failed += queue.len() as u64;
                    out.extend(
                        queue
                            .into_iter()
                            .map(|(_, frame)| NudAction::ResolutionFailed { target, frame }),
                    );
                    // No address to keep: wait one backoff step for traffic before
                    // probing again (or forgetting the entry).
                    entry.link_addr = None;
                    self.become_unreachable(target);
                    let wait = unreachable_backoff(retrans, 1);
                    self.timers.schedule(target, now + wait);
                }
            }
            NudState::Reachable => entry.state = NudState::Stale,
            NudState::Stale => {}
            NudState::Delay => {
                if let Some(link_addr) = entry.link_addr {
                    entry.state = NudState::Probe;
                    entry.probes_sent = 1;
                    self.counters.unicast_probes += 1;
                    out.push(NudAction::SolicitUnicast { target, link_addr });
                    self.timers.schedule(target, now + retrans);
                }
            }
            NudState::Probe => match entry.link_addr {
                Some(link_addr)
                    if entry.probes_sent < u32::from(self.config.max_unicast_solicit) =>
                {
                    entry.probes_sent += 1;
                    self.counters.unicast_probes += 1;
                    out.push(NudAction::SolicitUnicast { target, link_addr });
                    self.timers.schedule(target, now + retrans);
                }
                _ => {
                    // Keep the address and wait for traffic to resume probing.
                    self.counters.resolution_failures += 1;
                    self.become_unreachable(target);
                }
            },
            NudState::Unreachable => {
                if entry.used_since_probe {
                    entry.used_since_probe = false;
                    entry.probes_sent = entry.probes_sent.saturating_add(1);
                    self.counters.multicast_probes += 1;
                    out.push(NudAction::SolicitMulticast { target });
                    let wait = unreachable_backoff(retrans, entry.probes_sent);
                    self.timers.schedule(target, now + wait);
                } else if entry.link_addr.is_none() {
                    // A failed resolution nobody asks for any more: forget it, so the next
                    // frame starts a fresh one.
                    self.remove(target, out);
                }
                // Otherwise probing pauses until the next frame (see `resolve`).
            }
        }
    }

    /// Enters UNREACHABLE with no backoff probe sent yet and no timer.
    fn become_unreachable(&mut self, target: A) {
        self.timers.cancel(&target);
        if let Some(entry) = self.entries.get_mut(&target) {
            entry.state = NudState::Unreachable;
            entry.probes_sent = 0;
            entry.used_since_probe = false;
        }
    }

    fn become_reachable_and_release(
        &mut self,
        now: Instant,
        target: A,
        link_addr: MacAddr,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        let Some(entry) = self.entries.get_mut(&target) else {
            return;
        };
        entry.state = NudState::Reachable;
        entry.probes_sent = 0;
        self.timers.schedule(target, now + self.reachable_time);
        let queue = core::mem::take(&mut entry.queue);
        self.release(target, link_addr, queue, out);
    }

    /// STALE with a known address; frames that were waiting go out, which (section 7.3.3)
    /// moves the entry on to DELAY.
    fn become_stale_and_release(
        &mut self,
        now: Instant,
        target: A,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        let Some(entry) = self.entries.get_mut(&target) else {
            return;
        };
        let Some(link_addr) = entry.link_addr else {
            return;
        };
        entry.probes_sent = 0;
        let queue = core::mem::take(&mut entry.queue);
        if queue.is_empty() {
            entry.state = NudState::Stale;
            self.timers.cancel(&target);
        } else {
            entry.state = NudState::Delay;
            entry.last_used = now;
            self.timers.schedule(target, now + DELAY_FIRST_PROBE_TIME);
        }
        self.release(target, link_addr, queue, out);
    }

    fn release(
        &mut self,
        target: A,
        link_addr: MacAddr,
        queue: VecDeque<(u64, F)>,
        out: &mut Vec<NudAction<A, F>>,
    ) {
        self.queued_total -= queue.len();
        out.extend(queue.into_iter().map(|(_, frame)| NudAction::Send {
            target,
            link_addr,
            frame,
        }));
    }

    fn drop_queue(&mut self, target: A, queue: VecDeque<(u64, F)>, out: &mut Vec<NudAction<A, F>>) {
        self.queued_total -= queue.len();
        self.counters.frames_dropped += queue.len() as u64;
        out.extend(
            queue
                .into_iter()
                .map(|(_, frame)| NudAction::Dropped { target, frame }),
        );
    }

    fn drop_oldest_of(&mut self, target: A, out: &mut Vec<NudAction<A, F>>) {
        if let Some((_, frame)) = self
            .entries
            .get_mut(&target)
            .and_then(|e| e.queue.pop_front())
        {
            self.queued_total -= 1;
            self.counters.frames_dropped += 1;
            out.push(NudAction::Dropped { target, frame });
        }
    }

    fn drop_oldest_anywhere(&mut self, out: &mut Vec<NudAction<A, F>>) {
        let oldest = self
            .entries
            .iter()
            .filter_map(|(a, e)| e.queue.front().map(|(seq, _)| (*seq, *a)))
            .min();
        if let Some((_, target)) = oldest {
            self.drop_oldest_of(target, out);
        }
    }

    /// Evicts one entry if the table is full (see [`resolve`](Self::resolve)).
    fn make_room(&mut self, out: &mut Vec<NudAction<A, F>>) {
        if self.entries.len() < self.config.max_entries.max(1) {
            return;
        }
        let victim = self
            .entries
            .iter()
            .min_by_key(|(_, e)| (e.eviction_rank(), e.last_used))
            .map(|(a, _)| *a);
        if let Some(victim) = victim {
            self.counters.evictions += 1;
            self.remove(victim, out);
        }
    }
}

#[cfg(test)]
mod tests;
