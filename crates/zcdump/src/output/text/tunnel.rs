//! Tunnel summaries in `tcpdump -n`'s words: GRE (`GREv0, key=0x..., seq N, length N: `
//! and the carried packet) and MPLS label stacks (`MPLS (label L, tc T, [S], ttl X) `).

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto};

/// GRE (RFC 2784, with RFC 2890's key and sequence number).
pub(super) const GRE: TextSummary = TextSummary {
    proto: Proto::Gre,
    fields: &[
        Field::GreFlagsAndVersion,
        Field::GreProto,
        Field::GreKey,
        Field::GreSequenceNumber,
    ],
    write: gre,
};

/// One MPLS label stack entry; the first of a stack names the protocol.
pub(super) const MPLS: TextSummary = TextSummary {
    proto: Proto::Mpls,
    fields: &[
        Field::MplsLabel,
        Field::MplsExp,
        Field::MplsBottom,
        Field::MplsTtl,
    ],
    write: mpls,
};

/// The checksum-present bit of GRE's first word (RFC 2784 section 2.1).
const GRE_CHECKSUM: u64 = 0x8000;

fn gre(line: &mut Line<'_>) {
    let flags = line.uint(Field::GreFlagsAndVersion).unwrap_or(0);
    line.put(b"GREv");
    line.dec(flags & 0x7);
    if flags & GRE_CHECKSUM != 0 {
        // tcpdump prints the word after the checksum (reserved, RFC 2784 2.5: sent as
        // zero), which zcdump does not keep as a field.
        line.put(b", off 0x0");
    }
    if let Some(key) = line.uint(Field::GreKey) {
        line.put(b", key=0x");
        hex_unpadded(line, key);
    }
    if let Some(seq) = line.uint(Field::GreSequenceNumber) {
        line.put(b", seq ");
        line.dec(seq);
    }
    line.put(b", length ");
    line.dec(line.network.payload_len);
    if !line.next_with(b": ") {
        line.put(b": gre-proto-0x");
        hex_unpadded(line, line.uint(Field::GreProto).unwrap_or(0));
    }
}

fn mpls(line: &mut Line<'_>) {
    if line.prev_proto() != Some(Proto::Mpls) {
        line.put(b"MPLS");
    }
    line.put(b" (label ");
    line.dec(line.uint(Field::MplsLabel).unwrap_or(0));
    line.put(b", tc ");
    line.dec(line.uint(Field::MplsExp).unwrap_or(0));
    let bottom = line.uint(Field::MplsBottom) == Some(1);
    if bottom {
        line.put(b", [S]");
    }
    line.put(b", ttl ");
    line.dec(line.uint(Field::MplsTtl).unwrap_or(0));
    line.byte(b')');
    if bottom {
        line.next_with(b" ");
    } else {
        line.next();
    }
}

/// `n` in lower-case hex without leading zeros (tcpdump's `%x`).
fn hex_unpadded(line: &mut Line<'_>, n: u64) {
    let digits = (64 - n.leading_zeros()).div_ceil(4).max(1);
    for shift in (0..digits).rev() {
        line.byte(b"0123456789abcdef"[((n >> (shift * 4)) & 0xf) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use crate::capture::{LinkType, Packet};
    use crate::dissect::dissect;
    use crate::fields::FrameFields;
    use crate::output::{FrameMeta, LineWriter, TextWriter};

    /// Record `index` (from 0) of a little-endian classic pcap file.
    fn record(file: &[u8], index: usize) -> &[u8] {
        let mut at = 24;
        for i in 0.. {
            let len_bytes: [u8; 4] = file[at + 8..at + 12].try_into().expect("4 bytes");
            let len = u32::from_le_bytes(len_bytes) as usize;
            if i == index {
                return &file[at + 16..at + 16 + len];
            }
            at += 16 + len;
        }
        unreachable!()
    }

    /// zcdump's absolute-numbers line for an Ethernet frame, after the time of day.
    fn line(data: &[u8]) -> String {
        let packet = Packet {
            ts_sec: 0,
            ts_nsec: 0,
            orig_len: data.len() as u32,
            link_type: LinkType::Ethernet,
            data,
        };
        let mut fields = FrameFields::default();
        dissect(&packet, 1, &mut fields);
        let meta = FrameMeta {
            frame: data,
            ..FrameMeta::default()
        };
        let mut out = Vec::new();
        TextWriter::absolute().frame(&meta, &fields, &mut out);
        let text = String::from_utf8(out).expect("UTF-8");
        text.split_once(' ')
            .map(|(_, rest)| rest.trim_end().to_string())
            .unwrap_or_default()
    }

    /// tcpdump 4.99's `-nS` lines for these frames of `samples/tunnels.pcap`.
    #[test]
    fn gre_and_mpls_lines_are_tcpdumps() {
        let file = include_bytes!("../../../../../samples/tunnels.pcap");
        assert_eq!(
            line(record(file, 2)),
            "IP 192.0.2.1 > 192.0.2.2: GREv0, length 44: IP 192.0.2.2.22 > 192.0.2.1.50000: \
             Flags [.], ack 6, win 8192, length 0"
        );
        assert!(line(record(file, 3))
            .starts_with("IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x1020304, seq 7, length 44: IP "));
        assert!(line(record(file, 4))
            .starts_with("IP 192.0.2.1 > 192.0.2.2: GREv0, off 0x0, length 61: IP6 "));
        assert!(line(record(file, 6)).starts_with(
            "IP 192.0.2.1 > 192.0.2.2: GREv0, length 40: MPLS (label 100, tc 0, [S], ttl 64) IP "
        ));
        assert_eq!(
            line(record(file, 10)),
            "MPLS (label 1000, tc 0, ttl 64) (label 2000, tc 0, ttl 64) (label 3000, tc 0, [S], \
             ttl 64) IP 192.0.2.2.22 > 192.0.2.1.50000: Flags [.], ack 6, win 8192, length 0"
        );
    }
}
