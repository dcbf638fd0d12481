//! Duplicate Address Detection (RFC 4862 section 5.4, with RFC 7527's nonce).
//!
//! A new IPv6 unicast address starts out tentative: the node joins the address's
//! solicited-node group, sends DupAddrDetectTransmits Neighbor Solicitations for it from the
//! unspecified address, RetransTimer apart, and only when RetransTimer has passed after the
//! last one without an answer is the address assigned. Until then it is never a source
//! address and packets to it are not accepted; a solicitation from another node doing DAD
//! for it, or an advertisement for it, means someone else has it. Each solicitation carries
//! a random nonce (RFC 7527 section 4) so that our own solicitation looped back by the link
//! is recognised and not mistaken for a duplicate.
//!
//! [`Dad`] is pure: every input carries `now`, and outputs are [`DadAction`]s that the
//! device layer turns into an MLD join and NS packets.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use zerocast_wire::Ipv6Addr;

use crate::context::Rng;
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// RFC 4862 section 5.1: the default DupAddrDetectTransmits, solicitations sent per
/// address (0 turns DAD off).
pub const DUP_ADDR_DETECT_TRANSMITS: u8 = 1;
/// RFC 7527 section 4: the length of the nonce in a DAD solicitation.
pub const NONCE_LEN: usize = 6;

/// Where an address stands in DAD.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AddressState {
    /// DAD is running: not usable as a source, packets to it are discarded.
    Tentative,
    /// DAD succeeded (or was off): the address is assigned to the interface.
    Assigned,
    /// Someone else has the address (RFC 4862 section 5.4.5): it must not be used.
    Duplicate,
}

/// What the device layer must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DadAction {
    /// Join this (solicited-node) group, before the first solicitation (RFC 4862 section
    /// 5.4.2).
    JoinGroup(Ipv6Addr),
    /// Leave this group: the address failed DAD or was removed.
    LeaveGroup(Ipv6Addr),
    /// Send a Neighbor Solicitation from `::` to the target's solicited-node group, with
    /// no Source Link-Layer Address option and with this Nonce option.
    SendSolicitation {
        /// The tentative address.
        target: Ipv6Addr,
        /// RFC 7527 nonce.
        nonce: [u8; NONCE_LEN],
    },
    /// DAD succeeded: the address is assigned and may now be a source.
    Assigned(Ipv6Addr),
    /// DAD failed: the address is a duplicate. RFC 4862 section 5.4.5 asks to log it, and
    /// when it is the link-local address derived from the MAC, to stop IPv6 on the
    /// interface.
    Duplicate(Ipv6Addr),
}

/// What the caller should do with a received NS or NA that DAD looked at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DadVerdict {
    /// The target is not one of our tentative or duplicate addresses: process the message
    /// as usual.
    NotTentative,
    /// The message was about a tentative (or duplicate) address and DAD consumed it: do
    /// not answer it and do not feed it to the neighbour cache.
    Consumed,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    state: AddressState,
    transmits_left: u8,
    nonce: [u8; NONCE_LEN],
}

/// DAD for the addresses of one interface.
///
/// ```
/// use zerocast_stack::context::Rng;
/// use zerocast_stack::ipv6::dad::{AddressState, Dad, DadAction};
/// use zerocast_stack::time::{Duration, Instant};
/// use zerocast_wire::Ipv6Addr;
/// # struct Counter(u64);
/// # impl Rng for Counter { fn next_u64(&mut self) -> u64 { self.0 += 1; self.0 } }
/// let addr: Ipv6Addr = "fe80::1".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let mut dad = Dad::new(1, Duration::from_secs(1));
/// let mut out = Vec::new();
/// dad.start(Instant::ZERO, addr, Duration::ZERO, &mut Counter(0), &mut out);
/// assert_eq!(dad.state(addr), Some(AddressState::Tentative));
/// assert!(matches!(out[..], [DadAction::JoinGroup(_), DadAction::SendSolicitation { .. }]));
/// out.clear();
/// dad.handle_timers(Instant::ZERO + Duration::from_secs(1), &mut out);
/// assert_eq!(out, [DadAction::Assigned(addr)]);
/// assert!(dad.is_assigned(addr));
/// ```
#[derive(Debug, Clone)]
pub struct Dad {
    entries: BTreeMap<Ipv6Addr, Entry>,
    timers: TimerHeap<Ipv6Addr>,
    transmits: u8,
    retrans_timer: Duration,
}

impl Dad {
    /// DAD sending `transmits` solicitations per address, `retrans_timer` apart.
    #[must_use]
    pub fn new(transmits: u8, retrans_timer: Duration) -> Self {
        Dad {
            entries: BTreeMap::new(),
            timers: TimerHeap::new(),
            transmits,
            retrans_timer,
        }
    }

