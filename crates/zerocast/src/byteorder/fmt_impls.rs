//! Formatting for the byteorder types: every format prints the native value,
//! never the stored bytes, so `{:x}` of a big-endian `0x1234` is `1234`.

macro_rules! impl_byteorder_fmt {
    ($name:ident, float) => {
        impl_byteorder_fmt!(@one $name, Debug);
        impl_byteorder_fmt!(@one $name, Display);
    };
    ($name:ident, $int_kind:ident) => {
        impl_byteorder_fmt!(@one $name, Debug);
        impl_byteorder_fmt!(@one $name, Display);
        impl_byteorder_fmt!(@one $name, Octal);
        impl_byteorder_fmt!(@one $name, LowerHex);
        impl_byteorder_fmt!(@one $name, UpperHex);
        impl_byteorder_fmt!(@one $name, Binary);
    };
    (@one $name:ident, Debug) => {
        impl<O: ByteOrder> core::fmt::Debug for $name<O> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                // `U16(42)`: the type name keeps it apart from a bare native.
                f.debug_tuple(stringify!($name)).field(&self.get()).finish()
            }
        }
    };
    (@one $name:ident, $trait:ident) => {
        impl<O: ByteOrder> core::fmt::$trait for $name<O> {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::$trait::fmt(&self.get(), f)
            }
        }
    };
}
