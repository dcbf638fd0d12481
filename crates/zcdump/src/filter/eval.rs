//! Evaluation of a checked expression against one dissected frame.
//!
//! Operands hand their values one at a time to a visitor that may stop early, so the
//! common `field == literal` allocates nothing; only field-against-field comparisons and
//! slices or masks of byte values build small buffers. Quantifiers follow tshark 4.0:
//! `==`, orderings, `contains`, `matches` and `in` hold when some value satisfies them,
//! `!=` when there are values and none is equal, `===` when there are values and all are
//! equal, `!==` when some value differs.

use std::cell::OnceCell;
use std::cmp::Ordering;

use super::ast::{Cmp, Expr, Lit, Operand, SetItem};
use super::layers::{locate, Layers};
use super::schema::{
    AnalysisValue, FType, FieldRef, Payload, Source, TcpNumber, TimeField, TCP_LEN_INPUTS,
};
use crate::analysis::FrameStreams;
use crate::capture::Packet;
use crate::fields::{Field, FrameFields, Proto, Value};

/// A value as the evaluator sees it. Addresses carry a prefix length, so a literal
/// `10.0.0.0/8` equals every address inside it.
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Uint(u64),
    Bool(bool),
    Ipv4(u32, u8),
    Ipv6(u128, u8),
    Mac([u8; 6]),
    Bytes(&'a [u8]),
    /// Nanoseconds.
    Time(i128),
}

/// An owned copy of a [`Val`], for the right side of field-against-field comparisons.
enum Owned {
    Scalar(Val<'static>),
    Bytes(Vec<u8>),
}

impl Owned {
    fn of(v: Val<'_>) -> Owned {
        match v {
            Val::Bytes(b) => Owned::Bytes(b.to_vec()),
            Val::Uint(x) => Owned::Scalar(Val::Uint(x)),
            Val::Bool(x) => Owned::Scalar(Val::Bool(x)),
            Val::Ipv4(a, p) => Owned::Scalar(Val::Ipv4(a, p)),
            Val::Ipv6(a, p) => Owned::Scalar(Val::Ipv6(a, p)),
            Val::Mac(m) => Owned::Scalar(Val::Mac(m)),
            Val::Time(t) => Owned::Scalar(Val::Time(t)),
        }
    }

    fn val(&self) -> Val<'_> {
        match self {
            Owned::Scalar(v) => *v,
            Owned::Bytes(b) => Val::Bytes(b),
        }
    }
}

/// The value's bytes in network order (addresses) or as stored (byte strings).
fn bytes_of<'v>(v: &Val<'v>, buf: &'v mut [u8; 16]) -> &'v [u8] {
    match *v {
        Val::Bytes(b) => b,
        Val::Ipv4(a, _) => {
            buf[..4].copy_from_slice(&a.to_be_bytes());
            &buf[..4]
        }
        Val::Ipv6(a, _) => {
            *buf = a.to_be_bytes();
            &buf[..]
        }
        Val::Mac(m) => {
            buf[..6].copy_from_slice(&m);
            &buf[..6]
        }
        Val::Uint(x) => {
            buf[..8].copy_from_slice(&x.to_be_bytes());
            &buf[..8]
        }
        Val::Bool(b) => {
            buf[0] = u8::from(b);
            &buf[..1]
        }
        Val::Time(t) => {
            *buf = t.to_be_bytes();
            &buf[..]
        }
    }
}

fn lit_val(lit: &Lit) -> Val<'_> {
    match lit {
        Lit::Uint(x) => Val::Uint(*x),
        Lit::Bool(b) => Val::Bool(*b),
        Lit::Ipv4 { addr, prefix } => Val::Ipv4(*addr, *prefix),
        Lit::Ipv6 { addr, prefix } => Val::Ipv6(*addr, *prefix),
        Lit::Mac(m) => Val::Mac(*m),
        Lit::Bytes(b) => Val::Bytes(b),
        Lit::Time(t) => Val::Time(*t),
    }
}

