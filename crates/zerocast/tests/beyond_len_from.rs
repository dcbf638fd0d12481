//! Length-from-header slice DSTs: every `LenError` path, derived and hand-written rules,
//! and a property test that no input panics and every success takes exactly the claimed
//! bytes.

use proptest::prelude::*;
use zerocast::beyond::{LenError, LenFromHeader, LenRule};
use zerocast::byteorder::network_endian::{U16, U32};
#[allow(unused_imports)]
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unaligned};
#[allow(unused_imports)]
use zerocast_derive::*;

/// UDP: `length` counts the 8-byte header.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
#[zerocast(len_from = length, len_minus = 8)]
#[repr(C)]
struct Udp {
    src_port: U16,
    dst_port: U16,
    length: U16,
    checksum: U16,
    payload: [u8],
}

/// IPv4 with options: IHL (low nibble of the first byte) counts 32-bit words.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
#[zerocast(len_from_fn = Ipv4::ihl, len_scale = 4, len_minus = 20)]
#[repr(C)]
struct Ipv4 {
    version_ihl: u8,
    fixed: [u8; 19],
    options: [u8],
}

impl Ipv4 {
    fn ihl(&self) -> u64 {
        u64::from(self.version_ihl & 0x0f)
    }
}

/// A count of 4-byte records, aligned to 4.
#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = count, len_unit = elems)]
#[repr(C)]
struct Records {
    count: u32,
    records: [u32],
}

/// Trailing 4-byte elements counted in bytes, so the byte count must be a multiple of 4.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
#[zerocast(len_from = bytes, len_scale = 1)]
#[repr(C)]
struct Words {
    bytes: u8,
    words: [U32],
}

/// A header field with invalid bit patterns and a body of `bool`s.
#[derive(TryFromBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
#[zerocast(len_from = count, len_unit = elems)]
#[repr(C)]
struct Flags {
    present: bool,
    count: u8,
    flags: [bool],
}

fn udp(length: u16, payload_and_more: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 53, 0x30, 0x39];
    v.extend_from_slice(&length.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload_and_more);
    v
}

#[test]
fn udp_prefix_takes_exactly_the_claimed_payload() {
    let bytes = udp(11, b"abcXY");
    let (d, rest) = Udp::ref_from_prefix_by_header(&bytes).unwrap();
    assert_eq!((&d.payload[..], rest), (&b"abc"[..], &b"XY"[..]));
    assert_eq!(d.length.get(), 11);
    assert_eq!(Udp::claimed_len(&bytes), Ok((3, 11)));
}

#[test]
fn udp_whole_buffer_must_match_the_header() {
    assert!(Udp::ref_from_bytes_by_header(&udp(11, b"abc")).is_ok());
    assert_eq!(
        Udp::ref_from_bytes_by_header(&udp(11, b"abcd")).err(),
        Some(LenError::Mismatch {
            claimed: 11,
            actual: 12
        })
    );
    assert_eq!(
        Udp::ref_from_bytes_by_header(&udp(11, b"ab")).err(),
        Some(LenError::Mismatch {
            claimed: 11,
            actual: 10
        })
    );
}

#[test]
fn udp_length_below_header_is_rejected() {
    assert_eq!(
        Udp::ref_from_prefix_by_header(&udp(7, b"abc")).err(),
        Some(LenError::BelowMinimum {
            length: 7,
            minimum: 8
        })
    );
    assert_eq!(
        Udp::ref_from_prefix_by_header(&udp(8, b"abc")).map(|(d, r)| (d.payload.len(), r.len())),
        Ok((0, 3))
    );
}

#[test]
fn udp_length_beyond_buffer_is_rejected() {
    assert_eq!(
        Udp::ref_from_prefix_by_header(&udp(12, b"abc")).err(),
        Some(LenError::TooLarge {
            claimed: 12,
            available: 11
        })
    );
    let mut bytes = udp(12, b"abc");
    assert_eq!(
        Udp::mut_from_prefix_by_header(&mut bytes).err(),
        Some(LenError::TooLarge {
            claimed: 12,
            available: 11
        })
    );
}

#[test]
fn short_buffers_report_the_header_size() {
    for len in 0..8 {
        assert_eq!(
            Udp::ref_from_prefix_by_header(&[0u8; 8][..len]).err(),
            Some(LenError::ShortHeader {
                needed: 8,
                available: len
            })
        );
    }
}

#[test]
fn mutable_whole_buffer_must_match_the_header() {
    let mut bytes = udp(10, b"ab");
    Udp::mut_from_bytes_by_header(&mut bytes).unwrap().payload[1] = b'c';
    assert_eq!(&bytes[8..], b"ac");
    assert_eq!(
        Udp::mut_from_bytes_by_header(&mut bytes[..9]).err(),
        Some(LenError::Mismatch {
            claimed: 10,
            actual: 9
        })
    );
    assert_eq!(
        Udp::mut_from_bytes_by_header(&mut bytes[..4]).err(),
        Some(LenError::ShortHeader {
            needed: 8,
            available: 4
        })
    );
}

#[test]
fn mutable_prefix_edits_payload_and_rest() {
    let mut bytes = udp(9, b"aZ");
    let (d, rest) = Udp::mut_from_prefix_by_header(&mut bytes).unwrap();
    d.payload[0] = b'b';
    rest[0] = b'Y';
    assert_eq!(&bytes[8..], b"bY");
}

