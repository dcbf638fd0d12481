//! Filter semantics on hand-built frames: quantifiers, precedence, derived fields.

use super::*;
use crate::fields::{Field, Proto, Value};

fn frame() -> FrameFields {
    let mut f = FrameFields::default();
    f.enter(Proto::Eth);
    f.push(Field::EthDst, Value::Mac([0xff; 6]));
    f.push(Field::EthSrc, Value::Mac([2, 0x17, 0x0d, 0xe3, 0xeb, 0x36]));
    f.enter(Proto::Ip);
    f.push_uint(Field::IpHdrLen, 20u8);
    f.push_uint(Field::IpDsfield, 0xb9u8);
    f.push_uint(Field::IpLen, 60u16);
    f.push_uint(Field::IpFlags, 2u8);
    f.push_uint(Field::IpTtl, 64u8);
    f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 2]));
    f.push(Field::IpDst, Value::Ipv4([10, 77, 0, 1]));
    f.enter(Proto::Tcp);
    f.push_uint(Field::TcpSrcport, 8080u16);
    f.push_uint(Field::TcpDstport, 443u16);
    f.push_uint(Field::TcpHdrLen, 32u8);
    f.push_uint(Field::TcpFlags, 0x12u16);
    f
}

fn check(text: &str) -> bool {
    Filter::parse(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .matches(&frame())
}

#[test]
fn equality_holds_when_any_occurrence_matches() {
    assert!(check("ip.addr == 10.77.0.1"));
    assert!(check("ip.addr == 10.77.0.2"));
    assert!(!check("ip.addr == 10.77.0.3"));
}

#[test]
fn not_equal_means_all_differ_and_any_ne_means_one_does() {
    assert!(!check("ip.addr != 10.77.0.1"));
    assert!(check("ip.addr != 10.77.0.9"));
    assert!(check("ip.addr !== 10.77.0.1"));
    assert!(check("ip.addr ~= 10.77.0.1"));
    assert!(!check("ip.addr === 10.77.0.1"));
    assert!(check("ip.addr === 10.77.0.0/24"));
}

#[test]
fn comparisons_on_absent_fields_are_false() {
    assert!(!check("udp.srcport == 53"));
    assert!(!check("udp.srcport != 53"));
    assert!(!check("udp.srcport === 53"));
    assert!(check("!(udp.srcport == 53)"));
    assert!(check("udp.port not in {53}"));
}

#[test]
fn orderings_compare_numbers_and_addresses() {
    assert!(check(
        "ip.ttl > 63 && ip.ttl <= 64 && ip.ttl >= 64 && ip.ttl < 65"
    ));
    assert!(!check("ip.ttl gt 64"));
    assert!(check("tcp.srcport == 0x1f90"));
    assert!(check("ip.src > 10.77.0.1 && ip.src lt 10.77.0.3"));
    assert!(check("tcp.srcport > tcp.dstport"));
    assert!(!check("ip.src == ip.dst"));
}

#[test]
fn precedence_is_not_then_and_then_or() {
    assert!(check("udp || tcp && ip"));
    assert!(!check("!tcp || udp"));
    assert!(check("not udp and (tcp or udp)"));
    assert!(!check("(udp || tcp) && !ip"));
}

#[test]
fn bare_names_test_presence() {
    assert!(check("tcp"));
    assert!(check("tcp.flags"));
    assert!(check("tcp.flags.syn"));
    assert!(check("tcp.port"));
    assert!(!check("icmp"));
    assert!(!check("udp.port"));
}

#[test]
fn derived_fields_follow_their_sources() {
    assert!(check(
        "tcp.flags.syn == 1 && tcp.flags.ack == True && tcp.flags.fin == 0"
    ));
    assert!(check("tcp.flags & 0x12 == 0x12"));
    assert!(check("tcp.flags & 0x02"));
    assert!(!check("tcp.flags & 0x01"));
    assert!(check("ip.flags.df == 1 && ip.flags.mf == 0"));
    assert!(check("ip.dsfield.dscp == 46 && ip.dsfield.ecn == 1"));
    assert!(check("tcp.len == 8"));
    assert!(check("tcp.port in {443, 1..2} && tcp.port in {8000..8100}"));
    assert!(check(
        "eth.addr == ff:ff:ff:ff:ff:ff && eth.src[0:3] == 02:17:0d"
    ));
    assert!(check(
        "ip.src[3] == 02 && len(ip.src) == 4 && count(ip.addr) == 2"
    ));
}

/// A frame with two DNS query names (as an mDNS packet with two questions has).
fn two_names() -> FrameFields {
    let mut f = FrameFields::default();
    f.enter(Proto::Dns);
    f.push_text(Field::DnsQryName, b"printer.local");
    f.push_text(Field::DnsQryName, b"_ipp._tcp.local");
    f
}

fn check_names(text: &str) -> bool {
    Filter::parse(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .matches(&two_names())
}

#[test]
fn string_fields_compare_their_text_exactly_with_the_any_and_all_rules() {
    assert!(check_names("dns.qry.name"));
    assert!(check_names(r#"dns.qry.name == "printer.local""#));
    assert!(check_names(r#"dns.qry.name == "_ipp._tcp.local""#));
    // Exact and case-sensitive, as tshark's string equality.
    assert!(!check_names(r#"dns.qry.name == "Printer.local""#));
    assert!(!check_names(r#"dns.qry.name == "printer""#));
    // `!=` holds when every name differs; `~=` when one does; `===` when all are equal.
    assert!(!check_names(r#"dns.qry.name != "printer.local""#));
    assert!(check_names(r#"dns.qry.name != "other.local""#));
    assert!(check_names(r#"dns.qry.name ~= "printer.local""#));
    assert!(!check_names(r#"dns.qry.name === "printer.local""#));
    assert!(check_names(r#"dns.qry.name contains "_tcp""#));
    assert!(!check_names(r#"dns.qry.name contains "_TCP""#));
    assert!(check_names(r#"dns.qry.name matches "^_ipp\\.""#));
    assert!(check_names(r#"dns.qry.name matches "(?i)^PRINTER""#));
    assert!(check_names(
        r#"dns.qry.name in {"a.local", "printer.local"}"#
    ));
    assert!(!check_names(r#"dns.qry.name in {"a.local", "b.local"}"#));
    assert!(check_names(
        r#"dns.qry.name[0:4] == "_ipp" && count(dns.qry.name) == 2"#
    ));
    // A string field the frame lacks is absent, not empty.
    assert!(!check_names(r#"http.host == """#));
    assert!(check_names(r#"!http.host"#));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that build plausible filters, so the generator reaches deep into the parser
    /// rather than failing at the first character.
    const PIECES: &[&str] = &[
        "tcp",
        "ip.addr",
        "tcp.port",
        "eth.dst",
        "frame",
        "ip.src",
        "tcp.flags",
        "udp.payload",
        "tcp.flags.syn",
        "ipv6.addr",
        "==",
        "!=",
        "===",
        "!==",
        "~=",
        "<",
        ">=",
        "eq",
        "and",
        "or",
        "not",
        "&&",
        "||",
        "!",
        "&",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "-",
        "..",
        "in",
        "contains",
        "matches",
        "len(",
        "count(",
        "80",
        "0x12",
        "10.0.0.0/8",
        "fe80::1",
        "ff:ff:ff:ff:ff:ff",
        "aa:bb",
        "\"GET\"",
        "\"(?i)x\"",
        "'a'",
        "1",
        "0",
        "True",
        "-1",
        "0:3",
        "1-2",
        "2:",
        " ",
        "\\",
        "\"",
        "\u{e9}",
    ];

    fn phrase() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|parts| parts.join(" "))
    }

    fn cases() -> u32 {
        if cfg!(miri) {
            8
        } else {
            2048
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn parser_never_panics_on_arbitrary_text(text in "\\PC{0,64}") {
            let _ = Filter::parse(&text);
        }

        #[test]
        fn errors_point_inside_the_expression(text in phrase()) {
            if let Err(e) = Filter::parse(&text) {
                prop_assert!(e.position() <= text.len());
                prop_assert!(text.is_char_boundary(e.position()));
            }
        }

        #[test]
        fn printing_round_trips(text in phrase()) {
            if let Ok(filter) = Filter::parse(&text) {
                let printed = filter.to_string();
                let again = Filter::parse(&printed)
                    .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}: {e}"));
                prop_assert_eq!(again.to_string(), printed);
                // The same tree: it selects the same frames.
                let f = frame();
                prop_assert_eq!(again.matches(&f), filter.matches(&f));
            }
        }
    }
}
