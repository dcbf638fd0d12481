//! What the derives need to know about an enum's discriminants.
//!
//! Discriminants are evaluated only where they are integer literals (or the
//! implicit "previous plus one"). Anything else is *unknown*, and every rule
//! that depends on a discriminant treats unknown values as "not proven", so
//! an unusual constant expression can only cause a rejection, never a wrong
//! acceptance. The generated validity check does not rely on this analysis
//! at all: it compares against `Variant as Int` computed by rustc.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, ExprLit, ExprUnary, Lit, UnOp, Variant};

use crate::ctx::Ctx;

/// The value of one discriminant, when it can be known from the tokens.
fn literal_value(expr: &Expr) -> Option<i128> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse::<i128>().ok(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => literal_value(expr).map(|v| -v),
        Expr::Group(g) => literal_value(&g.expr),
        Expr::Paren(p) => literal_value(&p.expr),
        _ => None,
    }
}

/// Discriminant of each variant in order; `None` once an unknown expression
/// has been seen (and for implicit successors of it).
pub(crate) fn discriminants(variants: &[&Variant]) -> Vec<Option<i128>> {
    let mut next = Some(0i128);
    variants
        .iter()
        .map(|v| {
            let this = match &v.discriminant {
                Some((_, expr)) => literal_value(expr),
                None => next,
            };
            next = this.and_then(|d| d.checked_add(1));
            this
        })
        .collect()
}

/// Index of the variant whose discriminant is zero, if it can be proven.
pub(crate) fn zero_variant(variants: &[&Variant]) -> Option<usize> {
    discriminants(variants).iter().position(|d| *d == Some(0))
}

/// Whether any discriminant is a non-literal expression.
pub(crate) fn has_unknown_discriminant(variants: &[&Variant]) -> bool {
    discriminants(variants).iter().any(Option::is_none)
}

/// A fieldless copy of the enum with the same representation and the same
/// discriminant expressions. rustc computes its discriminants exactly as it
/// does the original's, so `Tag::V as Int` is the tag value of variant `V`
/// even when the original's variants carry data (where `as` is not allowed).
pub(crate) fn tag_enum(ctx: &Ctx, tag_name: &syn::Ident) -> TokenStream {
    let variants = ctx.variants();
    let names = variants.iter().map(|v| &v.ident);
    let discs = variants
        .iter()
        .map(|v| v.discriminant.as_ref().map(|(eq, e)| quote!(#eq #e)));
    // `repr(C, u8)` on a fieldless enum is a conflict for rustc; the tag of
    // a `repr(C, Int)` enum with data is an `Int` with the same values.
    let repr = match ctx.repr.int {
        Some(i) => {
            let i = format_ident!("{}", i.value.name());
            quote!(#i)
        }
        None => quote!(C),
    };
    quote! {
        #[repr(#repr)]
                enum #tag_name { #(#names #discs,)* }
    }
}
