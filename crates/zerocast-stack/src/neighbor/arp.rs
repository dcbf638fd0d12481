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
