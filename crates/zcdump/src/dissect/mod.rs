//! Dissection: zerocast-wire's parsed views of a frame, mapped to tshark's field names and
//! values. zcdump parses no protocol itself; every header is read by zerocast-wire (the
//! Linux cooked pseudo-headers, part of the capture format, come from [`crate::capture::sll`]).
//! This module's job is the mapping: which field, which value, and tshark's rules about when
//! a field is present (for example `ip.version` on IPv6 frames, or checksum status 2 when the
//! bytes to verify are missing), plus recording where and why a frame stopped parsing.
//!
//! Every layer is parsed with zerocast-wire's `parse_lenient`: a header cut short by the
//! capture's snapshot length comes back as a partial view whose accessors give exactly the
//! fields that were captured, which is what tshark shows.
//!
//! One module per protocol, in the manner of Wireshark's dissectors: each declares its
//! fields once with [`declare_fields!`](crate::fields) (registered in the field registry,
//! see [`crate::fields`]) and has a `dissect` function that fills them and hands its payload
//! on by the key the next protocol is known by (EtherType, IP protocol).

pub(crate) mod arp;
pub(crate) mod cdp;
pub(crate) mod chdlc;
pub(crate) mod data;
pub(crate) mod dhcp;
pub(crate) mod dhcpv6;
pub(crate) mod dns;
mod dns_name;
pub(crate) mod dvmrp;
pub(crate) mod erspan;
pub(crate) mod eth;
pub(crate) mod find;
pub(crate) mod frame;
pub(crate) mod geneve;
pub(crate) mod gre;
pub(crate) mod http;
mod http_body;
pub(crate) mod icmp;
pub(crate) mod icmpv6;
pub(crate) mod igmp;
pub(crate) mod ipv4;
pub(crate) mod ipv6;
pub(crate) mod isl;
pub(crate) mod json;
pub(crate) mod llc;
pub(crate) mod media;
mod media_type;
mod memory;
pub(crate) mod mpls;
pub(crate) mod multipart;
pub(crate) mod ntp;
pub(crate) mod null;
pub(crate) mod pim;
pub(crate) mod png;
pub(crate) mod ppp;
pub(crate) mod pppoe;
pub(crate) mod quic;
mod quic_initial;
pub(crate) mod radiotap;
pub(crate) mod raw;
pub(crate) mod sll;
pub(crate) mod stp;
mod table;
pub(crate) mod tcp;
mod text;
pub(crate) mod text_lines;
pub(crate) mod tls;
pub(crate) mod udp;
pub(crate) mod urlencoded;
mod value_text;
pub(crate) mod vlan;
pub(crate) mod vxlan;
pub(crate) mod wlan;
pub(crate) mod xml;

use zerocast_wire::{
    ChecksumPolicy, ChecksumStatus, ErrorKind, IpProto, Layer, ParseError, ParseOptions,
    PseudoHeader,
};

use crate::capture::Packet;
use crate::fields::{Field, FrameFields, Proto};
pub use memory::{ConversationKey, Conversations, HttpEvents, Unseen};

/// Dissects one captured frame into `out` (which the caller has cleared).
///
/// ```
/// use zcdump::capture::{LinkType, Packet};
/// use zcdump::dissect::dissect;
/// use zcdump::fields::{Field, FrameFields, Value};
/// let mut data = [0u8; 14];
/// data[..6].copy_from_slice(&[0xff; 6]);
/// data[12] = 0x88; data[13] = 0xb5; // local experimental EtherType
/// let p = Packet { ts_sec: 0, ts_nsec: 0, orig_len: 60, link_type: LinkType::Ethernet, data: &data };
/// let mut f = FrameFields::default();
/// dissect(&p, 7, &mut f);
/// assert_eq!(f.uint(Field::FrameNumber), Some(7));
/// assert_eq!(f.uint(Field::FrameCapLen), Some(14));
/// assert_eq!(f.first(Field::EthDst), Some(Value::Mac([0xff; 6])));
/// assert_eq!(f.uint(Field::EthType), Some(0x88b5));
/// ```
///
/// A frame decoded alone cannot know what earlier frames of its TCP conversation showed;
/// where tshark's answer depends on that (an HTTP continuation), it assumes the common case
/// and records the assumption in [`FrameFields::http_events`] for a caller that settles it
/// in file order (the statistics do). [`dissect_in_order`] knows instead.
pub fn dissect(packet: &Packet<'_>, number: u64, out: &mut FrameFields) {
    dissect_with(packet, number, out, None);
}

