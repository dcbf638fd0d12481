//! `IntoBytes` for generic enums, where the padding check cannot use
//! `size_of` of the parameters (stable Rust does not allow generic
//! parameters in the constants of trait bounds).
//!
//! An enum is accepted when padding can be ruled out without that
//! arithmetic: a one-byte tag (`repr(u8)`/`repr(i8)`, optionally with `C`,
//! no `align`) and `Unaligned` fields make every variant a gap-free run of
//! alignment-1 bytes, so the only possible padding is at the end of a
//! variant shorter than the longest one. The variants are then shown to
//! have equal sizes: the fields that mention a type parameter must pair up
//! one-to-one between variants (rustc confirms each pair is one type), and
//! the sizes of the other fields, which are known before monomorphization,
//! must add up to the same number in every variant (a compile-time check
//! whose message names the variant and the difference).

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{spanned::Spanned, Error, Type, Variant};

use crate::ctx::{located_at, Ctx};
use crate::repr::Int;

pub(crate) fn derive_enum(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let one_byte_tag = matches!(ctx.repr.int.map(|i| i.value), Some(Int::U8 | Int::I8));
    if !one_byte_tag || ctx.repr.align_gt_1().is_some() {
        return Err(Error::new(
            ctx.repr.blame_span(name.span()),
            format!(
                "cannot derive `IntoBytes` for generic enum `{name}` with {}: padding can only be ruled out for generic enums with a one-byte tag (`repr(u8)` or `repr(i8)`, optionally with `C`, without `align`) whose fields are all `Unaligned`",
                ctx.repr.describe()
            ),
        ));
    }
    let params = param_names(ctx);
    let variants = ctx.variants();
    let support = ctx.support();
    let mut bounds = ctx.every_field_is("IntoBytes");
    bounds.extend(ctx.every_field_is("Unaligned"));
    let mut markers = Vec::new();
    if let Some((first, rest)) = variants.split_first() {
        let (first_generic, first_sizes) = split_fields(first, &params);
        for v in rest {
            let (generic, sizes) = split_fields(v, &params);
            let mut unmatched: Vec<&Type> = first_generic.clone();
            for ty in generic {
                let key = ty.to_token_stream().to_string();
                let Some(pos) = unmatched
                    .iter()
                    .position(|t| t.to_token_stream().to_string() == key)
                else {
                    return Err(Error::new(
                        ty.span(),
                        format!(
                            "cannot derive `IntoBytes` for generic enum `{name}`: field type `{key}` of variant `{}` has no counterpart in variant `{}`, so their sizes cannot be compared before the type parameters are known (every variant needs the same fields that mention type parameters)",
                            v.ident, first.ident
                        ),
                    ));
                };
                let other = unmatched.remove(pos);
                bounds.push(quote!(#ty: __ZcIs<#other>));
            }
            if let Some(missing) = unmatched.first() {
                return Err(Error::new(
                    v.ident.span(),
                    format!(
                        "cannot derive `IntoBytes` for generic enum `{name}`: variant `{}` has no field of type `{}` as variant `{}` does, so their sizes cannot be compared before the type parameters are known (every variant needs the same fields that mention type parameters)",
                        v.ident,
                        missing.to_token_stream(),
                        first.ident
                    ),
                ));
            }
            // The marker, not the enum, names the type in the message: a
            // bound that names no parameter is checked at the definition.
            let marker = format_ident!("variant_{}_of_{}", v.ident, name);
            let diff = quote!((#first_sizes).abs_diff(#sizes));
            let probe = same_size_backstop(
                &marker,
                quote!(#support::SameSizeVariants<#marker, { #diff }>),
                &diff,
            );
            markers.push(quote!(pub struct #marker; #probe));
            let check = located_at(quote!(#support::SameSizeVariants), v.ident.span());
            bounds.push(quote_spanned! {v.ident.span()=>
                (): #check<#marker, { #diff }>
            });
        }
    }
    // SAFETY (of the emitted impl): the tag is one byte and every field is
    // `Unaligned` (bounds), so each variant (tag then fields, or tag then a
    // `repr(C)` union of field structs with alignment 1) is laid out without
    // gaps and the enum has alignment 1. Every variant has the same size:
    // fields that mention a parameter are the same types pairwise (`__ZcIs`
    // bounds) and the others add up equally (`SameSizeVariants` bounds); so
    // no variant ends before the enum does. Fields are `IntoBytes` (bounds).
    // `__ZcIs` is local to the expansion and `Unaligned` must be zerocast's
    // (`crate::crate_path_checks`), so a module at the crate path cannot
    // make either bound hold where it should not.
    let is = crate::into_bytes::local_is_trait();
    let unaligned = crate::crate_path_checks::marker_trait_is_zerocasts(
        ctx,
        "Unaligned",
        quote!(::core::primitive::u16),
    );
    let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
    Ok(quote!(#is #unaligned #(#markers)* #imp))
}

/// A second check of one `SameSizeVariants` bound that names only `::core` and
/// items of the expansion, for a crate path that names a module with a
/// permissive `SameSizeVariants` (AUDIT.md, F2): if `bound` holds for `()`, the
/// size difference `bytes` must be 0. The probe's inherent `HOLDS` only exists
/// where the bound holds, so a rejected variant gets no second error. (The
/// `__ZcIs` bounds between fields that mention parameters are local to the
/// expansion, so need no second check.)
fn same_size_backstop(marker: &syn::Ident, bound: TokenStream, bytes: &TokenStream) -> TokenStream {
    let probe = format_ident!("__ZcProbe_{}", marker);
    let fallback = format_ident!("__ZcProbeFallback_{}", marker);
    quote! {
        struct #probe<__ZcT: ?::core::marker::Sized>(::core::marker::PhantomData<__ZcT>);
        impl<__ZcT: ?::core::marker::Sized + #bound> #probe<__ZcT> {
            const HOLDS: ::core::primitive::bool = true;
        }
        trait #fallback {
            const HOLDS: ::core::primitive::bool = false;
        }
        impl<__ZcT: ?::core::marker::Sized> #fallback for #probe<__ZcT> {}
        const _: () = ::core::assert!(
            !#probe::<()>::HOLDS || (#bytes) == 0,
            "zerocast: the derive's variant size check passed with sizes that differ: the derive's checks did not come from zerocast (does `#[zerocast(crate = ..)]` or an `extern crate .. as zerocast` name another module?)"
        );
    }
}

/// Names of the item's generic parameters (lifetimes without the `'`).
fn param_names(ctx: &Ctx) -> Vec<String> {
    let g = &ctx.ast.generics;
    g.type_params()
        .map(|p| p.ident.to_string())
        .chain(g.const_params().map(|p| p.ident.to_string()))
        .chain(g.lifetimes().map(|l| l.lifetime.ident.to_string()))
        .collect()
}

/// Whether the tokens name a parameter. Macros count as naming one: their
/// expansion is unknown here.
fn mentions_param(tokens: TokenStream, params: &[String]) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(id) => params.iter().any(|p| id == p),
        TokenTree::Group(g) => mentions_param(g.stream(), params),
        TokenTree::Punct(p) => p.as_char() == '!',
        TokenTree::Literal(_) => false,
    })
}

/// A variant's fields that mention a parameter, and the sum of the sizes of
/// the others as a constant expression.
fn split_fields<'a>(v: &'a Variant, params: &[String]) -> (Vec<&'a Type>, TokenStream) {
    let (generic, known): (Vec<&Type>, Vec<&Type>) = v
        .fields
        .iter()
        .map(|f| &f.ty)
        .partition(|ty| mentions_param(ty.to_token_stream(), params));
    (
        generic,
        quote!(0usize #(+ ::core::mem::size_of::<#known>())*),
    )
}
