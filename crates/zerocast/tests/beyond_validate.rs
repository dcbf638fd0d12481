//! Validators (`#[zerocast(validate = path)]`): every way a conversion of a validated type
//! can fail, which check is reported, and that the zerocopy-compatible `try_*` methods
//! reject what the validators reject.

use zerocast::beyond::{CheckError, Validate};
use zerocast::byteorder::network_endian::U16;
use zerocast::{ConvertError, TryFromBytes};
// The derives come from `zerocast` with feature `derive`, else from the glob.
#[allow(unused_imports)]
use zerocast::{Immutable, IntoBytes, KnownLayout, Unaligned};
#[allow(unused_imports)]
use zerocast_derive::*;

#[derive(TryFromBytes, KnownLayout, Immutable, Unaligned, IntoBytes, Debug, PartialEq)]
#[zerocast(validate = version_is_4, validate = header_fits)]
#[repr(C)]
struct Ipv4Start {
    version_ihl: u8,
    tos: u8,
    total_len: U16,
}

fn version_is_4(h: &Ipv4Start) -> Result<(), &'static str> {
    if h.version_ihl >> 4 == 4 {
        Ok(())
    } else {
        Err("version")
    }
}

fn header_fits(h: &Ipv4Start) -> Result<(), &'static str> {
    let ihl = u16::from(h.version_ihl & 0xf) * 4;
    if ihl >= 20 && h.total_len.get() >= ihl {
        Ok(())
    } else {
        Err("ihl")
    }
}

#[test]
fn accepts_values_that_pass_every_validator() {
    let (h, rest) = Ipv4Start::try_ref_from_prefix(&[0x45, 0, 0, 40, 9]).unwrap();
    assert_eq!((h.total_len.get(), rest), (40, &[9][..]));
    let (h, rest) = Ipv4Start::ref_from_prefix_checked(&[0x45, 0, 0, 40, 9]).unwrap();
    assert_eq!((h.total_len.get(), rest), (40, &[9][..]));
}

#[test]
fn try_methods_reject_with_validity_error() {
    for bad in [[0x65u8, 0, 0, 40], [0x44, 0, 0, 40], [0x45, 0, 0, 19]] {
        assert!(matches!(
            Ipv4Start::try_ref_from_bytes(&bad),
            Err(ConvertError::Validity(_))
        ));
        assert!(matches!(
            Ipv4Start::try_read_from_bytes(&bad),
            Err(ConvertError::Validity(_))
        ));
        let mut copy = bad;
        assert!(Ipv4Start::try_mut_from_bytes(&mut copy).is_err());
    }
}

#[test]
fn checked_methods_name_the_first_failing_validator() {
    // Both validators fail here; the first declared is reported.
    assert_eq!(
        Ipv4Start::ref_from_bytes_checked(&[0x61, 0, 0, 0]).err(),
        Some(CheckError::Check("version"))
    );
    assert_eq!(
        Ipv4Start::ref_from_bytes_checked(&[0x44, 0, 0, 40]).err(),
        Some(CheckError::Check("ihl"))
    );
    assert_eq!(
        Ipv4Start::ref_from_suffix_checked(&[1, 0x45, 0, 0, 3]).err(),
        Some(CheckError::Check("ihl"))
    );
}

#[test]
fn checked_methods_report_size() {
    assert_eq!(
        Ipv4Start::ref_from_bytes_checked(&[0x45, 0, 0]).err(),
        Some(CheckError::Size)
    );
    assert_eq!(
        Ipv4Start::ref_from_bytes_checked(&[0x45, 0, 0, 20, 0]).err(),
        Some(CheckError::Size)
    );
    assert_eq!(
        Ipv4Start::ref_from_prefix_checked(&[]).err(),
        Some(CheckError::Size)
    );
    assert_eq!(
        Ipv4Start::read_from_bytes_checked(&[0x45]).err(),
        Some(CheckError::Size)
    );
}

/// A validated type with alignment 4 and a field with invalid bit patterns.
#[derive(TryFromBytes, KnownLayout, Immutable, Debug, PartialEq, Clone, Copy)]
#[zerocast(validate = flagged_small, validate_error = Why)]
#[repr(C)]
struct Word {
    value: u32,
    flag: bool,
    _pad: [u8; 3],
}

#[derive(Debug, PartialEq)]
enum Why {
    TooBig(u32),
}

fn flagged_small(w: &Word) -> Result<(), Why> {
    if w.value < 1000 {
        Ok(())
    } else {
        Err(Why::TooBig(w.value))
    }
}

#[repr(C, align(8))]
struct Aligned([u8; 24]);

fn word_bytes(value: u32, flag: u8) -> Aligned {
    let mut a = Aligned([0; 24]);
    a.0[..4].copy_from_slice(&value.to_ne_bytes());
    a.0[4] = flag;
    a.0[9..13].copy_from_slice(&value.to_ne_bytes());
    a.0[13] = flag;
    a
}

#[test]
fn bit_validity_runs_before_validators() {
    let buf = word_bytes(5000, 2);
    // The validator would fail too, but the `bool` is checked first.
    assert_eq!(
        Word::ref_from_prefix_checked(&buf.0).err(),
        Some(CheckError::Bits)
    );
    let buf = word_bytes(5000, 1);
    assert_eq!(
        Word::ref_from_prefix_checked(&buf.0).err(),
        Some(CheckError::Check(Why::TooBig(5000)))
    );
}

