//! Errors of the conversion methods: each carries the source back (so a caller can retry or
//! report) and names the destination type in its message.
//!
//! Unlike zerocopy, every error has a public constructor so libraries can forward them. An
//! [`AlignmentError`] can only be built for a destination whose alignment is greater than
//! one, which is what lets `From` drop the alignment case when `Dst: Unaligned`.

use core::convert::Infallible;
use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;

use crate::{KnownLayout, SizeInfo, TryFromBytes, Unaligned};

/// A `PhantomData` for the destination type that is `Send + Sync` and covariant whatever the
/// type is: the errors never hold a `Dst`.
type DstMarker<Dst> = PhantomData<fn() -> PhantomData<Dst>>;

/// The error of a conversion: misaligned source (`A`), wrong size (`S`), or invalid bytes
/// (`V`). The aliases [`CastError`], [`TryCastError`] and [`TryReadError`] name the usual
/// combinations.
///
/// ```
/// use zerocast::{ConvertError, FromBytes};
/// match u32::ref_from_bytes(&[0u8; 3][..]) {
///     Err(ConvertError::Size(e)) => assert_eq!(e.into_src().len(), 3),
///     other => panic!("expected a size error, got {other:?}"),
/// }
/// ```
#[derive(PartialEq, Eq, Clone)]
pub enum ConvertError<A, S, V> {
    /// The source was not aligned for the destination type.
    Alignment(A),
    /// The source had a size the destination type cannot have.
    Size(S),
    /// The source bytes are not a valid value of the destination type.
    Validity(V),
}

impl<A: fmt::Debug, S: fmt::Debug, V: fmt::Debug> fmt::Debug for ConvertError<A, S, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Alignment(e) => f.debug_tuple("Alignment").field(e).finish(),
            ConvertError::Size(e) => f.debug_tuple("Size").field(e).finish(),
            ConvertError::Validity(e) => f.debug_tuple("Validity").field(e).finish(),
        }
    }
}

impl<A: fmt::Display, S: fmt::Display, V: fmt::Display> fmt::Display for ConvertError<A, S, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Alignment(e) => e.fmt(f),
            ConvertError::Size(e) => e.fmt(f),
            ConvertError::Validity(e) => e.fmt(f),
        }
    }
}

impl<A, S, V> core::error::Error for ConvertError<A, S, V>
where
    A: fmt::Display + fmt::Debug,
    S: fmt::Display + fmt::Debug,
    V: fmt::Display + fmt::Debug,
{
}

impl<Src, Dst: ?Sized + Unaligned, S, V> From<ConvertError<AlignmentError<Src, Dst>, S, V>>
    for ConvertError<Infallible, S, V>
{
    /// Drops the alignment case, impossible because `Dst` is [`Unaligned`].
    ///
    /// ```
    /// use core::convert::Infallible;
    /// use zerocast::{ConvertError, FromBytes, SizeError};
    /// let err = <[u8; 4]>::ref_from_bytes(&[1u8, 2][..]).unwrap_err();
    /// let err: ConvertError<Infallible, SizeError<_, _>, Infallible> = err.into();
    /// assert!(matches!(err, ConvertError::Size(_)));
    /// ```
    #[allow(unreachable_code)]
    fn from(err: ConvertError<AlignmentError<Src, Dst>, S, V>) -> Self {
        match err {
            ConvertError::Alignment(e) => match Infallible::from(e) {},
            ConvertError::Size(e) => ConvertError::Size(e),
            ConvertError::Validity(e) => ConvertError::Validity(e),
        }
    }
}

/// The source of a conversion was not aligned for the destination type `Dst`.
///
/// ```
/// use zerocast::{AlignmentError, FromBytes};
/// let err = AlignmentError::<_, u32>::new(&[0u8; 4][..]).expect("u32 has alignment > 1");
/// assert_eq!(err.into_src(), &[0, 0, 0, 0]);
/// assert!(AlignmentError::<_, u8>::new(&[0u8][..]).is_none());
/// ```
pub struct AlignmentError<Src, Dst: ?Sized> {
    src: Src,
    /// Invariant: only constructed when `Dst`'s alignment is greater than one.
    _dst: DstMarker<Dst>,
}