fn equal(a: Val<'_>, b: Val<'_>) -> bool {
    match (a, b) {
        (Val::Uint(x), Val::Uint(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Ipv4(x, p), Val::Ipv4(y, q)) => {
            let bits = u32::from(p.min(q));
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            x & mask == y & mask
        }
        (Val::Ipv6(x, p), Val::Ipv6(y, q)) => {
            let bits = u32::from(p.min(q));
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            x & mask == y & mask
        }
        (Val::Mac(x), Val::Mac(y)) => x == y,
        (Val::Time(x), Val::Time(y)) => x == y,
        (a, b) => {
            let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
            bytes_of(&a, &mut x) == bytes_of(&b, &mut y)
        }
    }
}

fn order(a: Val<'_>, b: Val<'_>) -> Ordering {
    match (a, b) {
        (Val::Uint(x), Val::Uint(y)) => x.cmp(&y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(&y),
        (Val::Ipv4(x, _), Val::Ipv4(y, _)) => x.cmp(&y),
        (Val::Ipv6(x, _), Val::Ipv6(y, _)) => x.cmp(&y),
        (Val::Time(x), Val::Time(y)) => x.cmp(&y),
        (a, b) => {
            let (mut x, mut y) = ([0u8; 16], [0u8; 16]);
            bytes_of(&a, &mut x).cmp(bytes_of(&b, &mut y))
        }
    }
}

fn holds(a: Val<'_>, op: Cmp, b: Val<'_>) -> bool {
    match op {
        Cmp::AnyEq | Cmp::AllEq => equal(a, b),
        Cmp::AllNe | Cmp::AnyNe => !equal(a, b),
        Cmp::Lt => order(a, b) == Ordering::Less,
        Cmp::Gt => order(a, b) == Ordering::Greater,
        Cmp::Le => order(a, b) != Ordering::Greater,
        Cmp::Ge => order(a, b) != Ordering::Less,
    }
}

/// One frame as the filter reads it: the dissected fields and, when available, its bytes.
pub(crate) struct View<'a> {
    fields: &'a FrameFields,
    packet: Option<&'a Packet<'a>>,
    streams: Option<&'a FrameStreams>,
    layers: OnceCell<Layers>,
}

impl<'a> View<'a> {
    pub(crate) fn new(
        fields: &'a FrameFields,
        packet: Option<&'a Packet<'a>>,
        streams: Option<&'a FrameStreams>,
    ) -> Self {
        View {
            fields,
            packet,
            streams,
            layers: OnceCell::new(),
        }
    }

    fn data(&self) -> &'a [u8] {
        self.packet.map_or(&[], |p| p.data)
    }

    fn layers(&self) -> Option<&Layers> {
        let packet = self.packet?;
        Some(
            self.layers
                .get_or_init(|| locate(packet.data, packet.link_type)),
        )
    }

    /// The bytes of `proto` (value) and its header length, if the frame has it.
    fn protocol(&self, proto: Proto) -> Option<(&'a [u8], usize)> {
        if !self.fields.has(Field::Proto(proto)) || proto == Proto::Data && self.payload_withheld()
        {
            return None;
        }
        let data = self.data();
        let span = self.layers()?.span(proto, data.len())?;
        Some((data.get(span.start..span.end)?, span.header))
    }

    /// Whether tshark leaves this frame's TCP payload undissected (no `data` layer): the
    /// segment is a plain retransmission or out of order.
    fn payload_withheld(&self) -> bool {
        use crate::analysis::Flag;
        self.streams
            .and_then(|s| s.tcp_analysis.first())
            .is_some_and(|a| {
                a.has(Flag::OutOfOrder)
                    || (a.has(Flag::Retransmission)
                        && !a.has(Flag::FastRetransmission)
                        && !a.has(Flag::SpuriousRetransmission))
            })
    }

    /// The payloads of `which`, outermost first: a protocol tunnelled in itself (UDP in
    /// VXLAN's UDP) has a second, as each header has its own occurrence in tshark.
    fn payloads(&self, which: Payload) -> [Option<&'a [u8]>; 2] {
        let outer = self.payload(which);
        // `data` has no inner occurrence: the first unclaimed bytes end the frame's layers.
        let inner = outer
            .filter(|_| which != Payload::Data)
            .and_then(|_| self.fields.layer(which.proto())?.inner_payload)
            .and_then(|(start, len)| self.data().get(start..start.checked_add(len)?))
            .filter(|b| !b.is_empty());
        [outer, inner]
    }

    fn payload(&self, which: Payload) -> Option<&'a [u8]> {
        if which == Payload::Data && self.payload_withheld() {
            return None;
        }
        // Where the dissector found the payload (behind any tunnel or link it decodes; for
        // `data`, after what a protocol read, such as an ICMP echo's timestamp), when it
        // recorded it; a quoted packet's is located below.
        if let Some(bytes) = self.fields.payload(which.proto(), self.data()) {
            return (!bytes.is_empty()).then_some(bytes);
        }
        let layers = self.layers()?;
        let present = match which {
            Payload::Tcp => layers.tcp.is_some() && self.fields.has(Field::Proto(Proto::Tcp)),
            Payload::Udp => layers.udp.is_some() && self.fields.has(Field::Proto(Proto::Udp)),
            Payload::Data => self.fields.has(Field::Proto(Proto::Data)),
        };
        let (start, end) = layers.payload?;
        let bytes = self.data().get(start..end)?;
        (present && !bytes.is_empty()).then_some(bytes)
    }
}

