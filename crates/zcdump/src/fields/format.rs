//! tshark's value text, written straight into an output buffer without allocating.
//!
//! Integers print in decimal or as `0x` plus a fixed number of lower-case hex digits (the
//! width of the field's type, not of the value), MAC addresses as colon-separated lower-case
//! octets, IPv6 addresses in RFC 5952 form (longest zero run compressed).
//!
//! These are the only number and address writers of the crate: `-T fields`, JSON lines,
//! the filter's value text, `--follow` and the text lines (whose inner loop they were
//! first written for) all use them. Each builds its text in a small array on the stack and
//! appends it in one copy, without the `fmt` machinery, which costs more than the rest of
//! a text line.

use super::{Field, FrameFields, Kind, Value};

/// `"00" "01" ... "99"`: two digits per entry.
const PAIRS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        table[2 * i] = b'0' + (i / 10) as u8;
        table[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    table
};

/// The two digits of `n` (below 100).
#[inline]
pub(crate) fn pair(n: usize) -> [u8; 2] {
    let at = (n % 100) * 2;
    [PAIRS[at], PAIRS[at + 1]]
}

/// Appends the first `len` bytes of `buf`: the whole array is copied (a copy of a size known
/// at compile time is a few moves, where one of a computed size is a call to `memcpy`) and
/// the vector cut back to `len` more bytes. Every writer here builds its text in a small
/// array on the stack and appends it with this one copy: pushing byte by byte checks the
/// vector's capacity for every byte.
#[inline(always)]
pub(crate) fn append<const N: usize>(out: &mut Vec<u8>, buf: &[u8; N], len: usize) {
    let at = out.len();
    out.extend_from_slice(buf);
    out.truncate(at + len);
}

/// Appends `v` in decimal.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_dec(&mut out, 1_867_935_695);
/// assert_eq!(out, b"1867935695");
/// ```
#[inline]
pub fn write_dec(out: &mut Vec<u8>, v: u64) {
    if v < 10 {
        out.push(b'0' + v as u8);
    } else if v < 100 {
        out.extend_from_slice(&pair(v as usize));
    } else if let Ok(v) = u32::try_from(v) {
        dec32(out, v);
    } else {
        dec64(out, v);
    }
}

/// The eight decimal digits of `v` (below 10^8, leading zeros included) as ASCII, the
/// first digit in the lowest byte: all eight are computed side by side in one word
/// (two 4-digit halves, then four 2-digit quarters, then eight digits), with
/// multiplications by reciprocals instead of a division per digit.
#[inline]
pub(crate) fn eight_digits(v: u32) -> u64 {
    // [hi, lo] as 32-bit lanes, hi (the first four digits) in the low lane.
    let x = u64::from(v / 10_000) | u64::from(v % 10_000) << 32;
    // n / 100 for n below 10^4 is (n * 5243) >> 19 (exact there; no lane overflows).
    let hundreds = ((x * 5243) >> 19) & 0x0000_007f_0000_007f;
    let quarters = hundreds | (x - hundreds * 100) << 16;
    // n / 10 for n below 100 is (n * 103) >> 10.
    let tens = ((quarters * 103) >> 10) & 0x000f_000f_000f_000f;
    let digits = tens | (quarters - tens * 10) << 8;
    digits | 0x3030_3030_3030_3030
}

/// Appends `v` (at least 100) in decimal: eight digits at once, plus the one or two above
/// them for numbers of nine or ten digits.
#[inline]
fn dec32(out: &mut Vec<u8>, v: u32) {
    if v < 100_000_000 {
        let digits = eight_digits(v);
        // Leading zeros are the low bytes that hold '0' exactly: count them from the
        // digits without the ASCII offset (v >= 100, so at most five).
        let zeros = ((digits & 0x0f0f_0f0f_0f0f_0f0f).trailing_zeros() / 8) as usize;
        let bytes = (digits >> (8 * zeros)).to_le_bytes();
        append(out, &bytes, 8 - zeros);
    } else {
        let (top, rest) = (v / 100_000_000, v % 100_000_000);
        let mut buf = [0u8; 10];
        let p = pair(top as usize);
        let skip = usize::from(top < 10);
        buf[0] = p[skip];
        buf[1] = p[1];
        buf[2 - skip..10 - skip].copy_from_slice(&eight_digits(rest).to_le_bytes());
        append(out, &buf, 10 - skip);
    }
}

/// Any `v` in decimal (the rare values above 32 bits).
fn dec64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
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

