//! Neighbours and link-local configuration: ARP, NDP, DAD, router discovery, SLAAC, MLD and
//! IGMP, wired into the stack.
//!
//! The protocol logic lives in pure state machines ([`nud`], [`crate::ipv6`],
//! [`crate::membership`], [`crate::igmp`]); this module keeps one set of them per device
//! (`DeviceNeighbors`), feeds them what the rest of the stack hands over, and carries out
//! the actions they return: frames to send, queued frames to release or fail with ICMP,
//! addresses and routes to add or remove. The calls the rest of the stack makes:
//!
//! - `resolve_and_send`: the IP layer has an Ethernet frame for unicast next hop
//!   `next_hop`, link header written except the destination MAC. It goes now, or waits
//!   (copied, bounded) while the neighbour is resolved, or fails with ICMP.
//! - `receive_arp`, `receive_ndp_or_mld`, `receive_igmp`: messages for this layer.
//! - `on_address_added` / `on_address_removed`: gratuitous ARP; DAD, and the
//!   link-local address every IPv6 Ethernet device gets.
//! - `on_multicast_joined` / `on_multicast_left`: MLD / IGMP state-change reports.
//! - `handle_timer`: the one stack timer per device ([`NeighborTimer::Device`]) fired;
//!   it runs every due timer of that device's state machines, and `sync_timer` re-arms it
//!   for their earliest deadline after every call.

pub mod arp;
mod config;
mod multicast;
pub mod ndp;
pub mod nud;

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::{Ipv4Addr, Ipv6Addr, MacAddr};

use crate::context::{Bindings, DeviceId};
use crate::device::link;
use crate::icmp::errors::{send_icmpv4_error, send_icmpv6_error, ErrorOrigin, Icmpv6Error};
use crate::igmp::IgmpState;
use crate::ipv6::dad::{Dad, DUP_ADDR_DETECT_TRANSMITS};
use crate::ipv6::mld::MldState;
use crate::ipv6::router_discovery::RouterDiscovery;
use crate::ipv6::slaac::Slaac;
use crate::stack::TimerId;
use crate::time::Instant;
use crate::{Stack, StackConfig};
use nud::{NeighborTable, NudAction, NudConfig, NudState, Resolution};

pub(crate) use arp::receive_arp;
pub(crate) use config::on_address_removed;
pub(crate) use multicast::{on_multicast_joined, on_multicast_left, receive_igmp};
pub(crate) use ndp::receive_ndp_or_mld;

/// Timer keys of the neighbour layer: one per device, armed for the earliest deadline of
/// all its state machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NeighborTimer {
    /// Something on this device is due.
    Device(DeviceId),
}

/// What the neighbour layer did, stack-wide.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeighborCounters {
    /// ARP packets received and understood.
    pub arp_rx: u64,
    /// ARP packets that failed to parse.
    pub arp_malformed: u64,
    /// ARP requests sent (resolution, probes and announcements).
    pub arp_requests_sent: u64,
    /// ARP replies sent for our addresses.
    pub arp_replies_sent: u64,
    /// NDP messages received and accepted.
    pub ndp_rx: u64,
    /// NDP messages dropped by the validity checks of RFC 4861 sections 6.1 and 7.1.
    pub ndp_invalid: u64,
    /// Neighbor Solicitations sent (resolution, probes and DAD).
    pub ns_sent: u64,
    /// Neighbor Advertisements sent.
    pub na_sent: u64,
    /// Router Solicitations sent.
    pub rs_sent: u64,
    /// Addresses found duplicate by DAD and removed.
    pub dad_conflicts: u64,
    /// Devices whose MAC-derived link-local address was a duplicate, so IPv6
    /// autoconfiguration stopped on them (RFC 4862 section 5.4.5).
    pub ipv6_disabled: u64,
    /// Valid Redirects taken (RFC 4861 section 8.3).
    pub redirects: u64,
    /// ARP Announcements sent to defend an address another host claimed (RFC 5227
    /// section 2.4 (b)).
    pub arp_defences: u64,
    /// IPv4 addresses given up because another host kept claiming them within
    /// DEFEND_INTERVAL of a defence (RFC 5227 section 2.4 (b)); each was removed.
    pub ipv4_conflicts: u64,
    /// Frames answered with ICMP destination unreachable because resolution failed.
    pub resolution_failed: u64,
    /// Frames dropped from a full resolution queue or an evicted entry.
    pub queue_dropped: u64,
    /// MLDv2 reports sent.
    pub mld_reports_sent: u64,
    /// IGMPv3 reports sent.
    pub igmp_reports_sent: u64,
    /// MLD and IGMP queries received.
    pub queries_rx: u64,
}