/// Dissects one frame of a capture read in file order: `memory` holds what the earlier
/// frames' conversations showed (see [`Conversations`]) and learns this frame's, so every
/// answer is tshark's.
///
/// ```
/// use zcdump::capture::{LinkType, Packet};
/// use zcdump::dissect::{dissect_in_order, Conversations};
/// use zcdump::fields::{Field, FrameFields};
/// let data = [0u8; 14];
/// let p = Packet { ts_sec: 0, ts_nsec: 0, orig_len: 14, link_type: LinkType::Ethernet, data: &data };
/// let (mut f, mut memory) = (FrameFields::default(), Conversations::default());
/// dissect_in_order(&p, 1, &mut f, &mut memory);
/// assert_eq!(f.uint(Field::FrameNumber), Some(1));
/// ```
pub fn dissect_in_order(
    packet: &Packet<'_>,
    number: u64,
    out: &mut FrameFields,
    memory: &mut Conversations,
) {
    dissect_with(packet, number, out, Some(memory));
}

fn dissect_with(
    packet: &Packet<'_>,
    number: u64,
    out: &mut FrameFields,
    memory: Option<&mut Conversations>,
) {
    let out_wants_checksums = out.wants_checksums();
    let mut cx = Cx {
        out,
        frame: packet.data,
        snapped: packet.data.len() < packet.orig_len as usize,
        uncaptured: (packet.orig_len as usize).saturating_sub(packet.data.len()),
        verify: out_wants_checksums,
        ts_sec: packet.ts_sec,
        memory,
    };
    frame::dissect(&mut cx, number, packet.orig_len);
    let link_type = packet.link_type.number();
    match table::by_link_type(link_type) {
        Some(dissect) => dissect(&mut cx, packet.data),
        None => cx.out.set_link_not_decoded(link_type),
    }
}

/// An IP payload ready for the upper-layer dissectors.
pub(super) struct Upper<'a> {
    /// The protocol the IP header (or last extension header) names.
    pub proto: IpProto,
    /// The payload as captured.
    pub bytes: &'a [u8],
    /// For UDP/TCP/ICMPv6 checksums.
    pub pseudo: PseudoHeader,
    /// Whether the upper checksum is to be verified: someone reads it and every byte it
    /// covers is present (not truncated, not a first fragment). When not, checksum status
    /// is 2 (unverified) as in tshark.
    pub complete: bool,
}

impl Upper<'_> {
    /// Checksums only when they can be verified.
    pub(super) fn checksums(&self) -> ChecksumPolicy {
        if self.complete {
            ParseOptions::LENIENT.checksum
        } else {
            ChecksumPolicy::Skip
        }
    }
}

/// Hands an IP payload to the protocol its header names.
fn by_ip_protocol(cx: &mut Cx<'_, '_>, upper: Upper<'_>) {
    match table::by_ip_protocol(upper.proto.0) {
        Some(dissect) => dissect(cx, &upper),
        None => cx.data(upper.bytes),
    }
}

/// The frame being dissected and the field set being filled.
struct Cx<'o, 'f> {
    out: &'o mut FrameFields,
    frame: &'f [u8],
    /// The capture kept fewer bytes than were on the wire (snapshot length), so headers
    /// cut short are expected rather than malformed.
    snapped: bool,
    /// How many bytes of the frame the snapshot length left out: where a layer's reported
    /// end lies past its captured bytes (for protocols whose fields tshark takes from the
    /// reported length).
    uncaptured: usize,
    /// Some output reads a checksum status; otherwise checksums are not computed at all.
    verify: bool,
    /// The capture time's whole seconds since the epoch (tshark reads an ICMP echo's
    /// timestamp only when it lies within a day of it).
    ts_sec: u64,
    /// What earlier frames' conversations showed, when frames come in file order; `None`:
    /// assume and record (see [`memory`]).
    memory: Option<&'o mut Conversations>,
}

/// Pushes each field whose value is there: the fields a partial view of a cut header has.
fn push_some(out: &mut FrameFields, fields: &[(Field, Option<u64>)]) {
    for &(field, value) in fields {
        if let Some(v) = value {
            out.push_uint(field, v);
        }
    }
}