    /// RFC 4861 section 6.3.4: RetransTimer learned from a Router Advertisement also paces
    /// DAD.
    pub fn set_retrans_timer(&mut self, retrans_timer: Duration) {
        self.retrans_timer = retrans_timer;
    }

    /// Starts DAD on `addr` (RFC 4862 section 5.4.2): joins its solicited-node group and
    /// sends the first solicitation after `initial_delay` (pass a random delay up to
    /// [`MAX_RTR_SOLICITATION_DELAY`](super::router_discovery::MAX_RTR_SOLICITATION_DELAY)
    /// when this is the first message since the interface
    /// came up, zero otherwise). With DupAddrDetectTransmits 0 the address is assigned at
    /// once. Starting again on a known address restarts it.
    pub fn start(
        &mut self,
        now: Instant,
        addr: Ipv6Addr,
        initial_delay: Duration,
        rng: &mut impl Rng,
        out: &mut Vec<DadAction>,
    ) {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&rng.next_u64().to_be_bytes()[..NONCE_LEN]);
        let was_joined = self
            .entries
            .get(&addr)
            .is_some_and(|e| e.state != AddressState::Duplicate);
        if !was_joined {
            out.push(DadAction::JoinGroup(addr.solicited_node()));
        }
        self.entries.insert(
            addr,
            Entry {
                state: AddressState::Tentative,
                transmits_left: self.transmits,
                nonce,
            },
        );
        if self.transmits == 0 {
            self.timers.cancel(&addr);
            self.assign(addr, out);
        } else if initial_delay.is_zero() {
            self.timers.cancel(&addr);
            self.transmit(now, addr, out);
        } else {
            self.timers.schedule(addr, now + initial_delay);
        }
    }

    /// The DAD state of `addr`, if DAD knows it.
    #[must_use]
    pub fn state(&self, addr: Ipv6Addr) -> Option<AddressState> {
        self.entries.get(&addr).map(|e| e.state)
    }

    /// Whether `addr` passed DAD: the only addresses that may be a packet's source or
    /// accept packets (RFC 4862 section 5.4).
    #[must_use]
    pub fn is_assigned(&self, addr: Ipv6Addr) -> bool {
        self.state(addr) == Some(AddressState::Assigned)
    }

    /// Whether `addr` is still tentative.
    #[must_use]
    pub fn is_tentative(&self, addr: Ipv6Addr) -> bool {
        self.state(addr) == Some(AddressState::Tentative)
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// Sends the next solicitation or, RetransTimer after the last, assigns the address.
    pub fn handle_timers(&mut self, now: Instant, out: &mut Vec<DadAction>) {
        while let Some(addr) = self.timers.pop_due(now) {
            match self.entries.get(&addr) {
                Some(e) if e.state == AddressState::Tentative && e.transmits_left > 0 => {
                    self.transmit(now, addr, out);
                }
                Some(e) if e.state == AddressState::Tentative => self.assign(addr, out),
                _ => {}
            }
        }
    }

    /// A Neighbor Solicitation for `target` arrived (RFC 4862 section 5.4.3).
    ///
    /// For a tentative target: from the unspecified address, it is another node doing DAD
    /// for the same address, so ours is a duplicate, unless it carries our own nonce (RFC
    /// 7527 section 4.2: our solicitation looped back). From a unicast address it is
    /// address resolution for an address we do not have yet, and is ignored. Either way the
    /// caller must not answer it.
    pub fn handle_solicitation(
        &mut self,
        target: Ipv6Addr,
        source_is_unspecified: bool,
        nonce: Option<&[u8]>,
        out: &mut Vec<DadAction>,
    ) -> DadVerdict {
        let Some(entry) = self.entries.get(&target) else {
            return DadVerdict::NotTentative;
        };
        match entry.state {
            AddressState::Assigned => DadVerdict::NotTentative,
            AddressState::Duplicate => DadVerdict::Consumed,
            AddressState::Tentative => {
                let looped_back = nonce == Some(&entry.nonce[..]);
                if source_is_unspecified && !looped_back {
                    self.mark_duplicate(target, out);
                }
                DadVerdict::Consumed
            }
        }
    }

    /// A Neighbor Advertisement for `target` arrived (RFC 4862 section 5.4.4): for a
    /// tentative target the address is a duplicate.
    pub fn handle_advertisement(
        &mut self,
        target: Ipv6Addr,
        out: &mut Vec<DadAction>,
    ) -> DadVerdict {
        match self.state(target) {
            None | Some(AddressState::Assigned) => DadVerdict::NotTentative,
            Some(AddressState::Duplicate) => DadVerdict::Consumed,
            Some(AddressState::Tentative) => {
                self.mark_duplicate(target, out);
                DadVerdict::Consumed
            }
        }
    }

    /// Forgets `addr` (it was removed); leaves its solicited-node group unless DAD already
    /// left it.
    pub fn remove(&mut self, addr: Ipv6Addr, out: &mut Vec<DadAction>) {
        self.timers.cancel(&addr);
        if let Some(e) = self.entries.remove(&addr) {
            if e.state != AddressState::Duplicate {
                out.push(DadAction::LeaveGroup(addr.solicited_node()));
            }
        }
    }

    fn transmit(&mut self, now: Instant, addr: Ipv6Addr, out: &mut Vec<DadAction>) {
        if let Some(e) = self.entries.get_mut(&addr) {
            e.transmits_left = e.transmits_left.saturating_sub(1);
            out.push(DadAction::SendSolicitation {
                target: addr,
                nonce: e.nonce,
            });
            self.timers.schedule(addr, now + self.retrans_timer);
        }
    }

    fn assign(&mut self, addr: Ipv6Addr, out: &mut Vec<DadAction>) {
        if let Some(e) = self.entries.get_mut(&addr) {
            e.state = AddressState::Assigned;
            out.push(DadAction::Assigned(addr));
        }
    }

    fn mark_duplicate(&mut self, addr: Ipv6Addr, out: &mut Vec<DadAction>) {
        self.timers.cancel(&addr);
        if let Some(e) = self.entries.get_mut(&addr) {
            e.state = AddressState::Duplicate;
            out.push(DadAction::Duplicate(addr));
            out.push(DadAction::LeaveGroup(addr.solicited_node()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    struct Counter(u64);
    impl Rng for Counter {
        fn next_u64(&mut self) -> u64 {
            self.0 += 0x0101_0101_0101_0101;
            self.0
        }
    }

    fn addr(last: u8) -> Ipv6Addr {
        Ipv6Addr([
            0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, last,
        ])
    }

    fn at(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    /// DAD with the default one transmission, started on `addr(1)` at t=0 with no delay.
    fn started() -> (Dad, [u8; NONCE_LEN]) {
        let mut dad = Dad::new(DUP_ADDR_DETECT_TRANSMITS, Duration::from_secs(1));
        let mut out = vec![];
        dad.start(at(0), addr(1), Duration::ZERO, &mut Counter(0), &mut out);
        let Some(DadAction::SendSolicitation { nonce, .. }) = out.get(1) else {
            panic!("{out:?}");
        };
        (dad, *nonce)
    }

    #[test]
    fn joins_solicited_node_group_before_the_first_solicitation_5_4_2() {
        let mut dad = Dad::new(1, Duration::from_secs(1));
        let mut out = vec![];
        dad.start(at(0), addr(1), Duration::ZERO, &mut Counter(0), &mut out);
        assert_eq!(out[0], DadAction::JoinGroup(addr(1).solicited_node()));
        assert!(matches!(out[1], DadAction::SendSolicitation { target, .. } if target == addr(1)));
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn address_is_assigned_retrans_timer_after_the_last_solicitation_5_4() {
        let mut dad = Dad::new(3, Duration::from_secs(1));
        let mut out = vec![];
        dad.start(at(0), addr(1), Duration::ZERO, &mut Counter(0), &mut out);
        out.clear();
        for ms in [1000, 2000] {
            dad.handle_timers(at(ms), &mut out);
            assert!(matches!(out[..], [DadAction::SendSolicitation { .. }]));
            out.clear();
        }
        dad.handle_timers(at(2999), &mut out);
        assert!(out.is_empty());
        assert!(
            dad.is_tentative(addr(1)),
            "a tentative address is never a source"
        );
        dad.handle_timers(at(3000), &mut out);
        assert_eq!(out, [DadAction::Assigned(addr(1))]);
        assert!(dad.is_assigned(addr(1)));
        assert_eq!(dad.next_deadline(), None);
    }

    #[test]
    fn first_solicitation_waits_for_the_initial_delay_5_4_2() {
        let mut dad = Dad::new(1, Duration::from_secs(1));
        let mut out = vec![];
        let delay = Duration::from_millis(400);
        dad.start(at(0), addr(1), delay, &mut Counter(0), &mut out);
        assert_eq!(out, [DadAction::JoinGroup(addr(1).solicited_node())]);
        assert_eq!(dad.next_deadline(), Some(at(400)));
        out.clear();
        dad.handle_timers(at(400), &mut out);
        assert!(matches!(out[..], [DadAction::SendSolicitation { .. }]));
        dad.handle_timers(at(1400), &mut out);
        assert!(dad.is_assigned(addr(1)));
    }

    #[test]
    fn zero_transmits_assigns_at_once_5_4() {
        let mut dad = Dad::new(0, Duration::from_secs(1));
        let mut out = vec![];
        dad.start(at(0), addr(1), Duration::ZERO, &mut Counter(0), &mut out);
        assert_eq!(
            out,
            [
                DadAction::JoinGroup(addr(1).solicited_node()),
                DadAction::Assigned(addr(1))
            ]
        );
    }

    #[test]
    fn solicitation_from_unspecified_for_tentative_address_is_a_duplicate_5_4_3() {
        let (mut dad, _) = started();
        let mut out = vec![];
        let other_nonce = [9u8; NONCE_LEN];
        let v = dad.handle_solicitation(addr(1), true, Some(&other_nonce), &mut out);
        assert_eq!(v, DadVerdict::Consumed);
        assert_eq!(
            out,
            [
                DadAction::Duplicate(addr(1)),
                DadAction::LeaveGroup(addr(1).solicited_node())
            ]
        );
        assert_eq!(dad.state(addr(1)), Some(AddressState::Duplicate));
        // Its timer is gone: it never becomes assigned.
        dad.handle_timers(at(10_000), &mut out);
        assert!(!dad.is_assigned(addr(1)));
    }

    #[test]
    fn our_own_looped_back_solicitation_is_not_a_duplicate_rfc7527_4_2() {
        let (mut dad, nonce) = started();
        let mut out = vec![];
        let v = dad.handle_solicitation(addr(1), true, Some(&nonce), &mut out);
        assert_eq!(v, DadVerdict::Consumed);
        assert!(out.is_empty());
        dad.handle_timers(at(1000), &mut out);
        assert!(dad.is_assigned(addr(1)));
    }

    #[test]
    fn solicitation_from_unicast_for_tentative_address_is_ignored_5_4_3() {
        let (mut dad, _) = started();
        let mut out = vec![];
        assert_eq!(
            dad.handle_solicitation(addr(1), false, None, &mut out),
            DadVerdict::Consumed
        );
        assert!(out.is_empty());
        assert!(dad.is_tentative(addr(1)));
    }

    #[test]
    fn advertisement_for_tentative_address_is_a_duplicate_5_4_4() {
        let (mut dad, _) = started();
        let mut out = vec![];
        assert_eq!(
            dad.handle_advertisement(addr(1), &mut out),
            DadVerdict::Consumed
        );
        assert_eq!(out[0], DadAction::Duplicate(addr(1)));
    }

    #[test]
    fn messages_about_assigned_or_unknown_addresses_are_left_to_the_caller() {
        let (mut dad, _) = started();
        let mut out = vec![];
        dad.handle_timers(at(1000), &mut out);
        out.clear();
        assert_eq!(
            dad.handle_solicitation(addr(1), true, None, &mut out),
            DadVerdict::NotTentative
        );
        assert_eq!(
            dad.handle_advertisement(addr(1), &mut out),
            DadVerdict::NotTentative
        );
        assert_eq!(
            dad.handle_advertisement(addr(2), &mut out),
            DadVerdict::NotTentative
        );
        assert!(out.is_empty());
        assert!(dad.is_assigned(addr(1)));
    }

    #[test]
    fn removing_an_address_leaves_its_group_and_stops_its_timer() {
        let (mut dad, _) = started();
        let mut out = vec![];
        dad.remove(addr(1), &mut out);
        assert_eq!(out, [DadAction::LeaveGroup(addr(1).solicited_node())]);
        assert_eq!(dad.next_deadline(), None);
        assert_eq!(dad.state(addr(1)), None);
    }

    #[test]
    fn each_address_gets_its_own_nonce_rfc7527_4() {
        let mut dad = Dad::new(1, Duration::from_secs(1));
        let mut out = vec![];
        let mut rng = Counter(0);
        dad.start(at(0), addr(1), Duration::ZERO, &mut rng, &mut out);
        dad.start(at(0), addr(2), Duration::ZERO, &mut rng, &mut out);
        let nonces: Vec<_> = out
            .iter()
            .filter_map(|a| match a {
                DadAction::SendSolicitation { nonce, .. } => Some(*nonce),
                _ => None,
            })
            .collect();
        assert_eq!(nonces.len(), 2);
        assert_ne!(nonces[0], nonces[1]);
    }
}