impl<Src, Dst: ?Sized> AlignmentError<Src, Dst> {
    /// An alignment error for `src`, or `None` if `Dst` has alignment 1 (no source can be
    /// misaligned for it).
    ///
    /// ```
    /// use zerocast::AlignmentError;
    /// assert!(AlignmentError::<_, [u16]>::new(()).is_some());
    /// ```
    #[must_use]
    pub fn new(src: Src) -> Option<Self>
    where
        Dst: KnownLayout,
    {
        if Dst::LAYOUT.align() > 1 {
            Some(AlignmentError {
                src,
                _dst: PhantomData,
            })
        } else {
            None
        }
    }

    /// Builds the error without the alignment check; crate-internal callers have just
    /// observed a misaligned address, which proves `align > 1`.
    #[inline(always)]
    pub(crate) fn new_observed(src: Src) -> Self {
        AlignmentError {
            src,
            _dst: PhantomData,
        }
    }

    /// Gives the source back.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// #[repr(C, align(8))]
    /// struct Buf([u8; 9]);
    /// let buf = Buf([0; 9]);
    /// let err = u64::ref_from_bytes(&buf.0[1..]).unwrap_err();
    /// assert_eq!(err.into_src().len(), 8);
    /// ```
    #[inline(always)]
    pub fn into_src(self) -> Src {
        self.src
    }

    /// Replaces the source with `f(source)`.
    ///
    /// ```
    /// use zerocast::AlignmentError;
    /// let err = AlignmentError::<_, u32>::new(&[0u8; 4][..]).unwrap();
    /// assert_eq!(err.map_src(|s| s.len()).into_src(), 4);
    /// ```
    #[inline(always)]
    pub fn map_src<NewSrc>(self, f: impl FnOnce(Src) -> NewSrc) -> AlignmentError<NewSrc, Dst> {
        AlignmentError {
            src: f(self.src),
            _dst: PhantomData,
        }
    }
}

impl<Src: Clone, Dst: ?Sized> Clone for AlignmentError<Src, Dst> {
    fn clone(&self) -> Self {
        AlignmentError {
            src: self.src.clone(),
            _dst: PhantomData,
        }
    }
}
impl<Src: PartialEq, Dst: ?Sized> PartialEq for AlignmentError<Src, Dst> {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src
    }
}
impl<Src: Eq, Dst: ?Sized> Eq for AlignmentError<Src, Dst> {}

impl<Src, Dst: ?Sized + Unaligned> From<AlignmentError<Src, Dst>> for Infallible {
    /// An `AlignmentError` for an [`Unaligned`] type cannot exist (its constructors refuse
    /// alignment 1), so this conversion is never called.
    ///
    /// ```
    /// use zerocast::{FromBytes, SizeError};
    /// let r: Result<&[u8; 2], SizeError<_, _>> = <[u8; 2]>::ref_from_bytes(&[1u8, 2][..])
    ///     .map_err(Into::into);
    /// assert_eq!(r.unwrap(), &[1, 2]);
    /// ```
    fn from(_: AlignmentError<Src, Dst>) -> Infallible {
        // Not `unreachable_unchecked`: a safe panic keeps soundness independent of the
        // invariant, and the branch is dead code after inlining anyway.
        unreachable!("an AlignmentError exists only for types with alignment > 1")
    }
}

impl<Src, Dst: ?Sized> fmt::Debug for AlignmentError<Src, Dst> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlignmentError")
            .field("dst", &core::any::type_name::<Dst>())
            .finish()
    }
}

fn src_len_and_addr<S: ?Sized>(src: &S) -> (usize, usize) {
    (
        core::mem::size_of_val(src),
        (src as *const S).cast::<u8>().addr(),
    )
}

