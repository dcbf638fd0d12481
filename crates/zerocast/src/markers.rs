//! The two marker traits that carry no methods of their own: [`Immutable`] (no interior
//! mutability) and [`Unaligned`] (alignment 1). Conversion methods require them where a
//! shared view of bytes must not change under the reader, or where no address can be
//! misaligned.

/// A type with no `UnsafeCell` in its own bytes: through a `&Self` nobody can change them.
///
/// Required wherever zerocast turns a `&[u8]` into a `&Self` (or the reverse): if `Self` had
/// interior mutability, writes through the `&Self` would change bytes that a `&[u8]` says
/// are frozen. `UnsafeCell`s behind an indirection (e.g. in `&Cell<u8>`) do not count.
///
/// # Safety
///
/// An implementer promises that `Self` contains no `UnsafeCell` (recursively, through
/// fields but not through pointers) in any byte of any valid value, so that a `&Self` never
/// permits mutation of `Self`'s own bytes.
///
/// ```
/// use zerocast::{FromBytes, Immutable};
/// fn view<T: FromBytes + Immutable + zerocast::KnownLayout>(b: &[u8]) -> Option<&T> {
///     T::ref_from_bytes(b).ok()
/// }
/// assert_eq!(view::<[u8; 2]>(&[1, 2]), Some(&[1, 2]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` might contain interior mutability (`UnsafeCell`), so it is not `Immutable`",
    note = "a shared `&[u8]` view must not change; use `#[derive(Immutable)]` on types without `UnsafeCell`"
)]
pub unsafe trait Immutable {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;
}

/// A type whose alignment is 1, so any address is suitably aligned for it.
///
/// Conversions to `Unaligned` types cannot fail on alignment; their errors convert into
/// errors without the alignment case (`From` impls on [`ConvertError`](crate::ConvertError)).
///
/// # Safety
///
/// An implementer promises that `Self`'s alignment (`align_of`, or `align_of_val` of every
/// value for unsized types) is exactly 1.
///
/// ```
/// use zerocast::{FromBytes, SizeError};
/// // `[u8; 2]: Unaligned`, so only the size can be wrong:
/// let r: Result<&[u8; 2], SizeError<_, _>> = <[u8; 2]>::ref_from_bytes(&[7u8, 8][..]).map_err(Into::into);
/// assert_eq!(r.unwrap(), &[7, 8]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` may need an alignment above 1, so it is not `Unaligned`",
    note = "`#[derive(Unaligned)]` accepts `repr(C)`/`repr(transparent)` types of `Unaligned` fields, or `repr(packed)`"
)]
pub unsafe trait Unaligned {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;
}
