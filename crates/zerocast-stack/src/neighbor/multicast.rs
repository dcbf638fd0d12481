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
use crate::membership::{GroupRecord, Query};
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

/// `dev` joined `group` (first reference): send the state-change report.
pub(crate) fn on_multicast_joined(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    group: IpAddr,
) {
    change_membership(stack, bc, dev, group, true);
}

/// `dev` left `group` (last reference): send the state-change report.
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
            let record = if join {
                n.mld.join(now, g, bc).ok().flatten()
            } else {
                n.mld.leave(now, g, bc)
            };
            if let Some(record) = record {
                send_mld_reports(stack, bc, dev, &[record]);
            }
        }
        IpAddr::V4(g) => {
            let g = Ipv4Addr::from(g);
            let record = if join {
                n.igmp.join(now, g, bc).ok().flatten()
            } else {
                n.igmp.leave(now, g, bc)
            };
            if let Some(record) = record {
                send_igmp_reports(stack, bc, dev, &[record]);
            }
        }
    }
    sync_timer(stack, dev);
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
    let now = bc.now();
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let kind = device.kind;
    let src = config::assigned_link_local(device).unwrap_or(Ipv6Addr::UNSPECIFIED);
    let older = stack
        .neighbor
        .device(dev)
        .is_some_and(|n| n.mld.older_version_querier(now));
    // RFC 9777 section 8.2.1: with an MLDv1 querier present, one MLDv1 message per record.
    let packets: Vec<Vec<u8>> = if older {
        records
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
        .is_some_and(|n| n.igmp.older_version_querier(now));
    // RFC 3376 section 7.2.1: with an older querier present, one IGMPv2 message per record.
    let packets: Vec<Vec<u8>> = if older {
        records
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