/// The neighbour and configuration state of one device.
#[derive(Debug)]
pub(crate) struct DeviceNeighbors {
    pub(crate) arp: NeighborTable<Ipv4Addr, Vec<u8>>,
    pub(crate) ndp: NeighborTable<Ipv6Addr, Vec<u8>>,
    pub(crate) announcements: arp::Announcements,
    pub(crate) defence: arp::Defence,
    pub(crate) dad: Dad,
    /// Whether a DAD solicitation left this device yet (RFC 4862 section 5.4.2 delays only
    /// the first).
    pub(crate) dad_started: bool,
    /// The link-local address from the MAC was a duplicate: RFC 4862 section 5.4.5 asks to
    /// stop IPv6 on the interface, so it no longer solicits routers nor takes their advice.
    pub(crate) ipv6_disabled: bool,
    /// Destinations with a host route from a Redirect, oldest first (bounded by
    /// [`ndp::MAX_REDIRECTS`]).
    pub(crate) redirects: alloc::collections::VecDeque<Ipv6Addr>,
    pub(crate) rd: RouterDiscovery,
    pub(crate) slaac: Slaac,
    pub(crate) mld: MldState,
    pub(crate) igmp: IgmpState,
}

impl DeviceNeighbors {
    fn next_deadline(&self) -> Option<Instant> {
        [
            self.arp.next_deadline(),
            self.ndp.next_deadline(),
            self.announcements.next_deadline(),
            self.dad.next_deadline(),
            self.rd.next_deadline(),
            self.slaac.next_deadline(),
            self.mld.next_deadline(),
            self.igmp.next_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

/// The neighbour layer of a stack: per-device state, created on first use.
#[derive(Debug)]
pub(crate) struct NeighborState {
    devices: Vec<DeviceNeighbors>,
    nud_config: NudConfig,
    pub(crate) dad_transmits: u8,
    pub(crate) counters: NeighborCounters,
}

impl NeighborState {
    pub(crate) fn new(config: &StackConfig) -> NeighborState {
        NeighborState {
            devices: Vec::new(),
            nud_config: NudConfig {
                max_entries: config.neighbor_table_size.max(1),
                max_queued_per_entry: config.neighbor_queue_len,
                ..NudConfig::default()
            },
            dad_transmits: DUP_ADDR_DETECT_TRANSMITS,
            counters: NeighborCounters::default(),
        }
    }

    pub(crate) fn device(&self, dev: DeviceId) -> Option<&DeviceNeighbors> {
        self.devices.get(dev.index())
    }

    pub(crate) fn device_mut(&mut self, dev: DeviceId) -> Option<&mut DeviceNeighbors> {
        self.devices.get_mut(dev.index())
    }
}

/// Makes sure `dev` (and every device before it) has its state.
pub(crate) fn ensure_device(stack: &mut Stack, bc: &mut impl Bindings, dev: DeviceId) {
    while stack.neighbor.devices.len() <= dev.index()
        && stack.neighbor.devices.len() < stack.devices.len()
    {
        let i = stack.neighbor.devices.len();
        let (mac, mtu) = stack
            .devices
            .get(i)
            .map_or((MacAddr::UNSPECIFIED, 1280), |d| {
                (d.kind.mac().unwrap_or(MacAddr::UNSPECIFIED), d.mtu)
            });
        let config = stack.neighbor.nud_config;
        let retrans = config.retrans_timer;
        stack.neighbor.devices.push(DeviceNeighbors {
            arp: NeighborTable::new(config, bc),
            ndp: NeighborTable::new(config, bc),
            announcements: arp::Announcements::default(),
            defence: arp::Defence::default(),
            dad: Dad::new(stack.neighbor.dad_transmits, retrans),
            dad_started: false,
            ipv6_disabled: false,
            redirects: alloc::collections::VecDeque::new(),
            rd: RouterDiscovery::new(mtu),
            slaac: Slaac::new(mac),
            mld: MldState::new(),
            igmp: IgmpState::new(),
        });
    }
}

/// Re-arms `dev`'s stack timer for the earliest deadline of its state machines.
pub(crate) fn sync_timer(stack: &mut Stack, dev: DeviceId) {
    let key = TimerId::Neighbor(NeighborTimer::Device(dev));
    let wanted = stack
        .neighbor
        .device(dev)
        .and_then(DeviceNeighbors::next_deadline);
    // Most calls (a frame to a REACHABLE neighbour) change nothing: leave the heap alone.
    if stack.timers.deadline(&key) == wanted {
        return;
    }
    match wanted {
        Some(at) => {
            stack.timers.schedule(key, at);
        }
        None => {
            stack.timers.cancel(&key);
        }
    }
}

/// What one table decided for one outgoing frame.
struct ResolveStep<A: Ord + Copy> {
    /// Send now to this address.
    mac: Option<MacAddr>,
    /// The neighbour was REACHABLE, DELAY or PROBE: sending touches no timer.
    steady: bool,
    /// Probes to send, frames released or failed.
    actions: Vec<NudAction<A, Vec<u8>>>,
}

/// Looks `target` up in one family's table; queues a copy of `frame` while resolving.
fn resolve_one<A: Ord + Copy>(
    table: &mut NeighborTable<A, Vec<u8>>,
    now: Instant,
    target: A,
    frame: &[u8],
) -> ResolveStep<A> {
    let mut actions = Vec::new();
    // REACHABLE, DELAY and PROBE send without touching any timer: skip the re-arm.
    let steady = matches!(
        table.state(target),
        Some(NudState::Reachable | NudState::Delay | NudState::Probe)
    );
    let mac = match table.resolve(now, target, &mut actions) {
        Resolution::Resolved(mac) => Some(mac),
        Resolution::Pending => {
            table.enqueue(now, target, frame.to_vec(), &mut actions);
            None
        }
        Resolution::Unreachable => {
            actions.push(NudAction::ResolutionFailed {
                target,
                frame: frame.to_vec(),
            });
            None
        }
    };
    ResolveStep {
        mac,
        steady,
        actions,
    }
}

/// Sends `frame` to `mac` if resolution gave one. Returns whether nothing else is left to
/// do (sent to a steady neighbour: no actions, no timer change).
fn send_resolved(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    frame: &mut [u8],
    mac: Option<MacAddr>,
    steady: bool,
) -> bool {
    let Some(mac) = mac else { return false };
    link::set_destination(frame, mac);
    stack.transmit_link_frame(bc, dev, frame);
    steady
}

/// The MAC address of `next_hop` on `dev` when it can be used at once with nothing else to
/// do (a REACHABLE, DELAY or PROBE neighbour; see `NeighborTable::steady_link_addr`):
/// the per-packet path to a known peer, one table lookup. `None`: go through
/// `resolve_and_send`.
pub(crate) fn steady_mac(
    stack: &mut Stack,
    dev: DeviceId,
    next_hop: IpAddr,
    now: Instant,
) -> Option<MacAddr> {
    let n = stack.neighbor.device_mut(dev)?;
    match next_hop {
        IpAddr::V4(a) => n.arp.steady_link_addr(now, Ipv4Addr::from(a)),
        IpAddr::V6(a) => n.ndp.steady_link_addr(now, Ipv6Addr::from(a)),
    }
}

/// Sends `frame` to `next_hop` on `dev` once its MAC address is known (RFC 4861 section
/// 7.2.2 for IPv6, ARP for IPv4, one NUD machine for both).
pub(crate) fn resolve_and_send(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    next_hop: IpAddr,
    frame: &mut [u8],
) {
    ensure_device(stack, bc, dev);
    let now = bc.now();
    match next_hop {
        IpAddr::V4(a) => {
            let Some(n) = stack.neighbor.device_mut(dev) else {
                return;
            };
            let step = resolve_one(&mut n.arp, now, Ipv4Addr::from(a), frame);
            if send_resolved(stack, bc, dev, frame, step.mac, step.steady) {
                return;
            }
            run_arp_actions(stack, bc, dev, step.actions);
        }
        IpAddr::V6(a) => {
            let Some(n) = stack.neighbor.device_mut(dev) else {
                return;
            };
            let step = resolve_one(&mut n.ndp, now, Ipv6Addr::from(a), frame);
            if send_resolved(stack, bc, dev, frame, step.mac, step.steady) {
                return;
            }
            run_ndp_actions(stack, bc, dev, step.actions);
        }
    }
    sync_timer(stack, dev);
}

/// Carries out what the ARP table asked for.
pub(crate) fn run_arp_actions(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    actions: Vec<NudAction<Ipv4Addr, Vec<u8>>>,
) {
    for action in actions {
        match action {
            NudAction::SolicitMulticast { target } => {
                arp::send_request(stack, bc, dev, target, None)
            }
            NudAction::SolicitUnicast { target, link_addr } => {
                arp::send_request(stack, bc, dev, target, Some(link_addr))
            }
            NudAction::Send {
                link_addr,
                mut frame,
                ..
            } => {
                link::set_destination(&mut frame, link_addr);
                stack.transmit_link_frame(bc, dev, &frame);
            }
            NudAction::ResolutionFailed { frame, .. } => {
                stack.neighbor.counters.resolution_failed += 1;
                count_tx_dropped(stack, dev);
                let offending = ip_part(stack, dev, &frame);
                // RFC 1122 section 3.3.1.5 / RFC 1812 section 5.2.7.1: host unreachable.
                let repr = zerocast_wire::icmpv4::Icmpv4Repr::dest_unreachable(1, 0);
                let origin = ErrorOrigin {
                    dev,
                    link_multicast: false,
                };
                send_icmpv4_error(stack, bc, origin, offending, repr);
            }
            NudAction::Dropped { .. } => {
                stack.neighbor.counters.queue_dropped += 1;
                count_tx_dropped(stack, dev);
            }
            NudAction::NoLongerRouter { .. } => {}
        }
    }
}

/// Carries out what the NDP table asked for.
pub(crate) fn run_ndp_actions(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    actions: Vec<NudAction<Ipv6Addr, Vec<u8>>>,
) {
    for action in actions {
        match action {
            NudAction::SolicitMulticast { target } => {
                ndp::send_solicitation(stack, bc, dev, target, None)
            }
            NudAction::SolicitUnicast { target, link_addr } => {
                ndp::send_solicitation(stack, bc, dev, target, Some(link_addr))
            }
            NudAction::Send {
                link_addr,
                mut frame,
                ..
            } => {
                link::set_destination(&mut frame, link_addr);
                stack.transmit_link_frame(bc, dev, &frame);
            }
            NudAction::ResolutionFailed { frame, .. } => {
                stack.neighbor.counters.resolution_failed += 1;
                count_tx_dropped(stack, dev);
                let offending = ip_part(stack, dev, &frame);
                // RFC 4443 section 3.1, code 3: address unreachable.
                let origin = ErrorOrigin {
                    dev,
                    link_multicast: false,
                };
                send_icmpv6_error(
                    stack,
                    bc,
                    origin,
                    offending,
                    Icmpv6Error::dest_unreachable(3),
                );
            }
            NudAction::Dropped { .. } => {
                stack.neighbor.counters.queue_dropped += 1;
                count_tx_dropped(stack, dev);
            }
            NudAction::NoLongerRouter { neighbor } => {
                let mut out = Vec::new();
                if let Some(n) = stack.neighbor.device_mut(dev) {
                    n.rd.remove_router(neighbor, &mut out);
                }
                config::run_rd_actions(stack, bc, dev, out);
            }
        }
    }
}

fn count_tx_dropped(stack: &mut Stack, dev: DeviceId) {
    if let Some(d) = stack.devices.get_mut(dev.index()) {
        d.counters.tx_dropped += 1;
    }
}

/// The IP packet inside a link frame of `dev`.
fn ip_part<'a>(stack: &Stack, dev: DeviceId, frame: &'a [u8]) -> &'a [u8] {
    let link_len = stack
        .devices
        .get(dev.index())
        .map_or(0, |d| link::header_len(&d.kind));
    frame.get(link_len..).unwrap_or(&[])
}

/// An address was assigned: announce it (IPv4) or detect duplicates (IPv6).
pub(crate) fn on_address_added(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    addr: IpAddr,
) {
    config::on_address_added(stack, bc, dev, addr);
}

/// The one neighbour timer of `dev` fired: run everything due on it.
pub(crate) fn handle_timer(stack: &mut Stack, bc: &mut impl Bindings, timer: NeighborTimer) {
    let NeighborTimer::Device(dev) = timer;
    let now = bc.now();
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    let mut arp_out = Vec::new();
    n.arp.handle_timers(now, &mut arp_out);
    let announce = n.announcements.due(now);
    let mut ndp_out = Vec::new();
    n.ndp.handle_timers(now, &mut ndp_out);
    run_arp_actions(stack, bc, dev, arp_out);
    for addr in announce {
        arp::send_announcement(stack, bc, dev, addr);
    }
    run_ndp_actions(stack, bc, dev, ndp_out);
    config::handle_timers(stack, bc, dev, now);
    multicast::handle_timers(stack, bc, dev, now);
    sync_timer(stack, dev);
}

impl Stack {
    /// The neighbour layer's counters.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.add_address(&mut bc, eth, "10.0.0.2".parse().unwrap(), 24).unwrap();
    /// // The new address was announced with a gratuitous ARP request (RFC 5227).
    /// assert_eq!(stack.neighbor_counters().arp_requests_sent, 1);
    /// ```
    #[must_use]
    pub fn neighbor_counters(&self) -> &NeighborCounters {
        &self.neighbor.counters
    }

