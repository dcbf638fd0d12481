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