/// `tcp.len` for each TCP header: its IP payload length less its header length.
fn tcp_lengths(fields: &FrameFields, visit: &mut dyn FnMut(Val<'_>) -> bool) -> bool {
    // The outer segment cannot run past the frame's end, whatever its IP header claims:
    // tshark bounds it by the bytes the frame had on the wire after the TCP header.
    let mut frame_bound = fields
        .layer(Proto::Tcp)
        .and_then(|l| l.payload_start)
        .zip(fields.uint(Field::FrameLen))
        .map(|(start, len)| len.saturating_sub(start as u64));
    let mut ip_payload: Option<u64> = None;
    let mut ipv4 = (None, None);
    for (field, value) in fields.entries() {
        let Value::Uint(v) = *value else { continue };
        if !TCP_LEN_INPUTS.contains(field) {
            continue;
        }
        match *field {
            Field::IpLen => ipv4.0 = Some(v),
            Field::IpHdrLen => ipv4.1 = Some(v),
            Field::Ipv6Plen => {
                ip_payload = Some(v);
                ipv4 = (None, None);
            }
            Field::Ipv6HopoptsLenOct | Field::Ipv6DstoptsLenOct => {
                ip_payload = ip_payload.map(|p| p.saturating_sub(v));
            }
            Field::Ipv6FraghdrIdent => ip_payload = ip_payload.map(|p| p.saturating_sub(8)),
            Field::TcpHdrLen => {
                if let (Some(len), Some(hdr)) = ipv4 {
                    ip_payload = Some(len.saturating_sub(hdr));
                    ipv4 = (None, None);
                }
                if let Some(p) = ip_payload {
                    let len = p.saturating_sub(v);
                    let len = frame_bound.take().map_or(len, |bound| len.min(bound));
                    if visit(Val::Uint(len)) {
                        return true;
                    }
                }
            }
            _ => {}
        }
        if *field == Field::IpHdrLen {
            ip_payload = None;
        }
    }
    false
}

/// `tcp.len` of each TCP header of the frame, in order.
pub(crate) fn segment_lengths(fields: &FrameFields) -> Vec<u64> {
    let mut lengths = Vec::new();
    tcp_lengths(fields, &mut |v| {
        if let Val::Uint(n) = v {
            lengths.push(n);
        }
        false
    });
    lengths
}

/// A stored value as the evaluator sees it. Text is read from the frame's text store, the
/// very bytes `-T fields` prints, so a filter and the field output cannot disagree on it.
fn stored<'v>(fields: &'v FrameFields, ftype: FType, value: Value) -> Option<Val<'v>> {
    Some(match value {
        Value::Uint(x) if ftype == FType::Bool => Val::Bool(x != 0),
        Value::Uint(x) => Val::Uint(x),
        Value::Mac(m) => Val::Mac(m),
        Value::Ipv4(a) => Val::Ipv4(u32::from_be_bytes(a), 32),
        Value::Ipv6(a) => Val::Ipv6(u128::from_be_bytes(a), 128),
        Value::Text(t) => Val::Bytes(fields.text(t)),
        Value::Present => return None,
    })
}

