//! The text summaries: one per protocol that has words in a text line, registered here.
//!
//! # How a protocol adds its summary
//!
//! 1. In a file of this directory (`dns.rs`, say), declare what the line needs and how it
//!    is written:
//!
//!    ```text
//!    pub(super) const SUMMARY: TextSummary = TextSummary {
//!        proto: Proto::Dns,
//!        fields: &[Field::DnsId, Field::DnsQryName],
//!        write,
//!    };
//!    fn write(line: &mut Line<'_>) {
//!        line.put(b"DNS ");
//!        if let Some(id) = line.uint(Field::DnsId) { line.dec(id); }
//!    }
//!    ```
//!
//! 2. Add `dns::SUMMARY,` to [`SUMMARIES`] below (and `mod dns;` in `mod.rs`).
//!
//! `fields` lists every field the summary reads: the dissector keeps only fields some
//! output reads, so a field missing from the list is never there. A test checks that each
//! protocol has at most one summary.
//!
//! # How a line is written
//!
//! The driver writes the time, then the summary of the first protocol after `frame` (the
//! link layer). Each summary writes its words and hands on to the layer right after its
//! own with [`Line::next`] (or [`Line::next_with`], which writes a separator first), as
//! tcpdump's printers call each other: Ethernet writes nothing and hands on, IPv4 writes
//! `IP src > dst:` and hands on, UDP hands on to an application summary and writes
//! `UDP, length N` only when there is none, TCP writes its flags and numbers and then
//! `: ` and the application's summary after `length N` when its payload is not empty.
//! `next` returns `false` when the next layer's protocol has no summary, and the caller
//! writes its own fallback (IPv4 writes `ip-proto-N`). So a protocol without a summary
//! ends the line's protocol chain where it sits.
//!
//! A summary reads its own layer's fields with [`Line::uint`] and [`Line::get`] (its
//! occurrences only, so a tunnel's inner header reads its own), the next layer's with
//! [`Line::next_uint`], the whole frame's with [`Line::fields`], and the captured bytes
//! with [`Line::frame`] (with [`FrameFields::payload`](crate::fields::FrameFields::payload)
//! for where a layer's payload sits). [`Line::network`] carries what IPv4 and IPv6 tell the
//! transport above them (payload length, addresses). Summaries write bytes with
//! [`Line::put`], [`Line::dec`], [`Line::value`]: no `format!`, no allocation per frame.

use super::line::Line;
use super::{dhcp, dns, icmp, ip, isl, link, ntp, pim, tcp, tunnel};
use crate::fields::{Field, Proto};

/// Writes one protocol's part of a text line.
pub(super) type WriteFn = fn(&mut Line<'_>);

/// One protocol's text summary: see the [module documentation](self).
#[derive(Clone, Copy)]
pub(super) struct TextSummary {
    /// The protocol whose layer it describes.
    pub proto: Proto,
    /// Every field it reads.
    pub fields: &'static [Field],
    /// Writes it.
    pub write: WriteFn,
}

/// Every registered summary.
pub(super) const SUMMARIES: &[TextSummary] = &[
    link::FRAME,
    link::ETH,
    link::NULL,
    link::RAW,
    link::PPP,
    link::CHDLC,
    link::SLL,
    link::RADIOTAP,
    link::WLAN,
    link::LLC,
    link::VLAN,
    link::DOT1AD,
    link::ARP,
    ip::IPV4,
    ip::IPV6,
    tcp::SUMMARY,
    ip::UDP,
    icmp::ICMP,
    icmp::ICMPV6,
    icmp::IGMP,
    tunnel::GRE,
    tunnel::MPLS,
    isl::ISL,
    dns::DNS,
    dns::MDNS,
    dhcp::DHCP,
    dhcp::DHCPV6,
    ntp::NTP,
    pim::PIM,
];

/// The summaries by protocol code ([`Proto::code`]), for the driver's lookups.
pub(super) fn by_code() -> Vec<Option<WriteFn>> {
    let mut table = vec![None; 256];
    for s in SUMMARIES {
        if let Some(slot) = table.get_mut(usize::from(s.proto.code())) {
            *slot = Some(s.write);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_has_at_most_one_summary() {
        let mut protos: Vec<Proto> = SUMMARIES.iter().map(|s| s.proto).collect();
        protos.sort();
        let before = protos.len();
        protos.dedup();
        assert_eq!(protos.len(), before);
    }

    #[test]
    fn every_summary_is_found_by_its_code() {
        let table = by_code();
        for s in SUMMARIES {
            assert!(
                table[usize::from(s.proto.code())].is_some(),
                "{:?}",
                s.proto
            );
        }
        assert_eq!(table.iter().flatten().count(), SUMMARIES.len());
    }
}
