//! IPv4 and IPv6 (with extension headers), mapped to tshark's `ip.*` and `ipv6.*` fields,
//! and the hand-off of their payload to [`super::upper`]. Both are parsed leniently: a
//! snaplen-truncated capture still shows every header field that was captured, and the
//! layers above learn that their checksums cannot be verified.

use zerocast_wire::ipv4::{self, Ipv4Packet, Ipv4Partial};
use zerocast_wire::ipv6::{self, Ipv6Packet, Ipv6Partial};
use zerocast_wire::ipv6_ext::ExtensionHeaders;
use zerocast_wire::{IpProto, Lenient};

use super::upper::{self, Upper};
use super::{push_some, status, Cx};
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
    // Matched by reference: the view is used where the parser left it, not moved.
    match &Ipv4Packet::parse_lenient(bytes, cx.ip_checksums()) {
        Ok(Lenient::Whole(ip)) => {
            // Options count as header: a capture cut inside them still shows the fixed
            // fields, but nothing above them.
            let cut = bytes.len() < ip.header_len();
            if cut {
                cx.header_cut("ip", bytes.len(), ip.header_len());
            }
            map_ipv4(cx, ip, cut);
        }
        Ok(Lenient::Cut(ip)) => {
            cx.header_cut("ip", bytes.len(), ipv4::HEADER_LEN);
            map_ipv4_cut(cx, ip);
        }
        Err(e) => cx.malformed(bytes, e),
    }
}

/// Fills the `ip.*` fields of `ip` and continues with its payload, unless the header was
/// `cut` inside its options (whose checksum then cannot be verified).
fn map_ipv4(cx: &mut Cx<'_, '_>, ip: &Ipv4Packet<&[u8]>, cut: bool) {
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
    out.push_uint(Field::IpChecksumStatus, status(cut, ip.checksum_status()));
    out.push(Field::IpSrc, Value::Ipv4(ip.src().0));
    if cut {
        // tshark stops before the destination when the options were cut.
        return;
    }
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
            complete: cx.verify && !ip.is_truncated() && !ip.more_fragments(),
        },
    );
}

/// The captured fields of an IPv4 header cut inside its fixed part.
fn map_ipv4_cut(cx: &mut Cx<'_, '_>, ip: &Ipv4Partial<&[u8]>) {
    cx.out.enter(Proto::Ip);
    push_some(
        cx.out,
        &[
            (Field::IpVersion, ip.version().map(u64::from)),
            (Field::IpHdrLen, ip.header_len().map(|l| l as u64)),
            (Field::IpDsfield, ip.dsfield().map(u64::from)),
            (Field::IpLen, ip.total_len().map(u64::from)),
            (Field::IpId, ip.ident().map(u64::from)),
            // tshark reads flags and fragment offset as one 16-bit word.
            (
                Field::IpFlags,
                ip.fragment_offset().and(ip.flags()).map(u64::from),
            ),
            (Field::IpFragOffset, ip.fragment_offset().map(u64::from)),
            (Field::IpTtl, ip.ttl().map(u64::from)),
            (Field::IpProto, ip.protocol().map(|p| u64::from(p.0))),
            (Field::IpChecksum, ip.checksum().map(u64::from)),
            (Field::IpChecksumStatus, ip.checksum().map(|_| 2)),
        ],
    );
    if let Some(a) = ip.src() {
        cx.out.push(Field::IpSrc, Value::Ipv4(a.0));
    }
    if let Some(a) = ip.dst() {
        cx.out.push(Field::IpDst, Value::Ipv4(a.0));
    }
}

pub(super) fn ipv6(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    match &Ipv6Packet::parse_lenient(bytes) {
        Ok(Lenient::Whole(ip)) => map_ipv6(cx, ip, bytes.get(ipv6::HEADER_LEN..).unwrap_or(&[])),
        Ok(Lenient::Cut(ip)) => {
            cx.header_cut("ipv6", bytes.len(), ipv6::HEADER_LEN);
            map_ipv6_cut(cx, ip);
        }
        Err(e) => cx.malformed(bytes, e),
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
