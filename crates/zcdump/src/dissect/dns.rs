//! `dns` and `mdns`: DNS messages (RFC 1035 4.1) on UDP and TCP port 53 (over TCP behind a
//! two-byte length, RFC 1035 4.2.2) and Multicast DNS (RFC 6762) on UDP port 5353, with
//! tshark 4.0's field names. mDNS frames show the `mdns` protocol and the same `dns.*`
//! fields, with the top bit of each class read as RFC 6762's unicast-response (questions)
//! or cache-flush (records) bit.
//!
//! tshark shows a message's fields up to the first one that is not all there, so this
//! module pushes each field as it reads it and stops at the first shortfall.

use super::dns_name::{read_name, Name, NameError};
use super::table::{Dissector, Hook};
use super::text::push_display;
use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Dns, name: "dns",
    DnsLength = "dns.length", Dec;
    DnsId = "dns.id", Hex4;
    DnsFlags = "dns.flags", Hex4;
    DnsFlagsResponse = "dns.flags.response", Dec;
    DnsFlagsOpcode = "dns.flags.opcode", Dec;
    DnsFlagsAuthoritative = "dns.flags.authoritative", Dec;
    DnsFlagsTruncated = "dns.flags.truncated", Dec;
    DnsFlagsRecdesired = "dns.flags.recdesired", Dec;
    DnsFlagsRecavail = "dns.flags.recavail", Dec;
    DnsFlagsZ = "dns.flags.z", Dec;
    DnsFlagsAuthenticated = "dns.flags.authenticated", Dec;
    DnsFlagsCheckdisable = "dns.flags.checkdisable", Dec;
    DnsFlagsRcode = "dns.flags.rcode", Dec;
    DnsCountQueries = "dns.count.queries", Dec;
    DnsCountAnswers = "dns.count.answers", Dec;
    DnsCountAuthRr = "dns.count.auth_rr", Dec;
    DnsCountAddRr = "dns.count.add_rr", Dec;
    DnsQryName = "dns.qry.name", Str;
    DnsQryNameLen = "dns.qry.name.len", Dec;
    DnsCountLabels = "dns.count.labels", Dec;
    DnsQryType = "dns.qry.type", Dec;
    DnsQryClass = "dns.qry.class", Hex4;
    DnsQryQu = "dns.qry.qu", Dec;
    DnsRespName = "dns.resp.name", Str;
    DnsRespType = "dns.resp.type", Dec;
    DnsRespClass = "dns.resp.class", Hex4;
    DnsRespCacheFlush = "dns.resp.cache_flush", Dec;
    DnsRespTtl = "dns.resp.ttl", Dec;
    DnsRespLen = "dns.resp.len", Dec;
    DnsA = "dns.a", Ipv4;
    DnsAaaa = "dns.aaaa", Ipv6;
    DnsCname = "dns.cname", Str;
    DnsNs = "dns.ns", Str;
    DnsPtrDomainName = "dns.ptr.domain_name", Str;
    DnsMxPreference = "dns.mx.preference", Dec;
    DnsMxMailExchange = "dns.mx.mail_exchange", Str;
    DnsTxtLength = "dns.txt.length", Dec;
    DnsTxt = "dns.txt", Str;
    DnsSoaMname = "dns.soa.mname", Str;
    DnsSoaRname = "dns.soa.rname", Str;
    DnsSoaSerialNumber = "dns.soa.serial_number", Dec;
    DnsSoaRefreshInterval = "dns.soa.refresh_interval", Dec;
    DnsSoaRetryInterval = "dns.soa.retry_interval", Dec;
    DnsSoaExpireLimit = "dns.soa.expire_limit", Dec;
    DnsSoaMinimumTtl = "dns.soa.minimum_ttl", Dec;
    DnsSrvService = "dns.srv.service", Str;
    DnsSrvProto = "dns.srv.proto", Str;
    DnsSrvName = "dns.srv.name", Str;
    DnsSrvPriority = "dns.srv.priority", Dec;
    DnsSrvWeight = "dns.srv.weight", Dec;
    DnsSrvPort = "dns.srv.port", Dec;
    DnsSrvTarget = "dns.srv.target", Str;
    DnsRrUdpPayloadSize = "dns.rr.udp_payload_size", Dec;
    DnsRespExtRcode = "dns.resp.ext_rcode", Hex2;
    DnsRespEdns0Version = "dns.resp.edns0_version", Dec;
    DnsRespZ = "dns.resp.z", Hex4;
    DnsRespZDo = "dns.resp.z.do", Dec;
    DnsRespZReserved = "dns.resp.z.reserved", Hex4;
    DnsOptCode = "dns.opt.code", Dec;
    DnsOptLen = "dns.opt.len", Dec;
}

