//! Runtime behaviour of every derive on representative types: the impls
//! the derives emit must agree with what rustc knows about the types, and
//! the validity checks must accept exactly the valid byte patterns. These
//! run under Miri (`cargo +nightly miri test -p zerocast-derive`).

#![allow(dead_code)]

use core::mem::{size_of, size_of_val};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use zerocast::{
    ByteEq, ByteHash, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt,
    TryFromBytes, Unaligned,
};

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Debug, PartialEq, Clone, Copy)]
#[repr(C)]
struct Header {
    kind: u8,
    flags: u8,
    len: u16,
}

#[derive(KnownLayout, Immutable, TryFromBytes, Debug, PartialEq)]
#[repr(C)]
struct Flags {
    on: bool,
    letter: char,
    count: core::num::NonZeroU16,
}

#[derive(KnownLayout, Immutable, FromZeros, IntoBytes, Debug, PartialEq, Clone, Copy)]
#[repr(u8)]
enum Fieldless {
    Zero = 0,
    One,
    Ten = 10,
    Eleven,
}

#[derive(KnownLayout, Immutable, TryFromBytes, Debug, PartialEq)]
#[repr(u8)]
enum DataU8 {
    Small(u8) = 1,
    Flag(bool, u8) = 2,
    Empty = 3,
}

#[derive(KnownLayout, Immutable, TryFromBytes, Debug, PartialEq)]
#[repr(C, u8)]
enum DataC {
    Wide(u32),
    Byte(u8),
    Truth(bool),
}

#[derive(KnownLayout, Immutable, TryFromBytes, Debug, PartialEq)]
#[repr(C)]
enum DataPlainC {
    A(u16),
    B(bool),
}

#[derive(KnownLayout, Immutable, FromBytes)]
#[repr(C)]
union Either {
    a: u32,
    b: [u8; 4],
}

#[derive(Immutable, TryFromBytes)]
#[repr(C)]
union BoolOrChar {
    b: bool,
    c: char,
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, SplitAt)]
#[repr(C)]
struct Packet {
    kind: u8,
    len: [u8; 2],
    body: [u8],
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes)]
#[repr(C)]
struct Words {
    count: u32,
    words: [u32],
}

#[derive(KnownLayout, Immutable, FromBytes)]
#[repr(C, align(8))]
struct Nested {
    tag: u8,
    inner: Words,
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, ByteHash, ByteEq)]
#[repr(C, packed)]
struct PackedPair {
    a: u8,
    b: u32,
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(transparent)]
struct Wrapper<T>(T);

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes)]
#[repr(C)]
struct Homogeneous<T> {
    first: T,
    rest: [T; 3],
}

#[derive(FromBytes, Immutable, KnownLayout)]
#[repr(u8)]
enum AllBytes {
    V0,
    V1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
    V10,
    V11,
    V12,
    V13,
    V14,
    V15,
    V16,
    V17,
    V18,
    V19,
    V20,
    V21,
    V22,
    V23,
    V24,
    V25,
    V26,
    V27,
    V28,
    V29,
    V30,
    V31,
    V32,
    V33,
    V34,
    V35,
    V36,
    V37,
    V38,
    V39,
    V40,
    V41,
    V42,
    V43,
    V44,
    V45,
    V46,
    V47,
    V48,
    V49,
    V50,
    V51,
    V52,
    V53,
    V54,
    V55,
    V56,
    V57,
    V58,
    V59,
    V60,
    V61,
    V62,
    V63,
    V64,
    V65,
    V66,
    V67,
    V68,
    V69,
    V70,
    V71,
    V72,
    V73,
    V74,
    V75,
    V76,
    V77,
    V78,
    V79,
    V80,
    V81,
    V82,
    V83,
    V84,
    V85,
    V86,
    V87,
    V88,
    V89,
    V90,
    V91,
    V92,
    V93,
    V94,
    V95,
    V96,
    V97,
    V98,
    V99,
    V100,
    V101,
    V102,
    V103,
    V104,
    V105,
    V106,
    V107,
    V108,
    V109,
    V110,
    V111,
    V112,
    V113,
    V114,
    V115,
    V116,
    V117,
    V118,
    V119,
    V120,
    V121,
    V122,
    V123,
    V124,
    V125,
    V126,
    V127,
    V128,
    V129,
    V130,
    V131,
    V132,
    V133,
    V134,
    V135,
    V136,
    V137,
    V138,
    V139,
    V140,
    V141,
    V142,
    V143,
    V144,
    V145,
    V146,
    V147,
    V148,
    V149,
    V150,
    V151,
    V152,
    V153,
    V154,
    V155,
    V156,
    V157,
    V158,
    V159,
    V160,
    V161,
    V162,
    V163,
    V164,
    V165,
    V166,
    V167,
    V168,
    V169,
    V170,
    V171,
    V172,
    V173,
    V174,
    V175,
    V176,
    V177,
    V178,
    V179,
    V180,
    V181,
    V182,
    V183,
    V184,
    V185,
    V186,
    V187,
    V188,
    V189,
    V190,
    V191,
    V192,
    V193,
    V194,
    V195,
    V196,
    V197,
    V198,
    V199,
    V200,
    V201,
    V202,
    V203,
    V204,
    V205,
    V206,
    V207,
    V208,
    V209,
    V210,
    V211,
    V212,
    V213,
    V214,
    V215,
    V216,
    V217,
    V218,
    V219,
    V220,
    V221,
    V222,
    V223,
    V224,
    V225,
    V226,
    V227,
    V228,
    V229,
    V230,
    V231,
    V232,
    V233,
    V234,
    V235,
    V236,
    V237,
    V238,
    V239,
    V240,
    V241,
    V242,
    V243,
    V244,
    V245,
    V246,
    V247,
    V248,
    V249,
    V250,
    V251,
    V252,
    V253,
    V254,
    V255,
}

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[repr(C)]
struct WithEnum {
    kind: Fieldless,
    payload: [u8; 3],
}

