//! DNS and mDNS over UDP as `tcpdump -n` prints them (without `-v`): a query as
//! `ID[+][%] TYPE? name. (length)`, a response as `ID[ rcode][*][-][|][$] an/ns/ar` and
//! its answers (`A 192.0.2.80, CNAME www.example.com.`), the message length last. A
//! message the capture or the dissector stopped in ends with tcpdump's `[|domain]`.
//!
//! Names are printed as the dissector keeps them, in tshark's form: they differ from
//! tcpdump's where a label holds control characters or bytes above 0x7e (tcpdump writes
//! `^I` and `M-x` where tshark writes `\t` and UTF-8), and for names tshark replaces
//! (`<Name too long>`, a pointer loop). A record cut inside its data prints without its
//! type (tcpdump prints its class and type, then `[|domain]`).

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// Every field the DNS line reads.
const FIELDS: &[Field] = &[
    Field::DnsId,
    Field::DnsFlags,
    Field::DnsCountQueries,
    Field::DnsCountAnswers,
    Field::DnsCountAuthRr,
    Field::DnsCountAddRr,
    Field::DnsQryName,
    Field::DnsQryType,
    Field::DnsQryQu,
    Field::DnsRespType,
    Field::DnsRespExtRcode,
    Field::DnsA,
    Field::DnsAaaa,
    Field::DnsCname,
    Field::DnsNs,
    Field::DnsPtrDomainName,
    Field::DnsMxPreference,
    Field::DnsMxMailExchange,
    Field::DnsTxt,
    Field::DnsSrvPriority,
    Field::DnsSrvWeight,
    Field::DnsSrvPort,
    Field::DnsSrvTarget,
    Field::UdpLength,
    Field::DnsLength,
];

/// DNS.
pub(super) const DNS: TextSummary = TextSummary {
    proto: Proto::Dns,
    fields: FIELDS,
    write: dns,
};

/// mDNS: the same line, with tcpdump's `(QU)`/`(QM)` after each question's type.
pub(super) const MDNS: TextSummary = TextSummary {
    proto: Proto::Mdns,
    fields: FIELDS,
    write: mdns,
};

fn dns(line: &mut Line<'_>) {
    write(line, false);
}

fn mdns(line: &mut Line<'_>) {
    write(line, true);
}

/// tcpdump's names of record types (its `ns_type2str` for the common ones).
fn type_name(t: u64) -> Option<&'static [u8]> {
    Some(match t {
        1 => b"A",
        2 => b"NS",
        5 => b"CNAME",
        6 => b"SOA",
        12 => b"PTR",
        13 => b"HINFO",
        15 => b"MX",
        16 => b"TXT",
        28 => b"AAAA",
        33 => b"SRV",
        41 => b"OPT",
        255 => b"ANY",
        _ => return None,
    })
}

fn put_type(line: &mut Line<'_>, t: u64) {
    match type_name(t) {
        Some(name) => line.put(name),
        None => {
            line.put(b"Type");
            line.dec(t);
        }
    }
}

/// tcpdump's response codes (RFC 1035 4.1.1, RFC 6891 9 for the extended ones).
fn rcode_name(rcode: u64) -> Option<&'static [u8]> {
    Some(match rcode {
        0 => b"",
        1 => b" FormErr",
        2 => b" ServFail",
        3 => b" NXDomain",
        4 => b" NotImp",
        5 => b" Refused",
        6 => b" YXDomain",
        7 => b" YXRRSet",
        8 => b" NXRRSet",
        9 => b" NotAuth",
        10 => b" NotZone",
        16 => b" BadVers",
        _ => return None,
    })
}

/// A name as tcpdump writes it: with its final dot (the root alone as `.`).
fn put_name(line: &mut Line<'_>, v: Value) {
    let fields = line.fields();
    if let Value::Text(t) = v {
        let text = fields.text(t);
        if text != b"<Root>" {
            line.put(text);
        }
    }
    line.byte(b'.');
}