/// `mdns`: the protocol mDNS frames show; its fields are `dns.*`.
pub(crate) mod mdns {
    use crate::fields::declare_fields;

    declare_fields! {
        proto: Mdns, name: "mdns",
    }
}

/// DNS on UDP port 53.
pub(super) const DISSECTOR_UDP: Dissector = Dissector {
    proto: Proto::Dns,
    hook: Hook::UdpPort(&[53], dissect_udp),
};

/// DNS on TCP ports 53 and 5353 (tshark decodes TCP 5353 as DNS, not mDNS).
pub(super) const DISSECTOR_TCP: Dissector = Dissector {
    proto: Proto::Dns,
    hook: Hook::TcpPort(&[53, 5353], dissect_tcp),
};

/// mDNS on UDP port 5353.
pub(super) const DISSECTOR_MDNS: Dissector = Dissector {
    proto: Proto::Mdns,
    hook: Hook::UdpPort(&[5353], dissect_mdns),
};

/// Resource record types whose data this module decodes (RFC 1035 3.2.2, RFC 3596,
/// RFC 2782, RFC 6891).
mod rr_type {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const PTR: u16 = 12;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const AAAA: u16 = 28;
    pub const SRV: u16 = 33;
    pub const OPT: u16 = 41;
}

/// The header flag bits (RFC 1035 4.1.1, RFC 4035 3.2 for AD and CD).
mod flag {
    pub const RESPONSE: u16 = 0x8000;
    pub const AUTHENTIC: u16 = 0x0020;
}

fn dissect_udp(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    cx.out.enter(Proto::Dns);
    message(cx, payload, false);
}

fn dissect_mdns(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    cx.out.enter(Proto::Mdns);
    message(cx, payload, true);
}

/// DNS over TCP: messages behind their two-byte lengths (RFC 1035 4.2.2). As tshark does
/// without TCP reassembly, the first message of a segment is decoded as far as it was
/// captured and each later one only if all of it was.
fn dissect_tcp(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    cx.out.enter(Proto::Dns);
    let mut rest = payload;
    let mut first = true;
    while !rest.is_empty() {
        let Some((len, after)) = rest.split_first_chunk::<2>() else {
            if first {
                cut(cx);
            }
            return;
        };
        let len = usize::from(u16::from_be_bytes(*len));
        let whole = after.get(..len);
        if whole.is_none() && !first {
            return;
        }
        cx.out.push_uint(Field::DnsLength, len as u64);
        if !message(cx, whole.unwrap_or(after), false) || len == 0 {
            return;
        }
        rest = after.get(len..).unwrap_or(&[]);
        first = false;
    }
}

/// Big-endian reads that fail past the captured bytes.
fn u16_at(msg: &[u8], at: usize) -> Option<u16> {
    msg.get(at..at + 2)
        .and_then(|b| b.first_chunk::<2>())
        .map(|b| u16::from_be_bytes(*b))
}

fn u32_at(msg: &[u8], at: usize) -> Option<u32> {
    msg.get(at..at + 4)
        .and_then(|b| b.first_chunk::<4>())
        .map(|b| u32::from_be_bytes(*b))
}

