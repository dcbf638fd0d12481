//! The TCP part of a text line, as `tcpdump -n` prints it: flags, sequence numbers relative
//! to the start of the conversation (absolute with `-S`), acknowledgement, window, urgent
//! pointer, the option list and the payload length.

use std::hash::{Hash, Hasher};

use super::line::Line;
use super::part::Part;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};
use crate::stats::conversation::{fold, WordMap};

/// Conversations whose sequence bases are remembered at once. When the table is full it is
/// emptied, so memory stays bounded on any capture; a conversation seen again afterwards
/// starts over (its next acknowledging segment prints absolute numbers, as a new one would).
const MAX_TRACKED: usize = 1 << 16;

/// One direction-independent conversation: the lower (port, address) endpoint first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ConversationKey {
    lo: (u16, Value),
    hi: (u16, Value),
}

impl Hash for ConversationKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Addresses folded into words by hand: the derived hash would feed each byte of
        // them through the hasher one write at a time.
        let word = |(port, v): (u16, Value)| {
            let (x, y) = match v {
                Value::Ipv4(a) => (u64::from(u32::from_ne_bytes(a)), 4),
                Value::Ipv6(a) => {
                    let (hi, lo) = a.split_at(8);
                    let hi = u64::from_ne_bytes(hi.try_into().unwrap_or_default());
                    let lo = u64::from_ne_bytes(lo.try_into().unwrap_or_default());
                    (hi, lo)
                }
                _ => (0, 0),
            };
            fold(x ^ u64::from(port) << 48, y)
        };
        state.write_u64(fold(word(self.lo), word(self.hi)));
    }
}

/// tcpdump's table of initial sequence numbers, for relative numbering.
///
/// tcpdump records a conversation at its first segment with ACK set (or at any SYN with
/// ACK), printing that segment's numbers as they are; later segments print `seq - base` of
/// their direction and `ack - base` of the other direction (all modulo 2^32).
#[derive(Debug, Clone, Default)]
pub(super) struct SequenceBases {
    /// Per conversation: the base of the lower endpoint's sequence numbers and of the
    /// higher endpoint's.
    bases: WordMap<ConversationKey, (u32, u32)>,
}

/// The endpoints of the outer TCP segment.
pub(super) struct Endpoints {
    pub src: Value,
    pub dst: Value,
    pub sport: u16,
    pub dport: u16,
}

impl SequenceBases {
    /// `(seq, ack)` as tcpdump prints them for a segment with `flags`.
    fn relative(&mut self, e: &Endpoints, flags: u64, seq: u32, ack: u32) -> (u32, u32) {
        if flags & 0x10 == 0 {
            return (seq, ack);
        }
        // tcpdump orders the endpoints by port, then by address.
        let reversed = e.sport > e.dport || (e.sport == e.dport && e.src > e.dst);
        let (lo, hi) = if reversed {
            ((e.dport, e.dst), (e.sport, e.src))
        } else {
            ((e.sport, e.src), (e.dport, e.dst))
        };
        let key = ConversationKey { lo, hi };
        match self.bases.get(&key) {
            Some(&(lo_base, hi_base)) if flags & 0x02 == 0 => {
                let (mine, theirs) = if reversed {
                    (hi_base, lo_base)
                } else {
                    (lo_base, hi_base)
                };
                (seq.wrapping_sub(mine), ack.wrapping_sub(theirs))
            }
            _ => {
                if self.bases.len() >= MAX_TRACKED {
                    self.bases.clear();
                }
                let (mine, theirs) = (seq, ack.wrapping_sub(1));
                let bases = if reversed {
                    (theirs, mine)
                } else {
                    (mine, theirs)
                };
                self.bases.insert(key, bases);
                (seq, ack)
            }
        }
    }
}

/// TCP.
pub(super) const SUMMARY: TextSummary = TextSummary {
    proto: Proto::Tcp,
    fields: &[
        Field::TcpSrcport,
        Field::TcpDstport,
        Field::TcpFlags,
        Field::TcpSeqRaw,
        Field::TcpAckRaw,
        Field::TcpWindowSizeValue,
        Field::TcpHdrLen,
        Field::TcpUrgentPointer,
        Field::TcpOptionKind,
        Field::TcpOptionsMssVal,
        Field::TcpOptionsWscaleShift,
        Field::TcpOptionsTimestampTsval,
        Field::TcpOptionsTimestampTsecr,
    ],
    write,
};

