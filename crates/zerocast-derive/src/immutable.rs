//! `Immutable`: a type is immutable when none of its bytes sit in an
//! `UnsafeCell` outside of an indirection. That is exactly "every field is
//! `Immutable`", whatever the representation, so the derive only forwards
//! the question to the fields.

use proc_macro2::TokenStream;
use syn::Error;

use crate::ctx::Ctx;

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    // SAFETY (of the emitted impl): the bounds require every field to be
    // `Immutable`; a struct, union or enum contains no bytes other than its
    // fields' bytes, tag and padding, none of which is an `UnsafeCell`.
    Ok(ctx.unsafe_impl(
        "Immutable",
        &ctx.every_field_is("Immutable"),
        TokenStream::new(),
    ))
}
