//! ARP (RFC 826) over the shared NUD machine, and address announcements (RFC 5227).
//!
//! An ARP request naming one of our addresses is answered with our MAC, and teaches us the
//! sender (a STALE entry, as an NDP solicitation would); a reply, or a request from a
//! neighbour we already know, updates the entry (RFC 826's merge). ARP has no S or O flag:
//! a reply counts as a solicited, overriding advertisement. A new IPv4 address on an
//! Ethernet device is announced twice, [`ANNOUNCE_INTERVAL`] apart, with gratuitous ARP
//! requests (sender and target both the new address), so neighbours that cached an older
//! owner's MAC update it.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::arp::{ArpPacket, ArpRepr, OP_REPLY, OP_REQUEST, PACKET_LEN};
use zerocast_wire::ethernet::EtherType;
use zerocast_wire::{Ipv4Addr, MacAddr};

use super::{ensure_device, run_arp_actions, sync_timer};
use crate::context::{Bindings, DeviceId};
use crate::device::link;
use crate::time::{Duration, Instant};
use crate::Stack;

/// RFC 5227 section 1.1: ANNOUNCE_NUM, gratuitous ARPs sent for a new address.
pub const ANNOUNCE_NUM: u8 = 2;
/// RFC 5227 section 1.1: ANNOUNCE_INTERVAL, the time between them.
pub const ANNOUNCE_INTERVAL: Duration = Duration::from_secs(2);
/// The shortest Ethernet frame without its FCS; shorter frames are padded.
const MIN_FRAME_LEN: usize = 60;

/// RFC 5227 section 1.1: DEFEND_INTERVAL, the least time between two defences of one
/// address.
pub const DEFEND_INTERVAL: Duration = Duration::from_secs(10);

/// What to do about an ARP packet from another host claiming one of our addresses as its
/// sender (RFC 5227 section 2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConflictAction {
    /// Broadcast one ARP Announcement and keep the address (2.4 (b)).
    Defend,
    /// A second conflict within DEFEND_INTERVAL of the last one: stop using the address
    /// and report it (2.4 (b)).
    GiveUp,
}

/// When each of a device's addresses last saw a conflict.
#[derive(Debug, Default)]
pub(crate) struct Defence {
    last_conflict: BTreeMap<Ipv4Addr, Instant>,
}

impl Defence {
    /// RFC 5227 section 2.4 (b): the first conflict, or one more than DEFEND_INTERVAL after
    /// the last, is defended once and its time recorded; one sooner than that means the
    /// other host insists, and the address is given up.
    pub(crate) fn on_conflict(&mut self, addr: Ipv4Addr, now: Instant) -> ConflictAction {
        let recent = self
            .last_conflict
            .get(&addr)
            .is_some_and(|last| now.saturating_duration_since(*last) < DEFEND_INTERVAL);
        if recent {
            self.last_conflict.remove(&addr);
            ConflictAction::GiveUp
        } else {
            self.last_conflict.insert(addr, now);
            ConflictAction::Defend
        }
    }

    /// Forgets `addr` (it was removed from the device).
    pub(crate) fn forget(&mut self, addr: Ipv4Addr) {
        self.last_conflict.remove(&addr);
    }
}

/// Pending gratuitous ARPs of one device: address → (next send, sends left).
#[derive(Debug, Clone, Default)]
pub(crate) struct Announcements {
    pending: BTreeMap<Ipv4Addr, (Instant, u8)>,
}

impl Announcements {
    /// Starts announcing `addr`: the first announcement is the caller's, now.
    pub(crate) fn start(&mut self, now: Instant, addr: Ipv4Addr) {
        if ANNOUNCE_NUM > 1 {
            self.pending
                .insert(addr, (now + ANNOUNCE_INTERVAL, ANNOUNCE_NUM - 1));
        }
    }