/// Calls `visit` with each value of `field` until it returns `true`; says whether it did.
fn field_values(view: &View<'_>, field: &FieldRef, visit: &mut dyn FnMut(Val<'_>) -> bool) -> bool {
    let fields = view.fields;
    match field.source {
        // Present, but no value tshark would compare the way its text compares.
        Source::Opaque(_) => false,
        Source::Stored(f) => fields
            .all(f)
            .filter_map(|v| stored(fields, field.ftype, v))
            .any(&mut *visit),
        Source::Either(a, b) => fields
            .entries()
            .iter()
            .filter(|(f, _)| *f == a || *f == b)
            .filter_map(|(_, v)| stored(fields, field.ftype, *v))
            .any(&mut *visit),
        Source::Bits {
            field: f,
            shift,
            mask,
        } => fields.all(f).any(|v| match v {
            Value::Uint(x) => {
                let bits = (x >> shift) & mask;
                visit(if field.ftype == FType::Bool {
                    Val::Bool(bits != 0)
                } else {
                    Val::Uint(bits)
                })
            }
            _ => false,
        }),
        Source::Protocol(p) => view
            .protocol(p)
            .is_some_and(|(bytes, _)| visit(Val::Bytes(bytes))),
        Source::TcpLen => tcp_lengths(fields, visit),
        Source::Payload(which) => view
            .payloads(which)
            .into_iter()
            .flatten()
            .any(|bytes| visit(Val::Bytes(bytes))),
        Source::PayloadLen(which) => view
            .payloads(which)
            .into_iter()
            .flatten()
            .any(|bytes| visit(Val::Uint(bytes.len() as u64))),
        Source::FrameProtocols => {
            let text = frame_protocols(fields);
            visit(Val::Bytes(text.as_bytes()))
        }
        Source::Stream { tcp } => view.streams.is_some_and(|s| {
            let ids = if tcp { &s.tcp } else { &s.udp };
            ids.iter().any(|id| visit(Val::Uint(u64::from(*id))))
        }),
        Source::Analysis(flag) => view.streams.is_some_and(|s| {
            s.tcp_analysis.iter().any(|a| {
                let set = match flag {
                    Some(f) => a.has(f),
                    None => a.flags != 0,
                };
                // tshark adds `duplicate_ack` to a segment's tree twice (once among the
                // flags, once beside the duplicate's number), so it has two occurrences.
                let twice = flag == Some(crate::analysis::Flag::DuplicateAck);
                set && (visit(Val::Bytes(&[])) || twice && visit(Val::Bytes(&[])))
            })
        }),
        Source::TcpNumber(which) => view.streams.is_some_and(|s| {
            s.tcp_numbers.iter().any(|n| {
                visit(Val::Uint(match which {
                    TcpNumber::Seq => u64::from(n.seq),
                    TcpNumber::Ack => u64::from(n.ack),
                    TcpNumber::NxtSeq => u64::from(n.nxtseq),
                    TcpNumber::WindowSize => n.window_size,
                }))
            })
        }),
        Source::Time(which) => view.streams.is_some_and(|s| {
            let t = &s.times;
            visit(Val::Time(match which {
                TimeField::Epoch => t.epoch_ns,
                TimeField::Relative => t.relative_ns,
                TimeField::Delta => t.delta_ns,
                TimeField::DeltaDisplayed => t.delta_displayed_ns,
            }))
        }),
        Source::AnalysisValue(which) => view.streams.is_some_and(|s| {
            s.tcp_analysis.iter().any(|a| {
                let value = match which {
                    AnalysisValue::AcksFrame => Val::Uint(a.acks_frame),
                    AnalysisValue::AckRtt if a.acks_frame != 0 => {
                        Val::Time(i128::try_from(a.ack_rtt_ns).unwrap_or(i128::MAX))
                    }
                    AnalysisValue::AckRtt => Val::Time(0),
                    AnalysisValue::BytesInFlight => Val::Uint(u64::from(a.bytes_in_flight)),
                    AnalysisValue::PushBytesSent => Val::Uint(u64::from(a.push_bytes_sent)),
                };
                let shown = match which {
                    AnalysisValue::AcksFrame => a.acks_frame != 0,
                    AnalysisValue::AckRtt => a.acks_frame != 0 && a.ack_rtt_ns != 0,
                    AnalysisValue::BytesInFlight | AnalysisValue::PushBytesSent => {
                        a.bytes_in_flight != 0
                    }
                };
                shown && visit(value)
            })
        }),
        Source::DupAck { num } => view.streams.is_some_and(|s| {
            s.tcp_analysis.iter().any(|a| {
                a.has(crate::analysis::Flag::DuplicateAck)
                    && visit(Val::Uint(if num {
                        u64::from(a.dup_ack_num)
                    } else {
                        a.dup_ack_frame
                    }))
            })
        }),
    }
}

