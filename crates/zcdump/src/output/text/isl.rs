//! Cisco ISL as `tcpdump -n` prints it. tcpdump has no ISL printer: it reads the ISL
//! header as an 802.3 frame (destination, source, a length) carrying LLC/SNAP, whose OUI
//! is ISL's high source address bits (Cisco's 00:00:0c) and whose protocol id is the
//! VLAN and BPDU word. No Cisco protocol has that id for most VLANs, so the line is
//! `SRC > DST SNAP, oui Cisco (0x00000c), pid Unknown (0xVVVV), length N: ` followed by a
//! hex and ASCII dump of the 802.3 payload, as tcpdump does for a protocol it cannot
//! print.
//!
//! Not imitated: an ISL header whose VLAN word happens to be a Cisco SNAP protocol id
//! tcpdump prints (CDP, VTP, DTP, UDLD, PVST, VLAN bridge; tcpdump then decodes the
//! tagged frame as that protocol): zcdump writes the same words with the protocol's name
//! and the dump.

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// ISL.
pub(super) const ISL: TextSummary = TextSummary {
    proto: Proto::Isl,
    fields: &[
        Field::IslDst,
        Field::IslSrc,
        Field::IslLen,
        Field::IslHsa,
        Field::IslVlanId,
        Field::IslBpdu,
    ],
    write,
};

/// The 802.3 header tcpdump sees: destination, source, length.
const MAC_HEADER_LEN: usize = 14;
/// LLC (3 bytes) and SNAP (5 bytes), counted in the 802.3 length but not in tcpdump's.
const LLC_SNAP_LEN: u64 = 8;
/// Cisco's OUI.
const CISCO: u64 = 0x00_000c;

/// tcpdump's names for Cisco's SNAP protocol ids.
fn cisco_pid_name(pid: u64) -> &'static [u8] {
    match pid {
        0x2000 => b"CDP",
        0x2003 => b"VTP",
        0x2004 => b"DTP",
        0x0111 => b"UDLD",
        0x010b => b"PVST",
        0x010c => b"VLAN Bridge",
        _ => b"Unknown",
    }
}

fn write(line: &mut Line<'_>) {
    let (Some(Value::Mac(dst)), Some(Value::Mac(src)), Some(len)) = (
        line.get(Field::IslDst),
        line.get(Field::IslSrc),
        line.uint(Field::IslLen),
    ) else {
        // A header the capture cut: tcpdump's words need all of it.
        line.put(b"ISL [|isl]");
        return;
    };
    line.value(Value::Mac(src));
    line.put(b" > ");
    line.value(Value::Mac(dst));
    let oui = line.uint(Field::IslHsa).unwrap_or(0);
    line.put(b" SNAP, oui ");
    line.put(if oui == CISCO { b"Cisco" } else { b"Unknown" });
    line.put(b" (");
    line.hex(oui, 6);
    line.put(b"), pid ");
    let pid =
        line.uint(Field::IslVlanId).unwrap_or(0) << 1 | line.uint(Field::IslBpdu).unwrap_or(0);
    line.put(if oui == CISCO {
        cisco_pid_name(pid)
    } else {
        b"Unknown"
    });
    line.put(b" (");
    line.hex(pid, 4);
    line.put(b"), length ");
    line.dec(len.saturating_sub(LLC_SNAP_LEN));
    line.put(b": ");
    // The dump: the 802.3 payload (from the LLC header on) that was captured, only when
    // the frame starts with this header (an outer ISL, as tcpdump reads it).
    let frame = line.frame();
    let starts_here = frame.get(..6) == Some(&dst[..]) && frame.get(6..12) == Some(&src[..]);
    if starts_here {
        let end = frame.len().min(MAC_HEADER_LEN + len as usize);
        line.dump = Some((MAC_HEADER_LEN, end.saturating_sub(MAC_HEADER_LEN)));
    }
}

/// Appends tcpdump's hex and ASCII dump of `bytes` (`hex_and_ascii_print`): per 16
/// bytes, a new line, a tab, the offset, the bytes as 16-bit groups padded to a fixed
/// width, two spaces and the bytes that are visible ASCII characters (a space is not:
/// others show as `.`).
pub(super) fn hex_and_ascii(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Eight groups of " xxxx".
    const HEX_WIDTH: usize = 40;
    for (row, chunk) in bytes.chunks(16).enumerate() {
        out.extend_from_slice(b"\n\t0x");
        let offset = row * 16;
        for shift in [12, 8, 4, 0] {
            out.push(HEX[(offset >> shift) & 0xf]);
        }
        out.extend_from_slice(b": ");
        let start = out.len();
        for (i, b) in chunk.iter().enumerate() {
            if i % 2 == 0 {
                out.push(b' ');
            }
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
        let written = out.len() - start;
        out.resize(out.len() + HEX_WIDTH.saturating_sub(written) + 2, b' ');
        out.extend(
            chunk
                .iter()
                .map(|&b| if b.is_ascii_graphic() { b } else { b'.' }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_rows_are_tcpdumps() {
        let bytes: Vec<u8> = (0x41..0x41 + 19).collect();
        let mut out = Vec::new();
        hex_and_ascii(&mut out, &bytes);
        assert_eq!(
            String::from_utf8(out).expect("ASCII"),
            "\n\t0x0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50  ABCDEFGHIJKLMNOP\
             \n\t0x0010:  5152 53                                  QRS"
        );
    }

    #[test]
    fn unprintable_bytes_are_dots() {
        let mut out = Vec::new();
        hex_and_ascii(&mut out, &[0x00, 0x7f, 0x20, b'~']);
        assert!(out.ends_with(b"  ...~"));
    }
}
