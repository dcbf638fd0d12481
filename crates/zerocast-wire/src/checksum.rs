//! The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//!
//! IPv4, ICMP, IGMP, UDP and TCP all protect their bytes with the 16-bit ones' complement sum.
//! [`Checksum`] accumulates it over any number of byte runs (odd lengths included, so a
//! pseudo-header, header and payload can be fed separately), eight bytes per step; [`update`]
//! patches a stored checksum after a field changed without touching the rest of the packet.

/// An accumulating Internet checksum.
///
/// ```
/// use zerocast_wire::checksum::Checksum;
/// // RFC 1071 section 3's example words.
/// let mut c = Checksum::new();
/// c.add_bytes(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
/// assert_eq!(c.sum16(), 0xddf2);
/// assert_eq!(c.checksum(), !0xddf2);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checksum {
    // Ones' complement sum of the 16-bit words read in *native* byte order, in a wide
    // accumulator: folded to 16 bits and swapped to network order only when read. The sum
    // does not depend on the byte order of the words as long as the folded result is
    // swapped back (RFC 1071 section 2(B)), so no add needs a byte swap and short runs
    // (headers, addresses) cost a few adds each instead of a fold per run.
    native: u64,
    // The first byte of a 16-bit word whose second byte has not arrived yet.
    pending: Option<u8>,
}

impl Checksum {
    /// An empty sum.
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// assert_eq!(Checksum::new().checksum(), 0xffff);
    /// ```
    #[must_use]
    #[inline]
    pub const fn new() -> Self {
        Checksum {
            native: 0,
            pending: None,
        }
    }

    /// Adds a run of bytes; runs may have odd lengths.
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// let mut split = Checksum::new();
    /// split.add_bytes(&[1, 2, 3]);
    /// split.add_bytes(&[4]);
    /// let mut whole = Checksum::new();
    /// whole.add_bytes(&[1, 2, 3, 4]);
    /// assert_eq!(split.checksum(), whole.checksum());
    /// ```
    // Always inlined: with the block loop out of line the body is small, and where the
    // length is known (a 20-byte header, a 4-byte address) it folds to a few adds; left to
    // LLVM it stayed a call inside larger functions such as `Ipv4Repr::emit` (callgrind:
    // 49 instructions per 20-byte header as a call, the UDP/IPv4 serialize bench 560 -> 516
    // instructions per packet and its parse 522 -> 436 once inlined).
    #[inline(always)]
    pub fn add_bytes(&mut self, mut bytes: &[u8]) {
        // This run's sum, added to the accumulator once at the end. Below 2^36: the block
        // sum is below 2^33 and the at most seven other words below 2^35 together.
        let mut run: u64 = 0;
        if let Some(first) = self.pending.take() {
            match bytes.split_first() {
                Some((&second, rest)) => {
                    run += u64::from(u16::from_ne_bytes([first, second]));
                    bytes = rest;
                }
                None => {
                    self.pending = Some(first);
                    return;
                }
            }
        }
        // From here on `bytes` starts on a word boundary. Runs of 32 bytes or more (payloads)
        // go through the block loop, out of line so that this function stays small enough
        // to inline where headers are summed.
        let mut rest = bytes;
        if rest.len() >= 32 {
            run += sum_blocks(rest);
            rest = &rest[rest.len() - rest.len() % 32..];
        }
        // The rest is under 32 bytes: a header, an address, the end of a payload. At most
        // three 8-byte steps (a loop LLVM unrolls) and one step each of 4, 2 and 1 bytes, not
        // a 4-byte loop: LLVM vectorizes such a loop, and the vector set-up costs more than
        // the at most seven words it would sum.
        for _ in 0..3 {
            if let Some((word, tail)) = rest.split_first_chunk::<8>() {
                let w = u64::from_ne_bytes(*word);
                run += (w & 0xffff_ffff) + (w >> 32);
                rest = tail;
            }
        }
        if let Some((word, tail)) = rest.split_first_chunk::<4>() {
            run += u64::from(u32::from_ne_bytes(*word));
            rest = tail;
        }
        if let Some((word, tail)) = rest.split_first_chunk::<2>() {
            run += u64::from(u16::from_ne_bytes(*word));
            rest = tail;
        }
        if let [last] = rest {
            self.pending = Some(*last);
        }
        self.add_native(run);
    }

