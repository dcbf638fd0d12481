//! Unit tests for the byteorder types; the exhaustive comparisons against
//! native arithmetic are property tests in `tests/byteorder_props.rs`.

use super::*;
use core::mem::{align_of, size_of};

extern crate std;
use std::format;

#[test]
fn every_type_has_alignment_one_and_native_size() {
    macro_rules! check {
        ($($name:ident $native:ident),*) => {$(
            assert_eq!(align_of::<$name<BE>>(), 1, stringify!($name));
            assert_eq!(align_of::<$name<LE>>(), 1, stringify!($name));
            assert_eq!(size_of::<$name<BE>>(), size_of::<$native>(), stringify!($name));
        )*};
    }
    check!(U16 u16, U32 u32, U64 u64, U128 u128, Usize usize, I16 i16, I32 i32, I64 i64,
        I128 i128, Isize isize, F32 f32, F64 f64);
}

#[test]
fn new_stores_bytes_in_the_requested_order() {
    assert_eq!(U32::<BigEndian>::new(0x0102_0304).to_bytes(), [1, 2, 3, 4]);
    assert_eq!(
        U32::<LittleEndian>::new(0x0102_0304).to_bytes(),
        [4, 3, 2, 1]
    );
    assert_eq!(I16::<BE>::new(-2).to_bytes(), [0xFF, 0xFE]);
    assert_eq!(F32::<BE>::new(1.0).to_bytes(), [0x3F, 0x80, 0, 0]);
    assert_eq!(F32::<LE>::new(1.0).to_bytes(), [0, 0, 0x80, 0x3F]);
    assert_eq!(
        U16::<NativeEndian>::new(0xABCD).to_bytes(),
        0xABCDu16.to_ne_bytes()
    );
}

#[test]
fn aliases_name_the_expected_orders() {
    assert_eq!(<NetworkEndian as ByteOrder>::ORDER, Order::BigEndian);
    assert_eq!(<BE as ByteOrder>::ORDER, Order::BigEndian);
    assert_eq!(<LE as ByteOrder>::ORDER, Order::LittleEndian);
    let native = if cfg!(target_endian = "little") {
        Order::LittleEndian
    } else {
        Order::BigEndian
    };
    assert_eq!(<NativeEndian as ByteOrder>::ORDER, native);
    let n: network_endian::U16 = U16::<BigEndian>::new(1);
    let l: little_endian::I64 = I64::<LittleEndian>::new(-1);
    let b: big_endian::F64 = F64::<BigEndian>::new(0.5);
    let ne: native_endian::U128 = U128::<NativeEndian>::new(3);
    assert_eq!((n.get(), l.get(), b.get(), ne.get()), (1, -1, 0.5, 3));
}

#[test]
fn constants_are_usable_in_const_context() {
    const ZERO: U64<BE> = U64::ZERO;
    const MAX: U16<LE> = U16::MAX_VALUE;
    const FROM: I32<BE> = I32::from_bytes([0xFF; 4]);
    const NEW: F64<LE> = F64::new(-2.5);
    const GOT: f64 = NEW.get();
    const BYTES: [u8; 4] = FROM.to_bytes();
    assert_eq!(ZERO.get(), 0);
    assert_eq!(MAX.get(), u16::MAX);
    assert_eq!(FROM.get(), -1);
    assert_eq!(GOT, -2.5);
    assert_eq!(BYTES, [0xFF; 4]);
    const SET: U32<LE> = {
        let mut v = U32::ZERO;
        v.set(0x0A0B_0C0D);
        v
    };
    assert_eq!(SET.to_bytes(), [0x0D, 0x0C, 0x0B, 0x0A]);
    assert_eq!(Usize::<BE>::MAX_VALUE.get(), usize::MAX);
    assert_eq!(U128::<LE>::default(), U128::<LE>::ZERO);
}

#[test]
fn set_overwrites_in_place() {
    let mut v = Isize::<BE>::new(5);
    v.set(-7);
    assert_eq!(v.get(), -7);
    assert_eq!(v.to_bytes(), (-7isize).to_be_bytes());
}

