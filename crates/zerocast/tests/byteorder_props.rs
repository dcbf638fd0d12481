//! Property tests: every byteorder type against the native type's
//! `to_be_bytes`/`from_le_bytes` and operators, in both byte orders.
//!
//! Native operations that would panic (overflow, division by zero, shifting
//! by the bit width or more) are skipped with `checked_*`; the panic itself is
//! covered by a unit test.

use proptest::prelude::*;
use zerocast::byteorder::{BigEndian, ByteOrder, LittleEndian, Order};
use zerocast::byteorder::{Isize, Usize, F32, F64, I128, I16, I32, I64, U128, U16, U32, U64};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The bytes native code would store for `O`, written without our types.
fn expected_order<O: ByteOrder>(be: &[u8], le: &[u8]) -> Vec<u8> {
    match O::ORDER {
        Order::BigEndian => be.to_vec(),
        Order::LittleEndian => le.to_vec(),
    }
}

macro_rules! int_props {
    ($module:ident, $name:ident, $native:ident, $signed:tt) => {
        mod $module {
            use super::*;

            fn layout<O: ByteOrder>(n: $native) {
                let v = $name::<O>::new(n);
                assert_eq!(v.to_bytes().to_vec(), expected_order::<O>(&n.to_be_bytes(), &n.to_le_bytes()));
                assert_eq!(v.get(), n);
                assert_eq!($name::<BigEndian>::from_bytes(n.to_be_bytes()).get(), n);
                assert_eq!($name::<LittleEndian>::from_bytes(n.to_le_bytes()).get(), n);
                assert_eq!($native::from(v), n);
                let mut w = $name::<O>::ZERO;
                w.set(n);
                assert_eq!(w, v);
                assert_eq!(w, n);
            }

            fn binary<O: ByteOrder>(a: $native, b: $native) {
                let (x, y) = ($name::<O>::new(a), $name::<O>::new(b));
                macro_rules! op {
                    ($op:tt, $op_assign:tt, $expected:expr) => {
                        if let Some(e) = $expected {
                            assert_eq!((x $op y).get(), e, "{} {} {}", a, stringify!($op), b);
                            assert_eq!((x $op b).get(), e);
                            assert_eq!((a $op y).get(), e);
                            let mut m = x;
                            m $op_assign y;
                            assert_eq!(m.get(), e);
                            let mut m = x;
                            m $op_assign b;
                            assert_eq!(m.get(), e);
                            let mut n = a;
                            n $op_assign y;
                            assert_eq!(n, e);
                        }
                    };
                }
                op!(+, +=, a.checked_add(b));
                op!(-, -=, a.checked_sub(b));
                op!(*, *=, a.checked_mul(b));
                op!(/, /=, a.checked_div(b));
                op!(%, %=, a.checked_rem(b));
                op!(&, &=, Some(a & b));
                op!(|, |=, Some(a | b));
                op!(^, ^=, Some(a ^ b));
                let shift = b.rem_euclid($native::BITS as $native);
                let s = $name::<O>::new(shift);
                assert_eq!((x << s).get(), a << shift);
                assert_eq!((x >> shift).get(), a >> shift);
                assert_eq!((a << s).get(), a << shift);
                let mut m = x;
                m <<= s;
                m >>= shift;
                assert_eq!(m.get(), (a << shift) >> shift);
                assert_eq!((!x).get(), !a);
                assert_eq!(x.cmp(&y), a.cmp(&b));
                assert_eq!(x.partial_cmp(&b), a.partial_cmp(&b));
                assert_eq!(x == y, a == b);
                int_props!(@neg $signed, x, a);
            }

            proptest! {
                #![proptest_config(config())]

                #[test]
                fn layout_matches_native_bytes(n in any::<$native>()) {
                    layout::<BigEndian>(n);
                    layout::<LittleEndian>(n);
                }

                #[test]
                fn operators_match_native(a in any::<$native>(), b in any::<$native>()) {
                    binary::<BigEndian>(a, b);
                    binary::<LittleEndian>(a, b);
                }

                #[test]
                fn formatting_matches_native(n in any::<$native>()) {
                    let v = $name::<BigEndian>::new(n);
                    assert_eq!(format!("{v} {v:x} {v:X} {v:o} {v:b} {v:#010x}"),
                        format!("{n} {n:x} {n:X} {n:o} {n:b} {n:#010x}"));
                    assert_eq!(format!("{v:?}"), format!("{}({n:?})", stringify!($name)));
                }
            }
        }
    };
    (@neg signed, $x:ident, $a:ident) => {
        if let Some(e) = $a.checked_neg() {
            assert_eq!((-$x).get(), e);
        }
    };
    (@neg unsigned, $x:ident, $a:ident) => {};
}