impl<Src: Deref, Dst: ?Sized + KnownLayout> fmt::Display for AlignmentError<Src, Dst> {
    /// ```
    /// use zerocast::FromBytes;
    /// #[repr(C, align(4))]
    /// struct Buf([u8; 5]);
    /// let buf = Buf([0; 5]);
    /// let msg = u32::ref_from_bytes(&buf.0[1..]).unwrap_err().to_string();
    /// assert!(msg.contains("alignment 4"), "{msg}");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (len, addr) = src_len_and_addr(&*self.src);
        let align = Dst::LAYOUT.align();
        write!(f, "cannot convert a {len}-byte source ")?;
        // The address itself only in debug builds: release logs should not reveal memory
        // layout (it would help defeat ASLR); the misalignment is enough to act on.
        if cfg!(debug_assertions) {
            write!(f, "at address {addr:#x} ")?;
        }
        write!(
            f,
            "to `{}`: the type needs alignment {align}, and the source starts {} byte(s) past \
             a multiple of {align}",
            core::any::type_name::<Dst>(),
            addr % align,
        )
    }
}

impl<Src: Deref, Dst: ?Sized + KnownLayout> core::error::Error for AlignmentError<Src, Dst> {}

impl<Src, Dst: ?Sized, S, V> From<AlignmentError<Src, Dst>>
    for ConvertError<AlignmentError<Src, Dst>, S, V>
{
    /// ```
    /// use zerocast::{AlignmentError, CastError};
    /// let e: CastError<(), u16> = AlignmentError::new(()).unwrap().into();
    /// assert!(matches!(e, zerocast::ConvertError::Alignment(_)));
    /// ```
    fn from(err: AlignmentError<Src, Dst>) -> Self {
        ConvertError::Alignment(err)
    }
}

/// The source of a conversion had a size the destination type `Dst` cannot have (too short,
/// too long, or not one of a slice DST's possible sizes).
///
/// ```
/// use zerocast::{FromBytes, SizeError};
/// let err: SizeError<_, u32> = u32::read_from_bytes(&[0u8; 2][..]).unwrap_err();
/// assert_eq!(err.into_src(), &[0, 0]);
/// ```
pub struct SizeError<Src, Dst: ?Sized> {
    src: Src,
    _dst: DstMarker<Dst>,
}

impl<Src, Dst: ?Sized> SizeError<Src, Dst> {
    /// A size error for `src`.
    ///
    /// ```
    /// let err = zerocast::SizeError::<_, u64>::new([0u8; 3]);
    /// assert_eq!(err.into_src(), [0, 0, 0]);
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn new(src: Src) -> Self {
        SizeError {
            src,
            _dst: PhantomData,
        }
    }

    /// Gives the source back.
    ///
    /// ```
    /// let err = zerocast::SizeError::<_, u64>::new("src");
    /// assert_eq!(err.into_src(), "src");
    /// ```
    #[inline(always)]
    pub fn into_src(self) -> Src {
        self.src
    }

    /// Replaces the source with `f(source)`.
    ///
    /// ```
    /// let err = zerocast::SizeError::<_, u64>::new(&[1u8][..]);
    /// assert_eq!(err.map_src(|s| s.len()).into_src(), 1);
    /// ```
    #[inline(always)]
    pub fn map_src<NewSrc>(self, f: impl FnOnce(Src) -> NewSrc) -> SizeError<NewSrc, Dst> {
        SizeError {
            src: f(self.src),
            _dst: PhantomData,
        }
    }
}

impl<Src: Clone, Dst: ?Sized> Clone for SizeError<Src, Dst> {
    fn clone(&self) -> Self {
        SizeError {
            src: self.src.clone(),
            _dst: PhantomData,
        }
    }
}
impl<Src: PartialEq, Dst: ?Sized> PartialEq for SizeError<Src, Dst> {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src
    }
}
impl<Src: Eq, Dst: ?Sized> Eq for SizeError<Src, Dst> {}

impl<Src, Dst: ?Sized> fmt::Debug for SizeError<Src, Dst> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SizeError")
            .field("dst", &core::any::type_name::<Dst>())
            .finish()
    }
}

