//! A crate path (`#[zerocast(crate = "..")]`) that names a module of the user's, which
//! re-exports zerocast's traits but replaces the helpers the expansion calls with permissive
//! ones (zerocast's AUDIT.md, finding F2). The impls must stay sound: the bit check of a type
//! with validators goes through the trait being implemented, not through the path, and
//! padding is re-checked by a `::core`-only backstop (the compile-fail cases
//! `*_behind_replaced_crate_path_*` in tests/ui); the bound that pairs the fields of
//! generic types is local to the expansion, so a module's own `Is` is never consulted.
#![allow(missing_docs)]

use zerocast::{Immutable, IntoBytes, KnownLayout, TryFromBytes};

/// What a hostile (or careless) replacement could look like: every validator "passes".
mod lenient {
    pub use zerocast::*;
    pub mod beyond {
        pub use zerocast::beyond::*;
        // Safe, accepts everything; the expansion calls it inside `unsafe { }`.
        #[allow(clippy::missing_safety_doc, clippy::unnecessary_wraps)]
        pub fn run_validators<T>(_: zerocast::Maybe<'_, T>) -> Result<(), ()> {
            Ok(())
        }
        // What the expansion called before the audit: the bit check and the validators in one.
        #[allow(dead_code, clippy::unnecessary_wraps)]
        pub fn check_candidate<T>(_: zerocast::Maybe<'_, T>) -> Result<(), ()> {
            Ok(())
        }
    }
}

fn never(_: &Flag) -> Result<(), &'static str> {
    Err("validators of this type always refuse")
}

#[derive(TryFromBytes, KnownLayout, Immutable, Debug)]
#[zerocast(crate = "lenient", validate = never)]
#[repr(C)]
struct Flag {
    set: bool,
}

#[test]
fn a_replaced_validator_runner_cannot_skip_the_bit_check() {
    // 2 is not a `bool`: the bit check must refuse it whatever the module does.
    assert!(Flag::try_ref_from_bytes(&[2u8][..]).is_err());
    assert!(Flag::try_read_from_bytes(&[2u8][..]).is_err());
    // The replaced runner skips the validators (they only decide what the user asked for,
    // never soundness), so a valid `bool` is accepted.
    assert!(Flag::try_read_from_bytes(&[1u8][..]).is_ok_and(|f| f.set));
}

/// A module whose `Is` (the bound that confirms two token-equal field types are one type)
/// holds for nothing. Before the pairing bound was made local to the expansion, these
/// derives used this `Is` and did not compile; a permissive one would have let a macro
/// with mixed hygiene pair fields of different types.
mod strict_is {
    pub use zerocast::*;
    pub mod __derive {
        pub use zerocast::__derive::*;
        #[allow(dead_code)] // The point: the derive must not use it.
        pub trait Is<T: ?Sized> {}
    }
}

#[derive(IntoBytes, Immutable)]
#[zerocast(crate = "strict_is")]
#[repr(C)]
struct Pair<T> {
    a: T,
    b: [T; 2],
}

#[derive(IntoBytes, Immutable)]
#[zerocast(crate = "strict_is")]
#[repr(u8)]
#[allow(dead_code)] // Read only through `as_bytes`.
enum Either<T> {
    Left(T, u8),
    Right(u8, T),
}

#[test]
fn generic_field_pairing_does_not_go_through_the_crate_path() {
    let pair = Pair {
        a: 1u16.to_be(),
        b: [2u16.to_be(), 3u16.to_be()],
    };
    assert_eq!(pair.as_bytes(), &[0, 1, 0, 2, 0, 3]);
    assert_eq!(Either::<u8>::Left(7, 8).as_bytes(), &[0, 7, 8]);
    assert_eq!(Either::<u8>::Right(7, 8).as_bytes(), &[1, 7, 8]);
}

/// Re-exports zerocast but defines its own `Unalign`, with `MaybeUninit` inside: through
/// it, a packed `SplitAt` struct's `&mut [Unalign<bool>]` would take uninitialized bytes
/// over the `bool`s from safe code (AUDIT.md, F6; Miri reported the uninitialized read
/// before the derive took `Unalign` from the `SplitAt` trait instead of the crate path).
/// Writing the module's own `Unalign` where the elements go is a type error
/// (tests/ui/split_at_packed_unalign_behind_replaced_crate_path.rs).
#[allow(dead_code)]
mod maybe_uninit_unalign {
    pub use zerocast::*;
    #[repr(C, packed)]
    pub struct Unalign<T>(pub core::mem::MaybeUninit<T>);
}

#[derive(TryFromBytes, IntoBytes, KnownLayout, zerocast::SplitAt)]
#[zerocast(crate = "maybe_uninit_unalign")]
#[repr(C, packed)]
struct PackedFlags {
    tag: u8,
    flags: [bool],
}

#[test]
fn packed_split_elements_are_zerocasts_unalign_whatever_the_crate_path_names() {
    use zerocast::SplitAt;
    let mut bytes = [7u8, 0, 1];
    let packed = PackedFlags::try_mut_from_bytes(&mut bytes[..]).unwrap();
    let (left, right) = packed.split_at_mut(1).unwrap().via_into_bytes();
    // The element type is zerocast's `Unalign<bool>` (this binding does not build with the
    // module's own `Unalign`), whose value can only be a valid `bool`.
    let right: &mut [zerocast::Unalign<bool>] = right;
    assert_eq!(right.len(), 1);
    assert!(right[0].get());
    right[0] = zerocast::Unalign::new(false);
    assert_eq!((left.tag, left.flags.len()), (7, 1));
    left.flags[0] = true;
    assert_eq!(bytes, [7, 1, 0]);
}
