//! MLDv2 and IGMPv3 on a device: the stack's group joins become reports, queries become
//! scheduled answers (the state machine is [`Membership`](crate::membership::Membership)).
//!
//! Reports leave from the device's assigned link-local address (MLD; `::` before it has
//! one, RFC 9777 section 5.2.13) or its first IPv4 address (IGMP; 0.0.0.0 without one, RFC
//! 3376 section 4.2.13), to the link-layer group address of ff02::16 or 224.0.0.22 — or,
//! while an older-version querier is present, as MLDv1 / IGMPv2 messages to the group (a
//! leave to all-routers). Only Ethernet devices send reports.

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::ethernet::EtherType;
use zerocast_wire::igmp::IgmpPacket;
use zerocast_wire::{Ipv4Addr, Ipv6Addr};

use super::{config, ensure_device, ndp, sync_timer};
use crate::context::{Bindings, DeviceId};
use crate::device::{link, DeviceKind};
use crate::ip::IpRx;
use crate::membership::{FilterMode, GroupRecord, Query, SourceFilterError};
use crate::time::Instant;
use crate::Stack;

/// Reports go out on Ethernet links only: there a snooping switch needs them to forward
/// our groups (the solicited-node ones above all); a pure-IP link delivers everything.
fn sends_reports(stack: &Stack, dev: DeviceId) -> bool {
    stack
        .devices
        .get(dev.index())
        .is_some_and(|d| d.kind.is_ethernet())
}

/// `dev` joined `group` once more from any source: send the state-change report, if any.
pub(crate) fn on_multicast_joined(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    group: IpAddr,
) {
    change_membership(stack, bc, dev, group, true);
}

/// `dev` dropped an any-source join of `group`: send the state-change report, if any.
pub(crate) fn on_multicast_left(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    group: IpAddr,
) {
    change_membership(stack, bc, dev, group, false);
}

fn change_membership(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    group: IpAddr,
    join: bool,
) {
    if !sends_reports(stack, dev) {
        return;
    }
    ensure_device(stack, bc, dev);
    let now = bc.now();
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    match group {
        IpAddr::V6(g) => {
            let g = Ipv6Addr::from(g);
            let records = if join {
                n.mld.join(now, g, bc).unwrap_or_default()
            } else {
                n.mld.leave(now, g, bc)
            };
            send_mld_reports(stack, bc, dev, &records);
        }
        IpAddr::V4(g) => {
            let g = Ipv4Addr::from(g);
            let records = if join {
                n.igmp.join(now, g, bc).unwrap_or_default()
            } else {
                n.igmp.leave(now, g, bc)
            };
            send_igmp_reports(stack, bc, dev, &records);
        }
    }
    sync_timer(stack, dev);
}