    /// Stops announcing `addr` (it was removed).
    pub(crate) fn stop(&mut self, addr: Ipv4Addr) {
        self.pending.remove(&addr);
    }

    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.pending.values().map(|(at, _)| *at).min()
    }

    /// The addresses to announce now.
    pub(crate) fn due(&mut self, now: Instant) -> Vec<Ipv4Addr> {
        let due: Vec<Ipv4Addr> = self
            .pending
            .iter()
            .filter(|(_, (at, _))| *at <= now)
            .map(|(a, _)| *a)
            .collect();
        for a in &due {
            if let Some((at, left)) = self.pending.get_mut(a) {
                *left -= 1;
                *at = now + ANNOUNCE_INTERVAL;
                if *left == 0 {
                    self.pending.remove(a);
                }
            }
        }
        due
    }
}

/// Receives an ARP packet (at `frame[link_len..]`) on `dev`.
pub(crate) fn receive_arp(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    frame: &mut [u8],
    link_len: usize,
) {
    let Some(arp) = frame.get(link_len..).and_then(|b| ArpPacket::parse(b).ok()) else {
        stack.neighbor.counters.arp_malformed += 1;
        if let Some(d) = stack.devices.get_mut(dev.index()) {
            d.counters.rx_dropped_malformed += 1;
        }
        return;
    };
    let repr = arp.repr();
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let Some(our_mac) = device.kind.mac() else {
        return;
    };
    stack.neighbor.counters.arp_rx += 1;
    let (sender, sender_mac, target) = (
        repr.sender_protocol_addr,
        repr.sender_hardware_addr,
        repr.target_protocol_addr,
    );
    // Our own frame looped back, or a sender claiming a group or broadcast MAC: learn nothing.
    if sender_mac == our_mac || !sender_mac.is_unicast() {
        return;
    }
    let for_us = device.owns_address(IpAddr::V4(target.into()));
    // A sender using one of our addresses is a conflict (RFC 5227 section 2.4); do not cache
    // our own address as someone else's.
    let sender_is_us = device.has_address(IpAddr::V4(sender.into()));
    ensure_device(stack, bc, dev);
    let now = bc.now();
    let mut out = Vec::new();
    if sender_is_us && !sender.is_unspecified() {
        defend_or_give_up(stack, bc, dev, sender, now);
        return;
    }
    // RFC 5227 ARP probes come from 0.0.0.0: nothing to learn.
    if !sender.is_unspecified() && !sender_is_us {
        if let Some(n) = stack.neighbor.device_mut(dev) {
            let known = n.arp.state(sender).is_some();
            match repr.operation {
                OP_REPLY if known => n
                    .arp
                    .handle_solicited_reply(now, sender, sender_mac, &mut out),
                _ if known || for_us => n.arp.handle_link_addr(now, sender, sender_mac, &mut out),
                _ => {}
            }
        }
    }
    run_arp_actions(stack, bc, dev, out);
    if repr.operation == OP_REQUEST && for_us {
        let reply = ArpRepr {
            operation: OP_REPLY,
            sender_hardware_addr: our_mac,
            sender_protocol_addr: target,
            target_hardware_addr: sender_mac,
            target_protocol_addr: sender,
        };
        send_arp(stack, bc, dev, sender_mac, &reply);
        stack.neighbor.counters.arp_replies_sent += 1;
    }
    sync_timer(stack, dev);
}

/// Sends an ARP request for `target`: broadcast, or to `unicast` (a NUD probe, RFC 1122
/// section 2.3.2.1). The sender address is ours on the target's subnet if we have one.
pub(crate) fn send_request(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    target: Ipv4Addr,
    unicast: Option<MacAddr>,
) {
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let Some(our_mac) = device.kind.mac() else {
        return;
    };
    let target_ip = IpAddr::V4(target.into());
    let ours = device
        .addresses
        .iter()
        .filter(|e| e.addr.is_ipv4() && e.usable_as_source());
    let Some(sender) = ours
        .clone()
        .find(|e| e.subnet_contains(target_ip))
        .or_else(|| ours.clone().next())
        .map(|e| e.addr)
    else {
        return;
    };
    let IpAddr::V4(sender) = sender else { return };
    let request = ArpRepr {
        operation: OP_REQUEST,
        sender_hardware_addr: our_mac,
        sender_protocol_addr: sender.into(),
        target_hardware_addr: MacAddr::UNSPECIFIED,
        target_protocol_addr: target,
    };
    send_arp(
        stack,
        bc,
        dev,
        unicast.unwrap_or(MacAddr::BROADCAST),
        &request,
    );
    stack.neighbor.counters.arp_requests_sent += 1;
}

