//! Field values that tshark prints as text and zcdump stores as [`Value::Text`]: byte
//! strings (lower-case hex, no separators), NUL-terminated strings, and absolute times in
//! UTC (`Nov 12, 2023 13:45:00.500000000 UTC`, the day padded with a space to two places).
//!
//! [`Value::Text`]: crate::fields::Value::Text

use super::text::push_display;
use crate::fields::{Field, FrameFields};

/// Pushes `bytes` as tshark prints an `FT_BYTES` field (`c0000201`), if `field` is wanted.
pub(super) fn push_hex(out: &mut FrameFields, field: Field, bytes: &[u8]) {
    if !out.wants(field) {
        return;
    }
    let mut text = Vec::with_capacity(bytes.len() * 2);
    push_hex_to(&mut text, bytes);
    out.push_text(field, &text);
}

/// Appends `bytes` in lower-case hex.
pub(super) fn push_hex_to(text: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        text.extend_from_slice(&[DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]);
    }
}

/// Pushes an `FT_STRINGZ` field: the bytes up to the first NUL, in tshark's display.
pub(super) fn push_stringz(out: &mut FrameFields, field: Field, raw: &[u8]) {
    if !out.wants(field) {
        return;
    }
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let mut text = Vec::with_capacity(end);
    push_display(&mut text, &raw[..end]);
    out.push_text(field, &text);
}

/// Seconds from 1900-01-01 (NTP's era 0) to the Unix epoch (RFC 5905 6).
pub(super) const NTP_TO_UNIX: i64 = 2_208_988_800;

/// Pushes an NTP timestamp (RFC 5905 6: 32 bits of seconds since 1900, 32 bits of
/// fraction) as tshark shows it: `NULL` when all 64 bits are zero, else the UTC time with
/// the fraction truncated to nanoseconds.
pub(super) fn push_ntp_time(out: &mut FrameFields, field: Field, stamp: [u8; 8]) {
    if !out.wants(field) {
        return;
    }
    let [s0, s1, s2, s3, f0, f1, f2, f3] = stamp;
    let secs = u32::from_be_bytes([s0, s1, s2, s3]);
    let frac = u32::from_be_bytes([f0, f1, f2, f3]);
    if secs == 0 && frac == 0 {
        return out.push_text(field, b"NULL");
    }
    let nanos = ((u64::from(frac) * 1_000_000_000) >> 32) as u32;
    let mut text = Vec::with_capacity(36);
    push_utc(&mut text, i64::from(secs) - NTP_TO_UNIX, nanos);
    out.push_text(field, &text);
}

/// Appends `Mon DD, YYYY HH:MM:SS.nnnnnnnnn UTC` for `unix` seconds and `nanos`.
pub(super) fn push_utc(text: &mut Vec<u8>, unix: i64, nanos: u32) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let second_of_day = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let month_name = MONTHS[(month - 1) as usize];
    let line = format!(
        "{month_name} {day:>2}, {year} {:02}:{:02}:{:02}.{nanos:09} UTC",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    );
    text.extend_from_slice(line.as_bytes());
}

/// The proleptic Gregorian date of a day count from 1970-01-01: (year, month 1-12, day
/// 1-31). Counts in 400-year eras of 146,097 days, with years starting on March 1 so that
/// the leap day is the last day of a year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(unix: i64, nanos: u32) -> String {
        let mut v = Vec::new();
        push_utc(&mut v, unix, nanos);
        String::from_utf8(v).expect("ASCII")
    }

    #[test]
    fn utc_text_is_tsharks() {
        // tshark 4.0 on samples/app-udp.pcap (NTP and DHCPv6 DUID times).
        assert_eq!(
            utc(3_908_785_500 - NTP_TO_UNIX, 500_000_000),
            "Nov 12, 2023 13:45:00.500000000 UTC"
        );
        assert_eq!(
            utc(946_684_800 + 700_000_000, 0),
            "Mar  7, 2022 20:26:40.000000000 UTC"
        );
        assert_eq!(utc(0, 1), "Jan  1, 1970 00:00:00.000000001 UTC");
        assert_eq!(utc(951_782_400, 0), "Feb 29, 2000 00:00:00.000000000 UTC");
        assert_eq!(utc(-1, 0), "Dec 31, 1969 23:59:59.000000000 UTC");
    }

    #[test]
    fn hex_is_lower_case_without_separators() {
        let mut v = Vec::new();
        push_hex_to(&mut v, &[0xc0, 0x00, 0x02, 0xaf]);
        assert_eq!(v, b"c00002af");
    }
}