/// Records that the message ended early: malformed unless the capture's snapshot length
/// explains it.
fn cut(cx: &mut Cx<'_, '_>) {
    if !cx.snapped {
        cx.malformed_text("dns", "message cut short");
    }
}

/// Dissects one message; says whether it was all there.
fn message(cx: &mut Cx<'_, '_>, msg: &[u8], mdns: bool) -> bool {
    let whole = header(cx, msg, mdns).is_some();
    if !whole {
        cut(cx);
    }
    whole
}

/// The header and every section, in order; `None` at the first field that is not there.
fn header(cx: &mut Cx<'_, '_>, msg: &[u8], mdns: bool) -> Option<()> {
    // tshark shows the ID only once the flags are there too.
    let (id, flags) = (u16_at(msg, 0)?, u16_at(msg, 2)?);
    cx.out.push_uint(Field::DnsId, id);
    push_flags(cx, flags);
    let mut counts = [0u16; 4];
    let count_fields = [
        Field::DnsCountQueries,
        Field::DnsCountAnswers,
        Field::DnsCountAuthRr,
        Field::DnsCountAddRr,
    ];
    for (i, (count, field)) in counts.iter_mut().zip(count_fields).enumerate() {
        *count = u16_at(msg, 4 + 2 * i)?;
        cx.out.push_uint(field, *count);
    }
    let mut at = 12;
    for _ in 0..counts[0] {
        at = question(cx, msg, at, mdns)?;
    }
    let records: u32 = counts[1..].iter().map(|c| u32::from(*c)).sum();
    for _ in 0..records {
        at = record(cx, msg, at, mdns)?;
    }
    Some(())
}

/// The flag fields tshark shows: some only in responses, AD in a query only when set.
fn push_flags(cx: &mut Cx<'_, '_>, flags: u16) {
    let response = flags & flag::RESPONSE != 0;
    let bit = |mask: u16| u64::from(flags & mask != 0);
    let out = &mut *cx.out;
    out.push_uint(Field::DnsFlags, flags);
    out.push_uint(Field::DnsFlagsResponse, bit(flag::RESPONSE));
    out.push_uint(Field::DnsFlagsOpcode, flags >> 11 & 0xf);
    if response {
        out.push_uint(Field::DnsFlagsAuthoritative, bit(0x0400));
    }
    out.push_uint(Field::DnsFlagsTruncated, bit(0x0200));
    out.push_uint(Field::DnsFlagsRecdesired, bit(0x0100));
    if response {
        out.push_uint(Field::DnsFlagsRecavail, bit(0x0080));
    }
    out.push_uint(Field::DnsFlagsZ, bit(0x0040));
    if response || flags & flag::AUTHENTIC != 0 {
        out.push_uint(Field::DnsFlagsAuthenticated, bit(flag::AUTHENTIC));
    }
    out.push_uint(Field::DnsFlagsCheckdisable, bit(0x0010));
    if response {
        out.push_uint(Field::DnsFlagsRcode, flags & 0xf);
    }
}

/// Reads a name, recording a label type tshark cannot read as malformed.
fn name_at(cx: &mut Cx<'_, '_>, msg: &[u8], at: usize) -> Option<Name> {
    match read_name(msg, at) {
        Ok(name) => Some(name),
        Err(NameError::Cut) => None,
        Err(NameError::BadLabelType(b)) => {
            cx.out.set_malformed(
                "dns",
                format!("label type 0x{:02x} not supported", b & 0xc0),
            );
            None
        }
    }
}

/// Pushes a name as a text field.
fn push_name(cx: &mut Cx<'_, '_>, field: Field, name: &Name) {
    if cx.out.wants(field) {
        let mut text = Vec::with_capacity(name.raw.len());
        name.display(&mut text);
        cx.out.push_text(field, &text);
    }
}