#[test]
fn ipv4_options_from_ihl() {
    let mut packet = [0u8; 32];
    packet[0] = 0x47; // IHL 7: 8 bytes of options
    let (ip, payload) = Ipv4::ref_from_prefix_by_header(&packet).unwrap();
    assert_eq!((ip.options.len(), payload.len()), (8, 4));
    packet[0] = 0x4f; // IHL 15: 60 bytes, more than the buffer
    assert_eq!(
        Ipv4::ref_from_prefix_by_header(&packet).err(),
        Some(LenError::TooLarge {
            claimed: 60,
            available: 32
        })
    );
    packet[0] = 0x40; // IHL 0
    assert_eq!(
        Ipv4::ref_from_prefix_by_header(&packet).err(),
        Some(LenError::BelowMinimum {
            length: 0,
            minimum: 20
        })
    );
}

#[repr(C, align(8))]
struct Aligned([u8; 24]);

#[test]
fn element_counts_and_alignment() {
    let mut buf = Aligned([0; 24]);
    buf.0[..4].copy_from_slice(&2u32.to_ne_bytes());
    let (r, rest) = Records::ref_from_prefix_by_header(&buf.0).unwrap();
    assert_eq!((r.records.len(), rest.len()), (2, 12));
    assert_eq!(
        Records::ref_from_prefix_by_header(&buf.0[1..]).err(),
        Some(LenError::Misaligned)
    );
    buf.0[..4].copy_from_slice(&u32::MAX.to_ne_bytes());
    assert!(matches!(
        Records::ref_from_prefix_by_header(&buf.0),
        Err(LenError::TooLarge { .. } | LenError::Overflow)
    ));
}

#[test]
fn byte_counts_must_be_whole_elements() {
    assert_eq!(
        Words::ref_from_prefix_by_header(&[8, 0, 0, 0, 1, 0, 0, 0, 2])
            .map(|(w, r)| (w.words.len(), r.len())),
        Ok((2, 0))
    );
    assert_eq!(
        Words::ref_from_prefix_by_header(&[6, 0, 0, 0, 1, 0, 0, 0, 2]).err(),
        Some(LenError::NotMultiple {
            bytes: 6,
            elem_size: 4
        })
    );
}

#[test]
fn invalid_header_and_body_are_distinguished() {
    assert_eq!(
        Flags::ref_from_prefix_by_header(&[1, 2, 1, 0, 9]).map(|(f, r)| (f.flags.len(), r)),
        Ok((2, &[9u8][..]))
    );
    assert_eq!(
        Flags::ref_from_prefix_by_header(&[2, 2, 1, 0]).err(),
        Some(LenError::InvalidHeader)
    );
    assert_eq!(
        Flags::ref_from_prefix_by_header(&[1, 2, 1, 5]).err(),
        Some(LenError::InvalidBody)
    );
    // The byte after the claimed elements is not checked: it is not part of the value.
    assert!(Flags::ref_from_prefix_by_header(&[1, 1, 1, 5]).is_ok());
}

#[test]
fn rule_arithmetic_never_wraps() {
    assert_eq!(
        LenRule::bytes(u64::MAX, 0).trailing(2),
        Err(LenError::Overflow)
    );
    assert_eq!(
        LenRule::bytes(2, 0).trailing(u64::MAX),
        Err(LenError::Overflow)
    );
    assert_eq!(
        LenRule::bytes(1, 5).trailing(4),
        Err(LenError::BelowMinimum {
            length: 4,
            minimum: 5
        })
    );
    assert_eq!(LenRule::elems(3, 1).trailing(4), Ok(11));
}

#[test]
fn errors_display_their_numbers() {
    let all = [
        LenError::ShortHeader {
            needed: 8,
            available: 3,
        },
        LenError::Misaligned,
        LenError::InvalidHeader,
        LenError::Overflow,
        LenError::BelowMinimum {
            length: 7,
            minimum: 8,
        },
        LenError::NotMultiple {
            bytes: 6,
            elem_size: 4,
        },
        LenError::TooLarge {
            claimed: 12,
            available: 11,
        },
        LenError::Mismatch {
            claimed: 11,
            actual: 12,
        },
        LenError::InvalidBody,
    ];
    let texts: Vec<String> = all.iter().map(ToString::to_string).collect();
    assert!(texts[0].contains('8') && texts[0].contains('3'));
    assert!(texts[4].contains('7') && texts[4].contains('8'));
    assert!(texts[5].contains('6') && texts[5].contains('4'));
    assert!(texts[6].contains("12") && texts[6].contains("11"));
    let unique: std::collections::HashSet<_> = texts.iter().collect();
    assert_eq!(unique.len(), all.len());
}

proptest! {
    // Few cases under Miri, and no failure file (Miri isolates the file system).
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic_and_successes_take_the_claimed_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..80)
    ) {
        match Udp::ref_from_prefix_by_header(&bytes) {
            Ok((d, rest)) => {
                let claimed = usize::from(d.length.get());
                prop_assert_eq!(8 + d.payload.len(), claimed);
                prop_assert_eq!(rest.len(), bytes.len() - claimed);
            }
            Err(LenError::ShortHeader { .. }) => prop_assert!(bytes.len() < 8),
            Err(LenError::BelowMinimum { length, .. }) => prop_assert!(length < 8),
            Err(LenError::TooLarge { claimed, available }) => {
                prop_assert!(claimed > available);
                prop_assert_eq!(available, bytes.len());
            }
            Err(e) => prop_assert!(false, "unexpected {:?}", e),
        }
        let _ = Ipv4::ref_from_bytes_by_header(&bytes);
        let _ = Flags::ref_from_prefix_by_header(&bytes);
        let _ = Words::ref_from_prefix_by_header(&bytes);
    }
}
