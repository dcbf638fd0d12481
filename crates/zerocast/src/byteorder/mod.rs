//! Numbers stored in a chosen byte order, with no alignment requirement.
//!
//! Network protocols and file formats fix the byte order of every field, and
//! their fields often sit at odd offsets. The types here ([`U16`], [`I32`],
//! [`F64`], ...) are byte arrays (`#[repr(transparent)]` over `[u8; N]`, so
//! alignment 1) that remember their byte order in a type parameter `O`
//! ([`BigEndian`] or [`LittleEndian`]). Reading with [`get`](U16::get) and
//! writing with [`set`](U16::set) convert to and from the native type,
//! swapping bytes only when `O` differs from the platform's order.
//!
//! Because they have no padding, no invalid bit patterns and alignment 1,
//! structs built from them can be cast directly from untrusted bytes.
//!
//! # Example
//!
//! ```
//! use zerocast::byteorder::{network_endian::U16, BigEndian, LittleEndian, U32};
//!
//! // A UDP-like header: every field big-endian, whatever the CPU.
//! let mut port = U16::new(53);
//! assert_eq!(port.to_bytes(), [0x00, 0x35]);
//! port += 1;
//! assert_eq!(port.get(), 54);
//!
//! // The same number in the two byte orders.
//! let be = U32::<BigEndian>::new(0x0102_0304);
//! let le = U32::<LittleEndian>::new(0x0102_0304);
//! assert_eq!(be.to_bytes(), [1, 2, 3, 4]);
//! assert_eq!(le.to_bytes(), [4, 3, 2, 1]);
//! assert_eq!(be.get(), le.get());
//! ```

use core::fmt::{self, Debug, Display, Formatter};
use core::hash::Hash;

#[macro_use]
mod fmt_impls;
#[macro_use]
mod ops;
#[macro_use]
mod types;
#[cfg(test)]
mod tests;

/// A byte order, known at compile time: [`BigEndian`] or [`LittleEndian`].
///
/// The trait is sealed; the two enums are its only implementations. Generic
/// code reads the order as a value through [`ByteOrder::ORDER`].
///
/// # Example
///
/// ```
/// use zerocast::byteorder::{BigEndian, ByteOrder, NetworkEndian, Order};
///
/// fn describe<O: ByteOrder>() -> &'static str {
///     match O::ORDER {
///         Order::BigEndian => "big",
///         Order::LittleEndian => "little",
///     }
/// }
/// assert_eq!(describe::<NetworkEndian>(), "big");
/// assert_eq!(describe::<BigEndian>(), "big");
/// ```
pub trait ByteOrder:
    Copy + Clone + Debug + Display + Eq + PartialEq + Ord + PartialOrd + Hash + sealed::Sealed
{
    /// The byte order as a value, for `match`ing in generic code.
    ///
    /// ```
    /// use zerocast::byteorder::{ByteOrder, LittleEndian, Order};
    /// assert_eq!(LittleEndian::ORDER, Order::LittleEndian);
    /// ```
    const ORDER: Order;
}

mod sealed {
    /// Keeps [`super::ByteOrder`] closed: `new`/`get` match on `ORDER` and
    /// only the two orders below exist.
    pub trait Sealed {}
    impl Sealed for super::BigEndian {}
    impl Sealed for super::LittleEndian {}
}

/// The value behind [`ByteOrder::ORDER`].
///
/// ```
/// use zerocast::byteorder::{BigEndian, ByteOrder, Order};
/// assert_eq!(BigEndian::ORDER, Order::BigEndian);
/// assert_ne!(Order::BigEndian, Order::LittleEndian);
/// ```
#[derive(Copy, Clone, Debug, Eq, PartialEq, Ord, PartialOrd, Hash)]
pub enum Order {
    /// Most significant byte first (the value of [`BigEndian::ORDER`]).
    BigEndian,
    /// Least significant byte first (the value of [`LittleEndian::ORDER`]).
    LittleEndian,
}

/// Big-endian byte order: most significant byte first.
///
/// An uninhabited type, used only as a type parameter.
///
/// ```
/// use zerocast::byteorder::{BigEndian, U16};
/// assert_eq!(U16::<BigEndian>::new(0x1234).to_bytes(), [0x12, 0x34]);
/// ```
#[derive(Copy, Clone, Debug, Eq, PartialEq, Ord, PartialOrd, Hash)]
pub enum BigEndian {}

impl ByteOrder for BigEndian {
    const ORDER: Order = Order::BigEndian;
}

impl Display for BigEndian {
    fn fmt(&self, _: &mut Formatter<'_>) -> fmt::Result {
        // No value of an empty enum exists, so this is never called.
        match *self {}
    }
}

/// Little-endian byte order: least significant byte first.
///
/// An uninhabited type, used only as a type parameter.
///
/// ```
/// use zerocast::byteorder::{LittleEndian, U16};
/// assert_eq!(U16::<LittleEndian>::new(0x1234).to_bytes(), [0x34, 0x12]);
/// ```
#[derive(Copy, Clone, Debug, Eq, PartialEq, Ord, PartialOrd, Hash)]
pub enum LittleEndian {}

impl ByteOrder for LittleEndian {
    const ORDER: Order = Order::LittleEndian;
}

