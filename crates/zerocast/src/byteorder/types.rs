//! The macro that defines one byteorder type: the struct, its constructors
//! and accessors, and its conversions.
//!
//! Everything generic over the byte order is written once here; the operator
//! and formatting impls live in `ops.rs` and `fmt_impls.rs`.

macro_rules! define_byteorder_type {
    (
        $name:ident, $native:ident, $bytes:expr, $what:literal, $kind:ident,
        widen_native: [$($wide_native:ident),*],
        widen: [$($wide:ident),*],
    ) => {
        #[doc = concat!("A ", $what, " stored in byte order `O`, with alignment 1.")]
        ///
        #[doc = concat!("It holds the bytes of a `", stringify!($native), "` in the order `O` chooses")]
        /// ([`BigEndian`] or [`LittleEndian`], or one of their aliases), so a
        /// struct of these fields has the exact layout of a wire format and
        /// can be cast from bytes at any offset. [`new`](Self::new) and
        /// [`get`](Self::get) convert from and to the native type, swapping
        /// bytes only when `O` is not the platform's order.
        ///
        /// ```
        #[doc = concat!("use zerocast::byteorder::{BigEndian, LittleEndian, ", stringify!($name), "};")]
        ///
        #[doc = concat!("let big = ", stringify!($name), "::<BigEndian>::new(7 as ", stringify!($native), ");")]
        #[doc = concat!("let little = ", stringify!($name), "::<LittleEndian>::new(7 as ", stringify!($native), ");")]
        #[doc = concat!("assert_eq!(big.to_bytes(), (7 as ", stringify!($native), ").to_be_bytes());")]
        #[doc = concat!("assert_eq!(little.to_bytes(), (7 as ", stringify!($native), ").to_le_bytes());")]
        /// assert_eq!(big.get(), little.get());
        #[doc = concat!("assert_eq!(core::mem::align_of::<", stringify!($name), "<BigEndian>>(), 1);")]
        /// ```
        #[derive(Copy, Clone, Eq, PartialEq, Hash)]
        #[repr(transparent)]
        pub struct $name<O>([u8; $bytes], core::marker::PhantomData<O>);

        // SAFETY: `$name<O>` is `repr(transparent)` over `[u8; $bytes]`; its
        // other field, `PhantomData<O>`, has size 0 and alignment 1 (std docs),
        // so the struct has exactly the layout and bit validity of the array
        // (Reference, "The `transparent` representation"). A `[u8; N]` is
        // sized (so `DstLayout::for_type` is its layout: KnownLayout), has no
        // `UnsafeCell` (Immutable), accepts every byte pattern including all
        // zeros (TryFromBytes with no check, FromZeros, FromBytes), has no
        // padding (IntoBytes: arrays have no padding between elements, and
        // `u8` has none) and has alignment 1 (Unaligned).
        crate::impls::macros::unsafe_impl!({O} KnownLayout for $name<O>);
        crate::impls::macros::unsafe_impl!({O} Immutable for $name<O>);
        crate::impls::macros::unsafe_impl!({O} TryFromBytes for $name<O>);
        crate::impls::macros::unsafe_impl!({O} FromZeros for $name<O>);
        crate::impls::macros::unsafe_impl!({O} FromBytes for $name<O>);
        crate::impls::macros::unsafe_impl!({O} IntoBytes for $name<O>);
        crate::impls::macros::unsafe_impl!({O} Unaligned for $name<O>);

        impl<O> Default for $name<O> {
            #[inline(always)]
            fn default() -> Self {
                Self::ZERO
            }
        }

        impl<O> $name<O> {
            /// The value zero (all bytes zero, whatever the byte order).
            ///
            /// Prefer it to `new(0)`, which may perform a byte swap.
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{BigEndian, ", stringify!($name), "};")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::<BigEndian>::ZERO.get(), 0 as ", stringify!($native), ");")]
            /// ```
            pub const ZERO: Self = Self([0; $bytes], core::marker::PhantomData);

            define_byteorder_type!(@max $name, $native, $bytes, $kind);

            /// Wraps bytes that are already in byte order `O`; no swap.
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{LittleEndian, ", stringify!($name), "};")]
            #[doc = concat!("let bytes = (5 as ", stringify!($native), ").to_le_bytes();")]
            #[doc = concat!("let v = ", stringify!($name), "::<LittleEndian>::from_bytes(bytes);")]
            #[doc = concat!("assert_eq!(v.get(), 5 as ", stringify!($native), ");")]
            /// ```
            #[must_use = "has no side effects"]
            #[inline(always)]
            pub const fn from_bytes(bytes: [u8; $bytes]) -> Self {
                Self(bytes, core::marker::PhantomData)
            }

            /// Returns the stored bytes, in byte order `O`; no swap.
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{BigEndian, ", stringify!($name), "};")]
            #[doc = concat!("let v = ", stringify!($name), "::<BigEndian>::new(9 as ", stringify!($native), ");")]
            #[doc = concat!("assert_eq!(v.to_bytes(), (9 as ", stringify!($native), ").to_be_bytes());")]
            /// ```
            #[must_use = "has no side effects"]
            #[inline(always)]
            pub const fn to_bytes(self) -> [u8; $bytes] {
                self.0
            }
        }

        impl<O: ByteOrder> $name<O> {
            #[doc = concat!("Stores `n` in byte order `O`.")]
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{BigEndian, ", stringify!($name), "};")]
            #[doc = concat!("const V: ", stringify!($name), "<BigEndian> = ", stringify!($name), "::new(3 as ", stringify!($native), ");")]
            #[doc = concat!("assert_eq!(V.to_bytes(), (3 as ", stringify!($native), ").to_be_bytes());")]
            /// ```
            #[must_use = "has no side effects"]
            #[inline(always)]
            pub const fn new(n: $native) -> Self {
                let bytes = match O::ORDER {
                    Order::BigEndian => n.to_be_bytes(),
                    Order::LittleEndian => n.to_le_bytes(),
                };
                Self(bytes, core::marker::PhantomData)
            }

            #[doc = concat!("Reads the value as a native `", stringify!($native), "`.")]
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{LittleEndian, ", stringify!($name), "};")]
            #[doc = concat!("const V: ", stringify!($native), " = ", stringify!($name), "::<LittleEndian>::from_bytes((4 as ", stringify!($native), ").to_le_bytes()).get();")]
            #[doc = concat!("assert_eq!(V, 4 as ", stringify!($native), ");")]
            /// ```
            #[must_use = "has no side effects"]
            #[inline(always)]
            pub const fn get(self) -> $native {
                match O::ORDER {
                    Order::BigEndian => $native::from_be_bytes(self.0),
                    Order::LittleEndian => $native::from_le_bytes(self.0),
                }
            }

            /// Overwrites the value in place, storing `n` in byte order `O`.
            ///
            /// ```
            #[doc = concat!("use zerocast::byteorder::{BigEndian, ", stringify!($name), "};")]
            #[doc = concat!("let mut v = ", stringify!($name), "::<BigEndian>::ZERO;")]
            #[doc = concat!("v.set(6 as ", stringify!($native), ");")]
            #[doc = concat!("assert_eq!(v.get(), 6 as ", stringify!($native), ");")]
            /// ```
            #[inline(always)]
            pub const fn set(&mut self, n: $native) {
                *self = Self::new(n);
            }
        }

        impl<O: ByteOrder> From<$name<O>> for [u8; $bytes] {
            #[inline(always)]
            fn from(x: $name<O>) -> [u8; $bytes] {
                x.0
            }
        }

        impl<O: ByteOrder> From<[u8; $bytes]> for $name<O> {
            #[inline(always)]
            fn from(bytes: [u8; $bytes]) -> Self {
                Self::from_bytes(bytes)
            }
        }

        impl<O: ByteOrder> From<$name<O>> for $native {
            #[inline(always)]
            fn from(x: $name<O>) -> $native {
                x.get()
            }
        }

        impl<O: ByteOrder> From<$native> for $name<O> {
            #[inline(always)]
            fn from(n: $native) -> Self {
                Self::new(n)
            }
        }

        $(
            impl<O: ByteOrder> From<$name<O>> for $wide_native {
                #[inline(always)]
                fn from(x: $name<O>) -> $wide_native {
                    $wide_native::from(x.get())
                }
            }

            define_byteorder_type!(@try_from_native $name, $native, $wide_native, $kind);
        )*

        $(
            impl<O: ByteOrder, P: ByteOrder> From<$name<O>> for $wide<P> {
                #[inline(always)]
                fn from(x: $name<O>) -> $wide<P> {
                    $wide::new(x.get().into())
                }
            }

            define_byteorder_type!(@try_from_wide $name, $native, $wide, $kind);
        )*

        impl<O> AsRef<[u8; $bytes]> for $name<O> {
            #[inline(always)]
            fn as_ref(&self) -> &[u8; $bytes] {
                &self.0
            }
        }

        impl<O> AsMut<[u8; $bytes]> for $name<O> {
            #[inline(always)]
            fn as_mut(&mut self) -> &mut [u8; $bytes] {
                &mut self.0
            }
        }

        impl<O> PartialEq<$name<O>> for [u8; $bytes] {
            #[inline(always)]
            fn eq(&self, other: &$name<O>) -> bool {
                *self == other.0
            }
        }

        impl<O> PartialEq<[u8; $bytes]> for $name<O> {
            #[inline(always)]
            fn eq(&self, other: &[u8; $bytes]) -> bool {
                self.0 == *other
            }
        }

        impl<O: ByteOrder> PartialEq<$native> for $name<O> {
            #[inline(always)]
            fn eq(&self, other: &$native) -> bool {
                self.get() == *other
            }
        }

        impl_byteorder_fmt!($name, $kind);
        impl_byteorder_ops!($name, $native, $kind);
    };

    (@max $name:ident, $native:ident, $bytes:expr, unsigned) => {
        /// The largest value (all bytes `0xFF`, whatever the byte order).
        ///
        /// Prefer it to `new(MAX)`, which may perform a byte swap.
        ///
        /// ```
        #[doc = concat!("use zerocast::byteorder::{LittleEndian, ", stringify!($name), "};")]
        #[doc = concat!("assert_eq!(", stringify!($name), "::<LittleEndian>::MAX_VALUE.get(), ", stringify!($native), "::MAX);")]
        /// ```
        pub const MAX_VALUE: Self = Self([0xFF; $bytes], core::marker::PhantomData);
    };
    // Only unsigned types get `MAX_VALUE`: their maximum has the same bytes in
    // both orders, so it needs no `O: ByteOrder` bound. This is zerocopy 0.8's
    // surface, which we match rather than extend.
    (@max $name:ident, $native:ident, $bytes:expr, $kind:ident) => {};

    (@try_from_native $name:ident, $native:ident, $wide_native:ident, float) => {};
    (@try_from_native $name:ident, $native:ident, $wide_native:ident, $kind:ident) => {
        impl<O: ByteOrder> TryFrom<$wide_native> for $name<O> {
            type Error = core::num::TryFromIntError;
            #[inline(always)]
            fn try_from(n: $wide_native) -> Result<Self, Self::Error> {
                $native::try_from(n).map(Self::new)
            }
        }
    };

    (@try_from_wide $name:ident, $native:ident, $wide:ident, float) => {};
    (@try_from_wide $name:ident, $native:ident, $wide:ident, $kind:ident) => {
        impl<O: ByteOrder, P: ByteOrder> TryFrom<$wide<P>> for $name<O> {
            type Error = core::num::TryFromIntError;
            #[inline(always)]
            fn try_from(x: $wide<P>) -> Result<Self, Self::Error> {
                $native::try_from(x.get()).map(Self::new)
            }
        }
    };
}
