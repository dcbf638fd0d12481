//! tshark's value text, written straight into an output buffer without allocating.
//!
//! Integers print in decimal or as `0x` plus a fixed number of lower-case hex digits (the
//! width of the field's type, not of the value), MAC addresses as colon-separated lower-case
//! octets, IPv6 addresses in RFC 5952 form (longest zero run compressed).

use super::{Field, FrameFields, Kind, Value};

/// Appends `v` in decimal.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_dec(&mut out, 1_867_935_695);
/// assert_eq!(out, b"1867935695");
/// ```
pub fn write_dec(out: &mut Vec<u8>, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `0x` and the low `width` hex digits of `v`, lower case, zero padded.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_hex(&mut out, 0x2, 2);
/// assert_eq!(out, b"0x02");
/// ```
pub fn write_hex(out: &mut Vec<u8>, v: u64, width: u32) {
    out.extend_from_slice(b"0x");
    for shift in (0..width).rev() {
        let nibble = (v >> (shift * 4)) & 0xf;
        out.push(HEX[nibble as usize]);
    }
}

/// Appends a MAC address as `aa:bb:cc:dd:ee:ff`.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_mac(&mut out, [0x0a, 0x97, 0xf9, 0xdf, 0x54, 0x65]);
/// assert_eq!(out, b"0a:97:f9:df:54:65");
/// ```
pub fn write_mac(out: &mut Vec<u8>, mac: [u8; 6]) {
    for (i, b) in mac.iter().enumerate() {
        if i > 0 {
            out.push(b':');
        }
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0xf)]);
    }
}

/// Appends an IPv4 address as a dotted quad.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_ipv4(&mut out, [10, 77, 0, 2]);
/// assert_eq!(out, b"10.77.0.2");
/// ```
pub fn write_ipv4(out: &mut Vec<u8>, a: [u8; 4]) {
    for (i, &b) in a.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        // At most three digits: pushed one by one, cheaper than the general path.
        if b >= 100 {
            out.push(b'0' + b / 100);
        }
        if b >= 10 {
            out.push(b'0' + b / 10 % 10);
        }
        out.push(b'0' + b % 10);
    }
}

/// Appends an IPv6 address in RFC 5952 form.
///
/// ```
/// let mut out = Vec::new();
/// let mut a = [0u8; 16];
/// a[0] = 0xfe; a[1] = 0x80; a[15] = 1;
/// zcdump::fields::format::write_ipv6(&mut out, a);
/// assert_eq!(out, b"fe80::1");
/// ```
pub fn write_ipv6(out: &mut Vec<u8>, a: [u8; 16]) {
    // RFC 5952 as std's `Display` for `Ipv6Addr` applies it (and Wireshark too): `::` and
    // `::1` as such, IPv4-mapped addresses as `::ffff:a.b.c.d`, otherwise lower-case groups
    // without leading zeros and the first longest run of two or more zero groups as `::`.
    // Written by hand because `fmt` machinery costs more than the rest of a text line; the
    // tests compare it with std on many addresses.
    let groups: [u16; 8] = std::array::from_fn(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]));
    if groups[..5] == [0; 5] && groups[5] == 0xffff {
        out.extend_from_slice(b"::ffff:");
        return write_ipv4(out, [a[12], a[13], a[14], a[15]]);
    }
    let (mut best, mut best_len, mut run, mut run_len) = (0, 0, 0, 0);
    for (i, g) in groups.iter().enumerate() {
        if *g == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best, best_len) = (run, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    let write_groups = |out: &mut Vec<u8>, groups: &[u16]| {
        for (i, g) in groups.iter().enumerate() {
            if i > 0 {
                out.push(b':');
            }
            write_hex_group(out, *g);
        }
    };
    if best_len > 1 {
        write_groups(out, &groups[..best]);
        out.extend_from_slice(b"::");
        write_groups(out, &groups[best + best_len..]);
    } else {
        write_groups(out, &groups);
    }
}

/// A 16-bit group in lower-case hex without leading zeros.
fn write_hex_group(out: &mut Vec<u8>, g: u16) {
    let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
    for shift in (0..digits).rev() {
        out.push(HEX[usize::from((g >> (shift * 4)) & 0xf)]);
    }
}

/// Appends `value` as tshark prints `field`.
///
/// ```
/// use zcdump::fields::{format::write_value, Field, Value};
/// let mut out = Vec::new();
/// write_value(&mut out, Field::TcpFlags, Value::Uint(0x12));
/// assert_eq!(out, b"0x0012");
/// ```
pub fn write_value(out: &mut Vec<u8>, field: Field, value: Value) {
    match value {
        Value::Present => {}
        Value::Mac(m) => write_mac(out, m),
        Value::Ipv4(a) => write_ipv4(out, a),
        Value::Ipv6(a) => write_ipv6(out, a),
        Value::Uint(v) => match field.kind() {
            Kind::Hex2 => write_hex(out, v, 2),
            Kind::Hex4 => write_hex(out, v, 4),
            Kind::Hex6 => write_hex(out, v, 6),
            Kind::Hex8 => write_hex(out, v, 8),
            _ => write_dec(out, v),
        },
        // The text lives in its frame: see `write_frame_value`.
        Value::Text(_) => {}
    }
}

