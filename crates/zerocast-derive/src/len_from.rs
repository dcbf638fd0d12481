//! `#[derive(LenFromHeader)]`: a slice DST whose trailing length is given by a header
//! field (see `zerocast::beyond::len_from` for the runtime side).
//!
//! Attributes, all in `#[zerocast(..)]`:
//! - `len_from = field` (a field implementing `zerocast::beyond::LenField`) or
//!   `len_from_fn = path` (a `fn(&Self) -> u64`, e.g. for a bit field); exactly one;
//! - `len_scale = N` (default 1) and `len_minus = M` (default 0): trailing length is
//!   `field × N − M`;
//! - `len_unit = bytes` (default) or `len_unit = elems`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Error, Ident, LitInt, Path};

use crate::ctx::Ctx;
use crate::known_layout::is_syntactic_dst;
use crate::repr::{is_ident, ItemKind};
use crate::validate::skip_value;

enum Source {
    Field(Ident),
    Fn(Path),
}

struct Rule {
    source: Option<Source>,
    scale: Option<LitInt>,
    minus: Option<LitInt>,
    elems: bool,
}

fn parse(ctx: &Ctx) -> Result<Rule, Error> {
    let mut rule = Rule {
        source: None,
        scale: None,
        minus: None,
        elems: false,
    };
    for attr in &ctx.ast.attrs {
        if !is_ident(attr.path(), "zerocast") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            let twice = || meta.error("the length field is given more than once");
            if meta.path.is_ident("len_from") {
                if rule.source.is_some() {
                    return Err(twice());
                }
                rule.source = Some(Source::Field(meta.value()?.parse()?));
            } else if meta.path.is_ident("len_from_fn") {
                if rule.source.is_some() {
                    return Err(twice());
                }
                rule.source = Some(Source::Fn(meta.value()?.parse()?));
            } else if meta.path.is_ident("len_scale") {
                rule.scale = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("len_minus") {
                rule.minus = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("len_unit") {
                let unit: Ident = meta.value()?.parse()?;
                rule.elems = match unit.to_string().as_str() {
                    "bytes" => false,
                    "elems" => true,
                    _ => return Err(Error::new(unit.span(), "`len_unit` is `bytes` or `elems`")),
                };
            } else {
                skip_value(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(rule)
}

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let last = ctx.fields().pop();
    let ends_in_slice =
        ctx.kind == ItemKind::Struct && last.as_ref().is_some_and(|f| is_syntactic_dst(f.ty));
    if !ends_in_slice {
        return Err(ctx.error_at_name(format!(
            "cannot derive `LenFromHeader` for `{name}`: it must be a struct whose last field is a slice (`[T]`)"
        )));
    }
    let rule = parse(ctx)?;
    let krate = &ctx.krate;
    let read = match rule.source {
        Some(Source::Field(field)) => quote_spanned! {field.span()=>
            #krate::beyond::LenField::len_value(&self.#field)
        },
        Some(Source::Fn(path)) => quote_spanned! {path.span()=>
            {
                let __zc_check: fn(&Self) -> ::core::primitive::u64 = #path;
                __zc_check(self)
            }
        },
        None => {
            return Err(ctx.error_at_name(format!(
                "cannot derive `LenFromHeader` for `{name}`: name the length field with `#[zerocast(len_from = field)]` or `#[zerocast(len_from_fn = path)]`"
            )))
        }
    };
    let scale = rule.scale.map_or(quote!(1), |s| quote!(#s));
    let minus = rule.minus.map_or(quote!(0), |m| quote!(#m));
    let unit = if rule.elems {
        quote!(Elems)
    } else {
        quote!(Bytes)
    };
    let (impl_g, ty_g, where_clause) = ctx.ast.generics.split_for_impl();
    let scope = ctx.scope();
    Ok(quote! {
        #scope
        #[automatically_derived]
        impl #impl_g #krate::beyond::LenFromHeader for #name #ty_g #where_clause {
            const LEN_RULE: #krate::beyond::LenRule = #krate::beyond::LenRule {
                scale: #scale,
                minus: #minus,
                unit: #krate::beyond::LenUnit::#unit,
            };
            #[inline]
            fn len_field(&self) -> ::core::primitive::u64 {
                #read
            }
        }
    })
}
