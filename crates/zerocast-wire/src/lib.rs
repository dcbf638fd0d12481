//! Zero-copy wire formats: every core protocol parsed, edited in place and built.
//!
//! Each protocol lives in its own module, laid out the same way: the RFC header diagram, the
//! `repr(C)` header of network-endian fields, the packet view (generic over the byte slice, so
//! one type reads `&[u8]` and edits `&mut [u8]`), getters, setters and checksum updates, a
//! field-value representation (`*Repr`) that builds the header back byte for byte, `Display`,
//! and tests from literal bytes.
//!
//! - Link layer: [`ethernet`], [`vlan`] (802.1Q and 802.1ad, stackable), [`arp`].
//! - IPv4: [`ipv4`], [`ipv4_options`]; IPv6: [`ipv6`], [`ipv6_ext`]; shared: [`ip`], [`addr`].
//! - Above IP: [`icmpv4`], [`icmpv6`] with [`ndp`] and [`mld`], [`igmp`], [`udp`], [`tcp`] with
//!   [`tcp_options`]; [`checksum`] (RFC 1071 and RFC 1624 incremental updates).
//! - `reassembly` (feature `alloc`): IPv4 and IPv6 reassemblers with bounded memory.
//!
//! Parsing is strict by default ([`ParseOptions::STRICT`]); [`ParseOptions::LENIENT`] decodes
//! snaplen-truncated captures and the packets quoted in ICMP errors, reporting checksums as
//! tshark does ([`ChecksumStatus`]); [`ParseOptions::OFFLOAD`] skips checksums. Where even the
//! fixed header was cut, each protocol's `parse_lenient` returns [`Lenient::Cut`] with a
//! partial view (`ipv4::Ipv4Partial`, ...) whose accessors return `Some` for exactly the
//! fields that were captured. Errors ([`ParseError`]) say which layer, what, at which
//! offset, and which ICMP error to send.
//!
//! Besides the header builders, [`ndp::NdpBuilder`], [`mld::MldBuilder`] and
//! [`igmp::IgmpV3Builder`] build whole NDP, MLD and IGMPv3 messages (options, records,
//! checksum), and IPv6 jumbograms (RFC 2675) are parsed and built with UDP and TCP over them.
//!
//! Every view also implements `zerocast_packet::ParsablePacket` (parse off a buffer cursor,
//! leaving the body in the buffer, with metadata for `undo_parse`), and every header
//! representation is a `zerocast_packet::PacketBuilder` (or has a validated `builder()`), so
//! packets are serialized inside-out by `body.wrap_in(udp).wrap_in(ip).wrap_in(eth)` with
//! checksums computed over the final bytes and Ethernet padding to 60 bytes.
//!
//! Re-emitting a parsed header reproduces it byte for byte, with one exception inherent to the
//! ones' complement: a checksum field carrying 0xffff (negative zero, which verifies like
//! 0x0000) is re-emitted as 0x0000, since a computed checksum never yields 0xffff (UDP excepted,
//! where it is the transmitted form of zero).
//!
//! ```
//! use zerocast_wire::{ethernet::{EtherType, EthernetFrame}, ipv4::Ipv4Packet, udp::UdpPacket};
//! # let frame = zerocast_wire::__example_udp_frame();
//! let eth = EthernetFrame::parse(&frame[..])?;
//! assert_eq!(eth.ethertype(), EtherType::IPV4);
//! let ip = Ipv4Packet::parse(eth.into_payload())?;
//! let udp = UdpPacket::parse(ip.payload(), Some(ip.pseudo_header()))?;
//! assert_eq!(udp.dst_port(), 7);
//! # Ok::<(), zerocast_wire::ParseError>(())
//! ```
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
/// The byte-casting crate the headers are built on, re-exported so callers name the same
/// traits (`zerocast_wire::zerocast::FromBytes`) without a version mismatch.
pub use zerocast;

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod addr;
pub mod arp;
mod build;
pub mod checksum;
mod error;
pub mod ethernet;
pub mod icmpv4;
pub mod icmpv6;
pub mod igmp;
pub mod ip;
pub mod ipv4;
pub mod ipv4_options;
pub mod ipv6;
pub mod ipv6_ext;
pub mod mld;
pub mod ndp;
mod parse;
mod partial;
#[cfg(feature = "alloc")]
pub mod reassembly;
pub mod tcp;
pub mod tcp_options;
pub mod udp;
pub mod vlan;

pub use addr::{Ipv4Addr, Ipv6Addr, MacAddr};
pub use error::{ErrorKind, IcmpReply, Layer, ParseError};
pub use ip::{IpProto, PseudoHeader};
pub use parse::{ChecksumPolicy, ChecksumStatus, Lenient, ParseOptions};

/// An Ethernet/IPv4/UDP datagram to port 7 with valid checksums, for the crate example.
#[doc(hidden)]
#[must_use]
pub fn __example_udp_frame() -> [u8; 46] {
    let mut f = [0u8; 46];
    let eth = ethernet::EthernetRepr {
        dst: MacAddr([0xba, 0x16, 0xb4, 0x71, 0x76, 0x43]),
        src: MacAddr([0x2a, 0x12, 0x9a, 0x5d, 0x1a, 0xad]),
        ethertype: ethernet::EtherType::IPV4,
    };
    let ip = ipv4::Ipv4Repr::new(
        Ipv4Addr([10, 77, 0, 1]),
        Ipv4Addr([10, 77, 0, 2]),
        IpProto::UDP,
        64,
    );
    let ph = PseudoHeader::V4 {
        src: ip.src,
        dst: ip.dst,
    };
    f[42..].copy_from_slice(b"ping");
    // The buffer is large enough for every layer, so none of these can fail.
    let udp = udp::UdpRepr {
        src_port: 40000,
        dst_port: 7,
    }
    .emit(&mut f[34..], Some(ph));
    let ip = ip.emit(&mut f[14..], 12);
    let eth = eth.emit(&mut f);
    debug_assert!(
        udp.is_ok() && ip.is_ok() && eth.is_ok(),
        "{udp:?} {ip:?} {eth:?}"
    );
    f
}
