//! `ipv6`: IPv6 with its extension headers, mapped to tshark's `ipv6.*` fields (and the
//! generic `ip.version`), and the hand-off of its payload to the protocol the last header
//! names.

use zerocast_wire::ipv6::{self, Ipv6Packet, Ipv6Partial};
use zerocast_wire::ipv6_ext::ExtensionHeaders;
use zerocast_wire::{IpProto, Lenient};

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{push_some, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Ipv6, name: "ipv6",
    Ipv6Tclass = "ipv6.tclass", Hex8;
    Ipv6Flow = "ipv6.flow", Hex6;
    Ipv6Plen = "ipv6.plen", Dec;
    Ipv6Nxt = "ipv6.nxt", Dec;
    Ipv6Hlim = "ipv6.hlim", Dec;
    Ipv6Src = "ipv6.src", Ipv6;
    Ipv6Dst = "ipv6.dst", Ipv6;
    Ipv6HopoptsLenOct = "ipv6.hopopts.len_oct", Dec;
    Ipv6DstoptsLenOct = "ipv6.dstopts.len_oct", Dec;
    Ipv6FraghdrOffset = "ipv6.fraghdr.offset", Dec;
    Ipv6FraghdrMore = "ipv6.fraghdr.more", Dec;
    Ipv6FraghdrIdent = "ipv6.fraghdr.ident", Hex8;
}

/// IPv6 inside IP (6in4, RFC 4213; IPv6-in-IPv6, RFC 2473).
pub(super) const DISSECTOR_IN_IP: Dissector = Dissector {
    proto: Proto::Ipv6,
    hook: Hook::IpProto(&[41], |cx, upper| dissect(cx, upper.bytes)),
};

/// IPv6 behind its EtherType.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Ipv6,
    hook: Hook::EtherType(&[EtherType::IPV6.0], |cx, _, bytes, _| dissect(cx, bytes)),
};

/// An IPv6 header (with its extension headers) and what it carries.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    match &Ipv6Packet::parse_lenient(bytes) {
        Ok(Lenient::Whole(ip)) => map_ipv6(cx, ip, bytes.get(ipv6::HEADER_LEN..).unwrap_or(&[])),
        Ok(Lenient::Cut(ip)) => {
            cx.header_cut("ipv6", bytes.len(), ipv6::HEADER_LEN);
            map_ipv6_cut(cx, ip);
        }
        Err(e) => {
            // tshark adds the protocol to its tree before it reads a byte: a frame the
            // snapshot length cut right before the header is short in `ipv6`.
            if bytes.is_empty() && cx.snapped {
                cx.out.enter(Proto::Ipv6);
            }
            cx.malformed(bytes, e);
        }
    }
}

/// Fills the `ipv6.*` fields of `ip` (whose captured bytes after the fixed header are
/// `after`) and continues with its payload.
fn map_ipv6(cx: &mut Cx<'_, '_>, ip: &Ipv6Packet<&[u8]>, after: &[u8]) {
    let out = &mut *cx.out;
    out.enter(Proto::Ipv6);
    // tshark's IPv6 dissector also fills the generic `ip.version`.
    out.push_uint(Field::IpVersion, ip.version());
    out.push_uint(Field::Ipv6Tclass, ip.traffic_class());
    out.push_uint(Field::Ipv6Flow, ip.flow_label());
    out.push_uint(Field::Ipv6Plen, ip.payload_len());
    out.push_uint(Field::Ipv6Nxt, ip.next_header().0);
    out.push_uint(Field::Ipv6Hlim, ip.hop_limit());
    out.push(Field::Ipv6Src, Value::Ipv6(ip.src().0));
    out.push(Field::Ipv6Dst, Value::Ipv6(ip.dst().0));
    if cx.out.wants(Field::Ipv6HopoptsLenOct) || cx.out.wants(Field::Ipv6DstoptsLenOct) {
        option_header_lengths(cx, ip.next_header(), after);
    }
    let out = &mut *cx.out;
    if let Some(frag) = ip.fragment() {
        out.push_uint(Field::Ipv6FraghdrOffset, frag.offset);
        out.push_uint(Field::Ipv6FraghdrMore, frag.more);
        out.push_uint(Field::Ipv6FraghdrIdent, frag.ident);
        if frag.offset != 0 {
            return cx.data(ip.payload());
        }
    }
    super::by_ip_protocol(
        cx,
        Upper {
            proto: ip.upper_protocol(),
            bytes: ip.payload(),
            pseudo: ip.pseudo_header(),
            // A length field claiming more than the frame carried (not a snapshot cut) is
            // a bad length: tshark then verifies over the bytes there are.
            complete: cx.verify && !(ip.is_truncated() && cx.snapped) && !ip.is_fragment(),
        },
    );
}

/// `ipv6.hopopts.len_oct` / `ipv6.dstopts.len_oct` of the option headers in `after` (the
/// bytes after the fixed header, `first` the type of the first); a header cut short still
/// shows its length once its length byte was captured, as in tshark.
fn option_header_lengths(cx: &mut Cx<'_, '_>, first: IpProto, after: &[u8]) {
    let mut headers = ExtensionHeaders::new(first, after);
    loop {
        let (kind, at) = headers.upper_layer();
        let len = match headers.next() {
            Some(Ok(header)) => header.bytes().len() as u64,
            Some(Err(_)) => match after.get(at + 1) {
                Some(&units) => (u64::from(units) + 1) * 8,
                None => return,
            },
            None => return,
        };
        match kind {
            IpProto::HOP_BY_HOP => cx.out.push_uint(Field::Ipv6HopoptsLenOct, len),
            IpProto::DEST_OPTS => cx.out.push_uint(Field::Ipv6DstoptsLenOct, len),
            _ => {}
        }
    }
}

/// The captured fields of an IPv6 header cut inside its fixed 40 bytes.
fn map_ipv6_cut(cx: &mut Cx<'_, '_>, ip: &Ipv6Partial<&[u8]>) {
    cx.out.enter(Proto::Ipv6);
    push_some(
        cx.out,
        &[
            (Field::IpVersion, ip.version().map(u64::from)),
            // tshark reads traffic class and flow label as one 32-bit word, and shows the
            // payload length only with the next header.
            (
                Field::Ipv6Tclass,
                ip.flow_label().and(ip.traffic_class()).map(u64::from),
            ),
            (Field::Ipv6Flow, ip.flow_label().map(u64::from)),
            (
                Field::Ipv6Plen,
                ip.next_header().and(ip.payload_len()).map(u64::from),
            ),
            (Field::Ipv6Nxt, ip.next_header().map(|p| u64::from(p.0))),
            (Field::Ipv6Hlim, ip.hop_limit().map(u64::from)),
        ],
    );
    if let Some(a) = ip.src() {
        cx.out.push(Field::Ipv6Src, Value::Ipv6(a.0));
    }
    if let Some(a) = ip.dst() {
        cx.out.push(Field::Ipv6Dst, Value::Ipv6(a.0));
    }
}
