//! `ppp`: PPP frames (`LINKTYPE_PPP`, with or without the HDLC address and control bytes)
//! and PPP in HDLC-like framing (`LINKTYPE_PPP_HDLC`), carrying IPv4 or IPv6.

use super::table::{Dissector, Hook};
use super::{ipv4, ipv6, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Ppp, name: "ppp",
    PppAddress = "ppp.address", Hex2;
    PppControl = "ppp.control", Hex2;
    PppProtocol = "ppp.protocol", Hex4;
}

/// `LINKTYPE_PPP` (9) and `LINKTYPE_PPP_HDLC` (50).
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Ppp,
    hook: Hook::LinkType(&[9, 50], dissect),
};

/// PPP's numbers for IPv4 and IPv6 (RFC 1332, RFC 5072): PPP has its own number space,
/// so it dispatches itself rather than by EtherType.
const PROTOCOL_IPV4: u16 = 0x0021;
const PROTOCOL_IPV6: u16 = 0x0057;

/// The all-stations address and unnumbered-information control of HDLC framing.
const HDLC_HEAD: [u8; 2] = [0xff, 0x03];

/// PPP inside a PPPoE session (RFC 2516 section 5): no HDLC framing, the protocol field
/// first.
pub(super) fn dissect_session(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    dissect(cx, frame);
}

fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    let mut rest = frame;
    let hdlc = rest.first_chunk::<2>() == Some(&HDLC_HEAD);
    if hdlc {
        rest = &rest[2..];
    }
    // A protocol field with an odd first byte is compressed to that one byte (RFC 1661 6.5).
    let (protocol, payload) = match rest {
        [one, tail @ ..] if one & 1 == 1 => (u16::from(*one), tail),
        [hi, lo, tail @ ..] => (u16::from_be_bytes([*hi, *lo]), tail),
        _ => {
            cx.out.enter(Proto::Ppp);
            return cx.header_cut("ppp", frame.len(), if hdlc { 4 } else { 2 });
        }
    };
    cx.out.enter(Proto::Ppp);
    if hdlc {
        cx.out.push_uint(Field::PppAddress, HDLC_HEAD[0]);
        cx.out.push_uint(Field::PppControl, HDLC_HEAD[1]);
    }
    cx.out.push_uint(Field::PppProtocol, protocol);
    match protocol {
        PROTOCOL_IPV4 => ipv4::dissect(cx, payload),
        PROTOCOL_IPV6 => ipv6::dissect(cx, payload),
        _ => cx.data(payload),
    }
}