int_props!(u16_props, U16, u16, unsigned);
int_props!(u32_props, U32, u32, unsigned);
int_props!(u64_props, U64, u64, unsigned);
int_props!(u128_props, U128, u128, unsigned);
int_props!(usize_props, Usize, usize, unsigned);
int_props!(i16_props, I16, i16, signed);
int_props!(i32_props, I32, i32, signed);
int_props!(i64_props, I64, i64, signed);
int_props!(i128_props, I128, i128, signed);
int_props!(isize_props, Isize, isize, signed);

/// Equal values, or both NaN: NaN payloads are not portable (Miri picks them
/// at random), so only NaN-ness is compared.
fn same_float(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

macro_rules! float_props {
    ($module:ident, $name:ident, $native:ident) => {
        mod $module {
            use super::*;

            fn layout<O: ByteOrder>(n: $native) {
                let v = $name::<O>::new(n);
                assert_eq!(v.to_bytes().to_vec(), expected_order::<O>(&n.to_be_bytes(), &n.to_le_bytes()));
                // Bit-exact, so NaN payloads and signed zeros survive.
                assert_eq!(v.get().to_bits(), n.to_bits());
                assert_eq!($name::<LittleEndian>::from_bytes(n.to_le_bytes()).get().to_bits(), n.to_bits());
                assert_eq!($name::<BigEndian>::from_bytes(n.to_be_bytes()).get().to_bits(), n.to_bits());
            }

            fn binary<O: ByteOrder>(a: $native, b: $native) {
                let (x, y) = ($name::<O>::new(a), $name::<O>::new(b));
                macro_rules! op {
                    ($op:tt, $op_assign:tt) => {
                        let e = f64::from(a $op b);
                        assert!(same_float(f64::from((x $op y).get()), e));
                        assert!(same_float(f64::from((x $op b).get()), e));
                        assert!(same_float(f64::from((a $op y).get()), e));
                        let mut m = x;
                        m $op_assign y;
                        assert!(same_float(f64::from(m.get()), e));
                        let mut m = x;
                        m $op_assign b;
                        assert!(same_float(f64::from(m.get()), e));
                        let mut n = a;
                        n $op_assign y;
                        assert!(same_float(f64::from(n), e));
                    };
                }
                op!(+, +=);
                op!(-, -=);
                op!(*, *=);
                op!(/, /=);
                op!(%, %=);
                assert!(same_float(f64::from((-x).get()), f64::from(-a)));
                assert_eq!(x.partial_cmp(&y), a.partial_cmp(&b));
                assert_eq!(x.partial_cmp(&b), a.partial_cmp(&b));
            }

            proptest! {
                #![proptest_config(config())]

                #[test]
                fn layout_matches_native_bytes(n in any::<$native>()) {
                    layout::<BigEndian>(n);
                    layout::<LittleEndian>(n);
                }

                #[test]
                fn operators_match_native(a in any::<$native>(), b in any::<$native>()) {
                    binary::<BigEndian>(a, b);
                    binary::<LittleEndian>(a, b);
                }

                #[test]
                fn formatting_matches_native(n in any::<$native>()) {
                    let v = $name::<LittleEndian>::new(n);
                    assert_eq!(format!("{v} {v:?}"), format!("{n} {}({n:?})", stringify!($name)));
                }
            }
        }
    };
}

float_props!(f32_props, F32, f32);
float_props!(f64_props, F64, f64);

proptest! {
    #![proptest_config(config())]

    #[test]
    fn widening_and_narrowing_round_trip(n in any::<u64>(), m in any::<i64>()) {
        let wide: U128<BigEndian> = U64::<LittleEndian>::new(n).into();
        prop_assert_eq!(wide.get(), u128::from(n));
        prop_assert_eq!(U64::<BigEndian>::try_from(wide).map(U64::get), Ok(n));
        let narrow = U16::<LittleEndian>::try_from(n);
        prop_assert_eq!(narrow.map(U16::get).ok(), u16::try_from(n).ok());
        let narrow = I16::<BigEndian>::try_from(I64::<LittleEndian>::new(m));
        prop_assert_eq!(narrow.map(I16::get).ok(), i16::try_from(m).ok());
        prop_assert_eq!(i128::from(I64::<BigEndian>::new(m)), i128::from(m));
    }
}
