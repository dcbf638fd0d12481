//! `tcp`: TCP segments and their options.

use zerocast_wire::tcp::{self, TcpPacket, TcpPartial};
use zerocast_wire::tcp_options::{TcpOption, TcpOptions};
use zerocast_wire::Lenient;

use super::table::{self, Dissector, Hook};
use super::{push_some, status, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Tcp, name: "tcp",
    TcpSrcport = "tcp.srcport", Dec;
    TcpDstport = "tcp.dstport", Dec;
    TcpSeqRaw = "tcp.seq_raw", Dec;
    TcpAckRaw = "tcp.ack_raw", Dec;
    TcpHdrLen = "tcp.hdr_len", Dec;
    TcpFlags = "tcp.flags", Hex4;
    TcpWindowSizeValue = "tcp.window_size_value", Dec;
    TcpChecksumStatus = "tcp.checksum.status", ChecksumStatus;
    TcpUrgentPointer = "tcp.urgent_pointer", Dec;
    TcpOptionKind = "tcp.option_kind", Dec;
    TcpOptionsMssVal = "tcp.options.mss_val", Dec;
    TcpOptionsWscaleShift = "tcp.options.wscale.shift", Dec;
    TcpOptionsTimestampTsval = "tcp.options.timestamp.tsval", Dec;
    TcpOptionsTimestampTsecr = "tcp.options.timestamp.tsecr", Dec;
}

/// TCP behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Tcp,
    hook: Hook::IpProto(&[zerocast_wire::IpProto::TCP.0], dissect),
};

/// The fields decoded from TCP options; when nothing reads them the options are skipped.
const OPTION_FIELDS: [Field; 5] = [
    Field::TcpOptionKind,
    Field::TcpOptionsMssVal,
    Field::TcpOptionsWscaleShift,
    Field::TcpOptionsTimestampTsval,
    Field::TcpOptionsTimestampTsecr,
];

/// A TCP segment.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let parsed = TcpPacket::parse_lenient(bytes, Some(upper.pseudo), upper.checksums());
    let tcp = match &parsed {
        Ok(Lenient::Whole(tcp)) => tcp,
        Ok(Lenient::Cut(tcp)) => {
            let need = tcp.header_len().unwrap_or(tcp::HEADER_LEN);
            cx.header_cut("tcp", bytes.len(), need);
            return cut(cx, tcp, cx.offset(bytes));
        }
        Err(e) => return cx.malformed(bytes, e),
    };
    // A capture cut inside the options: the fixed fields are all there, the checksum
    // cannot be verified and nothing follows.
    let cut = bytes.len() < tcp.header_len();
    if cut {
        cx.header_cut("tcp", bytes.len(), tcp.header_len());
        cx.out.set_header_cut(Proto::Tcp);
        let start = cx.offset(bytes) + tcp.header_len();
        cx.out.set_payload_start(Proto::Tcp, start);
    }
    let syn = tcp.flags() & (tcp::FLAG_SYN | tcp::FLAG_ACK) == tcp::FLAG_SYN;
    let key = super::memory::key_of(&upper.pseudo, tcp.src_port(), tcp.dst_port());
    let out = &mut *cx.out;
    out.enter(Proto::Tcp);
    out.push_uint(Field::TcpSrcport, tcp.src_port());
    out.push_uint(Field::TcpDstport, tcp.dst_port());
    out.push_uint(Field::TcpSeqRaw, tcp.seq());
    out.push_uint(Field::TcpAckRaw, tcp.ack());
    out.push_uint(Field::TcpHdrLen, tcp.header_len() as u64);
    out.push_uint(Field::TcpFlags, tcp.flags());
    out.push_uint(Field::TcpWindowSizeValue, tcp.window());
    out.push_uint(Field::TcpChecksumStatus, status(cut, tcp.checksum_status()));
    out.push_uint(Field::TcpUrgentPointer, tcp.urgent_pointer());
    if !cut {
        let start = cx.offset(tcp.payload());
        cx.out.set_payload(Proto::Tcp, start, tcp.payload().len());
    }
    // Only HTTP reads the conversation's memory so far.
    if !cx.out.may_skip(Proto::Http) {
        cx.tcp_conversation(key, syn);
    }
    if !OPTION_FIELDS.iter().any(|f| cx.out.wants(*f)) {
        return payload(cx, tcp, cut);
    }
    // Options are read from the captured bytes only, so one cut by the snapshot length
    // ends the walk instead of decoding padding.
    let options_end = tcp.header_len().min(bytes.len());
    let captured = bytes.get(tcp::HEADER_LEN..options_end).unwrap_or(&[]);
    for option in TcpOptions::new(captured) {
        let option = match option {
            Ok(option) => option,
            // An option cut short (or with a broken length) still shows its kind byte, as
            // in tshark; the walk ends there.
            Err(e) => {
                cut_option(cx, captured, e.offset().saturating_sub(tcp::HEADER_LEN));
                break;
            }
        };
        // Each option's kind, then its values: the text line reads them in this order.
        cx.out.push_uint(Field::TcpOptionKind, option.kind);
        match option.decode() {
            TcpOption::Mss(mss) => cx.out.push_uint(Field::TcpOptionsMssVal, mss),
            TcpOption::WindowScale(shift) => {
                cx.out.push_uint(Field::TcpOptionsWscaleShift, shift);
            }
            TcpOption::Timestamp { tsval, tsecr } => {
                cx.out.push_uint(Field::TcpOptionsTimestampTsval, tsval);
                cx.out.push_uint(Field::TcpOptionsTimestampTsecr, tsecr);
            }
            _ => {}
        }
    }
    payload(cx, tcp, cut);
}