/// Appends `value` of `frame` as tshark prints `field`: as [`write_value`], and text
/// values from the frame's text store.
///
/// ```
/// use zcdump::fields::{format::write_frame_value, Field, FrameFields};
/// let mut f = FrameFields::default();
/// f.push_text(Field::DnsQryName, b"example.com");
/// f.push_uint(Field::DnsId, 0x1234u16);
/// let mut out = Vec::new();
/// for (field, value) in f.entries() {
///     write_frame_value(&mut out, &f, *field, *value);
///     out.push(b' ');
/// }
/// assert_eq!(out, b"example.com 0x1234 ");
/// ```
pub fn write_frame_value(out: &mut Vec<u8>, frame: &FrameFields, field: Field, value: Value) {
    match value {
        Value::Text(t) => out.extend_from_slice(frame.text(t)),
        _ => write_value(out, field, value),
    }
}

/// Appends `text` escaped for the inside of a JSON string: quotes, backslashes and
/// control bytes as `\uXXXX` escapes (other bytes as they are).
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_json_escaped(&mut out, b"a\"b\\c\n");
/// assert_eq!(out, b"a\\u0022b\\u005cc\\u000a");
/// ```
pub fn write_json_escaped(out: &mut Vec<u8>, text: &[u8]) {
    for &b in text {
        if b < 0x20 || b == b'"' || b == b'\\' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: Field, value: Value) -> String {
        let mut out = Vec::new();
        write_value(&mut out, field, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hex_width_comes_from_the_field_not_the_value() {
        assert_eq!(text(Field::IpFlags, Value::Uint(0)), "0x00");
        assert_eq!(text(Field::EthType, Value::Uint(0x800)), "0x0800");
        assert_eq!(text(Field::Ipv6Flow, Value::Uint(0x2ad61)), "0x02ad61");
        assert_eq!(text(Field::Ipv6Tclass, Value::Uint(0)), "0x00000000");
    }

    #[test]
    fn decimal_covers_zero_and_the_u64_range() {
        assert_eq!(text(Field::TcpSeqRaw, Value::Uint(0)), "0");
        assert_eq!(
            text(Field::TcpSeqRaw, Value::Uint(u64::MAX)),
            u64::MAX.to_string()
        );
    }

    #[test]
    fn decimal_matches_std_at_every_length() {
        let mut v = 1u64;
        for _ in 0..20 {
            for x in [v - 1, v, v + 1, v.saturating_mul(9)] {
                let mut out = b"x".to_vec();
                write_dec(&mut out, x);
                assert_eq!(out, format!("x{x}").into_bytes());
            }
            v = v.saturating_mul(10);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 4096 }))]

        #[test]
        fn ipv6_text_matches_std(
            groups in proptest::array::uniform8(proptest::prop_oneof![
                3 => proptest::strategy::Just(0u16),
                1 => proptest::strategy::Just(0xffffu16),
                4 => proptest::prelude::any::<u16>(),
            ]),
        ) {
            let addr = std::net::Ipv6Addr::from(groups);
            let mut out = Vec::new();
            write_ipv6(&mut out, addr.octets());
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), addr.to_string());
        }
    }

    #[test]
    fn ipv6_special_forms_match_std() {
        for text in [
            "::",
            "::1",
            "::ffff:10.0.0.1",
            "::a00:1",
            "1::",
            "1:0:0:1::",
            "0:0:1::",
        ] {
            let addr: std::net::Ipv6Addr = text.parse().unwrap();
            let mut out = Vec::new();
            write_ipv6(&mut out, addr.octets());
            assert_eq!(String::from_utf8(out).unwrap(), addr.to_string(), "{text}");
        }
    }

    #[test]
    fn ipv6_compresses_the_longest_zero_run() {
        let mut a = [0u8; 16];
        a[0] = 0xff;
        a[1] = 0x02;
        a[11] = 1;
        a[12] = 0xff;
        a[13] = 0x5d;
        a[14] = 0x1a;
        a[15] = 0xad;
        assert_eq!(text(Field::Ipv6Dst, Value::Ipv6(a)), "ff02::1:ff5d:1aad");
        assert_eq!(text(Field::Ipv6Src, Value::Ipv6([0; 16])), "::");
    }
}
