//! `ip`: IPv4, mapped to tshark's `ip.*` fields, and the hand-off of its payload to the
//! protocol it names. Parsed leniently: a snaplen-truncated capture still shows every
//! header field that was captured, and the layers above learn that their checksums cannot
//! be verified.

use zerocast_wire::ipv4::{self, Ipv4Packet, Ipv4Partial};
use zerocast_wire::Lenient;

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{push_some, status, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Ip, name: "ip",
    IpVersion = "ip.version", Dec;
    IpHdrLen = "ip.hdr_len", Dec;
    IpDsfield = "ip.dsfield", Hex2;
    IpLen = "ip.len", Dec;
    IpId = "ip.id", Hex4;
    IpFlags = "ip.flags", Hex2;
    IpFragOffset = "ip.frag_offset", Dec;
    IpTtl = "ip.ttl", Dec;
    IpProto = "ip.proto", Dec;
    IpChecksum = "ip.checksum", Hex4;
    IpChecksumStatus = "ip.checksum.status", ChecksumStatus;
    IpSrc = "ip.src", Ipv4;
    IpDst = "ip.dst", Ipv4;
}

/// IPv4 behind its EtherType.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Ip,
    hook: Hook::EtherType(&[EtherType::IPV4.0], |cx, _, bytes, _| dissect(cx, bytes)),
};

/// IPv4 inside IP (IP-in-IP, RFC 2003).
pub(super) const DISSECTOR_IN_IP: Dissector = Dissector {
    proto: Proto::Ip,
    hook: Hook::IpProto(&[4], |cx, upper| dissect(cx, upper.bytes)),
};

/// The IP link types without a `raw` layer: `LINKTYPE_IPV4`, `LINKTYPE_IPV6` (for the
/// others see `raw`).
pub(super) const DISSECTOR_RAW: Dissector = Dissector {
    proto: Proto::Ip,
    hook: Hook::LinkType(&[228, 229], raw),
};

/// A bare IP packet: the version nibble says which IP it is.
pub(super) fn raw(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    match frame.first().map(|b| b >> 4) {
        Some(4) => dissect(cx, frame),
        Some(6) => super::ipv6::dissect(cx, frame),
        Some(v) => cx.malformed_text("raw", &format!("IP version {v} is neither 4 nor 6")),
        None => cx.malformed_text("raw", "empty frame"),
    }
}

/// An IPv4 header and what it carries.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
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
    super::by_ip_protocol(
        cx,
        Upper {
            proto: ip.protocol(),
            bytes: ip.payload(),
            pseudo: ip.pseudo_header(),
            // The first fragment carries the upper header but only part of what its
            // checksum covers.
            // A length field claiming more than the frame carried (not a snapshot cut) is
            // a bad length: tshark then verifies over the bytes there are.
            complete: cx.verify && !(ip.is_truncated() && cx.snapped) && !ip.more_fragments(),
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