/// tshark's checksum status when the protocol says there is no checksum (a zero UDP
/// checksum over IPv4).
const CHECKSUM_NOT_PRESENT: u64 = 3;

/// tshark's checksum status when the checksum field holds a value the protocol forbids (a
/// zero UDP checksum over IPv6).
const CHECKSUM_ILLEGAL: u64 = 4;

/// tshark's checksum status: unverified (2) when the header was cut short.
fn status(cut: bool, status: ChecksumStatus) -> u64 {
    if cut {
        2
    } else {
        u64::from(status as u8)
    }
}

impl Cx<'_, '_> {
    /// Notes the outer TCP header's conversation (`syn`: a SYN without ACK, a new
    /// connection that has seen nothing yet), for the payload's dissectors.
    fn tcp_conversation(&mut self, key: ConversationKey, syn: bool) {
        if self.out.in_quoted() {
            return;
        }
        let events = self.out.http_events_mut();
        events.key = Some(key);
        events.reset |= syn;
        if let (Some(memory), true) = (self.memory.as_deref_mut(), syn) {
            memory.new_connection(&key);
        }
    }

    /// HTTP dissected a request in this frame's conversation.
    fn http_request(&mut self) {
        if self.out.in_quoted() {
            return;
        }
        let events = self.out.http_events_mut();
        events.request = true;
        if let (Some(memory), Some(key)) = (self.memory.as_deref_mut(), events.key) {
            memory.http_request(key);
        }
    }

    /// Whether HTTP saw a request earlier in this frame's conversation. Without the memory
    /// of earlier frames it answers yes and records the assumption, with `unseen` saying
    /// how the frame looks if the answer was no.
    fn http_request_seen(&mut self, unseen: Unseen) -> bool {
        let key = self.out.http_events().key;
        match (self.memory.as_deref(), key) {
            (Some(memory), Some(key)) => memory.http_request_seen(&key),
            (None, Some(_)) => {
                self.out.http_events_mut().assumed = Some(unseen);
                true
            }
            // Not over TCP (or inside a quoted packet): no conversation to ask.
            (_, None) => true,
        }
    }

    /// How to treat IPv4 header checksums: verified only if someone reads the status.
    fn ip_checksums(&self) -> ChecksumPolicy {
        if self.verify {
            ParseOptions::LENIENT.checksum
        } else {
            ChecksumPolicy::Skip
        }
    }

    /// Where `bytes`, a slice of the frame, starts in it.
    fn offset(&self, bytes: &[u8]) -> usize {
        bytes
            .as_ptr()
            .addr()
            .saturating_sub(self.frame.as_ptr().addr())
    }

    /// Records a parse failure of the layer that starts at `layer_bytes`. A layer cut
    /// before its header, which tshark's dissector was called for but stopped in before
    /// adding its protocol, is named in tshark's protocol list alone (see
    /// [`FrameFields::list_only`]).
    fn malformed(&mut self, layer_bytes: &[u8], err: &ParseError) {
        if let (ErrorKind::Truncated { .. }, Some(proto)) = (err.kind(), layer_proto(err.layer())) {
            if self.out.path().last() != Some(&proto) {
                self.out.list_only(proto);
            }
        }
        let at = self.offset(layer_bytes) + err.offset();
        self.out.set_malformed(
            layer_name(err.layer()),
            format!("{} (frame byte {at})", err.kind()),
        );
    }

    /// Records a failure that zerocast-wire did not describe (e.g. a short cooked header).
    fn malformed_text(&mut self, layer: &'static str, reason: &str) {
        self.out.set_malformed(layer, reason.to_string());
    }

    /// Records a header cut short; malformed unless the capture's snapshot length did it.
    fn header_cut(&mut self, layer: &'static str, have: usize, need: usize) {
        if !self.snapped {
            let reason = format!("header cut short: {have} bytes captured, up to {need} needed");
            self.out.set_malformed(layer, reason);
        }
    }

    /// Notes payload bytes that no dissector claimed, as tshark's `data` protocol.
    fn data(&mut self, payload: &[u8]) {
        data::dissect(self, payload);
    }
}

