//! Router discovery for hosts (RFC 4861 sections 6.3.4 and 6.3.7).
//!
//! A host solicits routers when its interface comes up (a few Router Solicitations, spaced
//! out) and learns from each valid Router Advertisement: its default routers (with their
//! lifetimes), the on-link prefixes (the L flag, with theirs), the link MTU, the hop limit,
//! BaseReachableTime and RetransTimer for the neighbour cache, the router's link-layer
//! address, and the prefixes to autoconfigure addresses from (the A flag, handed to
//! [`slaac`](super::slaac)).
//!
//! [`RouterDiscovery`] is pure: it reads the wire crate's parsed RA body and options,
//! keeps the two lists bounded (new routers or prefixes beyond the bound are ignored rather
//! than displacing known ones, so an RA flood cannot push out the real router), and emits
//! [`RdAction`]s.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use zerocast_wire::ndp::{NdpOption, NdpOptions, RouterAdvertisement};
use zerocast_wire::{Ipv6Addr, MacAddr};

use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// RFC 4861 section 10: MAX_RTR_SOLICITATION_DELAY, the bound of the random delay before
/// the first Router Solicitation.
pub const MAX_RTR_SOLICITATION_DELAY: Duration = Duration::from_secs(1);
/// RFC 4861 section 10: RTR_SOLICITATION_INTERVAL, the time between solicitations.
pub const RTR_SOLICITATION_INTERVAL: Duration = Duration::from_secs(4);
/// RFC 4861 section 10: MAX_RTR_SOLICITATIONS, solicitations sent at most.
pub const MAX_RTR_SOLICITATIONS: u8 = 3;
/// RFC 4861 section 6.1.2: Router Advertisements must arrive with this hop limit, proving
/// they were not forwarded.
pub const ND_HOP_LIMIT: u8 = 255;
/// RFC 8200 section 5: the minimum link MTU; an MTU option below it is ignored.
pub const IPV6_MIN_MTU: u32 = 1280;
/// RFC 4861 section 4.6.2: a lifetime of all ones is infinite.
pub const INFINITE_LIFETIME: u32 = u32::MAX;
/// The default routers remembered per interface.
pub const MAX_DEFAULT_ROUTERS: usize = 8;
/// The on-link prefixes remembered per interface.
pub const MAX_ON_LINK_PREFIXES: usize = 16;

/// A prefix to autoconfigure an address from (a Prefix Information option with the A
/// flag), handed to [`Slaac::handle_prefix`](super::slaac::Slaac::handle_prefix).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AutoconfPrefix {
    /// The prefix.
    pub prefix: Ipv6Addr,
    /// Its length in bits.
    pub prefix_len: u8,
    /// Valid lifetime in seconds ([`INFINITE_LIFETIME`] for ever).
    pub valid_lifetime: u32,
    /// Preferred lifetime in seconds.
    pub preferred_lifetime: u32,
}

/// What the device layer must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RdAction {
    /// Send a Router Solicitation to all-routers (from an assigned link-local address with
    /// a Source Link-Layer Address option, or from `::` without one).
    SendRouterSolicitation,
    /// A new default router: add a default route through it.
    AddDefaultRouter(Ipv6Addr),
    /// A default router's lifetime ran out (or was zero): remove its route.
    RemoveDefaultRouter(Ipv6Addr),
    /// A new on-link prefix: add an on-link route.
    AddOnLinkPrefix {
        /// The prefix, host bits cleared.
        prefix: Ipv6Addr,
        /// Its length.
        prefix_len: u8,
    },
    /// An on-link prefix expired: remove its route.
    RemoveOnLinkPrefix {
        /// The prefix.
        prefix: Ipv6Addr,
        /// Its length.
        prefix_len: u8,
    },
    /// Use this link MTU (from an MTU option within the allowed range).
    SetLinkMtu(u32),
    /// Use this hop limit for outgoing packets (CurHopLimit).
    SetCurHopLimit(u8),
    /// New BaseReachableTime for the neighbour cache (re-draws ReachableTime).
    SetBaseReachableTime(Duration),
    /// New RetransTimer for the neighbour cache and DAD.
    SetRetransTimer(Duration),
    /// Record the router's link-layer address in the neighbour cache and mark it a router
    /// (section 6.3.4: STALE if new or changed).
    RouterLinkAddr {
        /// The router.
        router: Ipv6Addr,
        /// Its Source Link-Layer Address.
        link_addr: MacAddr,
    },
    /// Hand this prefix to SLAAC.
    Autoconfigure(AutoconfPrefix),
}