    /// The NUD state and link-layer address of neighbour `addr` on `dev`, as `ip neigh`
    /// shows them.
    ///
    /// ```
    /// use zerocast_stack::{neighbor::nud::NudState, Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.add_address(&mut bc, eth, "10.0.0.2".parse().unwrap(), 24).unwrap();
    /// let peer = "10.0.0.1".parse().unwrap();
    /// assert_eq!(stack.neighbor(eth, peer), None);
    /// let sock = stack.udp_open().unwrap();
    /// stack.udp_send_to(&mut bc, sock, b"hi", "10.0.0.1:9".parse().unwrap()).unwrap();
    /// assert_eq!(stack.neighbor(eth, peer), Some((NudState::Incomplete, None)));
    /// ```
    #[must_use]
    pub fn neighbor(&self, dev: DeviceId, addr: IpAddr) -> Option<(NudState, Option<MacAddr>)> {
        let n = self.neighbor.device(dev)?;
        match addr {
            IpAddr::V4(a) => {
                let a = Ipv4Addr::from(a);
                Some((n.arp.state(a)?, n.arp.link_addr(a)))
            }
            IpAddr::V6(a) => {
                let a = Ipv6Addr::from(a);
                Some((n.ndp.state(a)?, n.ndp.link_addr(a)))
            }
        }
    }

