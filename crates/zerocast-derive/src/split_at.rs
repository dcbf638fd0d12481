//! `SplitAt`: a slice DST that can be split into two at an element index.
//! Only `repr(C)`/`repr(transparent)` structs qualify (their metadata is the
//! last field's), and their last field must itself be `SplitAt`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Error;

use crate::ctx::Ctx;
use crate::repr::ItemKind;

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let krate = &ctx.krate;
    if ctx.kind != ItemKind::Struct {
        return Err(ctx.error_at_name(format!(
            "cannot derive `SplitAt` for {} `{name}`: only structs ending in a slice can be split",
            ctx.kind.name()
        )));
    }
    if !(ctx.repr.is_c() || ctx.repr.is_transparent()) {
        return Err(Error::new(
            ctx.repr.blame_span(name.span()),
            format!(
                "cannot derive `SplitAt` for `{name}`: it needs `repr(C)` or `repr(transparent)` so that its trailing slice is laid out like its last field (it has {})",
                ctx.repr.describe()
            ),
        ));
    }
    let fields = ctx.fields();
    let Some(last) = fields.last() else {
        return Err(ctx.error_at_name(format!(
            "cannot derive `SplitAt` for `{name}`: it has no fields, so no trailing slice"
        )));
    };
    let tail = last.ty;
    // SAFETY (of the emitted impl): a `repr(C)`/`repr(transparent)` struct's
    // pointer metadata is its last field's, which is `SplitAt` with element
    // type `Elem` (bound), and `KnownLayout` (supertrait) is required of
    // `Self` by the trait itself.
    let body = quote!(type Elem = <#tail as #krate::SplitAt>::Elem;);
    Ok(ctx.unsafe_impl("SplitAt", &[quote!(#tail: #krate::SplitAt)], body))
}