impl Stack {
    /// Sets the embedder's source filter for multicast `group` on `dev` (RFC 3376 section
    /// 3.1, RFC 9777 section 4.1): `FilterMode::Include` with sources is a Source-Specific
    /// Multicast join ("G from S1 and S2"), `FilterMode::Exclude` an any-source join that
    /// leaves out the sources named (with none: plain ASM), `FilterMode::Include` with no
    /// sources leaves. The device listens to the group while this filter or any socket
    /// join holds it; on an Ethernet device a change of the interface's state sends
    /// IGMPv3/MLDv2 State-Change Reports (ALLOW/BLOCK or TO_IN/TO_EX records,
    /// [`Membership`](crate::membership::Membership)), and queries are answered with it.
    /// Socket joins are any-source, so while one holds the group the interface state
    /// stays EXCLUDE({}) whatever this filter says. Received datagrams to the group are
    /// delivered only from the sources the interface state accepts.
    ///
    /// # Errors
    /// [`SourceFilterError::InvalidGroup`] for a non-multicast group or an unknown
    /// device, [`SourceFilterError::InvalidSource`] for a source of the other family or
    /// one that is not unicast, [`SourceFilterError::TooManySources`] beyond
    /// [`MAX_SOURCES`](crate::membership::MAX_SOURCES), and
    /// [`SourceFilterError::TooManyGroups`]; the state is then unchanged.
    ///
    /// ```
    /// use zerocast_stack::membership::FilterMode;
    /// use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let eth = stack.add_ethernet_device(zerocast_wire::MacAddr([2, 0, 0, 0, 0, 1]), 1500);
    /// let (g, s) = ("232.1.1.1".parse().unwrap(), "10.0.0.9".parse().unwrap());
    /// stack.set_multicast_source_filter(&mut bc, eth, g, FilterMode::Include, &[s]).unwrap();
    /// assert_eq!(stack.multicast_filter(eth, g), (FilterMode::Include, vec![s]));
    /// // A socket's any-source join makes the interface state EXCLUDE({}).
    /// let sock = stack.udp_open().unwrap();
    /// stack.udp_join_multicast(&mut bc, sock, g, eth).unwrap();
    /// assert_eq!(stack.multicast_filter(eth, g), (FilterMode::Exclude, vec![]));
    /// ```
    pub fn set_multicast_source_filter(
        &mut self,
        bc: &mut impl Bindings,
        dev: DeviceId,
        group: IpAddr,
        mode: FilterMode,
        sources: &[IpAddr],
    ) -> Result<(), SourceFilterError> {
        if !group.is_multicast() || self.devices.get(dev.index()).is_none() {
            return Err(SourceFilterError::InvalidGroup);
        }
        ensure_device(self, bc, dev);
        let now = bc.now();
        let Some(n) = self.neighbor.device_mut(dev) else {
            return Err(SourceFilterError::InvalidGroup);
        };
        let (had, has) = match group {
            IpAddr::V6(g) => {
                let g = Ipv6Addr::from(g);
                let sources = v6_sources(sources)?;
                let had = n.mld.source_filter(g).is_some();
                let records = n.mld.set_source_filter(now, g, mode, &sources, bc)?;
                let has = n.mld.source_filter(g).is_some();
                send_mld_reports(self, bc, dev, &records);
                (had, has)
            }
            IpAddr::V4(g) => {
                let g = Ipv4Addr::from(g);
                let sources = v4_sources(sources)?;
                let had = n.igmp.source_filter(g).is_some();
                let records = n.igmp.set_source_filter(now, g, mode, &sources, bc)?;
                let has = n.igmp.source_filter(g).is_some();
                send_igmp_reports(self, bc, dev, &records);
                (had, has)
            }
        };
        // The filter holds one reference to the device's listening; the socket joins'
        // references go through join_multicast_group, which tells the membership.
        if let Some(d) = self.devices.get_mut(dev.index()) {
            let entry = d.multicast_groups.iter().position(|(g, _)| *g == group);
            match (had, has, entry) {
                (false, true, Some(i)) => d.multicast_groups[i].1 += 1,
                (false, true, None) => d.multicast_groups.push((group, 1)),
                (true, false, Some(i)) => {
                    d.multicast_groups[i].1 -= 1;
                    if d.multicast_groups[i].1 == 0 {
                        d.multicast_groups.swap_remove(i);
                    }
                }
                _ => {}
            }
        }
        sync_timer(self, dev);
        Ok(())
    }
}