/// Each octet's decimal text followed by a dot, in the low bytes, and its length (with
/// the dot) in the top byte: a dotted quad is four table reads.
const OCTETS: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let (text, len): ([u8; 4], u32) = if i >= 100 {
            (
                [
                    b'0' + (i / 100) as u8,
                    b'0' + (i / 10 % 10) as u8,
                    b'0' + (i % 10) as u8,
                    b'.',
                ],
                4,
            )
        } else if i >= 10 {
            ([b'0' + (i / 10) as u8, b'0' + (i % 10) as u8, b'.', 0], 3)
        } else {
            ([b'0' + i as u8, b'.', 0, 0], 2)
        };
        // The top byte holds the length where a four-byte entry has its dot; the writer
        // stores the whole entry and then the dot over it.
        table[i] = u32::from_le_bytes(text) & 0x00ff_ffff | len << 24;
        i += 1;
    }
    table
};

/// Writes `a` as a dotted quad followed by a dot at the start of `buf`; returns the
/// length without that last dot.
#[inline]
fn dotted(buf: &mut [u8; 24], a: [u8; 4]) -> usize {
    let mut n = 0;
    for b in a {
        let entry = OCTETS[usize::from(b)];
        let len = (entry >> 24) as usize;
        // n is at most 12 here, so the four bytes fit; the dot of a three-digit octet
        // is the byte the length took.
        buf[n..n + 4].copy_from_slice(&(entry & 0x00ff_ffff | u32::from(b'.') << 24).to_le_bytes());
        n += len;
    }
    n - 1
}

/// Appends an IPv4 address as a dotted quad.
///
/// ```
/// let mut out = Vec::new();
/// zcdump::fields::format::write_ipv4(&mut out, [10, 77, 0, 2]);
/// assert_eq!(out, b"10.77.0.2");
/// ```
#[inline]
pub fn write_ipv4(out: &mut Vec<u8>, a: [u8; 4]) {
    let mut buf = [0u8; 24];
    let n = dotted(&mut buf, a);
    append(out, &buf, n);
}

/// Appends `a.port` (tcpdump's endpoint) in one copy.
#[inline]
pub(crate) fn write_ipv4_port(out: &mut Vec<u8>, a: [u8; 4], port: u16) {
    let mut buf = [0u8; 24];
    let mut n = dotted(&mut buf, a) + 1;
    let port = u32::from(port);
    if port < 10 {
        buf[n] = b'0' + port as u8;
        n += 1;
    } else {
        let digits = eight_digits(port);
        let zeros = ((digits & 0x0f0f_0f0f_0f0f_0f0f).trailing_zeros() / 8) as usize;
        buf[n..n + 8].copy_from_slice(&(digits >> (8 * zeros)).to_le_bytes());
        n += 8 - zeros;
    }
    append(out, &buf, n);
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
    let mut buf = [0u8; 40];
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        if best_len > 1 && i == best {
            buf[n] = b':';
            buf[n + 1] = b':';
            n += 2;
            i += best_len;
            continue;
        }
        if i > 0 && !(best_len > 1 && i == best + best_len) {
            buf[n] = b':';
            n += 1;
        }
        let g = groups[i];
        let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
        for shift in (0..digits).rev() {
            buf[n] = HEX[usize::from((g >> (shift * 4)) & 0xf)];
            n += 1;
        }
        i += 1;
    }
    append(out, &buf, n);
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

    #[test]
    fn decimal_edges() {
        for v in [
            0,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            65535,
            99_999_999,
            100_000_000,
            999_999_999,
            1_000_000_000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            write_dec(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 2048 }))]

        #[test]
        fn decimal_is_std_decimal(v in proptest::prelude::any::<u64>()) {
            let mut out = Vec::new();
            write_dec(&mut out, v);
            proptest::prop_assert_eq!(out, v.to_string().into_bytes());
        }

        #[test]
        fn ipv4_is_std_text(a in proptest::prelude::any::<[u8; 4]>()) {
            let mut out = Vec::new();
            write_ipv4(&mut out, a);
            proptest::prop_assert_eq!(out, std::net::Ipv4Addr::from(a).to_string().into_bytes());
        }

        #[test]
        fn endpoint_is_std_text(
            a in proptest::prelude::any::<[u8; 4]>(),
            port in proptest::prop_oneof![0u16..10, 10u16..100, proptest::prelude::any::<u16>()],
        ) {
            let mut out = Vec::new();
            write_ipv4_port(&mut out, a, port);
            proptest::prop_assert_eq!(out, format!("{}.{port}", std::net::Ipv4Addr::from(a)).into_bytes());
        }
    }
}