/// Appends each value of `field` as tshark's `-T fields` prints it, `,` between values;
/// returns how many were written.
pub(super) fn write_field(view: &View<'_>, field: &FieldRef, out: &mut Vec<u8>) -> usize {
    use crate::fields::format::{write_dec, write_ipv4, write_ipv6, write_mac};
    let mut count = 0;
    field_values(view, field, &mut |v| {
        if count > 0 {
            out.push(b',');
        }
        count += 1;
        match v {
            Val::Uint(x) => write_dec(out, x),
            Val::Bool(b) => out.push(if b { b'1' } else { b'0' }),
            Val::Ipv4(a, _) => write_ipv4(out, a.to_be_bytes()),
            Val::Ipv6(a, _) => write_ipv6(out, a.to_be_bytes()),
            Val::Mac(m) => write_mac(out, m),
            Val::Time(ns) => crate::analysis::write_seconds(out, ns),
            // A protocol or analysis flag prints as present.
            Val::Bytes(_) if field.ftype == FType::Protocol => out.push(b'1'),
            Val::Bytes(b) if field.ftype == FType::Str => out.extend_from_slice(b),
            Val::Bytes(b) => {
                for byte in b {
                    out.extend_from_slice(format!("{byte:02x}").as_bytes());
                }
            }
        }
        false
    });
    count
}

/// tshark's `frame.protocols`: every protocol layer in order, named as tshark names it in
/// that list:
/// - an `ethertype` step after a link header that names the next protocol by EtherType
///   (not before LLC, nor before bare `data`);
/// - IPv6 extension headers as steps of their own (`ipv6.hopopts`, `ipv6.dstopts`,
///   `ipv6.fraghdr`), known from their fields;
/// - `wlan_radio` between radiotap and 802.11;
/// - PPPoE as `pppoed` (discovery) or `pppoes` (session, code 0);
/// - Cisco ISL as `eth`;
/// - one `mpls` for a label stack;
/// - `igmp` twice for the IGMP messages tshark hands to a version's dissector (queries,
///   reports, leaves, mtrace; not an unknown type);
/// - `tls` after `quic` when its CRYPTO frames carry a TLS handshake;
/// - the protocols tshark called but that added nothing ([`FrameFields::list_only`]).
///
/// The fields it reads are [`FRAME_PROTOCOL_FIELDS`].
fn frame_protocols(fields: &FrameFields) -> String {
    let mut names: Vec<&'static str> = Vec::with_capacity(12);
    let mut after_link = false;
    let entries = fields.entries();
    let mut listed = fields.listed_only().iter().peekable();
    let listed_as_entry = |&(_, proto): &(usize, Proto)| (Field::Proto(proto), Value::Present);
    // The entries with the listed-only protocols merged in where they were noted.
    let mut merged = Vec::with_capacity(entries.len() + fields.listed_only().len());
    for (at, entry) in entries.iter().enumerate() {
        while let Some(l) = listed.next_if(|(pos, _)| *pos <= at) {
            merged.push(listed_as_entry(l));
        }
        merged.push(*entry);
    }
    merged.extend(listed.map(listed_as_entry));
    for (field, value) in &merged {
        let uint = match *value {
            Value::Uint(v) => Some(v),
            _ => None,
        };
        let name = match *field {
            // tshark's path starts below the frame.
            Field::Proto(Proto::Frame) => continue,
            Field::Proto(proto) => {
                if after_link && !matches!(proto, Proto::Data | Proto::Llc) {
                    names.push("ethertype");
                }
                after_link = matches!(
                    proto,
                    Proto::Eth | Proto::Vlan | Proto::Ieee8021ad | Proto::Sll
                );
                match proto {
                    Proto::Mpls if names.last() == Some(&"mpls") => continue,
                    Proto::Isl => "eth",
                    Proto::Pppoe => "pppoed",
                    Proto::Wlan if names.last() == Some(&"radiotap") => {
                        names.push("wlan_radio");
                        "wlan"
                    }
                    _ => proto.name(),
                }
            }
            Field::Ipv6HopoptsLenOct => "ipv6.hopopts",
            Field::Ipv6DstoptsLenOct => "ipv6.dstopts",
            Field::Ipv6FraghdrOffset => "ipv6.fraghdr",
            Field::PppoeCode if uint == Some(0) => {
                if let Some(last) = names.iter_mut().rev().find(|n| **n == "pppoed") {
                    *last = "pppoes";
                }
                continue;
            }
            // The types tshark's IGMP dissector hands to a version's dissector of its own
            // (queries, v1/v2/v3 reports, leaves, mtrace), checked type by type.
            Field::IgmpType
                if matches!(uint, Some(0x11 | 0x12 | 0x16 | 0x17 | 0x1e | 0x1f | 0x22)) =>
            {
                "igmp"
            }
            f if f.proto() == Proto::Tls && names.last() == Some(&"quic") => "tls",
            _ => continue,
        };
        names.push(name);
    }
    names.join(":")
}

