//! `#[derive(ZeroPadded)]`: field-by-field output with zeroed padding (see
//! `zerocast::beyond::padded`). The impl zeroes the destination and writes
//! each field at its `offset_of!`, so it needs no `unsafe`; every field must
//! itself be `ZeroPadded` (any `IntoBytes + Immutable` type, or another
//! derived type).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Error;

use crate::ctx::Ctx;
use crate::known_layout::is_syntactic_dst;
use crate::repr::ItemKind;

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    if ctx.kind != ItemKind::Struct {
        return Err(ctx.error_at_name(format!(
            "cannot derive `ZeroPadded` for `{name}`: only structs (an enum's or union's padding depends on the variant; derive `IntoBytes` for padding-free ones)"
        )));
    }
    if ctx.repr.packed.is_some() {
        return Err(ctx.error_at_name(format!(
            "cannot derive `ZeroPadded` for `{name}`: packed fields cannot be borrowed; a `packed` struct of `IntoBytes` fields has no padding, so derive `IntoBytes`"
        )));
    }
    let fields = ctx.fields();
    if fields.last().is_some_and(|f| is_syntactic_dst(f.ty)) {
        return Err(ctx.error_at_name(format!(
            "cannot derive `ZeroPadded` for `{name}`: dynamically sized structs are not supported"
        )));
    }
    let krate = &ctx.krate;
    let support = quote!(#krate::beyond::padded::__derive);
    let writes = fields.iter().map(|f| {
        let member = &f.member;
        quote! {
            #support::field(&self.#member, __zc_out, ::core::mem::offset_of!(Self, #member))?;
        }
    });
    // `ZeroPadded` is re-exported at the crate root, so the shared helper can name it;
    // its bounds carry the field types' spans.
    let bounds = ctx.every_field_is("ZeroPadded");
    let (impl_g, ty_g, where_clause) = ctx.ast.generics.split_for_impl();
    let own = where_clause.map(|w| {
        let p = w.predicates.iter();
        quote!(#(#p,)*)
    });
    let scope = ctx.scope();
    Ok(quote! {
        #scope
        #[automatically_derived]
        impl #impl_g #krate::beyond::ZeroPadded for #name #ty_g where #own #(#bounds,)* {
            fn write_zero_padded(
                &self,
                __zc_out: &mut [::core::primitive::u8],
            ) -> ::core::result::Result<(), #krate::beyond::BufferTooShort> {
                let __zc_out = #support::prepare(__zc_out, ::core::mem::size_of::<Self>())?;
                #(#writes)*
                ::core::result::Result::Ok(())
            }
        }
    })
}