/// The fields of a segment's header that the line shows, in one pass over its layer.
#[derive(Default)]
struct Header {
    sport: Option<u64>,
    dport: Option<u64>,
    flags: u64,
    seq: u64,
    ack: u64,
    win: u64,
    hdr_len: u64,
    urgent: u64,
    /// Where the options start among the layer's entries.
    options_at: usize,
}

impl Header {
    fn of(entries: &[(Field, Value)]) -> Header {
        let mut h = Header {
            options_at: entries.len(),
            ..Header::default()
        };
        // Options come after the fixed header's fields: stop at the first.
        for (i, &(field, value)) in entries.iter().enumerate() {
            let Value::Uint(v) = value else { continue };
            match field {
                Field::TcpSrcport => h.sport = Some(v),
                Field::TcpDstport => h.dport = Some(v),
                Field::TcpFlags => h.flags = v,
                Field::TcpSeqRaw => h.seq = v,
                Field::TcpAckRaw => h.ack = v,
                Field::TcpWindowSizeValue => h.win = v,
                Field::TcpHdrLen => h.hdr_len = v,
                Field::TcpUrgentPointer => h.urgent = v,
                Field::TcpOptionKind => {
                    h.options_at = i;
                    break;
                }
                _ => {}
            }
        }
        h
    }
}

/// Writes `Flags [...], seq ..., ack ..., win ..., urg ..., options [...], length N` and
/// what the payload's protocol says (an application summary, else tcpdump's HTTP line on
/// its ports).
fn write(line: &mut Line<'_>) {
    let entries = line.entries();
    let h = Header::of(entries);
    let flags = h.flags;
    let payload = line.network.payload_len.saturating_sub(h.hdr_len);
    let (raw_seq, raw_ack) = (h.seq as u32, h.ack as u32);
    let endpoints = match (line.network.addresses, h.sport, h.dport) {
        (Some((src, dst)), Some(sport), Some(dport)) => Some(Endpoints {
            src,
            dst,
            sport: sport as u16,
            dport: dport as u16,
        }),
        _ => None,
    };
    let (seq, ack) = match (line.state.bases.as_mut(), endpoints.as_ref()) {
        (Some(bases), Some(e)) => bases.relative(e, flags, raw_seq, raw_ack),
        _ => (raw_seq, raw_ack),
    };
    let header_cut = line
        .fields()
        .layer(Proto::Tcp)
        .is_some_and(|l| l.header_cut);
    // Everything up to the payload's summary is built on the stack and appended once.
    let mut part = Part::new(line.out());
    part.put(b"Flags [");
    for (bit, c) in [
        (0x01, b'F'),
        (0x02, b'S'),
        (0x04, b'R'),
        (0x08, b'P'),
        (0x20, b'U'),
        (0x40, b'E'),
        (0x80, b'W'),
        (0x10, b'.'),
    ] {
        if flags & bit != 0 {
            part.byte(c);
        }
    }
    if flags & 0xdf == 0 {
        part.put(b"none");
    }
    part.byte(b']');
    // A range when there is payload; no sequence number on a bare acknowledgement.
    if payload > 0 || flags & 0x07 != 0 {
        part.put(b", seq ");
        part.dec(seq.into());
        if payload > 0 {
            part.byte(b':');
            part.dec((u64::from(seq) + payload) & 0xffff_ffff);
        }
    }
    if flags & 0x10 != 0 {
        part.put(b", ack ");
        part.dec(ack.into());
    }
    part.put(b", win ");
    part.dec(h.win);
    if flags & 0x20 != 0 {
        part.put(b", urg ");
        part.dec(h.urgent);
    }
    let options = entries.get(h.options_at..).unwrap_or(&[]);
    if !write_options(&mut part, options, header_cut) {
        // tcpdump ends the line at the first option byte the capture lacks.
        part.finish();
        return;
    }
    part.put(b", length ");
    part.dec(payload);
    part.finish();
    if payload == 0 || line.next_with(b": ") {
        return;
    }
    let http_port =
        endpoints.is_some_and(|e| [e.sport, e.dport].iter().any(|p| HTTP_PORTS.contains(p)));
    if http_port {
        let frame = line.frame();
        if let Some(bytes) = line.fields().payload(Proto::Tcp, frame) {
            write_http(line.out(), bytes, payload);
        }
    }
}