/// Pushes raw bytes as a text field, in tshark's display.
fn push_raw_text(cx: &mut Cx<'_, '_>, field: Field, raw: &[u8]) {
    if cx.out.wants(field) {
        let mut text = Vec::with_capacity(raw.len());
        push_display(&mut text, raw);
        cx.out.push_text(field, &text);
    }
}

/// One question (RFC 1035 4.1.2): shown only when its name, type and class are all there.
fn question(cx: &mut Cx<'_, '_>, msg: &[u8], at: usize, mdns: bool) -> Option<usize> {
    let name = name_at(cx, msg, at)?;
    let qtype = u16_at(msg, name.end)?;
    let class = u16_at(msg, name.end + 2)?;
    push_name(cx, Field::DnsQryName, &name);
    // tshark gives a one-character name the length 0 (as it gives the root its label count).
    let shown_len = if name.raw.len() == 1 {
        0
    } else {
        name.raw.len()
    };
    cx.out.push_uint(Field::DnsQryNameLen, shown_len as u64);
    cx.out.push_uint(Field::DnsCountLabels, name.labels());
    cx.out.push_uint(Field::DnsQryType, qtype);
    if mdns {
        cx.out.push_uint(Field::DnsQryClass, class & 0x7fff);
        cx.out.push_uint(Field::DnsQryQu, class >> 15);
    } else {
        cx.out.push_uint(Field::DnsQryClass, class);
    }
    Some(name.end + 4)
}

/// One resource record (RFC 1035 4.1.3): shown only when all of it, to the end of its data
/// as its data length gives it, is there (tshark's record subtree spans those bytes).
fn record(cx: &mut Cx<'_, '_>, msg: &[u8], at: usize, mdns: bool) -> Option<usize> {
    let name = name_at(cx, msg, at)?;
    let rtype = u16_at(msg, name.end)?;
    let class = u16_at(msg, name.end + 2)?;
    let ttl = u32_at(msg, name.end + 4)?;
    let rdlength = u16_at(msg, name.end + 8)?;
    let data = name.end + 10;
    if msg.len() < data + usize::from(rdlength) {
        return None;
    }
    if rtype == rr_type::SRV {
        push_srv_owner(cx, &name);
    } else {
        push_name(cx, Field::DnsRespName, &name);
    }
    cx.out.push_uint(Field::DnsRespType, rtype);
    if rtype == rr_type::OPT {
        // RFC 6891 6.1.3: the class is the requester's UDP payload size and the TTL holds
        // the extended RCODE, the version and the flags.
        let out = &mut *cx.out;
        out.push_uint(Field::DnsRrUdpPayloadSize, class);
        out.push_uint(Field::DnsRespExtRcode, ttl >> 24);
        out.push_uint(Field::DnsRespEdns0Version, ttl >> 16 & 0xff);
        out.push_uint(Field::DnsRespZ, ttl & 0xffff);
        out.push_uint(Field::DnsRespZDo, ttl >> 15 & 1);
        out.push_uint(Field::DnsRespZReserved, ttl & 0x7fff);
    } else if mdns {
        cx.out.push_uint(Field::DnsRespClass, class & 0x7fff);
        cx.out.push_uint(Field::DnsRespCacheFlush, class >> 15);
        cx.out.push_uint(Field::DnsRespTtl, ttl);
    } else {
        cx.out.push_uint(Field::DnsRespClass, class);
        cx.out.push_uint(Field::DnsRespTtl, ttl);
    }
    cx.out.push_uint(Field::DnsRespLen, rdlength);
    let end = data + usize::from(rdlength);
    rdata(cx, msg, rtype, data, end)?;
    Some(end)
}

/// An SRV record's owner `_service._proto.name` (RFC 2782) as tshark splits it: at the
/// first two dots.
fn push_srv_owner(cx: &mut Cx<'_, '_>, name: &Name) {
    let mut parts = name.raw.splitn(3, |b| *b == b'.');
    for field in [Field::DnsSrvService, Field::DnsSrvProto, Field::DnsSrvName] {
        match parts.next() {
            Some(part) => push_raw_text(cx, field, part),
            None => break,
        }
    }
}