impl<Src: Deref, Dst: ?Sized + KnownLayout> fmt::Display for SizeError<Src, Dst> {
    /// ```
    /// use zerocast::FromBytes;
    /// let msg = u32::read_from_bytes(&[0u8; 3][..]).unwrap_err().to_string();
    /// assert_eq!(msg, "cannot convert a 3-byte source to `u32`: the type is 4 bytes");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (len, _) = src_len_and_addr(&*self.src);
        let name = core::any::type_name::<Dst>();
        if name == core::any::type_name::<&mut [u8]>() {
            // `IntoBytes::write_to*` report their destination buffer as `Dst` (zerocopy's
            // signature); the sizes that matter are the value's and the buffer's.
            return write!(
                f,
                "cannot write a {len}-byte value into the destination slice: its length is \
                 not {len} (write_to) or is less than {len} (write_to_prefix/suffix)"
            );
        }
        write!(f, "cannot convert a {len}-byte source to `{name}`: ")?;
        let layout = Dst::LAYOUT;
        match layout.size_info() {
            SizeInfo::Sized { size } => write!(f, "the type is {size} bytes"),
            SizeInfo::SliceDst(_) => {
                let min = layout.size_for_elems(0).unwrap_or(0);
                let elem = layout.elem_size().unwrap_or(0);
                write!(
                    f,
                    "the type is at least {min} bytes and grows by {elem} byte(s) per \
                     trailing element (plus padding to alignment {})",
                    layout.align()
                )
            }
        }
    }
}

impl<Src: Deref, Dst: ?Sized + KnownLayout> core::error::Error for SizeError<Src, Dst> {}

impl<Src, Dst: ?Sized, A, V> From<SizeError<Src, Dst>> for ConvertError<A, SizeError<Src, Dst>, V> {
    /// ```
    /// use zerocast::{CastError, SizeError};
    /// let e: CastError<(), u16> = SizeError::new(()).into();
    /// assert!(matches!(e, zerocast::ConvertError::Size(_)));
    /// ```
    fn from(err: SizeError<Src, Dst>) -> Self {
        ConvertError::Size(err)
    }
}

/// The source bytes are not a valid `Dst` (e.g. `2` for a `bool`).
///
/// ```
/// use zerocast::{ConvertError, TryFromBytes};
/// let err = bool::try_read_from_bytes(&[2u8][..]).unwrap_err();
/// assert!(matches!(err, ConvertError::Validity(_)));
/// ```
pub struct ValidityError<Src, Dst: ?Sized + TryFromBytes> {
    src: Src,
    _dst: DstMarker<Dst>,
}

impl<Src, Dst: ?Sized + TryFromBytes> ValidityError<Src, Dst> {
    /// A validity error for `src`.
    ///
    /// ```
    /// let err = zerocast::ValidityError::<_, bool>::new([2u8]);
    /// assert_eq!(err.into_src(), [2]);
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn new(src: Src) -> Self {
        ValidityError {
            src,
            _dst: PhantomData,
        }
    }

    /// Gives the source back.
    ///
    /// ```
    /// let err = zerocast::ValidityError::<_, char>::new(7);
    /// assert_eq!(err.into_src(), 7);
    /// ```
    #[inline(always)]
    pub fn into_src(self) -> Src {
        self.src
    }

    /// Replaces the source with `f(source)`.
    ///
    /// ```
    /// let err = zerocast::ValidityError::<_, bool>::new(&[9u8][..]);
    /// assert_eq!(err.map_src(|s| s[0]).into_src(), 9);
    /// ```
    #[inline(always)]
    pub fn map_src<NewSrc>(self, f: impl FnOnce(Src) -> NewSrc) -> ValidityError<NewSrc, Dst> {
        ValidityError {
            src: f(self.src),
            _dst: PhantomData,
        }
    }
}

impl<Src: Clone, Dst: ?Sized + TryFromBytes> Clone for ValidityError<Src, Dst> {
    fn clone(&self) -> Self {
        ValidityError {
            src: self.src.clone(),
            _dst: PhantomData,
        }
    }
}
impl<Src: PartialEq, Dst: ?Sized + TryFromBytes> PartialEq for ValidityError<Src, Dst> {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src
    }
}
impl<Src: Eq, Dst: ?Sized + TryFromBytes> Eq for ValidityError<Src, Dst> {}

impl<Src, Dst: ?Sized + TryFromBytes> fmt::Debug for ValidityError<Src, Dst> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidityError")
            .field("dst", &core::any::type_name::<Dst>())
            .finish()
    }
}

