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
    // Each line is built in one buffer and written whole: the rows used to go through the
    // formatting machinery field by field, about 11,000 instructions a row.
    let width = if table.has_ports() { 26 } else { 20 };
    let mut line = Vec::with_capacity(160);
    for r in rows {
        line.clear();
        pad_after(&mut line, &r.a, width);
        line.extend_from_slice(b" <-> ");
        pad_after(&mut line, &r.b, width);
        let total = (r.b_to_a.0 + r.a_to_b.0, r.b_to_a.1 + r.a_to_b.1);
        for (frames, bytes) in [r.b_to_a, r.a_to_b, total] {
            line.extend_from_slice(b"  ");
            let digits = uint_digits(frames);
            line.resize(line.len() + 6usize.saturating_sub(digits.len()), b' ');
            line.extend_from_slice(digits.as_bytes());
            line.push(b' ');
            let at = line.len();
            write_size(&mut line, bytes);
            line.resize(line.len() + 9usize.saturating_sub(line.len() - at), b' ');
        }
        let (start, stop) = (seconds(r.start_ns), seconds(r.stop_ns));
        line.extend_from_slice(b"  ");
        match exact_seconds(r.start_ns) {
            Some(text) => {
                line.resize(line.len() + 14usize.saturating_sub(text.len()), b' ');
                line.extend_from_slice(text.as_bytes());
            }
            None => write!(line, "{start:>14.9}")?,
        }
        line.extend_from_slice(b"   ");
        let duration = stop - start;
        match four_decimals(duration) {
            Some(text) => {
                line.resize(line.len() + 12usize.saturating_sub(text.len()), b' ');
                line.extend_from_slice(text.as_bytes());
                line.push(b'\n');
            }
            None => writeln!(line, "{duration:>12.4}")?,
        }
        out.write_all(&line)?;
    }
    writeln!(out, "{RULE}")
}

/// Appends `text` and spaces up to `width` characters, as `{:<width}` does.
fn pad_after(line: &mut Vec<u8>, text: &str, width: usize) {
    line.extend_from_slice(text.as_bytes());
    let chars = if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    line.resize(line.len() + width.saturating_sub(chars), b' ');
}

/// The decimal digits of `v`, without the formatting machinery.
fn uint_digits(mut v: u64) -> Digits {
    let mut d = Digits {
        buf: [b'0'; 20],
        start: 20,
    };
    loop {
        d.start -= 1;
        d.buf[d.start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 || d.start == 0 {
            return d;
        }
    }
}

/// Up to 20 decimal digits, the last `20 - start` bytes of `buf`.
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.as_bytes().len()
    }
}

/// `seconds(ns)` as `{:.9}` prints it, from the integer nanoseconds, when that is exact:
/// below 2^20 s the double is within 6e-11 of the nanosecond value (two roundings of at
/// most half a unit in the last place, 2^-34), so rounding it to nine decimals gives that
/// value back. Otherwise (negative, or later than 2^20 s) `None`: format the double.
fn exact_seconds(ns: i128) -> Option<ExactSeconds> {
    let ns = u64::try_from(ns)
        .ok()
        .filter(|&n| n < (1u64 << 20) * 1_000_000_000)?;
    let mut text = ExactSeconds {
        buf: [b'0'; 17],
        len: 0,
    };
    let secs = uint_digits(ns / 1_000_000_000);
    let secs = secs.as_bytes();
    let mut nanos = ns % 1_000_000_000;
    let end = secs.len() + 10;
    let out = text.buf.get_mut(..end)?;
    out.get_mut(..secs.len())?.copy_from_slice(secs);
    *out.get_mut(secs.len())? = b'.';
    for b in out.get_mut(secs.len() + 1..)?.iter_mut().rev() {
        *b = b'0' + (nanos % 10) as u8;
        nanos /= 10;
    }
    text.len = end;
    Some(text)
}

/// `d` as `{:.4}` prints it, when `0 <= d < 2^20` and `d` is not halfway between two
/// four-decimal numbers (where the rounding rule would matter): the double's exact value
/// is `m * 2^e`, so `d * 10^4` is the integer `m * 10^4` shifted right by `-e`, and the
/// bits shifted out say whether to round up. Otherwise `None`: format the double.
fn four_decimals(d: f64) -> Option<ExactSeconds> {
    if !(0.0..1_048_576.0).contains(&d) {
        return None;
    }
    let bits = d.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, e) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    };
    // d < 2^20, so e <= -33: the shift is at least 33.
    let shift = u32::try_from(-e).ok()?;
    let scaled = u128::from(m) * 10_000;
    let q = if shift >= 127 {
        // Below 2^-60 after scaling: rounds to zero.
        0
    } else {
        let q = scaled >> shift;
        let rest = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        match rest.cmp(&half) {
            std::cmp::Ordering::Less => q,
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal => return None,
        }
    };
    let q = u64::try_from(q).ok()?;
    let whole = uint_digits(q / 10_000);
    let whole = whole.as_bytes();
    let mut text = ExactSeconds {
        buf: [b'0'; 17],
        len: 0,
    };
    let end = whole.len() + 5;
    let out = text.buf.get_mut(..end)?;
    out.get_mut(..whole.len())?.copy_from_slice(whole);
    *out.get_mut(whole.len())? = b'.';
    let mut frac = q % 10_000;
    for b in out.get_mut(whole.len() + 1..)?.iter_mut().rev() {
        *b = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    text.len = end;
    Some(text)
}