#[test]
fn struct_round_trips_through_bytes() {
    let h = Header {
        kind: 1,
        flags: 2,
        len: 0x0304,
    };
    let bytes = h.as_bytes();
    assert_eq!(bytes.len(), 4);
    assert_eq!(Header::read_from_bytes(bytes).unwrap(), h);
    assert_eq!(Header::ref_from_bytes(bytes).unwrap(), &h);
    assert!(Header::ref_from_bytes(&bytes[..3]).is_err());
}

#[test]
fn validity_of_bool_char_and_nonzero_fields_is_checked() {
    let mut ok = [0u8; 12];
    ok[0] = 1;
    ok[4..8].copy_from_slice(&u32::from('x').to_ne_bytes());
    ok[8..10].copy_from_slice(&7u16.to_ne_bytes());
    let f = Flags::try_read_from_bytes(&ok).unwrap();
    assert_eq!((f.on, f.letter, f.count.get()), (true, 'x', 7));
    let mut bad_bool = ok;
    bad_bool[0] = 2;
    assert!(Flags::try_read_from_bytes(&bad_bool).is_err());
    let mut bad_char = ok;
    bad_char[4..8].copy_from_slice(&0xD800u32.to_ne_bytes());
    assert!(Flags::try_read_from_bytes(&bad_char).is_err());
    let mut zero = ok;
    zero[8..10].copy_from_slice(&[0, 0]);
    assert!(Flags::try_read_from_bytes(&zero).is_err());
}

#[test]
fn fieldless_enum_accepts_exactly_its_discriminants() {
    let valid: Vec<u8> = (0..=255u8)
        .filter(|b| Fieldless::try_read_from_bytes(&[*b]).is_ok())
        .collect();
    assert_eq!(valid, vec![0, 1, 10, 11]);
    assert_eq!(
        Fieldless::try_read_from_bytes(&[11]).unwrap(),
        Fieldless::Eleven
    );
    assert_eq!(Fieldless::new_zeroed(), Fieldless::Zero);
    assert_eq!(Fieldless::Ten.as_bytes(), &[10]);
}

#[test]
fn repr_u8_data_enum_checks_tag_and_variant_fields() {
    assert_eq!(
        DataU8::try_read_from_bytes(&[1, 9, 0]).unwrap(),
        DataU8::Small(9)
    );
    assert_eq!(
        DataU8::try_read_from_bytes(&[2, 1, 5]).unwrap(),
        DataU8::Flag(true, 5)
    );
    assert!(DataU8::try_read_from_bytes(&[2, 3, 5]).is_err());
    assert!(DataU8::try_read_from_bytes(&[0, 0, 0]).is_err());
    assert!(DataU8::try_read_from_bytes(&[4, 0, 0]).is_err());
    assert_eq!(size_of::<DataU8>(), 3);
}

#[test]
fn repr_c_data_enums_use_the_tag_then_union_layout() {
    let mut b = [0u8; 8];
    b[4..].copy_from_slice(&77u32.to_ne_bytes());
    assert_eq!(DataC::try_read_from_bytes(&b).unwrap(), DataC::Wide(77));
    b[0] = 2;
    b[4] = 1;
    assert_eq!(DataC::try_read_from_bytes(&b).unwrap(), DataC::Truth(true));
    b[4] = 2;
    assert!(DataC::try_read_from_bytes(&b).is_err());
    b[0] = 3;
    assert!(DataC::try_read_from_bytes(&b).is_err());

    let mut p = vec![0u8; size_of::<DataPlainC>()];
    let tag_size = size_of::<DataPlainC>() - 4;
    assert!(tag_size >= 1);
    p[..4].copy_from_slice(&1i32.to_ne_bytes()[..4]);
    p[tag_size] = 1;
    assert_eq!(
        DataPlainC::try_read_from_bytes(&p).unwrap(),
        DataPlainC::B(true)
    );
    p[tag_size] = 9;
    assert!(DataPlainC::try_read_from_bytes(&p).is_err());
}