#[test]
fn formatting_shows_the_native_value() {
    let v = U16::<BE>::new(0x1234);
    assert_eq!(format!("{v:?}"), "U16(4660)");
    assert_eq!(format!("{v}"), "4660");
    assert_eq!(format!("{v:x}"), "1234");
    assert_eq!(format!("{v:#X}"), "0x1234");
    assert_eq!(format!("{v:o}"), "11064");
    assert_eq!(format!("{v:b}"), "1001000110100");
    assert_eq!(format!("{:>6}", I8Wrapper(I32::<LE>::new(-5))), "    -5");
    assert_eq!(format!("{:?}", F32::<LE>::new(1.5)), "F32(1.5)");
    assert_eq!(format!("{:.2}", F64::<BE>::new(1.0)), "1.00");
    assert_eq!(format!("{:?}", Order::BigEndian), "BigEndian");
}

// Checks that width flags reach the native formatter.
struct I8Wrapper(I32<LE>);
impl core::fmt::Display for I8Wrapper {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}

#[test]
fn widening_conversions_preserve_the_value() {
    let small = U16::<LE>::new(0xBEEF);
    let wide: U64<BE> = small.into();
    assert_eq!(wide.get(), 0xBEEF);
    assert_eq!(u128::from(small), 0xBEEF);
    assert_eq!(usize::from(small), 0xBEEF);
    let neg = I16::<BE>::new(-300);
    assert_eq!(I128::<LE>::from(neg).get(), -300);
    assert_eq!(isize::from(neg), -300);
    assert_eq!(F64::<LE>::from(F32::<BE>::new(0.25)).get(), 0.25);
    assert_eq!(f64::from(F32::<BE>::new(-0.5)), -0.5);
    assert_eq!(u32::from(U32::<BE>::new(9)), 9);
    assert_eq!(<[u8; 2]>::from(U16::<BE>::new(1)), [0, 1]);
    assert_eq!(U16::<BE>::from([0, 2]).get(), 2);
    assert_eq!(U16::<LE>::from(3u16).get(), 3);
}

#[test]
fn narrowing_conversions_fail_when_out_of_range() {
    assert_eq!(U16::<BE>::try_from(65_535u32).map(U16::get), Ok(65_535));
    assert!(U16::<BE>::try_from(65_536u32).is_err());
    assert!(U32::<LE>::try_from(U64::<BE>::new(1 << 32)).is_err());
    assert_eq!(U32::<LE>::try_from(U64::<BE>::new(7)).map(U32::get), Ok(7));
    assert!(I16::<BE>::try_from(-40_000i64).is_err());
    assert_eq!(
        I16::<BE>::try_from(I128::<LE>::new(-4)).map(I16::get),
        Ok(-4)
    );
    assert!(I64::<BE>::try_from(I128::<LE>::new(i128::MIN)).is_err());
}

#[test]
fn comparisons_use_numeric_value_not_bytes() {
    // 0x0100 is larger than 0x00FF although its first little-endian byte is smaller.
    let a = U16::<LE>::new(0x0100);
    let b = U16::<LE>::new(0x00FF);
    assert!(a > b);
    assert_eq!(a.cmp(&b), core::cmp::Ordering::Greater);
    assert!(a > 0x00FFu16);
    assert!(I32::<BE>::new(-1) < I32::<BE>::new(0));
    assert!(I32::<BE>::new(-1) < 0);
    assert!(F32::<LE>::new(-1.0) < F32::<LE>::new(0.5));
    assert!(F32::<LE>::new(f32::NAN)
        .partial_cmp(&F32::new(0.0))
        .is_none());
    assert!(F64::<BE>::new(2.0) > 1.5);
    assert_eq!(a, 0x0100u16);
    assert_eq!(a, [0x00, 0x01]);
    assert_eq!([0x00, 0x01], a);
}

#[test]
fn as_ref_and_as_mut_expose_the_stored_bytes() {
    let mut v = U32::<BE>::new(1);
    assert_eq!(v.as_ref(), &[0, 0, 0, 1]);
    v.as_mut()[0] = 0x80;
    assert_eq!(v.get(), 0x8000_0001);
}

#[test]
#[cfg_attr(debug_assertions, should_panic(expected = "overflow"))]
fn arithmetic_overflow_behaves_like_native() {
    let v = U16::<BE>::MAX_VALUE + 1u16;
    // Only reached without debug assertions, where native addition wraps.
    assert_eq!(v.get(), 0);
}

#[test]
fn neg_and_not_match_native() {
    assert_eq!((-I64::<LE>::new(5)).get(), -5);
    assert_eq!((-F32::<BE>::new(2.0)).get(), -2.0);
    assert_eq!((!U16::<BE>::new(0x00FF)).get(), 0xFF00);
    assert_eq!((!I16::<LE>::new(0)).get(), -1);
}