/// The dissector fields [`frame_protocols`] reads besides the protocols themselves.
pub(crate) const FRAME_PROTOCOL_FIELDS: [Field; 6] = [
    Field::Ipv6HopoptsLenOct,
    Field::Ipv6DstoptsLenOct,
    Field::Ipv6FraghdrOffset,
    Field::PppoeCode,
    Field::IgmpType,
    Field::TlsHandshakeType,
];

/// Calls `visit` with each value of the operand until it returns `true`; says whether it did.
fn values(view: &View<'_>, operand: &Operand, visit: &mut dyn FnMut(Val<'_>) -> bool) -> bool {
    match operand {
        Operand::Lit(lit) => visit(lit_val(lit)),
        Operand::Field { field, slice } if slice.is_empty() => field_values(view, field, visit),
        Operand::Field { field, slice } => {
            let mut sliced = Vec::new();
            field_values(view, field, &mut |v| {
                let mut buf = [0u8; 16];
                let bytes = bytes_of(&v, &mut buf);
                sliced.clear();
                for range in slice {
                    match range.within(bytes.len()).and_then(|r| bytes.get(r)) {
                        Some(part) => sliced.extend_from_slice(part),
                        None => return false,
                    }
                }
                visit(Val::Bytes(&sliced))
            })
        }
        Operand::BitAnd(inner, mask) => {
            let mut masked = Vec::new();
            values(view, inner, &mut |v| match (v, mask) {
                (Val::Uint(x), Lit::Uint(m)) => visit(Val::Uint(x & m)),
                (v, Lit::Bytes(m)) => {
                    let mut buf = [0u8; 16];
                    let bytes = bytes_of(&v, &mut buf);
                    masked.clear();
                    masked.extend(bytes.iter().zip(m).map(|(b, m)| b & m));
                    visit(Val::Bytes(&masked))
                }
                _ => false,
            })
        }
        Operand::Len(inner) => match &**inner {
            // A protocol's length is its header's, not its value's.
            Operand::Field {
                field:
                    FieldRef {
                        source: Source::Protocol(p),
                        ..
                    },
                slice,
            } if slice.is_empty() => view
                .protocol(*p)
                .is_some_and(|(_, header)| visit(Val::Uint(header as u64))),
            inner => values(view, inner, &mut |v| {
                let mut buf = [0u8; 16];
                visit(Val::Uint(bytes_of(&v, &mut buf).len() as u64))
            }),
        },
        Operand::Count(field) => {
            let mut n = 0u64;
            field_values(view, field, &mut |_| {
                n += 1;
                false
            });
            visit(Val::Uint(n))
        }
    }
}