impl<Src, Dst: ?Sized + KnownLayout + TryFromBytes> fmt::Display for ValidityError<Src, Dst> {
    /// ```
    /// use zerocast::TryFromBytes;
    /// let msg = char::try_read_from_bytes(&[0xff; 4][..]).unwrap_err().to_string();
    /// assert_eq!(msg, "the source bytes are not a valid `char`");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the source bytes are not a valid `{}`",
            core::any::type_name::<Dst>()
        )
    }
}

impl<Src, Dst: ?Sized + KnownLayout + TryFromBytes> core::error::Error for ValidityError<Src, Dst> {}

impl<Src, Dst: ?Sized + TryFromBytes, A, S> From<ValidityError<Src, Dst>>
    for ConvertError<A, S, ValidityError<Src, Dst>>
{
    /// ```
    /// use zerocast::{TryReadError, ValidityError};
    /// let e: TryReadError<(), bool> = ValidityError::new(()).into();
    /// assert!(matches!(e, zerocast::ConvertError::Validity(_)));
    /// ```
    fn from(err: ValidityError<Src, Dst>) -> Self {
        ConvertError::Validity(err)
    }
}

/// The error of the reference conversions of [`FromBytes`](crate::FromBytes): misaligned or
/// wrongly sized source.
///
/// ```
/// use zerocast::{CastError, FromBytes};
/// let r: Result<&u16, CastError<&[u8], u16>> = u16::ref_from_bytes(&[0u8][..]);
/// assert!(r.is_err());
/// ```
#[allow(type_alias_bounds)]
pub type CastError<Src, Dst: ?Sized> =
    ConvertError<AlignmentError<Src, Dst>, SizeError<Src, Dst>, Infallible>;

/// The error of the reference conversions of [`TryFromBytes`]: misaligned, wrongly sized, or
/// invalid source.
///
/// ```
/// use zerocast::{TryCastError, TryFromBytes};
/// let r: Result<&bool, TryCastError<&[u8], bool>> = bool::try_ref_from_bytes(&[3u8][..]);
/// assert!(r.is_err());
/// ```
#[allow(type_alias_bounds)]
pub type TryCastError<Src, Dst: ?Sized + TryFromBytes> =
    ConvertError<AlignmentError<Src, Dst>, SizeError<Src, Dst>, ValidityError<Src, Dst>>;

/// The error of [`TryFromBytes`]'s `try_read_from_*`: wrongly sized or invalid source
/// (reads copy, so alignment cannot fail).
///
/// ```
/// use zerocast::{TryReadError, TryFromBytes};
/// let r: Result<bool, TryReadError<&[u8], bool>> = bool::try_read_from_bytes(&[][..]);
/// assert!(r.is_err());
/// ```
#[allow(type_alias_bounds)]
pub type TryReadError<Src, Dst: ?Sized + TryFromBytes> =
    ConvertError<Infallible, SizeError<Src, Dst>, ValidityError<Src, Dst>>;

/// The error of [`TryFromBytes`]'s reference conversions once the alignment case has been
/// dropped (possible when `Dst: Unaligned`, through `From`).
///
/// ```
/// use zerocast::{AlignedTryCastError, TryFromBytes};
/// fn parse(bytes: &[u8]) -> Result<&[bool], AlignedTryCastError<&[u8], [bool]>> {
///     <[bool]>::try_ref_from_bytes(bytes).map_err(Into::into)
/// }
/// assert!(parse(&[1, 0]).is_ok());
/// assert!(matches!(parse(&[2]), Err(zerocast::ConvertError::Validity(_))));
/// ```
#[allow(type_alias_bounds)]
pub type AlignedTryCastError<Src, Dst: ?Sized + TryFromBytes> =
    ConvertError<Infallible, SizeError<Src, Dst>, ValidityError<Src, Dst>>;