/// A number of seconds with nine or four decimals (at most seven whole digits).
struct ExactSeconds {
    buf: [u8; 17],
    len: usize,
}

impl ExactSeconds {
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// A byte count as tshark's `format_size` writes it with SI prefixes: exact below 10,000,
/// else the whole number of kB, MB, GB or TB (rounded down) that is at least 10.
fn write_size(line: &mut Vec<u8>, bytes: u64) {
    let mut unit = 1u64;
    for prefix in ["", "k", "M", "G", "T"] {
        // The largest prefix whose count is at least 10 wins; T has no successor.
        let next = unit.saturating_mul(1000);
        if prefix == "T" || bytes / next < 10 {
            if prefix.is_empty() {
                line.extend_from_slice(uint_digits(bytes).as_bytes());
                line.extend_from_slice(b" bytes");
            } else {
                line.extend_from_slice(uint_digits(bytes / unit).as_bytes());
                line.push(b' ');
                line.extend_from_slice(prefix.as_bytes());
                line.push(b'B');
            }
            return;
        }
        unit = next;
    }
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
    use proptest::prelude::*;

    fn size(bytes: u64) -> String {
        let mut out = Vec::new();
        write_size(&mut out, bytes);
        String::from_utf8(out).unwrap_or_default()
    }

    /// The rows as the formatting machinery writes them (the writer before it built lines
    /// itself): the fast writer must give the same bytes.
    fn reference(table: Table, rows: &[Row]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in rows {
            if table.has_ports() {
                write!(out, "{:<26} <-> {:<26}", r.a, r.b).expect("Vec");
            } else {
                write!(out, "{:<20} <-> {:<20}", r.a, r.b).expect("Vec");
            }
            let total = (r.b_to_a.0 + r.a_to_b.0, r.b_to_a.1 + r.a_to_b.1);
            for (frames, bytes) in [r.b_to_a, r.a_to_b, total] {
                write!(out, "  {frames:>6} {:<9}", size(bytes)).expect("Vec");
            }
            let (start, stop) = (seconds(r.start_ns), seconds(r.stop_ns));
            writeln!(out, "  {start:>14.9}   {:>12.4}", stop - start).expect("Vec");
        }
        out
    }

    fn rows_of(out: &[u8]) -> &[u8] {
        // The rows sit between the four header lines and the closing rule.
        let mut at = 0;
        for _ in 0..5 {
            at += out[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
        }
        &out[at..out.len() - RULE.len() - 1]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 512 }))]

        #[test]
        fn rows_are_the_bytes_the_formatting_machinery_writes(
            a in "[0-9a-f:.]{0,30}|\\PC{0,8}",
            b in "[0-9a-f:.]{0,30}",
            counts in proptest::array::uniform4(prop_oneof![0u64..20_000, any::<u64>().prop_map(|v| v >> 2)]),
            start in prop_oneof![
                0i128..5_000_000_000,
                0i128..(1i128 << 20) * 1_000_000_000 + 5,
                -5_000_000_000i128..0,
                any::<i64>().prop_map(i128::from),
            ],
            length in prop_oneof![
                0i128..2_000_000_000,
                any::<u32>().prop_map(|v| i128::from(v) * 1000),
                (0i128..64).prop_map(|v| v * 31_250_000),
            ],
            ports in any::<bool>(),
        ) {
            let row = Row {
                a,
                b,
                b_to_a: (counts[0], counts[1]),
                a_to_b: (counts[2], counts[3]),
                start_ns: start,
                stop_ns: start + length,
            };
            let table = if ports { Table::Tcp } else { Table::Ip };
            let mut out = Vec::new();
            write(&mut out, table, None, std::slice::from_ref(&row)).expect("written");
            let want = reference(table, &[row]);
            prop_assert_eq!(
                String::from_utf8_lossy(rows_of(&out)),
                String::from_utf8_lossy(&want)
            );
        }
    }

    #[test]
    fn durations_halfway_between_two_outputs_are_left_to_the_formatter() {
        for d in [
            0.03125,
            0.00005,
            1.0,
            0.0,
            12.34565,
            1_048_575.999_95,
            1e-300,
            5e-324,
        ] {
            assert_eq!(
                four_decimals(d).map(|t| String::from_utf8_lossy(t.as_bytes()).into_owned()),
                if d == 0.03125 {
                    None
                } else {
                    Some(format!("{d:.4}"))
                },
                "{d}"
            );
        }
        assert!(four_decimals(-1.0).is_none() && four_decimals(f64::NAN).is_none());
    }

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