fn exists(view: &View<'_>, field: &FieldRef) -> bool {
    match field.source {
        Source::Stored(f) | Source::Opaque(f) | Source::Bits { field: f, .. } => view.fields.has(f),
        Source::Either(a, b) => view.fields.has(a) || view.fields.has(b),
        Source::Protocol(p) => {
            view.fields.has(Field::Proto(p)) && !(p == Proto::Data && view.payload_withheld())
        }
        _ => field_values(view, field, &mut |_| true),
    }
}

fn compare(view: &View<'_>, left: &Operand, op: Cmp, right: &Operand) -> bool {
    let rights: Vec<Owned>;
    let one;
    let rights: &[Val<'_>] = if let Operand::Lit(lit) = right {
        one = [lit_val(lit)];
        &one
    } else {
        let mut collected = Vec::new();
        values(view, right, &mut |v| {
            collected.push(Owned::of(v));
            false
        });
        rights = collected;
        return compare_all(
            view,
            left,
            op,
            &rights.iter().map(Owned::val).collect::<Vec<_>>(),
        );
    };
    compare_all(view, left, op, rights)
}

fn compare_all(view: &View<'_>, left: &Operand, op: Cmp, rights: &[Val<'_>]) -> bool {
    match op {
        Cmp::AllNe | Cmp::AllEq => {
            // There must be values, and none may fail.
            let mut any = false;
            let failed = values(view, left, &mut |v| {
                any = true;
                !rights.iter().all(|r| holds(v, op, *r))
            });
            any && !rights.is_empty() && !failed
        }
        _ => values(view, left, &mut |v| rights.iter().any(|r| holds(v, op, *r))),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fn in_set(v: Val<'_>, items: &[SetItem]) -> bool {
    items.iter().any(|item| match item {
        SetItem::One(lit) => equal(v, lit_val(lit)),
        SetItem::Range(low, high) => {
            order(v, lit_val(low)) != Ordering::Less && order(v, lit_val(high)) != Ordering::Greater
        }
    })
}

pub(crate) fn eval(expr: &Expr, view: &View<'_>) -> bool {
    match expr {
        Expr::And(a, b) => eval(a, view) && eval(b, view),
        Expr::Or(a, b) => eval(a, view) || eval(b, view),
        Expr::Not(a) => !eval(a, view),
        Expr::Exists(field) => exists(view, field),
        Expr::Truthy(operand @ Operand::BitAnd(..)) => values(view, operand, &mut |v| match v {
            Val::Uint(x) => x != 0,
            Val::Bytes(b) => b.iter().any(|b| *b != 0),
            _ => true,
        }),
        Expr::Truthy(operand) => values(view, operand, &mut |_| true),
        Expr::Compare(left, op, right) => compare(view, left, *op, right),
        Expr::Contains(left, right) => {
            let mut needles = Vec::new();
            values(view, right, &mut |v| {
                let mut buf = [0u8; 16];
                needles.push(bytes_of(&v, &mut buf).to_vec());
                false
            });
            values(view, left, &mut |v| {
                let mut buf = [0u8; 16];
                let hay = bytes_of(&v, &mut buf);
                needles.iter().any(|n| contains(hay, n))
            })
        }
        Expr::Matches(left, regex, _) => values(view, left, &mut |v| {
            let mut buf = [0u8; 16];
            regex.is_match(bytes_of(&v, &mut buf))
        }),
        Expr::In(left, items) => values(view, left, &mut |v| in_set(v, items)),
    }
}

#[cfg(test)]
mod tests {
    use super::frame_protocols;
    use crate::fields::{Field, FrameFields, Proto};

    /// A frame with these protocols entered and these fields pushed, in order.
    fn frame(steps: &[Result<Proto, (Field, u64)>]) -> String {
        let mut f = FrameFields::default();
        for step in steps {
            match *step {
                Ok(proto) => f.enter(proto),
                Err((field, value)) => f.push_uint(field, value),
            }
        }
        frame_protocols(&f)
    }

    /// tshark 4.0.17 on frames that end before a layer's header (a 10-byte Ethernet
    /// frame, one that ends after its Ethernet header): the layer is named in the list
    /// only, where it was called.
    #[test]
    fn layers_tshark_called_but_did_not_show_are_listed_in_place() {
        let mut f = FrameFields::default();
        f.list_only(Proto::Eth);
        assert_eq!(frame_protocols(&f), "eth");
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.push_uint(Field::EthType, 0x0800u16);
        f.list_only(Proto::Ip);
        assert_eq!(frame_protocols(&f), "eth:ethertype:ip");
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.list_only(Proto::Ip);
        f.enter(Proto::Data); // not a real frame: the listed one keeps its place
        assert_eq!(frame_protocols(&f), "eth:ethertype:ip:data");
    }

    /// Each naming rule, as tshark 4.0.17 names the samples' frames (kernel-mix,
    /// link-radiotap, tunnels-geneve-pppoe, tunnels-isl, tunnels, link-sll, app-quic).
    #[test]
    fn layers_take_tsharks_names_in_frame_protocols() {
        assert_eq!(
            frame(&[
                Ok(Proto::Frame),
                Ok(Proto::Eth),
                Ok(Proto::Ipv6),
                Err((Field::Ipv6HopoptsLenOct, 0)),
                Ok(Proto::Icmpv6)
            ]),
            "eth:ethertype:ipv6:ipv6.hopopts:icmpv6"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Eth),
                Ok(Proto::Ipv6),
                Err((Field::Ipv6FraghdrOffset, 0)),
                Ok(Proto::Data)
            ]),
            "eth:ethertype:ipv6:ipv6.fraghdr:data"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Radiotap),
                Ok(Proto::Wlan),
                Ok(Proto::Llc),
                Ok(Proto::Ip)
            ]),
            "radiotap:wlan_radio:wlan:llc:ip"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Eth),
                Ok(Proto::Pppoe),
                Err((Field::PppoeCode, 0)),
                Ok(Proto::Ppp)
            ]),
            "eth:ethertype:pppoes:ppp"
        );
        assert_eq!(
            frame(&[Ok(Proto::Eth), Ok(Proto::Pppoe), Err((Field::PppoeCode, 9))]),
            "eth:ethertype:pppoed"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Isl),
                Ok(Proto::Eth),
                Ok(Proto::Ip),
                Ok(Proto::Udp)
            ]),
            "eth:eth:ethertype:ip:udp"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Eth),
                Ok(Proto::Mpls),
                Ok(Proto::Mpls),
                Ok(Proto::Mpls),
                Ok(Proto::Ip)
            ]),
            "eth:ethertype:mpls:ip"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Eth),
                Ok(Proto::Ip),
                Ok(Proto::Igmp),
                Err((Field::IgmpType, 0x22))
            ]),
            "eth:ethertype:ip:igmp:igmp"
        );
        for known in [0x11, 0x12, 0x16, 0x17, 0x1e, 0x1f] {
            assert_eq!(
                frame(&[
                    Ok(Proto::Eth),
                    Ok(Proto::Ip),
                    Ok(Proto::Igmp),
                    Err((Field::IgmpType, known))
                ]),
                "eth:ethertype:ip:igmp:igmp"
            );
        }
        // A type tshark has no dissector for (0x30, 0x99 probed): once.
        assert_eq!(
            frame(&[
                Ok(Proto::Eth),
                Ok(Proto::Ip),
                Ok(Proto::Igmp),
                Err((Field::IgmpType, 0x30))
            ]),
            "eth:ethertype:ip:igmp"
        );
        assert_eq!(
            frame(&[Ok(Proto::Sll), Ok(Proto::Llc), Ok(Proto::Stp)]),
            "sll:llc:stp"
        );
        assert_eq!(
            frame(&[
                Ok(Proto::Ip),
                Ok(Proto::Udp),
                Ok(Proto::Quic),
                Err((Field::TlsHandshakeType, 1))
            ]),
            "ip:udp:quic:tls"
        );
    }
}