impl Display for LittleEndian {
    fn fmt(&self, _: &mut Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// The byte order of the target platform ([`LittleEndian`] here).
///
/// ```
/// use zerocast::byteorder::{NativeEndian, U32};
/// assert_eq!(U32::<NativeEndian>::new(7).to_bytes(), 7u32.to_ne_bytes());
/// ```
#[cfg(target_endian = "little")]
pub type NativeEndian = LittleEndian;

/// The byte order of the target platform ([`BigEndian`] here).
///
/// ```
/// use zerocast::byteorder::{NativeEndian, U32};
/// assert_eq!(U32::<NativeEndian>::new(7).to_bytes(), 7u32.to_ne_bytes());
/// ```
#[cfg(target_endian = "big")]
pub type NativeEndian = BigEndian;

/// The byte order of Internet protocols: [`BigEndian`].
///
/// ```
/// use zerocast::byteorder::{NetworkEndian, U16};
/// assert_eq!(U16::<NetworkEndian>::new(80).to_bytes(), [0, 80]);
/// ```
pub type NetworkEndian = BigEndian;

/// Short name for [`BigEndian`].
///
/// ```
/// use zerocast::byteorder::{BE, U16};
/// assert_eq!(U16::<BE>::new(1).to_bytes(), [0, 1]);
/// ```
pub type BE = BigEndian;

/// Short name for [`LittleEndian`].
///
/// ```
/// use zerocast::byteorder::{LE, U16};
/// assert_eq!(U16::<LE>::new(1).to_bytes(), [1, 0]);
/// ```
pub type LE = LittleEndian;

define_byteorder_type! {
    U16, u16, 2, "16-bit unsigned integer", unsigned,
    widen_native: [u32, u64, u128, usize],
    widen: [U32, U64, U128, Usize],
}
define_byteorder_type! {
    U32, u32, 4, "32-bit unsigned integer", unsigned,
    widen_native: [u64, u128],
    widen: [U64, U128],
}
define_byteorder_type! {
    U64, u64, 8, "64-bit unsigned integer", unsigned,
    widen_native: [u128],
    widen: [U128],
}
define_byteorder_type! {
    U128, u128, 16, "128-bit unsigned integer", unsigned,
    widen_native: [],
    widen: [],
}
define_byteorder_type! {
    Usize, usize, core::mem::size_of::<usize>(), "pointer-sized unsigned integer", unsigned,
    widen_native: [],
    widen: [],
}
define_byteorder_type! {
    I16, i16, 2, "16-bit signed integer", signed,
    widen_native: [i32, i64, i128, isize],
    widen: [I32, I64, I128, Isize],
}
define_byteorder_type! {
    I32, i32, 4, "32-bit signed integer", signed,
    widen_native: [i64, i128],
    widen: [I64, I128],
}
define_byteorder_type! {
    I64, i64, 8, "64-bit signed integer", signed,
    widen_native: [i128],
    widen: [I128],
}
define_byteorder_type! {
    I128, i128, 16, "128-bit signed integer", signed,
    widen_native: [],
    widen: [],
}
define_byteorder_type! {
    Isize, isize, core::mem::size_of::<isize>(), "pointer-sized signed integer", signed,
    widen_native: [],
    widen: [],
}
define_byteorder_type! {
    F32, f32, 4, "32-bit floating-point number", float,
    widen_native: [f64],
    widen: [F64],
}
define_byteorder_type! {
    F64, f64, 8, "64-bit floating-point number", float,
    widen_native: [],
    widen: [],
}

macro_rules! alias_module {
    ($module:ident, $order:ident, $words:literal) => {
        #[doc = concat!("The byteorder types fixed to ", $words, " byte order.")]
        ///
        /// Import the whole module when every field of a format shares one
        /// byte order:
        ///
        /// ```
        #[doc = concat!("use zerocast::byteorder::", stringify!($module), "::{U16, U32};")]
        ///
        /// let len = U16::new(20);
        /// let seq = U32::new(1);
        /// assert_eq!(u32::from(len.get()) + seq.get(), 21);
        /// ```
        pub mod $module {
            alias_module!(@ty $module, $order, $words, U16, "16-bit unsigned integer");
            alias_module!(@ty $module, $order, $words, U32, "32-bit unsigned integer");
            alias_module!(@ty $module, $order, $words, U64, "64-bit unsigned integer");
            alias_module!(@ty $module, $order, $words, U128, "128-bit unsigned integer");
            alias_module!(@ty $module, $order, $words, I16, "16-bit signed integer");
            alias_module!(@ty $module, $order, $words, I32, "32-bit signed integer");
            alias_module!(@ty $module, $order, $words, I64, "64-bit signed integer");
            alias_module!(@ty $module, $order, $words, I128, "128-bit signed integer");
            alias_module!(@ty $module, $order, $words, F32, "32-bit floating-point number");
            alias_module!(@ty $module, $order, $words, F64, "64-bit floating-point number");
        }
    };
    (@ty $module:ident, $order:ident, $words:literal, $ty:ident, $what:literal) => {
        #[doc = concat!("A ", $what, " stored in ", $words, " byte order.")]
        ///
        /// ```
        #[doc = concat!("use zerocast::byteorder::{", stringify!($module), ", ", stringify!($order), ", ", stringify!($ty), "};")]
        ///
        #[doc = concat!("let alias: ", stringify!($module), "::", stringify!($ty), " = Default::default();")]
        #[doc = concat!("let spelled_out: ", stringify!($ty), "<", stringify!($order), "> = alias;")]
        /// assert_eq!(spelled_out.to_bytes(), alias.to_bytes());
        /// ```
        pub type $ty = crate::byteorder::$ty<crate::byteorder::$order>;
    };
}

alias_module!(big_endian, BigEndian, "big-endian");
alias_module!(little_endian, LittleEndian, "little-endian");
alias_module!(network_endian, NetworkEndian, "network (big-endian)");
alias_module!(native_endian, NativeEndian, "the platform's native");