    /// Every neighbour of `dev` with its state and link-layer address, IPv4 first, each
    /// family in address order (what `ip neigh show dev` lists).
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.add_address(&mut bc, eth, "10.0.0.2".parse().unwrap(), 24).unwrap();
    /// let sock = stack.udp_open().unwrap();
    /// stack.udp_send_to(&mut bc, sock, b"hi", "10.0.0.1:9".parse().unwrap()).unwrap();
    /// let neighbors: Vec<_> = stack.neighbors(eth).collect();
    /// assert_eq!(neighbors.len(), 1); // 10.0.0.1, being resolved
    /// assert_eq!(neighbors[0].0, "10.0.0.1".parse::<std::net::IpAddr>().unwrap());
    /// ```
    pub fn neighbors(
        &self,
        dev: DeviceId,
    ) -> impl Iterator<Item = (IpAddr, NudState, Option<MacAddr>)> + '_ {
        let n = self.neighbor.device(dev);
        let v4 = n
            .into_iter()
            .flat_map(|n| n.arp.iter())
            .map(|(a, s, m)| (IpAddr::V4(a.into()), s, m));
        let v6 = n
            .into_iter()
            .flat_map(|n| n.ndp.iter())
            .map(|(a, s, m)| (IpAddr::V6(a.into()), s, m));
        v4.chain(v6)
    }