/// The ports tcpdump hands to its HTTP printer.
const HTTP_PORTS: [u16; 2] = [80, 8080];

/// HTTP request methods tcpdump recognises at the start of a segment.
const HTTP_METHODS: &[&str] = &[
    "GET",
    "PUT",
    "COPY",
    "HEAD",
    "LOCK",
    "MOVE",
    "POLL",
    "POST",
    "BCOPY",
    "BMOVE",
    "MKCOL",
    "TRACE",
    "LABEL",
    "MERGE",
    "DELETE",
    "SEARCH",
    "UNLOCK",
    "REPORT",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CONNECT",
    "OPTIONS",
    "CHECKIN",
    "PROPFIND",
    "CHECKOUT",
    "UNCHECKOUT",
    "PROPPATCH",
    "SUBSCRIBE",
    "BPROPFIND",
    "BPROPPATCH",
    "UNSUBSCRIBE",
    "MKWORKSPACE",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// `: HTTP`, plus `: <first line>` when the segment starts with a request line (a known
/// method) or a status line (a three-digit code as the second word), as tcpdump prints it
/// without `-v`. `payload` is what was captured of `wire_len` bytes; where tcpdump runs out
/// of captured bytes it prints ` [|http]` instead of the line.
fn write_http(out: &mut Vec<u8>, payload: &[u8], wire_len: u64) {
    out.extend_from_slice(b": HTTP");
    let snapped = (payload.len() as u64) < wire_len;
    let first = token(payload, 0);
    if first.is_none() && snapped && payload.iter().all(|c| (0x20..=0x7e).contains(c)) {
        // The first word runs past the captured bytes.
        out.extend_from_slice(b" [|http]");
        return;
    }
    let is_request = first.is_some_and(|(t, _)| {
        HTTP_METHODS
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(t))
    });
    let is_status = first
        .and_then(|(_, next)| token(payload, next))
        .is_some_and(|(t, _)| t.len() == 3 && t.iter().all(u8::is_ascii_digit));
    if !(is_request || is_status) {
        return;
    }
    out.extend_from_slice(b": ");
    let mut end = 0;
    while let Some(&c) = payload.get(end) {
        match c {
            b'\n' => break,
            b'\r' if payload.get(end + 1) == Some(&b'\n') => break,
            // A CR alone or a byte that is not text: tcpdump prints nothing of the line.
            b'\r' => {
                out.truncate(out.len() - 2);
                return;
            }
            b'\t' | 0x20..=0x7e => end += 1,
            _ => {
                out.truncate(out.len() - 2);
                return;
            }
        }
    }
    if end == payload.len() && snapped {
        out.truncate(out.len() - 2);
        out.extend_from_slice(b" [|http]");
        return;
    }
    out.extend_from_slice(&payload[..end]);
    if end == payload.len() {
        out.extend_from_slice(b" [|http]");
    }
}

