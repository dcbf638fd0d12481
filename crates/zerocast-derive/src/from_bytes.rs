//! `FromZeros` and `FromBytes`, which imply `TryFromBytes`: deriving either
//! also emits the weaker traits, as zerocopy does.
//!
//! - `FromZeros`: all-zero bytes are valid. Structs and unions: every field
//!   is `FromZeros` (for unions one would do, but all are required so that
//!   the rule does not depend on field order). Enums: `repr(C)`/`repr(Int)`
//!   and a variant whose discriminant is provably 0, whose fields are
//!   `FromZeros`.
//! - `FromBytes`: every initialized byte pattern is valid. Structs and
//!   unions: every field is `FromBytes`. Enums: every tag value must be a
//!   discriminant, so `repr(u8/i8)` with exactly 256 variants or
//!   `repr(u16/i16)` with exactly 65,536.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Error;

use crate::ctx::Ctx;
use crate::enums::{has_unknown_discriminant, zero_variant};
use crate::repr::{Int, ItemKind};
use crate::try_from_bytes;

fn from_zeros_impl(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let krate = &ctx.krate;
    let bounds = if ctx.kind == ItemKind::Enum {
        try_from_bytes::require_enum_layout(ctx, "FromZeros")?;
        let variants = ctx.variants();
        let Some(zero) = zero_variant(&variants) else {
            let hint = if has_unknown_discriminant(&variants) {
                " (some discriminants are not integer literals, so a zero one cannot be proven: write the zero discriminant as a literal)"
            } else {
                ""
            };
            return Err(ctx.error_at_name(format!(
                "cannot derive `FromZeros` for `{name}`: no variant has discriminant 0, so all-zero bytes are not a valid `{name}`{hint}"
            )));
        };
        variants[zero]
            .fields
            .iter()
            .map(|f| {
                let ty = &f.ty;
                quote!(#ty: #krate::FromZeros)
            })
            .collect()
    } else {
        let mut bounds = ctx.every_field_is("FromZeros");
        // `TryFromBytes`, a supertrait, has this bound (see there).
        bounds.extend(ctx.unsized_tail_bound());
        bounds
    };
    // SAFETY (of the emitted impl): all-zero bytes are a valid value: every
    // field accepts zeros (bounds) and, for an enum, the zero tag selects
    // the variant with discriminant 0 whose fields accept zeros.
    Ok(ctx.unsafe_impl("FromZeros", &bounds, TokenStream::new()))
}

fn from_bytes_impl(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    if ctx.kind == ItemKind::Enum {
        let needed = match ctx.repr.int.map(|i| i.value) {
            Some(Int::U8 | Int::I8) => 256usize,
            Some(Int::U16 | Int::I16) => 65_536,
            _ => {
                return Err(Error::new(
                    ctx.repr.blame_span(name.span()),
                    format!(
                        "cannot derive `FromBytes` for `{name}`: an enum is only `FromBytes` with `repr(u8)`/`repr(i8)` and 256 variants or `repr(u16)`/`repr(i16)` and 65,536 variants (it has {})",
                        ctx.repr.describe()
                    ),
                ))
            }
        };
        let have = ctx.variants().len();
        if have != needed {
            return Err(ctx.error_at_name(format!(
                "cannot derive `FromBytes` for `{name}`: with {} it needs exactly {needed} variants so that every tag value is valid, but it has {have}",
                ctx.repr.describe()
            )));
        }
    }
    // SAFETY (of the emitted impl): every field accepts any initialized
    // bytes (bounds); for an enum every tag value of its integer type names a
    // variant (checked above: variants are distinct, and there are exactly
    // as many as tag values).
    let mut bounds = ctx.every_field_is("FromBytes");
    // `TryFromBytes`, a supertrait, has this bound (see there).
    bounds.extend(ctx.unsized_tail_bound());
    Ok(ctx.unsafe_impl("FromBytes", &bounds, TokenStream::new()))
}

/// `TryFromBytes` for a type that is also `FromBytes`: every byte pattern is
/// valid, which the body proves by naming `Self: FromBytes`.
///
/// That `FromBytes` is reached through the crate path, so it must be shown to
/// be zerocast's (`crate::crate_path_checks`): the `unsafe impl` of it this
/// derive emits narrows it to an unsafe trait whose one required item is
/// zerocast's hidden `only_derive_is_allowed_to_implement_this_trait`, and of
/// those only `FromBytes` (zerocast's or zerocopy's) has a `read_from_bytes`,
/// which the body names.
fn trivial_try_from_bytes(ctx: &Ctx) -> TokenStream {
    let krate = &ctx.krate;
    let body = quote! {
        #[inline(always)]
        fn is_bit_valid(_: #krate::Maybe<'_, Self>) -> ::core::primitive::bool {
            fn from_bytes<T: ?::core::marker::Sized + #krate::FromBytes>() {}
            from_bytes::<Self>();
            let _ = <::core::primitive::u8 as #krate::FromBytes>::read_from_bytes;
            true
        }
    };
    ctx.unsafe_impl("TryFromBytes", &ctx.every_field_is("FromBytes"), body)
}

pub(crate) fn derive_from_zeros(ctx: &Ctx) -> Result<TokenStream, Error> {
    let zeros = from_zeros_impl(ctx)?;
    let try_from = try_from_bytes::derive(ctx)?;
    Ok(quote!(#try_from #zeros))
}

pub(crate) fn derive_from_bytes(ctx: &Ctx) -> Result<TokenStream, Error> {
    let bytes = from_bytes_impl(ctx)?;
    let zeros = from_zeros_impl(ctx)?;
    // A generic type's `FromZeros` impl has weaker bounds than `FromBytes`,
    // so its `TryFromBytes` supertrait impl must not require `FromBytes`.
    let try_from = if ctx.is_generic() {
        try_from_bytes::derive(ctx)?
    } else {
        trivial_try_from_bytes(ctx)
    };
    Ok(quote!(#try_from #zeros #bytes))
}
