//! Neighbour resolution (ARP, NDP) and the hooks of the IPv6 / multicast configuration layer.
//!
//! placeholder until sn lands: sn owns this module and replaces its internals (and may change
//! the signatures, fixing the call sites in `ip/`, `icmp/` and `stack.rs`). What the rest of
//! the stack calls, and what each call means:
//!
//! - [`resolve_and_send`]: the IP layer has an Ethernet frame for unicast next hop
//!   `next_hop` on `dev`, its link header written except the destination MAC. Fill it in
//!   (`crate::device::link::set_destination`) and send it with
//!   `Stack::transmit_link_frame`, or queue it (copied, bounded) while resolving.
//! - [`receive_arp`]: an ARP frame arrived on `dev` (the ARP packet at `frame[link_len..]`).
//! - [`receive_ndp_or_mld`]: an ICMPv6 NDP (types 133..=137) or MLD (130..=132, 143) message
//!   for us, checksum already verified; `rx` gives addresses, hop limit and offsets.
//! - [`receive_igmp`]: an IGMP message for us.
//! - [`on_address_added`]: an address was assigned (gratuitous ARP, DAD start).
//! - [`on_multicast_joined`] / [`on_multicast_left`]: first join / last leave of a group on a
//!   device (MLD / IGMP reports).
//! - [`handle_timer`]: a [`NeighborTimer`] fired (schedule with
//!   `stack.timers.schedule(TimerId::Neighbor(..), at)`).
//!
//! The placeholder learns IPv4 neighbours from ARP and answers ARP requests for our
//! addresses, so an Ethernet stack can already answer a ping from a host that ARPs first.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr};

use zerocast_wire::arp::{ArpPacket, ArpRepr, OP_REPLY, OP_REQUEST};
use zerocast_wire::ethernet::EtherType;
use zerocast_wire::MacAddr;

use crate::context::{Bindings, DeviceId};
use crate::device::link;
use crate::ip::IpRx;
use crate::{Stack, StackConfig};

/// Timer keys of the neighbour layer (none yet in the placeholder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NeighborTimer {}

/// Neighbour tables.
#[derive(Debug, Default)]
pub(crate) struct NeighborState {
    /// (device, address, MAC), oldest first; bounded by `neighbor_table_size`.
    entries: Vec<(DeviceId, IpAddr, MacAddr)>,
    capacity: usize,
}

impl NeighborState {
    pub(crate) fn new(config: &StackConfig) -> NeighborState {
        NeighborState {
            entries: Vec::new(),
            capacity: config.neighbor_table_size,
        }
    }

    fn learn(&mut self, dev: DeviceId, addr: IpAddr, mac: MacAddr) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.0 == dev && e.1 == addr) {
            e.2 = mac;
            return;
        }
        if self.entries.len() >= self.capacity && !self.entries.is_empty() {
            self.entries.remove(0);
        }
        if self.capacity > 0 {
            self.entries.push((dev, addr, mac));
        }
    }

    fn lookup(&self, dev: DeviceId, addr: IpAddr) -> Option<MacAddr> {
        self.entries
            .iter()
            .find(|e| e.0 == dev && e.1 == addr)
            .map(|e| e.2)
    }
}

/// Sends `frame` to `next_hop` on `dev` once its MAC address is known (see module docs).
pub(crate) fn resolve_and_send(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    next_hop: IpAddr,
    frame: &mut [u8],
) {
    match stack.neighbor.lookup(dev, next_hop) {
        Some(mac) => {
            link::set_destination(frame, mac);
            stack.transmit_link_frame(bc, dev, frame);
        }
        None => {
            if let Some(d) = stack.devices.get_mut(dev.index()) {
                d.counters.tx_dropped += 1;
            }
        }
    }
}

/// Receives an ARP packet (RFC 826): learn the sender, answer requests for our addresses.
pub(crate) fn receive_arp(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    dev: DeviceId,
    frame: &mut [u8],
    link_len: usize,
) {
    let Some(body) = frame.get(link_len..) else {
        return;
    };
    let Ok(arp) = ArpPacket::parse(body) else {
        if let Some(d) = stack.devices.get_mut(dev.index()) {
            d.counters.rx_dropped_malformed += 1;
        }
        return;
    };
    let repr = arp.repr();
    let sender = Ipv4Addr::from(repr.sender_protocol_addr);
    let target = Ipv4Addr::from(repr.target_protocol_addr);
    if !sender.is_unspecified() && repr.sender_hardware_addr.is_unicast() {
        stack
            .neighbor
            .learn(dev, IpAddr::V4(sender), repr.sender_hardware_addr);
    }
    let Some(device) = stack.devices.get(dev.index()) else {
        return;
    };
    let Some(our_mac) = device.kind.mac() else {
        return;
    };
    if repr.operation != OP_REQUEST || !device.owns_address(IpAddr::V4(target)) {
        return;
    }
    let kind = device.kind;
    let reply = ArpRepr {
        operation: OP_REPLY,
        sender_hardware_addr: our_mac,
        sender_protocol_addr: repr.target_protocol_addr,
        target_hardware_addr: repr.sender_hardware_addr,
        target_protocol_addr: repr.sender_protocol_addr,
    };
    let mut out = alloc::vec![0u8; (link_len + zerocast_wire::arp::PACKET_LEN).max(60)];
    link::write_header(&kind, &mut out, repr.sender_hardware_addr, EtherType::ARP);
    if reply
        .emit(&mut out[link_len..link_len + zerocast_wire::arp::PACKET_LEN])
        .is_ok()
    {
        stack.transmit_link_frame(bc, dev, &out);
    }
}

/// NDP / MLD hook (see module docs). The placeholder ignores them.
pub(crate) fn receive_ndp_or_mld(
    stack: &mut Stack,
    _bc: &mut impl Bindings,
    _rx: &IpRx,
    _buf: &mut [u8],
) {
    stack.counters.icmpv6.ignored += 1;
}

/// IGMP hook (see module docs). The placeholder ignores it.
pub(crate) fn receive_igmp(
    _stack: &mut Stack,
    _bc: &mut impl Bindings,
    _rx: &IpRx,
    _buf: &mut [u8],
) {
}

/// Address-added hook (see module docs).
pub(crate) fn on_address_added(
    _stack: &mut Stack,
    _bc: &mut impl Bindings,
    _dev: DeviceId,
    _addr: IpAddr,
) {
}

/// First-join hook (see module docs).
pub(crate) fn on_multicast_joined(
    _stack: &mut Stack,
    _bc: &mut impl Bindings,
    _dev: DeviceId,
    _group: IpAddr,
) {
}

/// Last-leave hook (see module docs).
pub(crate) fn on_multicast_left(
    _stack: &mut Stack,
    _bc: &mut impl Bindings,
    _dev: DeviceId,
    _group: IpAddr,
) {
}

/// Timer hook (see module docs).
pub(crate) fn handle_timer(_stack: &mut Stack, _bc: &mut impl Bindings, timer: NeighborTimer) {
    match timer {}
}
