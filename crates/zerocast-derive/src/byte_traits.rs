//! `ByteHash` and `ByteEq`: `Hash`, `PartialEq` and `Eq` defined on the
//! value's bytes. Both are safe impls; they need `Self: IntoBytes +
//! Immutable` so that `as_bytes` exists, and that bound carries the padding
//! analysis (a type with padding cannot be compared byte by byte).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Error;

use crate::ctx::Ctx;

fn header(ctx: &Ctx, trait_path: TokenStream) -> TokenStream {
    let krate = &ctx.krate;
    let name = ctx.name();
    let (impl_g, ty_g, where_clause) = ctx.ast.generics.split_for_impl();
    let own = where_clause.map(|w| {
        let p = w.predicates.iter();
        quote!(#(#p,)*)
    });
    quote! {
        #[automatically_derived]
        impl #impl_g #trait_path for #name #ty_g
        where #own Self: #krate::IntoBytes + #krate::Immutable
    }
}

pub(crate) fn derive_hash(ctx: &Ctx) -> Result<TokenStream, Error> {
    let krate = &ctx.krate;
    let head = header(ctx, quote!(::core::hash::Hash));
    let scope = ctx.scope();
    Ok(quote! {
        #scope
        #head {
            fn hash<__ZcHasher: ::core::hash::Hasher>(&self, __zc_other: &mut __ZcHasher) {
                ::core::hash::Hasher::write(__zc_other, #krate::IntoBytes::as_bytes(self));
            }
        }
    })
}

pub(crate) fn derive_eq(ctx: &Ctx) -> Result<TokenStream, Error> {
    let krate = &ctx.krate;
    let partial = header(ctx, quote!(::core::cmp::PartialEq));
    let eq = header(ctx, quote!(::core::cmp::Eq));
    let scope = ctx.scope();
    Ok(quote! {
        #scope
        #partial {
            fn eq(&self, __zc_other: &Self) -> ::core::primitive::bool {
                #krate::IntoBytes::as_bytes(self) == #krate::IntoBytes::as_bytes(__zc_other)
            }
        }
        #eq {}
    })
}