/// Hands the payload to the protocol registered for the lower port, else the higher one,
/// else to the first heuristic that recognises it, else notes it as data; a segment whose
/// header was cut has none.
fn payload(cx: &mut Cx<'_, '_>, tcp: &TcpPacket<&[u8]>, cut: bool) {
    if cut {
        return;
    }
    let payload = tcp.payload();
    if payload.is_empty() {
        return;
    }
    if let Some(dissect) = table::by_tcp_ports(tcp.src_port(), tcp.dst_port()) {
        return dissect(cx, payload);
    }
    if !table::tcp_heuristics().iter().any(|h| h(cx, payload)) {
        cx.data(payload);
    }
}

/// What tshark shows of an option that the capture cut (or whose length is broken) at
/// `at` in `options`: its kind once the length byte is there too, and a timestamp's value
/// once its first four bytes are.
fn cut_option(cx: &mut Cx<'_, '_>, options: &[u8], at: usize) {
    let rest = options.get(at..).unwrap_or(&[]);
    if let [kind, _len, data @ ..] = rest {
        cx.out.push_uint(Field::TcpOptionKind, *kind);
        if let (8, [a, b, c, d, ..]) = (kind, data) {
            let tsval = u32::from_be_bytes([*a, *b, *c, *d]);
            cx.out.push_uint(Field::TcpOptionsTimestampTsval, tsval);
        }
    }
}

/// A TCP header the capture cut before its fixed 20 bytes ended; `start` is where it
/// begins in the frame.
fn cut(cx: &mut Cx<'_, '_>, tcp: &TcpPartial<&[u8]>, start: usize) {
    cx.out.enter(Proto::Tcp);
    // tshark reads the two ports together, and sequence number to window only once all
    // of those 16 bytes are there.
    let (ports, first16) = (tcp.captured_len() >= 4, tcp.captured_len() >= 16);
    if let (true, Some(len)) = (first16, tcp.header_len()) {
        // The frame's length on the wire bounds the segment from here (as tshark's does).
        cx.out.set_payload_start(Proto::Tcp, start + len);
    }
    let gate = |on: bool, v: Option<u64>| v.filter(|_| on);
    push_some(
        cx.out,
        &[
            (
                Field::TcpSrcport,
                gate(ports, tcp.src_port().map(u64::from)),
            ),
            (
                Field::TcpDstport,
                gate(ports, tcp.dst_port().map(u64::from)),
            ),
            (Field::TcpSeqRaw, gate(first16, tcp.seq().map(u64::from))),
            (Field::TcpAckRaw, gate(first16, tcp.ack().map(u64::from))),
            (
                Field::TcpHdrLen,
                gate(first16, tcp.header_len().map(|l| l as u64)),
            ),
            (Field::TcpFlags, gate(first16, tcp.flags().map(u64::from))),
            (Field::TcpWindowSizeValue, tcp.window().map(u64::from)),
            (Field::TcpChecksumStatus, tcp.checksum().map(|_| 2)),
            (Field::TcpUrgentPointer, tcp.urgent_pointer().map(u64::from)),
        ],
    );
}
