//! IPv4 and IPv6 (with extension headers), mapped to tshark's `ip.*` and `ipv6.*` fields,
//! and the hand-off of their payload to [`super::upper`]. Both are parsed leniently: a
//! snaplen-truncated capture still shows every header field that was captured, and the
//! layers above learn that their checksums cannot be verified.

use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::ParseOptions;

use super::upper::{self, Upper};
use super::Cx;
use crate::fields::{Field, Proto, Value};

/// `LINKTYPE_RAW`: the version nibble says which IP it is.
pub(super) fn raw(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    match frame.first().map(|b| b >> 4) {
        Some(4) => ipv4(cx, frame),
        Some(6) => ipv6(cx, frame),
        Some(v) => cx.malformed_text("raw", &format!("IP version {v} is neither 4 nor 6")),
        None => cx.malformed_text("raw", "empty frame"),
    }
}

pub(super) fn ipv4(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let ip = match Ipv4Packet::parse_with(bytes, ParseOptions::LENIENT) {
        Ok(ip) => ip,
        Err(e) => return cx.malformed(bytes, &e),
    };
    let out = &mut *cx.out;
    out.enter(Proto::Ip);
    out.push_uint(Field::IpVersion, ip.version());
    out.push_uint(Field::IpHdrLen, ip.header_len() as u64);
    out.push_uint(Field::IpDsfield, ip.dsfield());
    out.push_uint(Field::IpLen, ip.total_len());
    out.push_uint(Field::IpId, ip.ident());
    out.push_uint(Field::IpFlags, ip.flags());
    out.push_uint(Field::IpFragOffset, ip.fragment_offset());
    out.push_uint(Field::IpTtl, ip.ttl());
    out.push_uint(Field::IpProto, ip.protocol().0);
    out.push_uint(Field::IpChecksum, ip.checksum());
    out.push_uint(Field::IpChecksumStatus, ip.checksum_status() as u8);
    out.push(Field::IpSrc, Value::Ipv4(ip.src().0));
    out.push(Field::IpDst, Value::Ipv4(ip.dst().0));
    if ip.fragment_offset() != 0 {
        // A later fragment: without reassembly (which the oracle options turn off) its bytes
        // are opaque, exactly as tshark shows them.
        return cx.data(ip.payload());
    }
    upper::dispatch(
        cx,
        Upper {
            proto: ip.protocol(),
            bytes: ip.payload(),
            pseudo: ip.pseudo_header(),
            // The first fragment carries the upper header but only part of what its
            // checksum covers.
            complete: !ip.is_truncated() && !ip.more_fragments(),
        },
    );
}

pub(super) fn ipv6(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let ip = match Ipv6Packet::parse_with(bytes, ParseOptions::LENIENT) {
        Ok(ip) => ip,
        Err(e) => return cx.malformed(bytes, &e),
    };
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
    if let Some(frag) = ip.fragment() {
        out.push_uint(Field::Ipv6FraghdrOffset, frag.offset);
        out.push_uint(Field::Ipv6FraghdrMore, frag.more);
        out.push_uint(Field::Ipv6FraghdrIdent, frag.ident);
        if frag.offset != 0 {
            return cx.data(ip.payload());
        }
    }
    upper::dispatch(
        cx,
        Upper {
            proto: ip.upper_protocol(),
            bytes: ip.payload(),
            pseudo: ip.pseudo_header(),
            complete: !ip.is_truncated() && !ip.is_fragment(),
        },
    );
}