/// Another host uses `addr`, one of ours on `dev` (RFC 5227 section 2.4 (b)): defend it
/// with one announcement, or, when it was defended less than DEFEND_INTERVAL ago, stop
/// using it (the address and its subnet route are removed) and count the conflict in
/// `NeighborCounters::ipv4_conflicts`.
fn defend_or_give_up(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    addr: Ipv4Addr,
    now: Instant,
) {
    let Some(n) = stack.neighbor.device_mut(dev) else {
        return;
    };
    match n.defence.on_conflict(addr, now) {
        ConflictAction::Defend => {
            stack.neighbor.counters.arp_defences += 1;
            send_announcement(stack, bc, dev, addr);
        }
        ConflictAction::GiveUp => {
            stack.neighbor.counters.ipv4_conflicts += 1;
            stack.remove_address(bc, dev, IpAddr::V4(addr.into()));
        }
    }
}

/// Sends a gratuitous ARP request announcing `addr` (RFC 5227 section 3).
pub(crate) fn send_announcement(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    addr: Ipv4Addr,
) {
    let Some(our_mac) = stack.devices.get(dev.index()).and_then(|d| d.kind.mac()) else {
        return;
    };
    let announcement = ArpRepr {
        operation: OP_REQUEST,
        sender_hardware_addr: our_mac,
        sender_protocol_addr: addr,
        target_hardware_addr: MacAddr::UNSPECIFIED,
        target_protocol_addr: addr,
    };
    send_arp(stack, bc, dev, MacAddr::BROADCAST, &announcement);
    stack.neighbor.counters.arp_requests_sent += 1;
}

fn send_arp(stack: &mut Stack, bc: &mut impl Bindings, dev: DeviceId, dst: MacAddr, arp: &ArpRepr) {
    let Some(kind) = stack.devices.get(dev.index()).map(|d| d.kind) else {
        return;
    };
    let link_len = link::header_len(&kind);
    let mut frame = alloc::vec![0u8; (link_len + PACKET_LEN).max(MIN_FRAME_LEN)];
    link::write_header(&kind, &mut frame, dst, EtherType::ARP);
    if arp.emit(&mut frame[link_len..]).is_ok() {
        stack.transmit_link_frame(bc, dev, &frame);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5227 section 2.4 (b), per address: defend, give up within DEFEND_INTERVAL,
    /// defend again after it; other addresses and forgotten ones start fresh.
    #[test]
    fn defence_allows_one_defence_per_defend_interval_rfc5227_2_4() {
        let mut d = Defence::default();
        let (a, b) = (Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]));
        let t = |s| Instant::ZERO + Duration::from_secs(s);
        assert_eq!(d.on_conflict(a, t(0)), ConflictAction::Defend);
        assert_eq!(
            d.on_conflict(b, t(1)),
            ConflictAction::Defend,
            "another address"
        );
        assert_eq!(
            d.on_conflict(a, t(10)),
            ConflictAction::Defend,
            "DEFEND_INTERVAL later"
        );
        assert_eq!(d.on_conflict(a, t(19)), ConflictAction::GiveUp);
        assert_eq!(
            d.on_conflict(a, t(20)),
            ConflictAction::Defend,
            "given up: fresh"
        );
        d.forget(b);
        assert_eq!(
            d.on_conflict(b, t(2)),
            ConflictAction::Defend,
            "forgotten: fresh"
        );
    }

    #[test]
    fn announcements_repeat_announce_num_times_announce_interval_apart_rfc5227_1_1() {
        let mut a = Announcements::default();
        let addr = Ipv4Addr([10, 0, 0, 2]);
        a.start(Instant::ZERO, addr);
        assert_eq!(a.next_deadline(), Some(Instant::ZERO + ANNOUNCE_INTERVAL));
        assert!(a
            .due(Instant::ZERO + Duration::from_millis(1999))
            .is_empty());
        assert_eq!(a.due(Instant::ZERO + ANNOUNCE_INTERVAL), [addr]);
        assert_eq!(
            a.next_deadline(),
            None,
            "ANNOUNCE_NUM = 2: the first one was sent at once"
        );
    }
}