    /// Adds a native-order partial sum to the accumulator with [`add_end_around`]: it never
    /// overflows, whatever the number of calls, for one add-with-carry instead of a fold
    /// per call.
    #[inline(always)]
    fn add_native(&mut self, partial: u64) {
        self.native = add_end_around(self.native, partial);
    }

    /// Adds one big-endian 16-bit word (must be on a word boundary).
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// let mut c = Checksum::new();
    /// c.add_u16(0x1234);
    /// assert_eq!(c.sum16(), 0x1234);
    /// ```
    #[inline]
    pub fn add_u16(&mut self, word: u16) {
        // The word as the two bytes it stands for, read in native order like every other
        // word of the sum.
        self.add_native(u64::from(u16::from_ne_bytes(word.to_be_bytes())));
    }

    /// Adds one big-endian 32-bit value as its two 16-bit words (must be on a word
    /// boundary): a TCP sequence number, an IPv4 address held as a number.
    ///
    /// Builders sum the header they write from the values they write, with this and
    /// [`add_u16`](Self::add_u16), instead of reading the header back with
    /// [`add_bytes`](Self::add_bytes): the fields were just stored one or two bytes at a
    /// time, and an 8-byte load spanning several such stores cannot be forwarded from the
    /// store buffer, so the CPU waits for the stores to retire (about ten cycles a load on
    /// x86; the Eth/IPv4/UDP serialize bench went from 1.4x smoltcp's time to below it).
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// let (mut a, mut b) = (Checksum::new(), Checksum::new());
    /// a.add_u32(0x1234_5678);
    /// b.add_bytes(&[0x12, 0x34, 0x56, 0x78]);
    /// assert_eq!(a.sum16(), b.sum16());
    /// ```
    #[inline]
    pub fn add_u32(&mut self, word: u32) {
        // Native order, like `add_bytes`: the four bytes as one native u32 is the sum of
        // its two native-order words modulo 0xffff (2^16 = 1).
        self.add_native(u64::from(u32::from_ne_bytes(word.to_be_bytes())));
    }

    /// The folded 16-bit ones' complement sum (before the final inversion).
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// let mut c = Checksum::new();
    /// c.add_bytes(&[0xff, 0xff, 0x00, 0x02]);
    /// assert_eq!(c.sum16(), 0x0002);
    /// ```
    #[must_use]
    // Always inlined: out of line the sum went through memory (stored by the caller, read
    // back here) on every verify and emit, 5 % of the UDP echo's samples under perf.
    #[inline(always)]
    pub fn sum16(&self) -> u16 {
        let mut sum = self.native;
        if let Some(b) = self.pending {
            // An odd trailing byte is the high byte of a word padded with zero.
            sum = add_end_around(sum, u64::from(u16::from_ne_bytes([b, 0])));
        }
        // Four end-around-carry steps, no loop: any u64 is below 2^33 after the first,
        // below 2^18 after the second, at most 0xffff + 3 after the third and at most 0xffff
        // after the fourth (2^16 = 1 modulo 0xffff, so each step keeps the sum's value).
        sum = (sum & 0xffff_ffff) + (sum >> 32);
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        // 16 significant bits, in native order.
        u16::from_be(sum as u16)
    }

    /// The checksum to store in a header: the complement of the sum.
    ///
    /// ```
    /// use zerocast_wire::checksum::Checksum;
    /// let mut c = Checksum::new();
    /// c.add_bytes(&[0x45, 0x00]);
    /// assert_eq!(c.checksum(), !0x4500);
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn checksum(&self) -> u16 {
        !self.sum16()
    }
}