fn write(line: &mut Line<'_>, mdns: bool) {
    // Over TCP (RFC 1035 4.2.2) tcpdump checks the length prefix against the segment.
    let tcp_payload = line
        .fields()
        .payload(Proto::Tcp, line.frame())
        .map(<[u8]>::len);
    let prefix = line.uint(Field::DnsLength);
    if let (Some(payload), Some(prefix)) = (tcp_payload, prefix) {
        let rest = payload.saturating_sub(2) as u64;
        if prefix != rest {
            line.put(b"[prefix length(");
            line.dec(prefix);
            line.put(b") != length(");
            line.dec(rest);
            line.put(b")] (invalid)");
            return;
        }
    }
    let entries = line.entries();
    let length = match prefix {
        Some(prefix) => prefix,
        None => line
            .fields()
            .uint(Field::UdpLength)
            .unwrap_or(8)
            .saturating_sub(8),
    };
    // Shorter than the fixed header (RFC 1035 4.1.1).
    if length < 12 {
        line.put(b"domain [length ");
        line.dec(length);
        line.put(b" < 12] (invalid)");
        return;
    }
    let (Some(id), Some(flags)) = (line.uint(Field::DnsId), line.uint(Field::DnsFlags)) else {
        return line.put(b"[|domain]");
    };
    let counts = [
        line.uint(Field::DnsCountQueries),
        line.uint(Field::DnsCountAnswers),
        line.uint(Field::DnsCountAuthRr),
        line.uint(Field::DnsCountAddRr),
    ];
    let [Some(qd), Some(an), Some(ns), Some(ar)] = counts else {
        return line.put(b"[|domain]");
    };
    line.dec(id);
    let opcode = flags >> 11 & 0xf;
    if opcode != 0 {
        line.put(b" op");
        line.dec(opcode);
    }
    let whole = if flags & 0x8000 != 0 {
        let ext = line.uint(Field::DnsRespExtRcode).unwrap_or(0);
        let rcode = (ext << 4) | (flags & 0xf);
        match rcode_name(rcode) {
            Some(name) => line.put(name),
            None => {
                line.put(b" Resp");
                line.dec(rcode);
            }
        }
        for (bit, c) in [
            (0x0400, b'*'),
            (0x0080, b'-'),
            (0x0200, b'|'),
            (0x0020, b'$'),
        ] {
            // RA is shown by its absence.
            if (flags & bit != 0) != (bit == 0x0080) {
                line.byte(c);
            }
        }
        if qd != 1 {
            line.put(b" [");
            line.dec(qd);
            line.put(b"q]");
        }
        // tcpdump reads past the questions before it prints the counts.
        let read = entries
            .iter()
            .filter(|(f, _)| *f == Field::DnsQryType)
            .count();
        if (read as u64) < qd {
            return line.put(b" [|domain]");
        }
        line.byte(b' ');
        line.dec(an);
        line.byte(b'/');
        line.dec(ns);
        line.byte(b'/');
        line.dec(ar);
        answers(line, entries, an)
    } else {
        if flags & 0x0100 != 0 {
            line.byte(b'+');
        }
        if flags & 0x0010 != 0 {
            line.byte(b'%');
        }
        for (count, suffix) in [(qd, &b"q]"[..]), (an, b"a]"), (ns, b"n]"), (ar, b"au]")] {
            if (suffix == b"q]" && count != 1) || (suffix != b"q]" && count != 0) {
                line.put(b" [");
                line.dec(count);
                line.put(suffix);
            }
        }
        questions(line, entries, qd, mdns)
    };
    if !whole {
        return line.put(b" [|domain]");
    }
    line.put(b" (");
    line.dec(length);
    line.byte(b')');
}

/// ` TYPE? name.` for each question; `false` if fewer than `count` were dissected.
fn questions(line: &mut Line<'_>, entries: &[(Field, Value)], count: u64, mdns: bool) -> bool {
    let mut shown = 0;
    let mut name = None;
    let mut qtype = None;
    for &(field, value) in entries {
        match (field, value) {
            (Field::DnsQryName, v) => name = Some(v),
            (Field::DnsQryType, Value::Uint(t)) => qtype = Some(t),
            (Field::DnsQryQu, Value::Uint(qu)) if mdns => {
                finish_question(line, &mut name, &mut qtype, Some(qu));
                shown += 1;
            }
            _ => {}
        }
        if !mdns && name.is_some() && qtype.is_some() {
            finish_question(line, &mut name, &mut qtype, None);
            shown += 1;
        }
    }
    shown == count
}

fn finish_question(
    line: &mut Line<'_>,
    name: &mut Option<Value>,
    qtype: &mut Option<u64>,
    qu: Option<u64>,
) {
    line.byte(b' ');
    put_type(line, qtype.take().unwrap_or(0));
    match qu {
        Some(1) => line.put(b" (QU)"),
        Some(_) => line.put(b" (QM)"),
        None => {}
    }
    line.put(b"? ");
    if let Some(v) = name.take() {
        put_name(line, v);
    }
}

