//! Link-layer framing for output: how many header bytes a device's frames start with, how
//! to write them, and which MAC address a multicast or broadcast IP destination maps to.
//!
//! The IP layer always builds a packet behind `header_len(kind)` bytes of room, so the
//! Ethernet (or Ethernet + 802.1Q) header is written in front of it without moving the
//! packet; a pure-IP or loopback device has no link header at all.

use core::net::IpAddr;

use zerocast_wire::ethernet::{EtherType, EthernetRepr};
use zerocast_wire::vlan::VlanRepr;
use zerocast_wire::MacAddr;

use super::DeviceKind;

/// Length of the 802.1Q tag that a VLAN device's frames carry after the MAC addresses.
pub const VLAN_TAG_LEN: usize = zerocast_wire::vlan::TAG_LEN;

/// Bytes of link header in front of the IP packet on a device of this kind.
///
/// ```
/// use zerocast_stack::device::{link::header_len, DeviceKind};
/// assert_eq!(header_len(&DeviceKind::PureIp), 0);
/// assert_eq!(header_len(&DeviceKind::Ethernet { mac: Default::default() }), 14);
/// ```
#[must_use]
pub const fn header_len(kind: &DeviceKind) -> usize {
    match kind {
        DeviceKind::Ethernet { .. } => zerocast_wire::ethernet::HEADER_LEN,
        DeviceKind::Vlan { .. } => zerocast_wire::ethernet::HEADER_LEN + VLAN_TAG_LEN,
        DeviceKind::PureIp | DeviceKind::Loopback => 0,
    }
}

/// Writes the link header for a frame of `kind` carrying `ethertype` to `dst` into the front
/// of `frame`. Does nothing for header-less kinds or when `frame` is too short (callers
/// always reserve [`header_len`] bytes).
///
/// ```
/// use zerocast_stack::device::{link::write_header, DeviceKind};
/// use zerocast_wire::{ethernet::EtherType, MacAddr};
/// let kind = DeviceKind::Ethernet { mac: MacAddr([2, 0, 0, 0, 0, 1]) };
/// let mut frame = [0u8; 14];
/// write_header(&kind, &mut frame, MacAddr::BROADCAST, EtherType::IPV4);
/// assert_eq!(frame, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
/// ```
pub fn write_header(kind: &DeviceKind, frame: &mut [u8], dst: MacAddr, ethertype: EtherType) {
    match *kind {
        // Written field by field: this runs for every frame sent.
        DeviceKind::Ethernet { mac } => {
            if let Some(h) = frame.get_mut(..zerocast_wire::ethernet::HEADER_LEN) {
                h[..6].copy_from_slice(&dst.0);
                h[6..12].copy_from_slice(&mac.0);
                h[12..].copy_from_slice(&ethertype.0.to_be_bytes());
            }
        }
        DeviceKind::Vlan { vid, mac, .. } => {
            let repr = EthernetRepr {
                dst,
                src: mac,
                ethertype: EtherType::VLAN,
            };
            let _ = repr.emit(frame);
            let tag = VlanRepr {
                pcp: 0,
                dei: false,
                vid,
                ethertype,
            };
            if let Some(rest) = frame.get_mut(zerocast_wire::ethernet::HEADER_LEN..) {
                let _ = tag.emit(rest);
            }
        }
        DeviceKind::PureIp | DeviceKind::Loopback => {}
    }
}

/// Sets only the destination MAC of a frame whose header was written by [`write_header`]
/// (the neighbour layer calls this once resolution finished).
///
/// ```
/// use zerocast_stack::device::link::set_destination;
/// use zerocast_wire::MacAddr;
/// let mut frame = [0u8; 14];
/// set_destination(&mut frame, MacAddr([2, 0, 0, 0, 0, 9]));
/// assert_eq!(frame[..6], [2, 0, 0, 0, 0, 9]);
/// ```
pub fn set_destination(frame: &mut [u8], dst: MacAddr) {
    if let Some(d) = frame.get_mut(..6) {
        d.copy_from_slice(&dst.0);
    }
}

/// The multicast MAC address an IP multicast group maps to (RFC 1112 section 6.4 for
/// IPv4: 01:00:5e + the low 23 bits; RFC 2464 section 7 for IPv6: 33:33 + the low 32
/// bits), or `None` for a non-multicast address.
///
/// ```
/// use zerocast_stack::device::link::multicast_mac;
/// use zerocast_wire::MacAddr;
/// assert_eq!(multicast_mac("239.129.1.2".parse().unwrap()), Some(MacAddr([1, 0, 0x5e, 1, 1, 2])));
/// assert_eq!(multicast_mac("ff02::1:ff00:2".parse().unwrap()), Some(MacAddr([0x33, 0x33, 0xff, 0, 0, 2])));
/// ```
#[must_use]
pub fn multicast_mac(group: IpAddr) -> Option<MacAddr> {
    match group {
        IpAddr::V4(g) if g.is_multicast() => {
            let o = g.octets();
            Some(MacAddr([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]))
        }
        IpAddr::V6(g) if g.is_multicast() => Some(MacAddr::ipv6_multicast(g.into())),
        _ => None,
    }
}

/// The EtherType of an IP packet of this family.
#[must_use]
pub const fn ethertype_for(addr: &IpAddr) -> EtherType {
    match addr {
        IpAddr::V4(_) => EtherType::IPV4,
        IpAddr::V6(_) => EtherType::IPV6,
    }
}