/// `a + b` in ones' complement arithmetic on 64 bits: a carry out of bit 63 is worth
/// 2^64 = 1 modulo 0xffff (the Internet checksum's modulus, as 2^16 = 1), so it is added
/// back at the bottom.
#[inline(always)]
fn add_end_around(a: u64, b: u64) -> u64 {
    let (sum, carried) = a.overflowing_add(b);
    // No overflow: with a carry, `sum = a + b - 2^64` is below `b`, so `sum + 1 <= b`.
    sum + u64::from(carried)
}

/// The native-order sum of `bytes`' whole 32-byte blocks, below 2^33; the bytes after the
/// last whole block are left out.
///
/// Each 8-byte word is added whole into a 128-bit accumulator whose high half counts the
/// carries out of bit 63, which LLVM emits as an add and an add-with-carry. That is the
/// same ones' complement sum, because a carry out of bit 63 is worth 2^64 = 1 modulo 0xffff.
/// Two accumulators, taking alternate words, so that two carry chains run side by side:
/// with one, each word waits for the previous word's carry, and a 1,448-byte run took
/// 1.6 times as long as with two. The previous form, each word added as its two 4-byte
/// halves in four vectorized lanes (a mask, a shift and two adds a word), took the same
/// time as two chains for 0.47 instructions a byte under callgrind against 0.32. TCP's
/// bulk path sums every full segment twice (sent, then verified) with this.
fn sum_blocks(bytes: &[u8]) -> u64 {
    let (mut even, mut odd) = (0u128, 0u128);
    for block in bytes.chunks_exact(32) {
        let (words, _) = block.as_chunks::<8>();
        for pair in words.chunks_exact(2) {
            if let [a, b] = pair {
                even += u128::from(u64::from_ne_bytes(*a));
                odd += u128::from(u64::from_ne_bytes(*b));
            }
        }
    }
    // Each accumulator's carries added back at the bottom (below 2^64 of them for any
    // slice), the two halves ones'-complement added, then one fold to 33 bits. Every step
    // keeps the value modulo 0xffff and none turns a non-zero sum into zero, so the folded
    // checksum is bit-identical to a sum of 16-bit words.
    let even = add_end_around(even as u64, (even >> 64) as u64);
    let odd = add_end_around(odd as u64, (odd >> 64) as u64);
    let total = add_end_around(even, odd);
    (total & 0xffff_ffff) + (total >> 32)
}

/// The Internet checksum of one byte run.
///
/// A run that already contains its correct checksum field sums to 0xffff, so
/// `checksum(bytes) == 0` verifies it.
///
/// ```
/// use zerocast_wire::checksum::checksum;
/// let header = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61,
///               0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7];
/// assert_eq!(checksum(&header), 0);
/// ```
#[must_use]
#[inline]
pub fn checksum(bytes: &[u8]) -> u16 {
    let mut c = Checksum::new();
    c.add_bytes(bytes);
    c.checksum()
}

/// Updates checksum `old_checksum` after a 16-bit word changed from `old` to `new`
/// (RFC 1624 equation 3: `HC' = ~(~HC + ~m + m')`).
///
/// ```
/// use zerocast_wire::checksum::{checksum, update};
/// let mut h = [0x45, 0x00, 0x00, 0x1c, 0, 0, 0, 0, 0x40, 0x01, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
/// let c = checksum(&h);
/// h[10..12].copy_from_slice(&c.to_be_bytes());
/// // Decrement the TTL (the high byte of the TTL/protocol word).
/// let new_c = update(c, 0x4001, 0x3f01);
/// h[8] = 0x3f;
/// h[10..12].copy_from_slice(&new_c.to_be_bytes());
/// assert_eq!(checksum(&h), 0);
/// ```
#[must_use]
#[inline]
pub fn update(old_checksum: u16, old: u16, new: u16) -> u16 {
    let mut c = Checksum::new();
    c.add_u16(!old_checksum);
    c.add_u16(!old);
    c.add_u16(new);
    c.checksum()
}