/// Why an RA was discarded (RFC 4861 section 6.1.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RaError {
    /// The source is not a link-local address.
    SourceNotLinkLocal,
    /// The hop limit is not 255: it was forwarded.
    HopLimitNot255,
    /// An option has length zero or runs past the end.
    MalformedOption,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RdTimer {
    Solicit,
    Router(Ipv6Addr),
    Prefix(Ipv6Addr, u8),
}

/// Router discovery state of one interface.
///
/// ```
/// use zerocast_stack::ipv6::router_discovery::{RdAction, RouterDiscovery};
/// use zerocast_stack::time::{Duration, Instant};
/// let mut rd = RouterDiscovery::new(1500);
/// let mut out = Vec::new();
/// rd.start_soliciting(Instant::ZERO, Duration::ZERO, &mut out);
/// assert_eq!(out, [RdAction::SendRouterSolicitation]);
/// assert_eq!(rd.next_deadline(), Some(Instant::ZERO + Duration::from_secs(4)));
/// ```
#[derive(Debug, Clone)]
pub struct RouterDiscovery {
    /// Default Router List: router → invalidation time.
    routers: BTreeMap<Ipv6Addr, Instant>,
    /// Prefix List: (prefix, length) → invalidation time (`None`: infinite).
    prefixes: BTreeMap<(Ipv6Addr, u8), Option<Instant>>,
    timers: TimerHeap<RdTimer>,
    solicitations_sent: u8,
    base_reachable_time: Option<Duration>,
    /// The largest MTU the device can carry: MTU options above it are ignored.
    max_link_mtu: u32,
}

impl RouterDiscovery {
    /// Nothing learned, not soliciting, on a device that carries at most `max_link_mtu`.
    #[must_use]
    pub fn new(max_link_mtu: u32) -> Self {
        RouterDiscovery {
            routers: BTreeMap::new(),
            prefixes: BTreeMap::new(),
            timers: TimerHeap::new(),
            solicitations_sent: 0,
            base_reachable_time: None,
            max_link_mtu,
        }
    }