#[test]
fn checked_methods_report_misalignment() {
    let buf = word_bytes(5, 1);
    assert_eq!(
        Word::ref_from_prefix_checked(&buf.0[1..]).err(),
        Some(CheckError::Alignment)
    );
}

#[test]
fn reads_validate_misaligned_copies() {
    // The value at offset 9 is misaligned: validation copies it to an aligned local.
    let buf = word_bytes(7, 1);
    let w = Word::read_from_bytes_checked(&buf.0[9..17]).unwrap();
    assert_eq!((w.value, w.flag), (7, true));
    let w = Word::try_read_from_bytes(&buf.0[9..17]).unwrap();
    assert_eq!(w.value, 7);
    let buf = word_bytes(7000, 1);
    assert_eq!(
        Word::read_from_bytes_checked(&buf.0[9..17]).err(),
        Some(CheckError::Check(Why::TooBig(7000)))
    );
    assert!(Word::try_read_from_bytes(&buf.0[9..17]).is_err());
    let buf = word_bytes(7, 3);
    assert_eq!(
        Word::read_from_bytes_checked(&buf.0[9..17]).err(),
        Some(CheckError::Bits)
    );
}

/// Validated types nested in other types are validated where they lie, even at a
/// misaligned offset inside a packed struct.
#[derive(TryFromBytes, KnownLayout, Immutable)]
#[repr(C, packed)]
struct Packed {
    lead: u8,
    word: Word,
}

#[test]
fn nested_validated_field_is_checked_in_a_packed_parent() {
    let mut bytes = [0u8; 9];
    bytes[1..5].copy_from_slice(&9u32.to_ne_bytes());
    bytes[5] = 1;
    assert!(Packed::try_ref_from_bytes(&bytes).is_ok());
    bytes[1..5].copy_from_slice(&9999u32.to_ne_bytes());
    assert!(Packed::try_ref_from_bytes(&bytes).is_err());
}

/// A slice DST whose header says how many elements follow.
#[derive(TryFromBytes, KnownLayout, Immutable, Unaligned)]
#[zerocast(validate = count_matches)]
#[repr(C)]
struct Counted {
    count: u8,
    items: [bool],
}

fn count_matches(c: &Counted) -> Result<(), &'static str> {
    if usize::from(c.count) == c.items.len() {
        Ok(())
    } else {
        Err("count")
    }
}

#[test]
fn slice_dst_validators_see_the_whole_value() {
    let c = Counted::try_ref_from_bytes(&[2, 1, 0]).unwrap();
    assert_eq!(&c.items, &[true, false]);
    assert_eq!(
        Counted::ref_from_bytes_checked(&[3, 1, 0]).err(),
        Some(CheckError::Check("count"))
    );
    assert_eq!(
        Counted::ref_from_bytes_checked(&[2, 1, 5]).err(),
        Some(CheckError::Bits)
    );
    assert!(Counted::try_ref_from_bytes(&[3, 1, 0]).is_err());
}

/// Enums and generic types take validators too.
#[derive(TryFromBytes, KnownLayout, Immutable, Debug, PartialEq, Clone, Copy)]
#[zerocast(validate = not_reserved)]
#[repr(u8)]
enum Kind {
    Data = 1,
    Ack = 2,
    Reserved = 3,
}

fn not_reserved(k: &Kind) -> Result<(), &'static str> {
    if *k == Kind::Reserved {
        Err("reserved")
    } else {
        Ok(())
    }
}

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate = Pair::<T>::ordered)]
#[repr(C)]
struct Pair<T: Copy + PartialOrd> {
    lo: T,
    hi: T,
}

impl<T: Copy + PartialOrd> Pair<T> {
    fn ordered(&self) -> Result<(), &'static str> {
        if self.lo <= self.hi {
            Ok(())
        } else {
            Err("unordered")
        }
    }
}

#[test]
fn enum_and_generic_validators() {
    assert_eq!(Kind::try_read_from_bytes(&[2]), Ok(Kind::Ack));
    assert_eq!(
        Kind::read_from_bytes_checked(&[3]).err(),
        Some(CheckError::Check("reserved"))
    );
    assert_eq!(
        Kind::read_from_bytes_checked(&[4]).err(),
        Some(CheckError::Bits)
    );
    assert_eq!(Kind::Data.validate(), Ok(()));
    assert!(Pair::<u8>::try_read_from_bytes(&[1, 2]).is_ok());
    assert_eq!(
        Pair::<u8>::read_from_bytes_checked(&[2, 1]).err(),
        Some(CheckError::Check("unordered"))
    );
    assert!(Pair::<bool>::try_read_from_bytes(&[1, 0]).is_err());
    assert_eq!(
        Pair::<bool>::read_from_bytes_checked(&[0, 7]).err(),
        Some(CheckError::Bits)
    );
}

#[test]
fn check_error_messages_name_the_failure() {
    assert_eq!(
        CheckError::Check("ihl").to_string(),
        "validator rejected the value: ihl"
    );
    assert!(CheckError::<&str>::Size.to_string().contains("size"));
    assert!(CheckError::<&str>::Alignment
        .to_string()
        .contains("misaligned"));
    assert!(CheckError::<&str>::Bits.to_string().contains("not a valid"));
}