/// Updates a checksum after an aligned byte run changed from `old` to `new` (for example a
/// 4- or 16-byte address). Both runs must have the same, even length.
///
/// ```
/// use zerocast_wire::checksum::{checksum, update_bytes};
/// let mut h = [0x45, 0x00, 0x00, 0x1c, 0, 0, 0, 0, 0x40, 0x01, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
/// let c = checksum(&h);
/// h[10..12].copy_from_slice(&c.to_be_bytes());
/// let new_c = update_bytes(c, &[10, 0, 0, 1], &[192, 168, 7, 9]);
/// h[12..16].copy_from_slice(&[192, 168, 7, 9]);
/// h[10..12].copy_from_slice(&new_c.to_be_bytes());
/// assert_eq!(checksum(&h), 0);
/// ```
#[must_use]
pub fn update_bytes(old_checksum: u16, old: &[u8], new: &[u8]) -> u16 {
    let mut c = Checksum::new();
    c.add_u16(!old_checksum);
    for pair in old.chunks(2) {
        let hi = pair.first().copied().unwrap_or(0);
        let lo = pair.get(1).copied().unwrap_or(0);
        c.add_u16(!u16::from_be_bytes([hi, lo]));
    }
    c.add_bytes(new);
    c.checksum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(bytes: &[u8]) -> u16 {
        let mut sum: u32 = 0;
        let mut i = 0;
        while i < bytes.len() {
            let hi = u32::from(bytes[i]) << 8;
            let lo = bytes.get(i + 1).map_or(0, |&b| u32::from(b));
            sum += hi | lo;
            sum = (sum & 0xffff) + (sum >> 16);
            i += 2;
        }
        !(sum as u16)
    }

    #[test]
    fn fast_sum_matches_naive_word_sum_for_every_length_and_split() {
        let data: [u8; 100] =
            core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(0xf1));
        for len in 0..data.len() {
            for cut in 0..=len {
                let mut c = Checksum::new();
                c.add_bytes(&data[..cut]);
                c.add_bytes(&data[cut..len]);
                assert_eq!(c.checksum(), naive(&data[..len]), "len {len} cut {cut}");
            }
        }
    }

    #[test]
    fn block_sum_keeps_carries_out_of_bit_63() {
        // Words that carry on every add: all ones (a sum of negative zeros must stay
        // 0xffff, not fold to 0) and 0x8000... words whose every second add wraps.
        for fill in [[0xffu8; 8], [0x80, 0, 0, 0, 0, 0, 0, 0x80]] {
            for blocks in [1usize, 2, 3, 47] {
                let data: std::vec::Vec<u8> =
                    fill.iter().copied().cycle().take(32 * blocks).collect();
                assert_eq!(
                    checksum(&data),
                    naive(&data),
                    "fill {fill:x?} blocks {blocks}"
                );
                assert!(sum_blocks(&data) < 1 << 33);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: if cfg!(miri) { 4 } else { 512 },
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any bytes, at any start address (the slice is cut from a larger buffer, so every
        /// alignment of the 8-byte loads is taken), fed in up to three runs of any lengths
        /// (odd runs leave a pending byte), sum like the plain 16-bit word sum; and a
        /// checksum stored in the data and then patched with `update` after a word changed
        /// still verifies.
        #[test]
        fn matches_a_plain_word_sum_at_any_alignment_and_split(
            buf in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            offset in 0usize..16,
            cuts in (0usize..400, 0usize..400),
        ) {
            let data = &buf[offset.min(buf.len())..];
            let (a, b) = (cuts.0.min(data.len()), cuts.1.min(data.len()));
            let (a, b) = (a.min(b), a.max(b));
            let mut c = Checksum::new();
            c.add_bytes(&data[..a]);
            c.add_bytes(&data[a..b]);
            c.add_bytes(&data[b..]);
            proptest::prop_assert_eq!(c.checksum(), naive(data));
            proptest::prop_assert_eq!(checksum(data), naive(data));

            // Incremental update: the checksum stored in the first word, another word changed.
            if data.len() >= 4 {
                let mut d = data.to_vec();
                d[0] = 0;
                d[1] = 0;
                let sum = checksum(&d);
                d[..2].copy_from_slice(&sum.to_be_bytes());
                let at = 2 * (1 + a % (d.len() / 2 - 1));
                let old = u16::from_be_bytes([d[at], d.get(at + 1).copied().unwrap_or(0)]);
                let new = old ^ (b as u16 | 1);
                d[at] = (new >> 8) as u8;
                if let Some(lo) = d.get_mut(at + 1) {
                    *lo = new as u8;
                }
                let patched = update(sum, old, if d.len() > at + 1 { new } else { new & 0xff00 });
                d[..2].copy_from_slice(&patched.to_be_bytes());
                proptest::prop_assert_eq!(naive(&d), 0);
            }
        }
    }

    #[test]
    fn all_ones_data_folds_carries() {
        // Miri interprets every byte; keep its share small.
        let lens: &[usize] = if cfg!(miri) {
            &[64, 65]
        } else {
            &[64, 65, 1500, 4096, 65535]
        };
        for &len in lens {
            let data = std::vec![0xffu8; len];
            assert_eq!(checksum(&data), naive(&data), "len {len}");
        }
    }

    #[test]
    fn long_pseudo_random_runs_match_naive_sum() {
        let mut x: u32 = 0x1234_5678;
        let data: std::vec::Vec<u8> = (0..9000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let lens: &[usize] = if cfg!(miri) {
            &[8, 9, 556]
        } else {
            &[8, 9, 556, 1480, 8999, 9000]
        };
        for &len in lens {
            assert_eq!(checksum(&data[..len]), naive(&data[..len]), "len {len}");
        }
    }

    #[test]
    fn four_step_fold_matches_a_fold_to_fixpoint_for_any_accumulator() {
        fn fold_to_fixpoint(mut sum: u64) -> u16 {
            while sum > 0xffff {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            u16::from_be(sum as u16)
        }
        let values = [
            0,
            0xffff,
            0x1_0000,
            0x1_fffe,
            (1 << 33) + 5,
            u64::from(u32::MAX) * 3,
            u64::MAX - 0x1_0000,
            u64::MAX,
        ];
        for native in values {
            let c = Checksum {
                native,
                pending: None,
            };
            assert_eq!(
                c.sum16(),
                fold_to_fixpoint(native),
                "accumulator {native:#x}"
            );
        }
    }

    #[test]
    fn end_around_carry_keeps_the_sum_when_the_accumulator_wraps() {
        // 2^64 - 1 is a multiple of 0xffff: an accumulator holding it sums to (negative)
        // zero, so adding to it must give the same checksum as adding to an empty one.
        let bytes = [0x12, 0x34, 0x56, 0x78, 0x9a];
        let mut wrapped = Checksum {
            native: u64::MAX,
            pending: None,
        };
        wrapped.add_u16(0xfedc);
        wrapped.add_bytes(&bytes);
        let mut fresh = Checksum::new();
        fresh.add_u16(0xfedc);
        fresh.add_bytes(&bytes);
        assert_eq!(wrapped.checksum(), fresh.checksum());
        assert_eq!(
            fresh.checksum(),
            naive(&[0xfe, 0xdc, 0x12, 0x34, 0x56, 0x78, 0x9a])
        );
    }

    #[test]
    fn incremental_update_equals_recomputation() {
        let mut h = [
            0x45u8, 0, 0, 40, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let c = checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        for ttl in [63u8, 1, 0, 255] {
            let old = u16::from_be_bytes([h[8], h[9]]);
            let new = u16::from_be_bytes([ttl, h[9]]);
            let c_old = u16::from_be_bytes([h[10], h[11]]);
            let upd = update(c_old, old, new);
            h[8] = ttl;
            h[10..12].copy_from_slice(&upd.to_be_bytes());
            assert_eq!(checksum(&h), 0, "ttl {ttl}");
        }
    }
}