/// The data of a record of a type this module decodes, from `at` to `end`.
fn rdata(cx: &mut Cx<'_, '_>, msg: &[u8], rtype: u16, at: usize, end: usize) -> Option<()> {
    match rtype {
        rr_type::A => {
            let a = msg.get(at..at + 4)?.first_chunk::<4>()?;
            cx.out.push(Field::DnsA, Value::Ipv4(*a));
        }
        rr_type::AAAA => {
            let a = msg.get(at..at + 16)?.first_chunk::<16>()?;
            cx.out.push(Field::DnsAaaa, Value::Ipv6(*a));
        }
        rr_type::NS | rr_type::CNAME | rr_type::PTR => {
            let field = match rtype {
                rr_type::NS => Field::DnsNs,
                rr_type::CNAME => Field::DnsCname,
                _ => Field::DnsPtrDomainName,
            };
            let name = name_at(cx, msg, at)?;
            push_name(cx, field, &name);
        }
        rr_type::MX => {
            cx.out.push_uint(Field::DnsMxPreference, u16_at(msg, at)?);
            let name = name_at(cx, msg, at + 2)?;
            push_name(cx, Field::DnsMxMailExchange, &name);
        }
        rr_type::SOA => soa(cx, msg, at)?,
        rr_type::SRV => {
            cx.out.push_uint(Field::DnsSrvPriority, u16_at(msg, at)?);
            cx.out.push_uint(Field::DnsSrvWeight, u16_at(msg, at + 2)?);
            cx.out.push_uint(Field::DnsSrvPort, u16_at(msg, at + 4)?);
            let name = name_at(cx, msg, at + 6)?;
            push_name(cx, Field::DnsSrvTarget, &name);
        }
        rr_type::TXT => txt(cx, msg, at, end)?,
        rr_type::OPT => options(cx, msg, at, end)?,
        _ => {}
    }
    Some(())
}

/// SOA data (RFC 1035 3.3.13): two names and five 32-bit numbers.
fn soa(cx: &mut Cx<'_, '_>, msg: &[u8], at: usize) -> Option<()> {
    let mname = name_at(cx, msg, at)?;
    push_name(cx, Field::DnsSoaMname, &mname);
    let rname = name_at(cx, msg, mname.end)?;
    push_name(cx, Field::DnsSoaRname, &rname);
    let numbers = [
        Field::DnsSoaSerialNumber,
        Field::DnsSoaRefreshInterval,
        Field::DnsSoaRetryInterval,
        Field::DnsSoaExpireLimit,
        Field::DnsSoaMinimumTtl,
    ];
    for (i, field) in numbers.into_iter().enumerate() {
        cx.out.push_uint(field, u32_at(msg, rname.end + 4 * i)?);
    }
    Some(())
}

/// TXT data (RFC 1035 3.3.14): length-prefixed strings up to the record's end.
fn txt(cx: &mut Cx<'_, '_>, msg: &[u8], mut at: usize, end: usize) -> Option<()> {
    while at < end {
        let len = usize::from(*msg.get(at)?);
        cx.out.push_uint(Field::DnsTxtLength, len as u64);
        let text = msg.get(at + 1..at + 1 + len)?;
        push_raw_text(cx, Field::DnsTxt, text);
        at += 1 + len;
    }
    Some(())
}

/// EDNS options (RFC 6891 6.1.2): code and length of each, up to the record's end.
fn options(cx: &mut Cx<'_, '_>, msg: &[u8], mut at: usize, end: usize) -> Option<()> {
    while at < end {
        cx.out.push_uint(Field::DnsOptCode, u16_at(msg, at)?);
        let len = u16_at(msg, at + 2)?;
        cx.out.push_uint(Field::DnsOptLen, len);
        at += 4 + usize::from(len);
    }
    Some(())
}