/// The printable word at `at` (ended by a space, tab, CR or LF) and where the next word
/// starts, as tcpdump's tokenizer finds it; `None` if the word is empty or not text.
fn token(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = bytes.get(at..)?;
    let len = rest
        .iter()
        .position(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n') || !(0x20..=0x7e).contains(c))
        .unwrap_or(rest.len());
    let word = &rest[..len];
    // tcpdump gives up on a word that ends in a byte that is neither text nor a space.
    if word.is_empty()
        || rest.get(len).is_some_and(|c| {
            !matches!(c, b' ' | b'\t' | b'\r' | b'\n') && !(0x20..=0x7e).contains(c)
        })
    {
        return None;
    }
    let mut next = at + len;
    while bytes.get(next).is_some_and(|c| matches!(c, b' ' | b'\t')) {
        next += 1;
    }
    Some((word, next))
}

/// `, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]` from the segment's
/// `tcp.option_kind` occurrences (`options`: its layer's entries from the first of them
/// on) and the option values that follow each of them. When the capture ended inside the
/// options (`header_cut`), ends as tcpdump does at the first byte it lacks (` [|tcp]`
/// after a `,` when the next option's kind is missing, `[|tcp]>` after an option whose
/// value is cut) and returns `false`: the line ends there.
fn write_options(part: &mut Part<'_>, options: &[(Field, Value)], header_cut: bool) -> bool {
    let mut any = false;
    // Values the last option still expects (a cut option lacks some of them).
    let mut expected = 0;
    for &(field, value) in options {
        let Value::Uint(v) = value else { continue };
        match field {
            Field::TcpOptionKind => {
                part.put(if any { b"," } else { b", options [" });
                any = true;
                let (name, values): (&[u8], _) = match v {
                    0 => (b"eol", 0),
                    1 => (b"nop", 0),
                    2 => (b"mss", 1),
                    3 => (b"wscale", 1),
                    4 => (b"sackOK", 0),
                    5 => (b"sack", 0),
                    8 => (b"TS", 2),
                    _ => (b"unknown-", 0),
                };
                expected = values;
                part.put(name);
                if name == b"unknown-" {
                    part.dec(v);
                }
            }
            Field::TcpOptionsMssVal | Field::TcpOptionsWscaleShift => {
                expected -= 1;
                part.byte(b' ');
                part.dec(v);
            }
            Field::TcpOptionsTimestampTsval => {
                expected -= 1;
                part.put(b" val ");
                part.dec(v);
            }
            Field::TcpOptionsTimestampTsecr => {
                expected -= 1;
                part.put(b" ecr ");
                part.dec(v);
            }
            _ => {}
        }
    }
    if header_cut {
        part.put(match (any, expected) {
            // Not even the first option's kind, or the next one's after a whole option.
            (false, _) => b", options [ [|tcp]",
            (true, 0) => b", [|tcp]",
            // An option whose value was cut.
            (true, _) => b" [|tcp]>",
        });
        return false;
    }
    if any {
        part.byte(b']');
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(sport: u16, dport: u16) -> Endpoints {
        Endpoints {
            src: Value::Ipv4([10, 0, 0, if sport < dport { 1 } else { 2 }]),
            dst: Value::Ipv4([10, 0, 0, if sport < dport { 2 } else { 1 }]),
            sport,
            dport,
        }
    }

    #[test]
    fn numbers_are_relative_after_the_first_acknowledging_segment() {
        let mut b = SequenceBases::default();
        // SYN: no ACK, printed as is and not recorded.
        assert_eq!(b.relative(&endpoints(40000, 80), 0x02, 1000, 0), (1000, 0));
        // SYN-ACK from the server: recorded, printed as is.
        assert_eq!(
            b.relative(&endpoints(80, 40000), 0x12, 5000, 1001),
            (5000, 1001)
        );
        // The client's ACK and the server's data are relative to both bases.
        assert_eq!(b.relative(&endpoints(40000, 80), 0x10, 1001, 5001), (1, 1));
        assert_eq!(
            b.relative(&endpoints(80, 40000), 0x18, 5001, 1101),
            (1, 101)
        );
        // Sequence numbers wrap.
        assert_eq!(
            b.relative(&endpoints(40000, 80), 0x10, 999, 5001),
            (u32::MAX, 1)
        );
    }

    #[test]
    fn the_table_is_emptied_when_full() {
        let mut b = SequenceBases::default();
        for port in 0..=MAX_TRACKED as u32 {
            let e = endpoints(1, 2 + (port % 60000) as u16);
            let e = Endpoints {
                src: Value::Ipv4(port.to_be_bytes()),
                ..e
            };
            b.relative(&e, 0x10, 7, 7);
        }
        assert!(b.bases.len() <= MAX_TRACKED);
    }
}