/// The protocol of a zerocast-wire layer, where zcdump has one.
fn layer_proto(layer: Layer) -> Option<Proto> {
    Some(match layer {
        Layer::Ethernet => Proto::Eth,
        Layer::Vlan => Proto::Vlan,
        Layer::Arp => Proto::Arp,
        Layer::Ipv4 => Proto::Ip,
        Layer::Ipv6 | Layer::Ipv6Ext => Proto::Ipv6,
        Layer::Icmpv4 => Proto::Icmp,
        Layer::Icmpv6 => Proto::Icmpv6,
        Layer::Igmp => Proto::Igmp,
        Layer::Udp => Proto::Udp,
        Layer::Tcp => Proto::Tcp,
        _ => return None,
    })
}

fn layer_name(layer: Layer) -> &'static str {
    match layer {
        Layer::Ethernet => "eth",
        Layer::Vlan => "vlan",
        Layer::Arp => "arp",
        Layer::Ipv4 => "ip",
        Layer::Ipv6 | Layer::Ipv6Ext => "ipv6",
        Layer::Icmpv4 => "icmp",
        Layer::Icmpv6 => "icmpv6",
        Layer::Igmp => "igmp",
        Layer::Udp => "udp",
        Layer::Tcp => "tcp",
        _ => "packet",
    }
}

/// Test helper: the fields of an Ethernet frame whose first `data.len()` bytes were captured
/// of `orig_len` on the wire.
#[cfg(test)]
pub(crate) fn ethernet_frame(data: &[u8], orig_len: u32) -> FrameFields {
    let p = Packet {
        ts_sec: 0,
        ts_nsec: 0,
        orig_len,
        link_type: crate::capture::LinkType::Ethernet,
        data,
    };
    let mut f = FrameFields::default();
    dissect(&p, 1, &mut f);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::LinkType;
    use proptest::prelude::*;

    fn frame_with(link_type: LinkType, data: &[u8]) -> FrameFields {
        let mut f = FrameFields::default();
        let p = Packet {
            ts_sec: 0,
            ts_nsec: 0,
            orig_len: data.len() as u32,
            link_type,
            data,
        };
        dissect(&p, 1, &mut f);
        f
    }

    #[test]
    fn short_ethernet_frame_is_malformed_with_its_offset() {
        let f = frame_with(LinkType::Ethernet, &[0; 10]);
        let m = f.malformed().expect("malformed");
        assert_eq!(m.layer, "eth");
        assert!(m.reason.contains("truncated"), "{}", m.reason);
    }

    #[test]
    fn header_cut_without_snaplen_is_malformed_but_keeps_captured_fields() {
        // Ethernet + the first 12 bytes of an IPv4 header, with frame.len == cap_len.
        let mut data = vec![0u8; 12];
        data.extend_from_slice(&[
            0x08, 0x00, 0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 64, 1,
        ]);
        let f = frame_with(LinkType::Ethernet, &data);
        assert_eq!(f.uint(Field::IpTtl), Some(64));
        assert_eq!(f.uint(Field::IpId), Some(0x1234));
        assert_eq!(f.first(Field::IpSrc), None);
        assert_eq!(f.malformed().map(|m| m.layer), Some("ip"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 1024 }))]

        #[test]
        fn arbitrary_frames_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..200),
            head in prop_oneof![Just(0x0800u16), Just(0x86dd), Just(0x8100), Just(0x88a8), Just(0x0806), any::<u16>()],
            proto in prop_oneof![Just(1u8), Just(6), Just(17), Just(58), Just(2), Just(44), Just(0), any::<u8>()],
        ) {
            // Bias towards real stacks: a chosen EtherType and a plausible IP header start.
            let mut eth = vec![0u8; 12];
            eth.extend_from_slice(&head.to_be_bytes());
            let mut ip4 = vec![0x45, 0, 0, 200, 0, 0, 0, 0, 64, proto, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
            ip4.extend_from_slice(&data);
            let mut ip6 = vec![0x60, 0, 0, 0, 0, 160, proto, 64];
            ip6.extend_from_slice(&[0; 32]);
            ip6.extend_from_slice(&data);
            for payload in [&data, &ip4, &ip6] {
                let mut frame = eth.clone();
                frame.extend_from_slice(payload);
                for lt in [LinkType::Ethernet, LinkType::RawIp, LinkType::LinuxSll, LinkType::LinuxSll2] {
                    frame_with(lt, &frame);
                    frame_with(lt, payload);
                }
            }
        }
    }
}
