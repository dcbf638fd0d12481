//! `#[derive(ZeroPadded)]`: field-by-field output with zeroed padding (see
//! `zerocast::beyond::padded`). The impl zeroes the destination and writes
//! each field at its `offset_of!`, so it needs no `unsafe`; every field must
//! itself be `ZeroPadded` (any `IntoBytes + Immutable` type, or another
//! derived type), except that a field written as an array type (`[E; N]`,
//! nested or not) is written element by element and only needs `E` to be.
//! Arrays of padded types cannot be `ZeroPadded` themselves (that impl would
//! overlap the blanket one for `IntoBytes` types), and an array's elements
//! are exactly `size_of::<E>()` apart, so per-element writes zero every
//! padding byte.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Error, Type};

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
    let mut bounds = Vec::new();
    let writes: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let member = &f.member;
            let offset = quote!(::core::mem::offset_of!(Self, #member));
            let (elem, depth) = array_element(f.ty);
            let bound = crate::ctx::quote_spanned_ty(elem, quote!(#krate::beyond::ZeroPadded));
            bounds.push(quote!(#elem: #bound));
            if depth == 0 {
                return quote!(#support::field(&self.#member, __zc_out, #offset)?;);
            }
            // `[[E; M]; N]` is `N * M` `E`s in a row: flatten to a slice of `E`.
            let elements = if depth == 1 {
                quote!(&self.#member[..])
            } else {
                let flatten = (1..depth).map(|_| quote!(.as_flattened()));
                quote!(self.#member[..] #(#flatten)*)
            };
            quote!(#support::elements(#elements, __zc_out, #offset)?;)
        })
        .collect();
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

/// The element type under any number of array layers, and that number.
fn array_element(ty: &Type) -> (&Type, usize) {
    match ty {
        Type::Array(a) => {
            let (elem, depth) = array_element(&a.elem);
            (elem, depth + 1)
        }
        Type::Group(g) => array_element(&g.elem),
        Type::Paren(p) => array_element(&p.elem),
        other => (other, 0),
    }
}