/// ` TYPE data` for each answer, comma-separated; `false` if fewer than `count` were
/// dissected.
fn answers(line: &mut Line<'_>, entries: &[(Field, Value)], count: u64) -> bool {
    let mut shown = 0u64;
    // MX and SRV numbers come before the name they are printed after.
    let mut pending: [Option<u64>; 3] = [None; 3];
    for &(field, value) in entries {
        match (field, value) {
            (Field::DnsRespType, Value::Uint(t)) => {
                shown += 1;
                if shown > count {
                    break;
                }
                line.put(if shown == 1 { b" " } else { b", " });
                put_type(line, t);
                pending = [None; 3];
            }
            _ if shown == 0 => {}
            (Field::DnsA | Field::DnsAaaa, v) => {
                line.byte(b' ');
                line.value(v);
            }
            (Field::DnsMxPreference | Field::DnsSrvPriority, Value::Uint(n)) => {
                pending[0] = Some(n);
            }
            (Field::DnsSrvWeight, Value::Uint(n)) => pending[1] = Some(n),
            (Field::DnsSrvPort, Value::Uint(n)) => pending[2] = Some(n),
            (Field::DnsCname | Field::DnsNs | Field::DnsPtrDomainName, v) => {
                line.byte(b' ');
                put_name(line, v);
            }
            (Field::DnsMxMailExchange, v) => {
                line.byte(b' ');
                put_name(line, v);
                line.byte(b' ');
                line.dec(pending[0].unwrap_or(0));
            }
            (Field::DnsSrvTarget, v) => {
                line.byte(b' ');
                put_name(line, v);
                line.byte(b':');
                line.dec(pending[2].unwrap_or(0));
                line.byte(b' ');
                line.dec(pending[0].unwrap_or(0));
                line.byte(b' ');
                line.dec(pending[1].unwrap_or(0));
            }
            (Field::DnsTxt, Value::Text(t)) => {
                let text = line.fields().text(t);
                line.put(b" \"");
                line.put(text);
                line.byte(b'"');
            }
            _ => {}
        }
    }
    shown >= count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{LinkType, Packet};
    use crate::dissect::dissect;
    use crate::fields::FrameFields;
    use crate::output::{FrameMeta, LineWriter, TextWriter};

    /// The text line of an Ethernet frame given in hex, after the time of day.
    fn line_of(hex: &str) -> String {
        let data: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
        let packet = Packet {
            ts_sec: 0,
            ts_nsec: 0,
            orig_len: data.len() as u32,
            link_type: LinkType::Ethernet,
            data: &data,
        };
        let mut fields = FrameFields::default();
        dissect(&packet, 1, &mut fields);
        let meta = FrameMeta {
            frame: &data,
            ..FrameMeta::default()
        };
        let mut out = Vec::new();
        TextWriter::default().frame(&meta, &fields, &mut out);
        let text = String::from_utf8(out).expect("UTF-8");
        text.split_once(' ')
            .map(|(_, rest)| rest.trim_end().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_query_prints_as_tcpdump_prints_it() {
        // samples/app-dns.pcap frame 1; the expected text is tcpdump 4.99's.
        let frame = "02000000000502000000000c080045000039000100004011f67cc0000201c00002359c40\
                     00350025fd55123401000001000000000000076578616d706c6503636f6d0000010001";
        assert_eq!(
            line_of(frame),
            "IP 192.0.2.1.40000 > 192.0.2.53.53: 4660+ A? example.com. (29)"
        );
    }

    #[test]
    fn an_mdns_response_prints_its_answers_as_tcpdump_does() {
        // samples/app-dns.pcap frame 19.
        let frame = "01005e0000fb02000000000c0800450000b100010000ff11183ec0000201e00000fb14e9\
                     14e9009d5b56000084000000000300000000077072696e746572056c6f63616c000001\
                     0001000000780004c0000209045f697070045f746370056c6f63616c00000c00010000\
                     11940019077072696e746572045f697070045f746370056c6f63616c00077072696e74\
                     6572045f697070045f746370056c6f63616c0000210001000000780015000000000277\
                     077072696e746572056c6f63616c00";
        assert_eq!(
            line_of(frame),
            "IP 192.0.2.1.5353 > 224.0.0.251.5353: 0*- [0q] 3/0/0 A 192.0.2.9, \
             PTR printer._ipp._tcp.local., SRV printer.local.:631 0 0 (149)"
        );
    }

    #[test]
    fn rfc1035_4_1_1_a_message_shorter_than_its_header_is_invalid() {
        // A 4-byte UDP payload to port 53.
        let frame = "02000000000502000000000c080045000020000100004011f695c0000201c00002359c40\
                     0035000ccbf512340100";
        assert!(
            line_of(frame)
                .ends_with(": domain [length 4 < 12] (invalid) [malformed dns: message cut short]"),
            "{}",
            line_of(frame)
        );
    }

    #[test]
    fn type_and_rcode_names_are_tcpdumps() {
        assert_eq!(type_name(28), Some(&b"AAAA"[..]));
        assert_eq!(type_name(99), None);
        assert_eq!(rcode_name(3), Some(&b" NXDomain"[..]));
        assert_eq!(rcode_name(16), Some(&b" BadVers"[..]));
    }
}