    /// An upper layer proved that `neighbor` on `dev` is reachable (RFC 4861 section
    /// 7.3.1: TCP saw new data acknowledged), so its entry becomes REACHABLE without a
    /// probe. Entries that are not resolved are left alone.
    ///
    /// ```
    /// use zerocast_stack::{neighbor::nud::NudState, Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// let peer = "10.0.0.1".parse().unwrap();
    /// stack.confirm_neighbor_reachable(&mut bc, eth, peer); // unknown: nothing to confirm
    /// assert_eq!(stack.neighbor(eth, peer), None);
    /// ```
    pub fn confirm_neighbor_reachable(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        neighbor: IpAddr,
    ) {
        let now = bc.now();
        let Some(n) = self.neighbor.device_mut(dev) else {
            return;
        };
        match neighbor {
            IpAddr::V4(a) => n.arp.confirm_reachable(now, a.into()),
            IpAddr::V6(a) => n.ndp.confirm_reachable(now, a.into()),
        }
        sync_timer(self, dev);
    }

    /// Sets DupAddrDetectTransmits (RFC 4862 section 5.1) for devices whose neighbour
    /// state does not exist yet; 0 turns DAD off. Set it before adding devices' addresses.
    ///
    /// ```
    /// use zerocast_stack::{device::AddressState, Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// stack.set_dad_transmits(0);
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.add_address(&mut bc, eth, "2001:db8::2".parse().unwrap(), 64).unwrap();
    /// let states: Vec<_> = stack.device(eth).unwrap().addresses.iter().map(|e| e.state).collect();
    /// assert!(states.iter().all(|s| *s == AddressState::Preferred)); // usable at once
    /// ```
    pub fn set_dad_transmits(&mut self, transmits: u8) {
        self.neighbor.dad_transmits = transmits;
    }

    /// Gives Ethernet device `dev` its link-local address from its MAC (RFC 4862 section
    /// 5.3), which starts DAD, then router solicitation and SLAAC. Adding any IPv6 address
    /// to an Ethernet device does this too.
    ///
    /// # Errors
    /// As [`Stack::add_address`]; a device that is not Ethernet is
    /// [`AddressError::NoSuchDevice`](crate::device::AddressError::NoSuchDevice).
    ///
    /// ```
    /// use zerocast_stack::{device::AddressState, Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// stack.enable_ipv6(&mut bc, eth).unwrap();
    /// let ll = &stack.device(eth).unwrap().addresses[0];
    /// assert_eq!(ll.addr, "fe80::ff:fe00:1".parse::<std::net::IpAddr>().unwrap());
    /// assert_eq!(ll.state, AddressState::Tentative); // until DAD finishes
    /// ```
    pub fn enable_ipv6(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
    ) -> Result<(), crate::device::AddressError> {
        config::ensure_link_local(self, bc, dev)
    }
}

#[cfg(test)]
mod multicast_tests;
#[cfg(test)]
mod tests;
