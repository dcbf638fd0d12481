//! The TCP checksum's payload sum on the bulk path, eight bytes an add.
//!
//! Every data segment is summed twice (emitted, then verified on arrival), and at 1,448
//! bytes a segment the sum is the largest per-byte cost after the application's copies.
//! zerocast-wire's general [`Checksum::add_bytes`] adds each 8-byte word as its two 4-byte
//! halves (a mask, a shift and two adds a word, vectorized in 32-byte blocks); here each
//! word is added whole and the carries out of bit 63 are counted beside it (an add and an
//! add-with-carry a word), which is the same ones' complement sum: a carry out of bit 63 is
//! worth 2^64, and 2^64 = 1 modulo 0xffff.

use zerocast_wire::checksum::Checksum;

/// Adds `bytes` to `c`, which must hold an even number of bytes so far (a pseudo-header and
/// a TCP header do): the words of `bytes` then sit where [`Checksum::add_bytes`] would put
/// them, and the result is the same.
pub(crate) fn add_bytes(c: &mut Checksum, bytes: &[u8]) {
    // 32-byte blocks of four words into a 128-bit accumulator: its high half counts the
    // carries out of bit 63, and LLVM emits an add and an add-with-carry per word (written
    // as one 8-byte word a step, it kept a separate carry flag per word: 0.45 instead of
    // 0.3 instructions a byte under callgrind).
    let mut blocks = bytes.chunks_exact(32);
    let mut acc: u128 = 0;
    for block in &mut blocks {
        let (words, _) = block.as_chunks::<8>();
        for w in words {
            acc += u128::from(u64::from_ne_bytes(*w));
        }
    }
    let (words, rest) = blocks.remainder().as_chunks::<8>();
    for w in words {
        acc += u128::from(u64::from_ne_bytes(*w));
    }
    // The carries folded back in (end-around; below 2^64 carries for any slice), then the
    // sum folded to 32 bits: below 2^33 after the first fold, at most 2^32 after the
    // second, below 2^32 after the third.
    let (s, carried) = (acc as u64).overflowing_add((acc >> 64) as u64);
    let mut total = s + u64::from(carried);
    for _ in 0..3 {
        total = (total & 0xffff_ffff) + (total >> 32);
    }
    // `Checksum` sums the words in native byte order; `add_u32` adds the native value of
    // the big-endian bytes of its argument, so hand it the bytes of our native partial.
    let partial = total as u32;
    c.add_u32(u32::from_be_bytes(partial.to_ne_bytes()));
    c.add_bytes(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(len: usize, seed: u32) -> alloc::vec::Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn matches_zerocast_wire_for_every_length_and_an_even_prefix() {
        for len in 0..80 {
            for (seed, prefix) in [(1u32, 0usize), (7, 2), (99, 12)] {
                let data = bytes(len + prefix, seed);
                let (head, body) = data.split_at(prefix);
                let mut fast = Checksum::new();
                fast.add_bytes(head);
                add_bytes(&mut fast, body);
                let mut general = Checksum::new();
                general.add_bytes(&data);
                assert_eq!(fast.checksum(), general.checksum(), "len {len} seed {seed}");
            }
        }
    }

    #[test]
    fn carries_out_of_bit_63_are_kept() {
        // All ones: every word add carries, and the sum must stay 0xffff (not 0xfffe).
        let data = [0xffu8; 64];
        let mut fast = Checksum::new();
        add_bytes(&mut fast, &data);
        let mut general = Checksum::new();
        general.add_bytes(&data);
        assert_eq!(fast.sum16(), general.sum16());
        assert_eq!(fast.sum16(), 0xffff);
    }
}