impl Stack {
    /// Whether a datagram from `src` to multicast `group`, arriving on `dev`, passes the
    /// interface's source filter (RFC 3376 section 3.2, RFC 9777 section 4.2: the system
    /// delivers only what the interface state accepts). Any any-source join (a socket or
    /// the stack itself) accepts every source; otherwise the embedder's
    /// [source filter](Stack::set_multicast_source_filter) decides: INCLUDE passes its
    /// sources only, EXCLUDE all but its sources. Without a filter the group is open.
    pub(crate) fn multicast_source_accepted(
        &self,
        dev: DeviceId,
        group: IpAddr,
        src: IpAddr,
    ) -> bool {
        fn passes<G: PartialEq>(own: Option<(FilterMode, &[G])>, src: &G) -> bool {
            match own {
                None => true,
                Some((FilterMode::Include, sources)) => sources.contains(src),
                Some((FilterMode::Exclude, sources)) => !sources.contains(src),
            }
        }
        let Some(n) = self.neighbor.device(dev) else {
            return true;
        };
        let own_passes = match (group, src) {
            (IpAddr::V4(g), IpAddr::V4(s)) => {
                passes(n.igmp.source_filter(Ipv4Addr::from(g)), &Ipv4Addr::from(s))
            }
            (IpAddr::V6(g), IpAddr::V6(s)) => {
                passes(n.mld.source_filter(Ipv6Addr::from(g)), &Ipv6Addr::from(s))
            }
            _ => true,
        };
        if own_passes {
            return true;
        }
        // The filter holds one of the device's references to the group (see
        // set_multicast_source_filter); any other is an any-source join.
        self.devices.get(dev.index()).is_some_and(|d| {
            d.multicast_groups
                .iter()
                .any(|(g, refs)| *g == group && *refs > 1)
        })
    }
}

impl Stack {
    /// The interface state of `dev` for multicast `group` (RFC 3376 section 3.2): the
    /// merge of the socket joins (each EXCLUDE({})) and the embedder's
    /// [source filter](Stack::set_multicast_source_filter); `(Include, [])` when the
    /// device has none. Socket joins are counted on Ethernet devices only (the ones that
    /// send reports); on a pure-IP device this is the embedder's filter alone.
    #[must_use]
    pub fn multicast_filter(&self, dev: DeviceId, group: IpAddr) -> (FilterMode, Vec<IpAddr>) {
        use crate::membership::Filter;
        fn owned<G: Copy>(f: Filter<'_, G>, ip: impl Fn(G) -> IpAddr) -> (FilterMode, Vec<IpAddr>) {
            match f {
                Filter::Include(s) => (FilterMode::Include, s.iter().map(|&a| ip(a)).collect()),
                Filter::Exclude(s) => (FilterMode::Exclude, s.iter().map(|&a| ip(a)).collect()),
            }
        }
        let Some(n) = self.neighbor.device(dev) else {
            return (FilterMode::Include, Vec::new());
        };
        match group {
            IpAddr::V4(g) => owned(n.igmp.filter(Ipv4Addr::from(g)), |a| {
                IpAddr::V4(core::net::Ipv4Addr::from(a.0))
            }),
            IpAddr::V6(g) => owned(n.mld.filter(Ipv6Addr::from(g)), |a| {
                IpAddr::V6(core::net::Ipv6Addr::from(a.0))
            }),
        }
    }
}

fn v4_sources(sources: &[IpAddr]) -> Result<Vec<Ipv4Addr>, SourceFilterError> {
    sources
        .iter()
        .map(|s| match s {
            IpAddr::V4(a) if !a.is_multicast() && !a.is_unspecified() && !a.is_broadcast() => {
                Ok(Ipv4Addr::from(*a))
            }
            _ => Err(SourceFilterError::InvalidSource),
        })
        .collect()
}

fn v6_sources(sources: &[IpAddr]) -> Result<Vec<Ipv6Addr>, SourceFilterError> {
    sources
        .iter()
        .map(|s| match s {
            IpAddr::V6(a) if !a.is_multicast() && !a.is_unspecified() => Ok(Ipv6Addr::from(*a)),
            _ => Err(SourceFilterError::InvalidSource),
        })
        .collect()
}

/// An MLD query arrived on `dev`.
pub(crate) fn handle_mld_query(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    query: Query<Ipv6Addr>,
) {
    stack.neighbor.counters.queries_rx += 1;
    let now = bc.now();
    if let Some(n) = stack.neighbor.device_mut(dev) {
        n.mld.handle_query(now, query, bc);
    }
}

