//! Operators and comparisons for the byteorder types.
//!
//! Arithmetic and shifts convert to native, operate, and convert back, so
//! they behave exactly like the native operator (including overflow panics in
//! debug builds). Bitwise `&`, `|`, `^` and `!` act on each byte on its own,
//! so between two values of the same type they skip the byte swap entirely.
//! Every operator accepts the native type on either side and has its
//! `*Assign` form.

macro_rules! impl_byteorder_ops {
    ($name:ident, $native:ident, unsigned) => {
        impl_byteorder_ops!(@arith $name, $native);
        impl_byteorder_ops!(@int $name, $native);
    };
    ($name:ident, $native:ident, signed) => {
        impl_byteorder_ops!(@arith $name, $native);
        impl_byteorder_ops!(@int $name, $native);
        impl_byteorder_ops!(@neg $name, $native);
    };
    ($name:ident, $native:ident, float) => {
        impl_byteorder_ops!(@arith $name, $native);
        impl_byteorder_ops!(@neg $name, $native);

        impl<O: ByteOrder> PartialOrd for $name<O> {
            #[inline(always)]
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                self.get().partial_cmp(&other.get())
            }
        }

        impl<O: ByteOrder> PartialOrd<$native> for $name<O> {
            #[inline(always)]
            fn partial_cmp(&self, other: &$native) -> Option<core::cmp::Ordering> {
                self.get().partial_cmp(other)
            }
        }
    };

    (@arith $name:ident, $native:ident) => {
        impl_byteorder_ops!(@via_native $name, $native, Add, add, AddAssign, add_assign);
        impl_byteorder_ops!(@via_native $name, $native, Sub, sub, SubAssign, sub_assign);
        impl_byteorder_ops!(@via_native $name, $native, Mul, mul, MulAssign, mul_assign);
        impl_byteorder_ops!(@via_native $name, $native, Div, div, DivAssign, div_assign);
        impl_byteorder_ops!(@via_native $name, $native, Rem, rem, RemAssign, rem_assign);
    };

    (@int $name:ident, $native:ident) => {
        impl_byteorder_ops!(@bytewise $name, $native, BitAnd, bitand, BitAndAssign, bitand_assign);
        impl_byteorder_ops!(@bytewise $name, $native, BitOr, bitor, BitOrAssign, bitor_assign);
        impl_byteorder_ops!(@bytewise $name, $native, BitXor, bitxor, BitXorAssign, bitxor_assign);
        impl_byteorder_ops!(@via_native $name, $native, Shl, shl, ShlAssign, shl_assign);
        impl_byteorder_ops!(@via_native $name, $native, Shr, shr, ShrAssign, shr_assign);

        impl<O> core::ops::Not for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn not(self) -> Self {
                // Inverting every bit commutes with reordering the bytes.
                Self::from_bytes((!$native::from_ne_bytes(self.0)).to_ne_bytes())
            }
        }

        impl<O: ByteOrder> PartialOrd for $name<O> {
            #[inline(always)]
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl<O: ByteOrder> Ord for $name<O> {
            #[inline(always)]
            fn cmp(&self, other: &Self) -> core::cmp::Ordering {
                self.get().cmp(&other.get())
            }
        }

        impl<O: ByteOrder> PartialOrd<$native> for $name<O> {
            #[inline(always)]
            fn partial_cmp(&self, other: &$native) -> Option<core::cmp::Ordering> {
                self.get().partial_cmp(other)
            }
        }
    };

    (@neg $name:ident, $native:ident) => {
        impl<O: ByteOrder> core::ops::Neg for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn neg(self) -> Self {
                Self::new(-self.get())
            }
        }
    };

    // Operators whose result depends on numeric value: go through native.
    (@via_native $name:ident, $native:ident, $tr:ident, $m:ident, $tr_assign:ident, $m_assign:ident) => {
        impl<O: ByteOrder> core::ops::$tr<$name<O>> for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn $m(self, rhs: Self) -> Self {
                Self::new(core::ops::$tr::$m(self.get(), rhs.get()))
            }
        }

        impl<O: ByteOrder> core::ops::$tr<$native> for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn $m(self, rhs: $native) -> Self {
                Self::new(core::ops::$tr::$m(self.get(), rhs))
            }
        }

        impl<O: ByteOrder> core::ops::$tr<$name<O>> for $native {
            type Output = $name<O>;
            #[inline(always)]
            fn $m(self, rhs: $name<O>) -> $name<O> {
                $name::new(core::ops::$tr::$m(self, rhs.get()))
            }
        }

        impl_byteorder_ops!(@assign $name, $native, $tr, $m, $tr_assign, $m_assign);
    };

    // Operators that act on each byte independently: no swap needed when
    // both sides are already in order `O`.
    (@bytewise $name:ident, $native:ident, $tr:ident, $m:ident, $tr_assign:ident, $m_assign:ident) => {
        impl<O: ByteOrder> core::ops::$tr<$name<O>> for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn $m(self, rhs: Self) -> Self {
                let lhs = $native::from_ne_bytes(self.0);
                let rhs = $native::from_ne_bytes(rhs.0);
                Self::from_bytes(core::ops::$tr::$m(lhs, rhs).to_ne_bytes())
            }
        }

        impl<O: ByteOrder> core::ops::$tr<$native> for $name<O> {
            type Output = Self;
            #[inline(always)]
            fn $m(self, rhs: $native) -> Self {
                core::ops::$tr::$m(self, Self::new(rhs))
            }
        }

        impl<O: ByteOrder> core::ops::$tr<$name<O>> for $native {
            type Output = $name<O>;
            #[inline(always)]
            fn $m(self, rhs: $name<O>) -> $name<O> {
                core::ops::$tr::$m($name::new(self), rhs)
            }
        }

        impl_byteorder_ops!(@assign $name, $native, $tr, $m, $tr_assign, $m_assign);
    };

    (@assign $name:ident, $native:ident, $tr:ident, $m:ident, $tr_assign:ident, $m_assign:ident) => {
        impl<O: ByteOrder> core::ops::$tr_assign<$name<O>> for $name<O> {
            #[inline(always)]
            fn $m_assign(&mut self, rhs: Self) {
                *self = core::ops::$tr::$m(*self, rhs);
            }
        }

        impl<O: ByteOrder> core::ops::$tr_assign<$native> for $name<O> {
            #[inline(always)]
            fn $m_assign(&mut self, rhs: $native) {
                *self = core::ops::$tr::$m(*self, rhs);
            }
        }

        impl<O: ByteOrder> core::ops::$tr_assign<$name<O>> for $native {
            #[inline(always)]
            fn $m_assign(&mut self, rhs: $name<O>) {
                *self = core::ops::$tr::$m(*self, rhs.get());
            }
        }
    };
}
