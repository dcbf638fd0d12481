//! `#[zerocast(validate = path)]` on `TryFromBytes` types: validators that run after bit
//! validity (see `zerocast::beyond::validate` for the runtime side and the design).
//!
//! With at least one `validate = path`, the `TryFromBytes` derive emits two impls instead
//! of one: `zerocast::beyond::Validate`, whose `bits_valid` is the ordinary field-by-field
//! check and whose `validate` calls the paths in order, and `TryFromBytes`, whose
//! `is_bit_valid` runs both through `check_candidate`. Without the attribute the derive's
//! output is unchanged.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Error, Path, Type};

use crate::ctx::Ctx;
use crate::known_layout::{tail_sizedness, Sizedness};
use crate::repr::{is_ident, ItemKind};

/// Keys of `#[zerocast(..)]` that the `beyond` modules (this one, `len_from`, `bitfield`), not
/// `ctx`, read.
const KEYS: &[&str] = &[
    "validate",
    "validate_error",
    "len_from",
    "len_from_fn",
    "len_scale",
    "len_minus",
    "len_unit",
    "bits",
];

/// Whether `path` is one of this module's `#[zerocast(..)]` keys (the shared attribute
/// parser skips them).
pub(crate) fn is_beyond_key(path: &Path) -> bool {
    KEYS.iter().any(|k| path.is_ident(k))
}

/// Consumes the `= value` (or `(list)`) of one of these keys for a parser that does not
/// own it.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> Result<(), Error> {
    if meta.input.peek(syn::token::Paren) {
        // A list such as `bits(a = 0..4, b = 4)`: its owner parses the contents.
        let content;
        syn::parenthesized!(content in meta.input);
        let _: TokenStream = content.parse()?;
        return Ok(());
    }
    let value = meta.value()?;
    if value.peek(syn::Lit) {
        let _: syn::Lit = value.parse()?;
    } else {
        let _: Type = value.parse()?;
    }
    Ok(())
}

/// The validators named on an item, in declaration order.
struct Validators {
    paths: Vec<Path>,
    error: Option<Type>,
}

fn parse(ctx: &Ctx) -> Result<Validators, Error> {
    let mut v = Validators {
        paths: Vec::new(),
        error: None,
    };
    for attr in &ctx.ast.attrs {
        if !is_ident(attr.path(), "zerocast") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("validate") {
                v.paths.push(meta.value()?.parse()?);
            } else if meta.path.is_ident("validate_error") {
                if v.error.is_some() {
                    return Err(meta.error("`validate_error` is given more than once"));
                }
                v.error = Some(meta.value()?.parse()?);
            } else {
                // Someone else's key (`crate = ".."`, `len_*`): its owner validates it.
                skip_value(&meta)?;
            }
            Ok(())
        })?;
    }
    if v.paths.is_empty() {
        if let Some(e) = &v.error {
            return Err(Error::new_spanned(
                e,
                "`validate_error` needs at least one `validate = path`",
            ));
        }
    }
    Ok(v)
}

/// The `TryFromBytes` and `Validate` impls for a type with validators, or `None` when it
/// has none. `bits_body` is the derive's ordinary `is_bit_valid` body.
pub(crate) fn derive_with_validators(
    ctx: &Ctx,
    bits_body: &TokenStream,
) -> Result<Option<TokenStream>, Error> {
    let v = parse(ctx)?;
    if v.paths.is_empty() {
        return Ok(None);
    }
    if ctx.kind == ItemKind::Enum && ctx.variants().is_empty() {
        return Err(ctx.error_at_name(format!(
            "cannot validate `{}`: an uninhabited enum has no values to validate",
            ctx.name()
        )));
    }
    let krate = &ctx.krate;
    let error = v
        .error
        .map(|e| quote!(#e))
        .unwrap_or_else(|| quote!(&'static ::core::primitive::str));
    // Each call goes through a typed `fn` pointer spanned at the user's path, so a
    // validator with the wrong signature is reported there, with the expected type.
    let checks = v.paths.iter().map(|path| {
        quote_spanned! {path.span()=>
            let __zc_check: fn(&Self) -> ::core::result::Result<(), #error> = #path;
            __zc_check(self)?;
        }
    });
    let validate_body = quote! {
        type Error = #error;
        #[inline]
        fn bits_valid(__zc_candidate: #krate::Maybe<'_, Self>) -> ::core::primitive::bool {
            #bits_body
        }
        #[inline]
        fn validate(&self) -> ::core::result::Result<(), #error> {
            #( #checks )*
            ::core::result::Result::Ok(())
        }
    };
    let mut field_bounds = ctx.every_field_is("TryFromBytes");
    // A generic `?Sized` last field is projected through `Field` (see
    // `Ctx::unsized_tail_bound`).
    field_bounds.extend(ctx.unsized_tail_bound());
    let validate_impl = validate_impl(ctx, &field_bounds, validate_body);
    let tail = match ctx.fields().last() {
        Some(f) if ctx.kind == ItemKind::Struct => tail_sizedness(f.ty),
        _ => Sizedness::Sized,
    };
    // A last field that may be a DST (`inner: Inner`) is dispatched by
    // `Field`, as in `is_bit_valid` (see `zerocast::__derive::Field`).
    let support = ctx.support();
    // The bit check is `Validate::bits_valid` of the trait this expansion implements, so it
    // cannot be replaced by a module at the crate path; only the validators are reached
    // through that path (zerocast's AUDIT.md, F2), and they never decide soundness.
    let validators = match tail {
        Sizedness::Unsized => {
            quote!(#krate::beyond::run_unsized_validators::<Self>(__zc_candidate).is_ok())
        }
        Sizedness::Unknown => quote!(#support::Field::<Self>::validators(__zc_candidate)),
        Sizedness::Sized => {
            quote!(#krate::beyond::run_validators::<Self>(__zc_candidate).is_ok())
        }
    };
    let mut try_bounds = field_bounds;
    try_bounds.push(quote!(Self: #krate::Immutable));
    let try_body = quote! {
        #[inline]
        fn is_bit_valid(__zc_candidate: #krate::Maybe<'_, Self>) -> ::core::primitive::bool {
            <Self as #krate::beyond::Validate>::bits_valid(__zc_candidate)
                // SAFETY: `bits_valid` accepted the bytes, so they are a valid `Self`.
                && unsafe { #validators }
        }
    };
    let try_impl = ctx.unsafe_impl("TryFromBytes", &try_bounds, try_body);
    let scope = ctx.scope();
    Ok(Some(quote!(#scope #validate_impl #try_impl)))
}

/// `unsafe impl Validate for Name<..> where <own predicates>, <bounds> { body }`
/// (`Ctx::unsafe_impl` only names traits at the crate root).
fn validate_impl(ctx: &Ctx, bounds: &[TokenStream], body: TokenStream) -> TokenStream {
    let krate = &ctx.krate;
    let name = ctx.name();
    let (impl_g, ty_g, where_clause) = ctx.ast.generics.split_for_impl();
    let own = where_clause.map(|w| {
        let p = w.predicates.iter();
        quote!(#(#p,)*)
    });
    // SAFETY (of the emitted impl): `Validate`'s contract is that `bits_valid` accepts only
    // valid bytes; the `body` passed in is the same field-by-field check the TryFromBytes
    // derive emits (module docs), under the same bounds, so it meets that contract.
    quote! {
        #[automatically_derived]
        unsafe impl #impl_g #krate::beyond::Validate for #name #ty_g where #own #(#bounds,)* {
            fn only_derive_is_allowed_to_implement_this_trait() {}
            #body
        }
    }
}