macro_rules! impl_src_accessors {
    ($alias:ident, $a:ident, $v:ident, [$($bound:tt)*]) => {
        impl<Src, Dst: ?Sized $($bound)*> $alias<Src, Dst> {
            /// Gives the source back, whichever way the conversion failed.
            ///
            /// ```
            /// use zerocast::TryFromBytes;
            /// let err = <[bool; 2]>::try_read_from_bytes(&[0u8, 5][..]).unwrap_err();
            /// assert_eq!(err.into_src(), &[0, 5]);
            /// ```
            #[inline(always)]
            #[allow(unreachable_code)]
            pub fn into_src(self) -> Src {
                match self {
                    ConvertError::Alignment(e) => impl_src_accessors!(@into $a, e),
                    ConvertError::Size(e) => e.into_src(),
                    ConvertError::Validity(e) => impl_src_accessors!(@into $v, e),
                }
            }

            /// Replaces the source with `f(source)`, whichever way the conversion failed.
            ///
            /// ```
            /// use zerocast::FromBytes;
            /// let err = u32::ref_from_bytes(&[0u8; 2][..]).unwrap_err();
            /// assert_eq!(err.map_src(|s| s.len()).into_src(), 2);
            /// ```
            #[inline(always)]
            #[allow(unreachable_code)]
            pub fn map_src<NewSrc>(self, f: impl FnOnce(Src) -> NewSrc) -> $alias<NewSrc, Dst> {
                match self {
                    ConvertError::Alignment(e) => ConvertError::Alignment(impl_src_accessors!(@map $a, e, f)),
                    ConvertError::Size(e) => ConvertError::Size(e.map_src(f)),
                    ConvertError::Validity(e) => ConvertError::Validity(impl_src_accessors!(@map $v, e, f)),
                }
            }
        }
    };
    (@into never, $e:ident) => { match $e {} };
    (@into some, $e:ident) => { $e.into_src() };
    (@map never, $e:ident, $f:ident) => { match $e {} };
    (@map some, $e:ident, $f:ident) => { $e.map_src($f) };
}

impl_src_accessors!(CastError, some, never, []);
impl_src_accessors!(TryCastError, some, some, [+ TryFromBytes]);
impl_src_accessors!(TryReadError, never, some, [+ TryFromBytes]);
// `AlignedTryCastError` is the same type as `TryReadError`, so it shares those accessors.

impl<Src, Dst: ?Sized + Unaligned> From<CastError<Src, Dst>> for SizeError<Src, Dst> {
    /// The only way a conversion to an [`Unaligned`] type fails is its size.
    ///
    /// ```
    /// use zerocast::{FromBytes, SizeError};
    /// let err: SizeError<_, [u8; 4]> = <[u8; 4]>::ref_from_bytes(&[0u8; 3][..]).unwrap_err().into();
    /// assert_eq!(err.into_src().len(), 3);
    /// ```
    #[allow(unreachable_code)]
    fn from(err: CastError<Src, Dst>) -> Self {
        match err {
            ConvertError::Alignment(e) => match Infallible::from(e) {},
            ConvertError::Size(e) => e,
            ConvertError::Validity(e) => match e {},
        }
    }
}

impl<Src, Dst: ?Sized + TryFromBytes> From<CastError<Src, Dst>> for TryCastError<Src, Dst> {
    /// ```
    /// use zerocast::{CastError, SizeError, TryCastError};
    /// let e: CastError<(), u16> = SizeError::new(()).into();
    /// let e: TryCastError<(), u16> = e.into();
    /// assert!(matches!(e, zerocast::ConvertError::Size(_)));
    /// ```
    fn from(err: CastError<Src, Dst>) -> Self {
        match err {
            ConvertError::Alignment(e) => ConvertError::Alignment(e),
            ConvertError::Size(e) => ConvertError::Size(e),
            ConvertError::Validity(e) => match e {},
        }
    }
}

/// Allocation failed (size overflow or the allocator returned null).
///
/// ```
/// use zerocast::AllocError;
/// // Returned by `FromZeros::new_box_zeroed` and friends (feature `alloc`), e.g. for
/// // `u64::new_vec_zeroed(usize::MAX)`, whose size overflows.
/// let err: Result<(), AllocError> = Err(AllocError);
/// assert_eq!(err.unwrap_err().to_string(), "memory allocation failed");
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct AllocError;

impl fmt::Display for AllocError {
    /// ```
    /// assert_eq!(zerocast::AllocError.to_string(), "memory allocation failed");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("memory allocation failed")
    }
}

impl core::error::Error for AllocError {}