/// An IGMP message for us arrived on `rx.dev`.
pub(crate) fn receive_igmp(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    let Some(message) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    let Ok(packet) = IgmpPacket::parse(message) else {
        return;
    };
    let Some(query) = crate::igmp::query_of(&packet) else {
        return;
    };
    if !sends_reports(stack, rx.dev) {
        return;
    }
    ensure_device(stack, bc, rx.dev);
    stack.neighbor.counters.queries_rx += 1;
    let now = bc.now();
    if let Some(n) = stack.neighbor.device_mut(rx.dev) {
        n.igmp.handle_query(now, query, bc);
    }
    sync_timer(stack, rx.dev);
}

/// Sends the reports due on `dev` (retransmissions and query answers).
pub(crate) fn handle_timers(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    now: Instant,
) {
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    let mld = n.mld.handle_timers(now, bc);
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    let igmp = n.igmp.handle_timers(now, bc);
    if !mld.is_empty() {
        send_mld_reports(stack, bc, dev, &mld);
    }
    if !igmp.is_empty() {
        send_igmp_reports(stack, bc, dev, &igmp);
    }
}

fn send_mld_reports(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    records: &[GroupRecord<Ipv6Addr>],
) {
    if records.is_empty() || !sends_reports(stack, dev) {
        return;
    }
    let now = bc.now();
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let kind = device.kind;
    let src = config::assigned_link_local(device).unwrap_or(Ipv6Addr::UNSPECIFIED);
    let older = stack
        .neighbor
        .device(dev)
        .filter(|n| n.mld.older_version_querier(now))
        .map(|n| n.mld.older_version_records(records));
    // RFC 9777 section 8.2.1: with an MLDv1 querier present, one MLDv1 message per group.
    let packets: Vec<Vec<u8>> = if let Some(older) = older {
        older
            .iter()
            .filter_map(|r| crate::ipv6::mld::build_v1_message(src, r))
            .collect()
    } else {
        crate::ipv6::mld::build_reports(src, records)
    };
    for packet in packets {
        send_multicast(stack, bc, dev, &kind, EtherType::IPV6, &packet);
        stack.neighbor.counters.mld_reports_sent += 1;
    }
}

fn send_igmp_reports(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    records: &[GroupRecord<Ipv4Addr>],
) {
    if records.is_empty() || !sends_reports(stack, dev) {
        return;
    }
    let now = bc.now();
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let kind = device.kind;
    let src = device
        .addresses
        .iter()
        .find_map(|e| match e.addr {
            IpAddr::V4(a) if e.usable_as_source() => Some(Ipv4Addr::from(a)),
            _ => None,
        })
        .unwrap_or(Ipv4Addr::UNSPECIFIED);
    let older = stack
        .neighbor
        .device(dev)
        .filter(|n| n.igmp.older_version_querier(now))
        .map(|n| n.igmp.older_version_records(records));
    // RFC 3376 section 7.2.1: with an older querier present, one IGMPv2 message per group.
    let packets: Vec<Vec<u8>> = if let Some(older) = older {
        older
            .iter()
            .filter_map(|r| crate::igmp::build_v2_message(src, r))
            .collect()
    } else {
        crate::igmp::build_reports(src, records)
    };
    for packet in packets {
        send_multicast(stack, bc, dev, &kind, EtherType::IPV4, &packet);
        stack.neighbor.counters.igmp_reports_sent += 1;
    }
}

/// Sends an IP packet to its multicast destination's link-layer group address.
fn send_multicast(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    kind: &DeviceKind,
    ethertype: EtherType,
    packet: &[u8],
) {
    let dst = match ethertype {
        EtherType::IPV4 => packet
            .get(16..20)
            .map(|d| IpAddr::V4(core::net::Ipv4Addr::new(d[0], d[1], d[2], d[3]))),
        _ => packet
            .get(24..40)
            .and_then(|d| <[u8; 16]>::try_from(d).ok())
            .map(|d| IpAddr::V6(core::net::Ipv6Addr::from(d))),
    };
    let Some(mac) = dst.and_then(link::multicast_mac) else {
        return;
    };
    let frame = ndp::link_frame(kind, mac, ethertype, packet);
    stack.transmit_link_frame(bc, dev, &frame);
}
