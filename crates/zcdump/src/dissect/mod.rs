//! Dissection: zerocast-wire's parsed views of a frame, mapped to tshark's field names and
//! values. zcdump parses no protocol itself; every header is read by zerocast-wire (the
//! Linux cooked pseudo-headers, part of the capture format, come from [`crate::capture::sll`]).
//! This module's job is the mapping: which field, which value, and tshark's rules about when
//! a field is present (for example `ip.version` on IPv6 frames, or checksum status 2 when the
//! bytes to verify are missing), plus recording where and why a frame stopped parsing.

mod ip;
mod link;
mod upper;

use zerocast_wire::{Layer, ParseError};

use crate::capture::{LinkType, Packet};
use crate::fields::{Field, FrameFields, Proto, Value};

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
pub fn dissect(packet: &Packet<'_>, number: u64, out: &mut FrameFields) {
    out.push(Field::Proto(Proto::Frame), Value::Present);
    out.push_uint(Field::FrameNumber, number);
    out.push_uint(Field::FrameLen, packet.orig_len);
    out.push_uint(Field::FrameCapLen, packet.data.len() as u64);
    let mut cx = Cx {
        out,
        frame: packet.data,
    };
    match packet.link_type {
        LinkType::Ethernet => link::ethernet(&mut cx, packet.data),
        LinkType::LinuxSll => link::cooked(&mut cx, packet.data, false),
        LinkType::LinuxSll2 => link::cooked(&mut cx, packet.data, true),
        LinkType::RawIp => ip::raw(&mut cx, packet.data),
    }
}

/// The frame being dissected and the field set being filled.
struct Cx<'o, 'f> {
    out: &'o mut FrameFields,
    frame: &'f [u8],
}

impl Cx<'_, '_> {
    /// Records a parse failure of the layer that starts at `layer_bytes`.
    fn malformed(&mut self, layer_bytes: &[u8], err: &ParseError) {
        let start = layer_bytes
            .as_ptr()
            .addr()
            .saturating_sub(self.frame.as_ptr().addr());
        let at = start + err.offset();
        self.out.set_malformed(
            layer_name(err.layer()),
            format!("{} (frame byte {at})", err.kind()),
        );
    }

    /// Records a failure that zerocast-wire did not describe (e.g. a short cooked header).
    fn malformed_text(&mut self, layer: &'static str, reason: &str) {
        self.out.set_malformed(layer, reason.to_string());
    }

    /// Notes payload bytes that no dissector claimed, as tshark's `data` protocol.
    fn data(&mut self, payload: &[u8]) {
        if !payload.is_empty() {
            self.out.enter(Proto::Data);
        }
    }
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
