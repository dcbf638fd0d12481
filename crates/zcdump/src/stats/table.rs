//! One conversation table of the report, laid out as tshark 4.0's `-z conv,TYPE` prints it
//! (column widths, byte counts with SI prefixes, start relative to the first frame and
//! duration in seconds), so the two can be compared line by line.

use std::io::{self, Write};

use super::conversation::{ConversationKey, Table};
use super::tally::Conversation;

/// The rule tshark draws around each table.
const RULE: &str =
    "================================================================================";

/// One line of a table: endpoint A (the source of the conversation's first frame) and B,
/// each direction's frames and bytes, and the times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    a: String,
    b: String,
    /// Frames and bytes from B to A (tshark's `<-`), then from A to B (`->`).
    b_to_a: (u64, u64),
    a_to_b: (u64, u64),
    /// Nanoseconds from the capture's first frame to the conversation's first, and to its
    /// last.
    start_ns: i128,
    stop_ns: i128,
}

impl Row {
    /// The row of conversation `c` under `key`, with times relative to `capture_start_ns`.
    pub fn new(key: &ConversationKey, c: &Conversation, capture_start_ns: i128) -> Row {
        let (first, second) = key.endpoint_texts();
        let (a, b) = if c.a_is_first {
            (first, second)
        } else {
            (second, first)
        };
        let (ab, ba) = c.a_to_b();
        Row {
            a,
            b,
            b_to_a: (ba.frames, ba.bytes),
            a_to_b: (ab.frames, ab.bytes),
            start_ns: c.first_ns - capture_start_ns,
            stop_ns: c.last_ns - capture_start_ns,
        }
    }
}

/// Writes table `table` with `rows` (already in order); `filter` is echoed as tshark echoes
/// a tap's filter.
pub(super) fn write(
    out: &mut impl Write,
    table: Table,
    filter: Option<&str>,
    rows: &[Row],
) -> io::Result<()> {
    let indent = if table.has_ports() {
        "            "
    } else {
        ""
    };
    writeln!(out, "{RULE}\n{} Conversations", table.title())?;
    writeln!(out, "Filter:{}", filter.unwrap_or("<No Filter>"))?;
    writeln!(
        out,
        "{indent}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |"
    )?;
    writeln!(
        out,
        "{indent}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |"
    )?;
    for r in rows {
        if table.has_ports() {
            write!(out, "{:<26} <-> {:<26}", r.a, r.b)?;
        } else {
            write!(out, "{:<20} <-> {:<20}", r.a, r.b)?;
        }
        let total = (r.b_to_a.0 + r.a_to_b.0, r.b_to_a.1 + r.a_to_b.1);
        for (frames, bytes) in [r.b_to_a, r.a_to_b, total] {
            write!(out, "  {frames:>6} {:<9}", size(bytes))?;
        }
        let (start, stop) = (seconds(r.start_ns), seconds(r.stop_ns));
        writeln!(out, "  {start:>14.9}   {:>12.4}", stop - start)?;
    }
    writeln!(out, "{RULE}")
}

/// A byte count as tshark's `format_size` writes it with SI prefixes: exact below 10,000,
/// else the whole number of kB, MB, GB or TB (rounded down) that is at least 10.
///
/// ```ignore
/// assert_eq!(size(9999), "9999 bytes");
/// assert_eq!(size(10_999), "10 kB");
/// ```
fn size(bytes: u64) -> String {
    let mut unit = 1u64;
    for prefix in ["", "k", "M", "G", "T"] {
        // The largest prefix whose count is at least 10 wins; T has no successor.
        let next = unit.saturating_mul(1000);
        if prefix == "T" || bytes / next < 10 {
            return if prefix.is_empty() {
                format!("{bytes} bytes")
            } else {
                format!("{} {prefix}B", bytes / unit)
            };
        }
        unit = next;
    }
    format!("{bytes} bytes")
}

/// Nanoseconds as the double tshark's `nstime_to_sec` makes of them (seconds plus
/// nanoseconds over 10⁹), so that printing it rounds as tshark's printf does.
fn seconds(ns: i128) -> f64 {
    let secs = ns / 1_000_000_000;
    let nsecs = ns % 1_000_000_000;
    secs as f64 + nsecs as f64 / 1_000_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_exact_below_ten_thousand_then_rounded_down_with_a_prefix() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(9999), "9999 bytes");
        assert_eq!(size(10_000), "10 kB");
        assert_eq!(size(133_999), "133 kB");
        assert_eq!(size(9_999_999), "9999 kB");
        assert_eq!(size(10_000_000), "10 MB");
        assert_eq!(size(12_345_678_901), "12 GB");
        assert_eq!(size(u64::MAX), "18446744 TB");
    }

    #[test]
    fn a_row_is_laid_out_as_tshark_lays_it_out() {
        let row = Row {
            a: "10.77.0.1".into(),
            b: "10.77.0.2".into(),
            b_to_a: (103, 133_500),
            a_to_b: (74, 10_900),
            start_ns: 2_801_610_000,
            stop_ns: 11_820_210_000,
        };
        let mut out = Vec::new();
        write(&mut out, Table::Ip, None, &[row]).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        // A line of tshark 4.0's `-z conv,ip` output.
        let want = "10.77.0.1            <-> 10.77.0.2                103 133 kB         74 10 kB         177 144 kB        2.801610000         9.0186\n";
        assert!(text.contains(want), "{text}");
        assert!(text.starts_with(&format!("{RULE}\nIPv4 Conversations\nFilter:<No Filter>\n")));
    }
}
