//! IPv4 and IPv6 (with extension headers), mapped to tshark's `ip.*` and `ipv6.*` fields,
//! and the hand-off of their payload to [`super::upper`]. Both are parsed leniently: a
//! snaplen-truncated capture still shows every header field that was captured, and the
//! layers above learn that their checksums cannot be verified.

use zerocast_wire::ipv4::{self, Ipv4Packet};
use zerocast_wire::ipv6::{self, Ipv6Packet};
use zerocast_wire::{ChecksumPolicy, IpProto, ParseOptions};

use super::upper::{self, Upper};
use super::{padded, Cut, Cx};
use crate::fields::{Field, Proto, Value};

/// Options for re-parsing a header that was zero-padded to its fixed length: the padding
/// would make any checksum meaningless.
const PADDED: ParseOptions = ParseOptions {
    checksum: ChecksumPolicy::Skip,
    allow_truncated: true,
};

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
    // Options count as header: a capture cut inside them still shows the fixed fields.
    let copy: [u8; ipv4::MAX_HEADER_LEN];
    let (ip, cut) = match Ipv4Packet::parse_with(bytes, cx.ip_options()) {
        Ok(ip) => (ip, Cut::whole()),
        Err(e) if Cut::is_short(&e, bytes, ipv4::MAX_HEADER_LEN, 1) => {
            copy = padded(bytes);
            match Ipv4Packet::parse_with(&copy[..], PADDED) {
                Ok(ip) => (ip, Cut::at(bytes.len())),
                Err(e) => return cx.malformed(bytes, &e),
            }
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    if cut.is_cut() {
        cx.header_cut("ip", bytes.len(), ipv4::HEADER_LEN);
    }
    map_ipv4(cx, &ip, cut);
}

/// Fills the `ip.*` fields of `ip`, of which only the first `cut` bytes were captured, and
/// continues with its payload.
pub(super) fn map_ipv4(cx: &mut Cx<'_, '_>, ip: &Ipv4Packet<&[u8]>, cut: Cut) {
    let out = &mut *cx.out;
    out.enter(Proto::Ip);
    push_captured!(
        out,
        cut,
        [
            (Field::IpVersion, ip.version().into(), 1),
            (Field::IpHdrLen, ip.header_len() as u64, 1),
            (Field::IpDsfield, ip.dsfield().into(), 2),
            (Field::IpLen, ip.total_len().into(), 4),
            (Field::IpId, ip.ident().into(), 6),
            (Field::IpFlags, ip.flags().into(), 7),
            (Field::IpFragOffset, ip.fragment_offset().into(), 8),
            (Field::IpTtl, ip.ttl().into(), 9),
            (Field::IpProto, u64::from(ip.protocol().0), 10),
            (Field::IpChecksum, ip.checksum().into(), 12),
            (
                Field::IpChecksumStatus,
                cut.status(ip.checksum_status()),
                12,
            ),
        ]
    );
    if cut.has(16) {
        out.push(Field::IpSrc, Value::Ipv4(ip.src().0));
    }
    if cut.has(20) {
        out.push(Field::IpDst, Value::Ipv4(ip.dst().0));
    }
    if cut.is_cut() || ip.fragment_offset() != 0 {
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
            complete: cx.verify && !ip.is_truncated() && !ip.more_fragments(),
        },
    );
}

pub(super) fn ipv6(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let copy: [u8; ipv6::HEADER_LEN];
    let (ip, cut) = match Ipv6Packet::parse_with(bytes, cx.ip_options()) {
        Ok(ip) => (ip, Cut::whole()),
        Err(e) if Cut::is_short(&e, bytes, ipv6::HEADER_LEN, 1) => {
            copy = padded(bytes);
            match Ipv6Packet::parse_with(&copy[..], PADDED) {
                Ok(ip) => (ip, Cut::at(bytes.len())),
                Err(e) => return cx.malformed(bytes, &e),
            }
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    if cut.is_cut() {
        cx.header_cut("ipv6", bytes.len(), ipv6::HEADER_LEN);
    }
    map_ipv6(cx, &ip, cut);
}

/// Fills the `ipv6.*` fields of `ip`, of which only the first `cut` bytes were captured,
/// and continues with its payload.
pub(super) fn map_ipv6(cx: &mut Cx<'_, '_>, ip: &Ipv6Packet<&[u8]>, cut: Cut) {
    let out = &mut *cx.out;
    out.enter(Proto::Ipv6);
    // tshark's IPv6 dissector also fills the generic `ip.version`.
    push_captured!(
        out,
        cut,
        [
            (Field::IpVersion, ip.version().into(), 1),
            (Field::Ipv6Tclass, ip.traffic_class().into(), 2),
            (Field::Ipv6Flow, ip.flow_label().into(), 4),
            (Field::Ipv6Plen, ip.payload_len().into(), 6),
            (Field::Ipv6Nxt, u64::from(ip.next_header().0), 7),
            (Field::Ipv6Hlim, ip.hop_limit().into(), 8),
        ]
    );
    if cut.has(24) {
        out.push(Field::Ipv6Src, Value::Ipv6(ip.src().0));
    }
    if cut.has(40) {
        out.push(Field::Ipv6Dst, Value::Ipv6(ip.dst().0));
    }
    if cut.is_cut() {
        return;
    }
    if cx.out.wants(Field::Ipv6HopoptsLenOct) || cx.out.wants(Field::Ipv6DstoptsLenOct) {
        for header in ip.extension_headers().map_while(Result::ok) {
            let len = header.bytes().len() as u64;
            match header.kind() {
                IpProto::HOP_BY_HOP => cx.out.push_uint(Field::Ipv6HopoptsLenOct, len),
                IpProto::DEST_OPTS => cx.out.push_uint(Field::Ipv6DstoptsLenOct, len),
                _ => {}
            }
        }
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
    upper::dispatch(
        cx,
        Upper {
            proto: ip.upper_protocol(),
            bytes: ip.payload(),
            pseudo: ip.pseudo_header(),
            complete: cx.verify && !ip.is_truncated() && !ip.is_fragment(),
        },
    );
}