    /// The default routers, in address order.
    pub fn default_routers(&self) -> impl Iterator<Item = Ipv6Addr> + '_ {
        self.routers.keys().copied()
    }

    /// The on-link prefixes, in address order.
    pub fn on_link_prefixes(&self) -> impl Iterator<Item = (Ipv6Addr, u8)> + '_ {
        self.prefixes.keys().copied()
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// Starts soliciting (RFC 4861 section 6.3.7): the first solicitation after `delay`
    /// (draw it uniformly from 0 to [`MAX_RTR_SOLICITATION_DELAY`]), then one every
    /// [`RTR_SOLICITATION_INTERVAL`] up to [`MAX_RTR_SOLICITATIONS`], until an RA with a
    /// non-zero router lifetime arrives.
    pub fn start_soliciting(&mut self, now: Instant, delay: Duration, out: &mut Vec<RdAction>) {
        self.solicitations_sent = 0;
        if delay.is_zero() {
            self.solicit(now, out);
        } else {
            self.timers.schedule(RdTimer::Solicit, now + delay);
        }
    }

    /// Stops soliciting (the interface's IPv6 was disabled).
    pub fn stop_soliciting(&mut self) {
        self.timers.cancel(&RdTimer::Solicit);
        self.solicitations_sent = MAX_RTR_SOLICITATIONS;
    }

    fn solicit(&mut self, now: Instant, out: &mut Vec<RdAction>) {
        if self.solicitations_sent >= MAX_RTR_SOLICITATIONS {
            return;
        }
        self.solicitations_sent += 1;
        out.push(RdAction::SendRouterSolicitation);
        if self.solicitations_sent < MAX_RTR_SOLICITATIONS {
            self.timers
                .schedule(RdTimer::Solicit, now + RTR_SOLICITATION_INTERVAL);
        }
    }

    /// Runs due timers: the next solicitation, routers and prefixes whose lifetime ran out.
    pub fn handle_timers(&mut self, now: Instant, out: &mut Vec<RdAction>) {
        while let Some(timer) = self.timers.pop_due(now) {
            match timer {
                RdTimer::Solicit => self.solicit(now, out),
                RdTimer::Router(router) => {
                    if self.routers.remove(&router).is_some() {
                        out.push(RdAction::RemoveDefaultRouter(router));
                    }
                }
                RdTimer::Prefix(prefix, prefix_len) => {
                    if self.prefixes.remove(&(prefix, prefix_len)).is_some() {
                        out.push(RdAction::RemoveOnLinkPrefix { prefix, prefix_len });
                    }
                }
            }
        }
    }

    /// A router is gone from the neighbour cache's point of view (its IsRouter flag
    /// cleared, RFC 4861 section 7.2.5): drop it from the Default Router List.
    pub fn remove_router(&mut self, router: Ipv6Addr, out: &mut Vec<RdAction>) {
        self.timers.cancel(&RdTimer::Router(router));
        if self.routers.remove(&router).is_some() {
            out.push(RdAction::RemoveDefaultRouter(router));
        }
    }

    /// Processes a Router Advertisement (RFC 4861 sections 6.1.2 and 6.3.4). `src` and
    /// `hop_limit` come from its IPv6 header (the ICMPv6 layer has checked the checksum and
    /// code).
    ///
    /// # Errors
    /// The RA failed validation and was ignored as a whole.
    pub fn handle_router_advertisement(
        &mut self,
        now: Instant,
        src: Ipv6Addr,
        hop_limit: u8,
        ra: &RouterAdvertisement,
        options: NdpOptions<'_>,
        out: &mut Vec<RdAction>,
    ) -> Result<(), RaError> {
        if !src.is_unicast_link_local() {
            return Err(RaError::SourceNotLinkLocal);
        }
        if hop_limit != ND_HOP_LIMIT {
            return Err(RaError::HopLimitNot255);
        }
        if options.clone().validate().is_err() {
            return Err(RaError::MalformedOption);
        }
        self.update_router(now, src, ra.router_lifetime.get(), out);
        if ra.cur_hop_limit != 0 {
            out.push(RdAction::SetCurHopLimit(ra.cur_hop_limit));
        }
        let reachable = ra.reachable_time.get();
        if reachable != 0 {
            let base = Duration::from_millis(u64::from(reachable));
            // Section 6.3.4: re-draw ReachableTime only when the value changes.
            if self.base_reachable_time != Some(base) {
                self.base_reachable_time = Some(base);
                out.push(RdAction::SetBaseReachableTime(base));
            }
        }
        let retrans = ra.retrans_timer.get();
        if retrans != 0 {
            out.push(RdAction::SetRetransTimer(Duration::from_millis(u64::from(
                retrans,
            ))));
        }
        for option in options.flatten() {
            match option.decode() {
                NdpOption::SourceLinkLayer(link_addr) => {
                    out.push(RdAction::RouterLinkAddr {
                        router: src,
                        link_addr,
                    });
                }
                NdpOption::Mtu(mtu) if (IPV6_MIN_MTU..=self.max_link_mtu).contains(&mtu) => {
                    out.push(RdAction::SetLinkMtu(mtu));
                }
                NdpOption::PrefixInformation(p) => {
                    let prefix_len = p.prefix_len;
                    if prefix_len > 128 {
                        continue;
                    }
                    let prefix = masked(p.prefix, prefix_len);
                    let valid = p.valid_lifetime.get();
                    if p.flags & 0x80 != 0 {
                        self.update_on_link_prefix(now, prefix, prefix_len, valid, out);
                    }
                    if p.flags & 0x40 != 0 {
                        out.push(RdAction::Autoconfigure(AutoconfPrefix {
                            prefix,
                            prefix_len,
                            valid_lifetime: valid,
                            preferred_lifetime: p.preferred_lifetime.get(),
                        }));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Section 6.3.4's Default Router List rules.
    fn update_router(
        &mut self,
        now: Instant,
        router: Ipv6Addr,
        lifetime: u16,
        out: &mut Vec<RdAction>,
    ) {
        let known = self.routers.contains_key(&router);
        if lifetime == 0 {
            if known {
                self.remove_router(router, out);
            }
            return;
        }
        // Section 6.3.7: a valid RA with a non-zero Router Lifetime ends soliciting.
        self.timers.cancel(&RdTimer::Solicit);
        self.solicitations_sent = MAX_RTR_SOLICITATIONS;
        if !known && self.routers.len() >= MAX_DEFAULT_ROUTERS {
            return;
        }
        let expiry = now + Duration::from_secs(u64::from(lifetime));
        self.routers.insert(router, expiry);
        self.timers.schedule(RdTimer::Router(router), expiry);
        if !known {
            out.push(RdAction::AddDefaultRouter(router));
        }
    }

    /// Section 6.3.4's Prefix List rules for a Prefix Information option with the L flag.
    fn update_on_link_prefix(
        &mut self,
        now: Instant,
        prefix: Ipv6Addr,
        prefix_len: u8,
        valid: u32,
        out: &mut Vec<RdAction>,
    ) {
        // The link-local prefix is always on-link and never learned.
        if prefix.is_unicast_link_local() {
            return;
        }
        let key = (prefix, prefix_len);
        let known = self.prefixes.contains_key(&key);
        if valid == 0 {
            if known {
                self.prefixes.remove(&key);
                self.timers.cancel(&RdTimer::Prefix(prefix, prefix_len));
                out.push(RdAction::RemoveOnLinkPrefix { prefix, prefix_len });
            }
            return;
        }
        if !known && self.prefixes.len() >= MAX_ON_LINK_PREFIXES {
            return;
        }
        let expiry = if valid == INFINITE_LIFETIME {
            self.timers.cancel(&RdTimer::Prefix(prefix, prefix_len));
            None
        } else {
            let at = now + Duration::from_secs(u64::from(valid));
            self.timers
                .schedule(RdTimer::Prefix(prefix, prefix_len), at);
            Some(at)
        };
        self.prefixes.insert(key, expiry);
        if !known {
            out.push(RdAction::AddOnLinkPrefix { prefix, prefix_len });
        }
    }
}

/// `addr` with the bits after the first `len` cleared.
///
/// ```
/// use zerocast_stack::ipv6::router_discovery::masked;
/// use zerocast_wire::Ipv6Addr;
/// let a: Ipv6Addr = "2001:db8:1:2:3:4:5:6".parse::<core::net::Ipv6Addr>().unwrap().into();
/// assert_eq!(masked(a, 60).to_string(), "2001:db8:1::");
/// ```
#[must_use]
pub fn masked(addr: Ipv6Addr, len: u8) -> Ipv6Addr {
    let bits = u128::from_be_bytes(addr.0);
    let mask = u128::MAX
        .checked_shl(128 - u32::from(len.min(128)))
        .unwrap_or(0);
    Ipv6Addr((bits & mask).to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use zerocast_wire::ndp::{NdpBody, NdpOptionRepr, PrefixInformation};
    use zerocast_wire::zerocast::FromZeros;

    fn ip(s: &str) -> Ipv6Addr {
        s.parse::<core::net::Ipv6Addr>().unwrap().into()
    }

    fn at(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    fn prefix_option(
        prefix: &str,
        len: u8,
        flags: u8,
        valid: u32,
        preferred: u32,
    ) -> NdpOptionRepr<'static> {
        let mut p = PrefixInformation::new_zeroed();
        p.prefix_len = len;
        p.flags = flags;
        p.valid_lifetime.set(valid);
        p.preferred_lifetime.set(preferred);
        p.prefix = ip(prefix);
        NdpOptionRepr::PrefixInformation(p)
    }

    /// The options' wire bytes.
    fn options_bytes(options: &[NdpOptionRepr<'_>]) -> Vec<u8> {
        let mut out = vec![0u8; options.iter().map(|o| o.len()).sum()];
        let mut at = 0;
        for o in options {
            at += o.emit(&mut out[at..]).unwrap();
        }
        out
    }

    fn ra(lifetime: u16, reachable_ms: u32, retrans_ms: u32) -> RouterAdvertisement {
        let NdpBody::RouterAdvertisement(ra) =
            NdpBody::router_advertisement(64, 0, lifetime, reachable_ms, retrans_ms)
        else {
            unreachable!()
        };
        ra
    }

    const ROUTER: &str = "fe80::1";

    fn feed(
        rd: &mut RouterDiscovery,
        now: Instant,
        body: &RouterAdvertisement,
        opts: &[NdpOptionRepr<'_>],
    ) -> Vec<RdAction> {
        let bytes = options_bytes(opts);
        let mut out = vec![];
        rd.handle_router_advertisement(
            now,
            ip(ROUTER),
            255,
            body,
            NdpOptions::new(&bytes),
            &mut out,
        )
        .unwrap();
        out
    }

    #[test]
    fn solicits_three_times_four_seconds_apart_after_the_delay_6_3_7() {
        let mut rd = RouterDiscovery::new(1500);
        let mut out = vec![];
        rd.start_soliciting(at(0), Duration::from_millis(300), &mut out);
        assert!(out.is_empty());
        for t in [300, 4300, 8300] {
            rd.handle_timers(at(t - 1), &mut out);
            assert!(out.is_empty());
            rd.handle_timers(at(t), &mut out);
            assert_eq!(out, [RdAction::SendRouterSolicitation]);
            out.clear();
        }
        assert_eq!(rd.next_deadline(), None, "MAX_RTR_SOLICITATIONS reached");
    }

    #[test]
    fn advertisement_with_router_lifetime_stops_soliciting_6_3_7() {
        let mut rd = RouterDiscovery::new(1500);
        let mut out = vec![];
        rd.start_soliciting(at(0), Duration::ZERO, &mut out);
        feed(&mut rd, at(100), &ra(1800, 0, 0), &[]);
        out.clear();
        rd.handle_timers(at(4000), &mut out);
        assert!(out.is_empty());
        assert_eq!(
            rd.next_deadline(),
            Some(at(100 + 1_800_000)),
            "only the router's timer"
        );
    }

    #[test]
    fn router_lifetime_adds_refreshes_and_expires_the_default_router_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(&mut rd, at(0), &ra(600, 0, 0), &[]);
        assert_eq!(
            out,
            [
                RdAction::AddDefaultRouter(ip(ROUTER)),
                RdAction::SetCurHopLimit(64)
            ]
        );
        // Refreshed at 500 s: now expires at 1100 s, not 600 s.
        let out = feed(&mut rd, at(500_000), &ra(600, 0, 0), &[]);
        assert!(!out.contains(&RdAction::AddDefaultRouter(ip(ROUTER))));
        let mut out = vec![];
        rd.handle_timers(at(600_000), &mut out);
        assert!(out.is_empty());
        rd.handle_timers(at(1_100_000), &mut out);
        assert_eq!(out, [RdAction::RemoveDefaultRouter(ip(ROUTER))]);
        assert_eq!(rd.default_routers().count(), 0);
    }

    #[test]
    fn zero_router_lifetime_times_out_a_known_router_at_once_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        feed(&mut rd, at(0), &ra(600, 0, 0), &[]);
        let out = feed(&mut rd, at(1), &ra(0, 0, 0), &[]);
        assert!(out.contains(&RdAction::RemoveDefaultRouter(ip(ROUTER))));
        // And an unknown router with lifetime 0 is not added.
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(&mut rd, at(0), &ra(0, 0, 0), &[]);
        assert_eq!(out, [RdAction::SetCurHopLimit(64)]);
    }

    #[test]
    fn invalid_advertisements_are_discarded_6_1_2() {
        let mut rd = RouterDiscovery::new(1500);
        let mut out = vec![];
        let body = ra(600, 0, 0);
        let global = ip("2001:db8::1");
        assert_eq!(
            rd.handle_router_advertisement(
                at(0),
                global,
                255,
                &body,
                NdpOptions::new(&[]),
                &mut out
            ),
            Err(RaError::SourceNotLinkLocal)
        );
        assert_eq!(
            rd.handle_router_advertisement(
                at(0),
                ip(ROUTER),
                64,
                &body,
                NdpOptions::new(&[]),
                &mut out
            ),
            Err(RaError::HopLimitNot255)
        );
        assert_eq!(
            rd.handle_router_advertisement(
                at(0),
                ip(ROUTER),
                255,
                &body,
                NdpOptions::new(&[1, 0, 0, 0, 0, 0, 0, 0]),
                &mut out
            ),
            Err(RaError::MalformedOption)
        );
        assert!(out.is_empty());
        assert_eq!(rd.default_routers().count(), 0);
    }

    #[test]
    fn reachable_time_and_retrans_timer_update_the_neighbour_cache_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(&mut rd, at(0), &ra(0, 20_000, 500), &[]);
        assert!(out.contains(&RdAction::SetBaseReachableTime(Duration::from_secs(20))));
        assert!(out.contains(&RdAction::SetRetransTimer(Duration::from_millis(500))));
        // The same Reachable Time again does not re-draw ReachableTime.
        let out = feed(&mut rd, at(1), &ra(0, 20_000, 0), &[]);
        assert!(!out
            .iter()
            .any(|a| matches!(a, RdAction::SetBaseReachableTime(_))));
        assert!(!out
            .iter()
            .any(|a| matches!(a, RdAction::SetRetransTimer(_))));
    }

    #[test]
    fn mtu_option_is_used_only_within_1280_and_the_link_maximum_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(&mut rd, at(0), &ra(0, 0, 0), &[NdpOptionRepr::Mtu(1400)]);
        assert!(out.contains(&RdAction::SetLinkMtu(1400)));
        for bad in [1279, 1501] {
            let out = feed(&mut rd, at(0), &ra(0, 0, 0), &[NdpOptionRepr::Mtu(bad)]);
            assert!(
                !out.iter().any(|a| matches!(a, RdAction::SetLinkMtu(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn source_link_layer_option_records_the_router_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let mac = MacAddr([2, 0, 0, 0, 0, 1]);
        let out = feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[NdpOptionRepr::SourceLinkLayer(mac)],
        );
        assert!(out.contains(&RdAction::RouterLinkAddr {
            router: ip(ROUTER),
            link_addr: mac
        }));
    }

    #[test]
    fn on_link_prefix_is_added_refreshed_and_expired_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let p = |valid| prefix_option("2001:db8:1::", 64, 0x80, valid, 0);
        let out = feed(&mut rd, at(0), &ra(0, 0, 0), &[p(100)]);
        let add = RdAction::AddOnLinkPrefix {
            prefix: ip("2001:db8:1::"),
            prefix_len: 64,
        };
        assert!(out.contains(&add));
        let out = feed(&mut rd, at(50_000), &ra(0, 0, 0), &[p(100)]);
        assert!(!out.contains(&add), "refresh, not a second add");
        let mut out = vec![];
        rd.handle_timers(at(100_000), &mut out);
        assert!(out.is_empty());
        rd.handle_timers(at(150_000), &mut out);
        assert_eq!(
            out,
            [RdAction::RemoveOnLinkPrefix {
                prefix: ip("2001:db8:1::"),
                prefix_len: 64
            }]
        );
    }

    #[test]
    fn zero_valid_lifetime_removes_the_prefix_and_never_adds_it_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option("2001:db8:1::", 64, 0x80, 0, 0)],
        );
        assert!(!out
            .iter()
            .any(|a| matches!(a, RdAction::AddOnLinkPrefix { .. })));
        feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option("2001:db8:1::", 64, 0x80, 60, 0)],
        );
        let out = feed(
            &mut rd,
            at(1),
            &ra(0, 0, 0),
            &[prefix_option("2001:db8:1::", 64, 0x80, 0, 0)],
        );
        assert!(out
            .iter()
            .any(|a| matches!(a, RdAction::RemoveOnLinkPrefix { .. })));
        assert_eq!(rd.on_link_prefixes().count(), 0);
    }

    #[test]
    fn link_local_prefix_is_never_learned_and_host_bits_are_cleared_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option("fe80::", 64, 0x80, 60, 0)],
        );
        assert!(!out
            .iter()
            .any(|a| matches!(a, RdAction::AddOnLinkPrefix { .. })));
        let out = feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option("2001:db8:1::99", 64, 0x80, 60, 0)],
        );
        assert!(out.contains(&RdAction::AddOnLinkPrefix {
            prefix: ip("2001:db8:1::"),
            prefix_len: 64
        }));
    }

    #[test]
    fn autonomous_flag_hands_the_prefix_to_slaac_and_on_link_flag_is_independent_6_3_4() {
        let mut rd = RouterDiscovery::new(1500);
        let out = feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option("2001:db8:2::", 64, 0x40, 7200, 3600)],
        );
        assert_eq!(
            out.last(),
            Some(&RdAction::Autoconfigure(AutoconfPrefix {
                prefix: ip("2001:db8:2::"),
                prefix_len: 64,
                valid_lifetime: 7200,
                preferred_lifetime: 3600
            }))
        );
        assert!(!out
            .iter()
            .any(|a| matches!(a, RdAction::AddOnLinkPrefix { .. })));
    }

    #[test]
    fn lists_are_bounded_and_keep_what_they_know() {
        let mut rd = RouterDiscovery::new(1500);
        let mut out = vec![];
        for i in 0..(MAX_DEFAULT_ROUTERS as u8 + 4) {
            let mut a = ip(ROUTER).0;
            a[15] = i + 1;
            rd.handle_router_advertisement(
                at(0),
                Ipv6Addr(a),
                255,
                &ra(60, 0, 0),
                NdpOptions::new(&[]),
                &mut out,
            )
            .unwrap();
        }
        assert_eq!(rd.default_routers().count(), MAX_DEFAULT_ROUTERS);
        assert!(
            rd.default_routers().any(|r| r == ip(ROUTER)),
            "the first router stays"
        );
    }

    #[test]
    fn infinite_prefix_lifetime_never_expires_4_6_2() {
        let mut rd = RouterDiscovery::new(1500);
        feed(
            &mut rd,
            at(0),
            &ra(0, 0, 0),
            &[prefix_option(
                "2001:db8:3::",
                64,
                0x80,
                INFINITE_LIFETIME,
                0,
            )],
        );
        assert_eq!(rd.next_deadline(), None);
        assert_eq!(rd.on_link_prefixes().count(), 1);
    }

    #[test]
    fn masking_clears_host_bits() {
        assert_eq!(masked(ip("2001:db8::ffff"), 0), Ipv6Addr::UNSPECIFIED);
        assert_eq!(masked(ip("2001:db8::ffff"), 128), ip("2001:db8::ffff"));
        assert_eq!(masked(ip("2001:db8::ffff"), 120), ip("2001:db8::ff00"));
    }
}
