//! Numbers and addresses as text, for the text line's inner loop: each is built in a small
//! array on the stack and appended with one copy (pushing byte by byte checks the vector's
//! capacity for every byte), decimal digits two at a time from a table.

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
fn pair(n: usize) -> [u8; 2] {
    let at = (n % 100) * 2;
    [PAIRS[at], PAIRS[at + 1]]
}

/// Appends the first `len` bytes of `buf`: the whole array is copied (a copy of a size known
/// at compile time is a few moves, where one of a computed size is a call to `memcpy`) and
/// the vector cut back to `len` more bytes.
#[inline(always)]
fn append<const N: usize>(out: &mut Vec<u8>, buf: &[u8; N], len: usize) {
    let at = out.len();
    out.extend_from_slice(buf);
    out.truncate(at + len);
}

/// Appends `v` in decimal.
#[inline]
pub(super) fn dec(out: &mut Vec<u8>, v: u64) {
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
pub(super) fn eight_digits(v: u32) -> u64 {
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
#[inline]
pub(super) fn ipv4(out: &mut Vec<u8>, a: [u8; 4]) {
    let mut buf = [0u8; 24];
    let n = dotted(&mut buf, a);
    append(out, &buf, n);
}

/// Appends `a.port` (tcpdump's endpoint) in one copy.
#[inline]
pub(super) fn ipv4_port(out: &mut Vec<u8>, a: [u8; 4], port: u16) {
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

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends an IPv6 address in RFC 5952 form (section 4: lower case, no leading zeros in a
/// group, the first longest run of two or more zero groups as `::`; IPv4-mapped addresses
/// end in a dotted quad, as Wireshark and tcpdump print them).
pub(super) fn ipv6(out: &mut Vec<u8>, a: [u8; 16]) {
    let groups: [u16; 8] = std::array::from_fn(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]));
    if groups[..5] == [0; 5] && groups[5] == 0xffff {
        out.extend_from_slice(b"::ffff:");
        return ipv4(out, [a[12], a[13], a[14], a[15]]);
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

/// Slots of [`AddressCache`] (a power of two).
const CACHE_SLOTS: usize = 256;

/// The text of recently printed addresses, as tcpdump keeps a table of them: a capture's
/// lines repeat a few addresses, and copying a remembered text is cheaper than writing an
/// IPv6 address again. Direct-mapped; a slot holds the last address that hashed to it.
#[derive(Debug, Clone)]
pub(super) struct AddressCache {
    slots: Vec<CachedAddress>,
}

#[derive(Debug, Clone, Copy)]
struct CachedAddress {
    /// 4 or 6; 0 for an empty slot.
    version: u8,
    address: [u8; 16],
    len: u8,
    text: [u8; 40],
}

impl Default for AddressCache {
    fn default() -> Self {
        let empty = CachedAddress {
            version: 0,
            address: [0; 16],
            len: 0,
            text: [0; 40],
        };
        AddressCache {
            slots: vec![empty; CACHE_SLOTS],
        }
    }
}

impl AddressCache {
    /// Appends the text of an IPv4 (`version` 4, first four bytes of `address`) or IPv6
    /// address, from the cache when it holds it.
    #[inline]
    pub(super) fn write(&mut self, out: &mut Vec<u8>, version: u8, address: [u8; 16]) {
        let word = u128::from_ne_bytes(address);
        let folded = (word as u64) ^ ((word >> 64) as u64) ^ u64::from(version);
        let at = (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % CACHE_SLOTS;
        let Some(slot) = self.slots.get_mut(at) else {
            return;
        };
        if slot.version != version || slot.address != address {
            let start = out.len();
            if version == 4 {
                ipv4(out, [address[0], address[1], address[2], address[3]]);
            } else {
                ipv6(out, address);
            }
            let written = out.get(start..).unwrap_or(&[]);
            let len = written.len().min(slot.text.len());
            slot.text[..len].copy_from_slice(&written[..len]);
            slot.len = len as u8;
            slot.version = version;
            slot.address = address;
            return;
        }
        append(out, &slot.text, usize::from(slot.len));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            dec(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    #[test]
    fn ipv6_rfc5952_section_4_examples() {
        for text in [
            "::",
            "::1",
            "2001:db8::1",
            "fe80::1:0:0:1",
            "2001:db8:0:1:1:1:1:1",
            "::ffff:192.0.2.1",
            "1::",
        ] {
            let a: std::net::Ipv6Addr = text.parse().expect("valid");
            let mut out = Vec::new();
            ipv6(&mut out, a.octets());
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn cached_addresses_print_as_uncached_ones() {
        let mut cache = AddressCache::default();
        let v6: std::net::Ipv6Addr = "2001:db8::a".parse().expect("valid");
        let mut out = Vec::new();
        for _ in 0..2 {
            cache.write(
                &mut out,
                4,
                [192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            );
            out.push(b' ');
            cache.write(&mut out, 6, v6.octets());
            out.push(b' ');
            // The same bytes as an IPv4 address: a different entry.
            cache.write(&mut out, 4, v6.octets());
            out.push(b'|');
        }
        assert_eq!(
            out,
            b"192.0.2.1 2001:db8::a 32.1.13.184|192.0.2.1 2001:db8::a 32.1.13.184|"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 2048 }))]

        #[test]
        fn decimal_is_std_decimal(v in any::<u64>()) {
            let mut out = Vec::new();
            dec(&mut out, v);
            prop_assert_eq!(out, v.to_string().into_bytes());
        }

        #[test]
        fn ipv4_is_std_text(a in any::<[u8; 4]>()) {
            let mut out = Vec::new();
            ipv4(&mut out, a);
            prop_assert_eq!(out, std::net::Ipv4Addr::from(a).to_string().into_bytes());
        }

        #[test]
        fn endpoint_is_std_text(a in any::<[u8; 4]>(), port in prop_oneof![0u16..10, 10u16..100, any::<u16>()]) {
            let mut out = Vec::new();
            ipv4_port(&mut out, a, port);
            prop_assert_eq!(out, format!("{}.{port}", std::net::Ipv4Addr::from(a)).into_bytes());
        }

        /// Zero groups made likely, so runs of them (and their ties) are exercised.
        #[test]
        fn ipv6_is_std_text(groups in proptest::array::uniform8(prop_oneof![Just(0u16), Just(1), any::<u16>()])) {
            let a = std::net::Ipv6Addr::from(groups);
            let mut out = Vec::new();
            ipv6(&mut out, a.octets());
            prop_assert_eq!(out, a.to_string().into_bytes());
        }
    }
}