#[test]
fn union_is_valid_if_any_field_is() {
    assert!(Either::read_from_bytes(&[1, 2, 3, 4]).is_ok());
    assert!(Either::read_from_bytes(&[1, 2, 3]).is_err());
    let _zero: Either = Either::new_zeroed();
    let mut b = [0u8; 4];
    b[0] = 1;
    assert!(BoolOrChar::try_read_from_bytes(&b).is_ok());
    b.copy_from_slice(&u32::from('z').to_ne_bytes());
    assert!(BoolOrChar::try_read_from_bytes(&b).is_ok());
    b.copy_from_slice(&0xFFFF_FFFFu32.to_ne_bytes());
    assert!(BoolOrChar::try_read_from_bytes(&b).is_err());
}

#[test]
fn slice_dst_sizes_match_rustc_for_every_count() {
    // `u64` storage: `Nested` needs 8-byte alignment (Miri does not align
    // a `[u32; N]` to 8 by accident the way native stacks often do).
    let storage = [0u64; 8];
    let bytes = storage.as_bytes();
    for n in 0..8usize {
        let p = Packet::ref_from_bytes_with_elems(&bytes[..3 + n], n).unwrap();
        assert_eq!(size_of_val(p), Packet::size_for_metadata(n).unwrap());
        assert_eq!(p.body.len(), n);
        let w = Words::ref_from_bytes_with_elems(&bytes[..4 + 4 * n], n).unwrap();
        assert_eq!(size_of_val(w), Words::size_for_metadata(n).unwrap());
        let size = Nested::size_for_metadata(n).unwrap();
        let nested = Nested::ref_from_bytes_with_elems(&bytes[..size], n).unwrap();
        assert_eq!(size_of_val(nested), size);
    }
}

#[test]
fn split_at_divides_the_trailing_slice() {
    let bytes = [9u8, 0, 4, 1, 2, 3, 4];
    let p = Packet::ref_from_bytes(&bytes[..]).unwrap();
    let (left, right) = p.split_at(1).unwrap().via_immutable();
    assert_eq!(
        (left.kind, &left.body[..], right),
        (9, &[1u8][..], &[2u8, 3, 4][..])
    );
    assert!(p.split_at(5).is_none());
}

#[test]
fn unaligned_types_convert_at_every_offset() {
    let storage = [0u8; 16];
    for start in 0..8 {
        assert!(PackedPair::ref_from_bytes(&storage[start..start + 5]).is_ok());
        assert!(Packet::ref_from_bytes(&storage[start..]).is_ok());
    }
}

#[test]
fn byte_hash_and_eq_follow_the_bytes() {
    let x = PackedPair { a: 1, b: 2 };
    let y = PackedPair { a: 1, b: 2 };
    let z = PackedPair { a: 1, b: 3 };
    assert!(x == y && x != z);
    let h = |v: &PackedPair| {
        let mut s = DefaultHasher::new();
        v.hash(&mut s);
        s.finish()
    };
    assert_eq!(h(&x), h(&y));
    let mut s = DefaultHasher::new();
    s.write(x.as_bytes());
    assert_eq!(h(&x), s.finish());
}

#[test]
fn generic_types_get_impls_for_their_instances() {
    let w = Wrapper::<[u8; 3]>::read_from_bytes(&[1, 2, 3]).unwrap();
    assert_eq!(w.as_bytes(), &[1, 2, 3]);
    let h = Homogeneous::<u16>::new_zeroed();
    assert_eq!(h.as_bytes(), &[0; 8]);
    assert_eq!(
        Homogeneous::<u16>::read_from_bytes(&[1, 0, 2, 0, 3, 0, 4, 0])
            .unwrap()
            .rest[2],
        4
    );
}

#[test]
fn enum_with_256_variants_is_from_bytes() {
    for b in 0..=255u8 {
        let v = AllBytes::read_from_bytes(&[b]).unwrap();
        assert_eq!(v as u8, b);
    }
}

#[derive(FromZeros, KnownLayout, Immutable)]
#[repr(C)]
struct MaybeRef {
    r: Option<&'static u8>,
}

#[test]
fn option_reference_field_accepts_only_null() {
    let zero = [0u8; core::mem::size_of::<usize>()];
    assert!(MaybeRef::try_read_from_bytes(&zero)
        .map(|m| m.r.is_none())
        .unwrap_or(false));
    assert!(MaybeRef::new_zeroed().r.is_none());
    // A non-null address cannot be checked for validity, so it is rejected.
    let mut one = zero;
    one[0] = 8;
    assert!(MaybeRef::try_read_from_bytes(&one).is_err());
}

#[test]
fn nested_enum_field_is_validated() {
    assert!(WithEnum::try_read_from_bytes(&[10, 1, 2, 3]).is_ok());
    assert!(WithEnum::try_read_from_bytes(&[12, 1, 2, 3]).is_err());
}
