//! `#[derive(BitFields)]`: getters and setters for named bit ranges of a
//! `repr(transparent)` integer wrapper (see `zerocast::beyond::bits`).
//!
//! The derive checks what the tokens decide (one unnamed field, no generics,
//! non-empty and non-overlapping ranges, reported at the field's name) and
//! emits a `const` assertion per field for the integer's width, which only
//! the compiler knows. Each accessor is one call into
//! `zerocast::beyond::bits::__derive`, so the expansion stays small.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Error, Fields, Ident, LitInt, Token};

use crate::ctx::Ctx;
use crate::repr::{is_ident, ItemKind};

/// One `name = lo..hi` or `name = bit` entry.
struct BitField {
    name: Ident,
    lo: u32,
    hi: u32,
    flag: bool,
}

impl BitField {
    fn describe(&self) -> String {
        if self.flag {
            format!("bit {}", self.lo)
        } else {
            format!("bits {}..{}", self.lo, self.hi)
        }
    }
}

fn parse_fields(ctx: &Ctx) -> Result<Vec<BitField>, Error> {
    let mut out = Vec::new();
    for attr in &ctx.ast.attrs {
        if !is_ident(attr.path(), "zerocast") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("bits") {
                return crate::validate::skip_value(&meta);
            }
            meta.parse_nested_meta(|entry| {
                let name = entry
                    .path
                    .get_ident()
                    .cloned()
                    .ok_or_else(|| entry.error("a bit field's name is a plain identifier"))?;
                let value = entry.value()?;
                let lo: LitInt = value.parse()?;
                let lo_v: u32 = lo.base10_parse()?;
                let (hi_v, flag) = if value.peek(Token![..]) {
                    let _: Token![..] = value.parse()?;
                    let hi: LitInt = value.parse()?;
                    (hi.base10_parse::<u32>()?, false)
                } else {
                    (lo_v.saturating_add(1), true)
                };
                if hi_v <= lo_v {
                    return Err(Error::new(
                        name.span(),
                        format!("bit field `{name}` has the empty range {lo_v}..{hi_v}"),
                    ));
                }
                out.push(BitField {
                    name,
                    lo: lo_v,
                    hi: hi_v,
                    flag,
                });
                Ok(())
            })
        })?;
    }
    Ok(out)
}

fn check_overlaps(fields: &[BitField]) -> Result<(), Error> {
    for (i, later) in fields.iter().enumerate() {
        for earlier in &fields[..i] {
            if later.name == earlier.name {
                return Err(Error::new(
                    later.name.span(),
                    format!("bit field `{}` is declared twice", later.name),
                ));
            }
            if later.lo < earlier.hi && earlier.lo < later.hi {
                return Err(Error::new(
                    later.name.span(),
                    format!(
                        "bit field `{}` ({}) overlaps `{}` ({})",
                        later.name,
                        later.describe(),
                        earlier.name,
                        earlier.describe()
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let storage = match &ctx.ast.data {
        syn::Data::Struct(s) if ctx.kind == ItemKind::Struct => match &s.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => &f.unnamed[0].ty,
            _ => {
                return Err(ctx.error_at_name(format!(
                    "cannot derive `BitFields` for `{name}`: it must be a tuple struct with one field, the integer (`struct {name}(U16);`)"
                )))
            }
        },
        _ => {
            return Err(ctx.error_at_name(format!(
                "cannot derive `BitFields` for `{name}`: only structs wrapping one integer have bit fields"
            )))
        }
    };
    if !ctx.repr.is_transparent() {
        return Err(ctx.error_at_name(format!(
            "cannot derive `BitFields` for `{name}`: it needs `#[repr(transparent)]` so that it has exactly its integer's layout"
        )));
    }
    if ctx.is_generic() {
        return Err(ctx.error_at_name(format!(
            "cannot derive `BitFields` for `{name}`: generic bit-field types are not supported"
        )));
    }
    let fields = parse_fields(ctx)?;
    if fields.is_empty() {
        return Err(ctx.error_at_name(format!(
            "cannot derive `BitFields` for `{name}`: declare fields with `#[zerocast(bits(name = lo..hi, flag = bit))]`"
        )));
    }
    check_overlaps(&fields)?;
    let krate = &ctx.krate;
    let support = quote!(#krate::beyond::bits::__derive);
    let native = quote!(<#storage as #krate::beyond::BitStorage>::Native);
    let vis = &ctx.ast.vis;
    let accessors = fields.iter().map(|f| {
        let get = &f.name;
        let set = format_ident!("set_{}", f.name);
        let with = format_ident!("with_{}", f.name);
        let (lo, width) = (f.lo, f.hi - f.lo);
        let label = f.name.to_string();
        let doc_get = format!("The {} of the value (`{}`).", f.describe(), label);
        if f.flag {
            quote! {
                #[doc = #doc_get]
                #[inline]
                #[must_use]
                #vis fn #get(&self) -> bool { #support::get_flag(&self.0, #lo) }
                #[doc = concat!("Sets `", #label, "`.")]
                #[inline]
                #vis fn #set(&mut self, value: bool) { #support::set_flag(&mut self.0, #lo, value) }
                #[doc = concat!("The value with `", #label, "` set.")]
                #[inline]
                #[must_use]
                #vis fn #with(mut self, value: bool) -> Self { self.#set(value); self }
            }
        } else {
            quote! {
                #[doc = #doc_get]
                #[inline]
                #[must_use]
                #vis fn #get(&self) -> #native { #support::get(&self.0, #lo, #width) }
                #[doc = concat!("Sets `", #label, "`; fails if `value` does not fit.")]
                #[inline]
                #vis fn #set(&mut self, value: #native) -> ::core::result::Result<(), #krate::beyond::BitsOutOfRange> {
                    #support::set(&mut self.0, #lo, #width, value, #label)
                }
                #[doc = concat!("The value with `", #label, "` set; fails if `value` does not fit.")]
                #[inline]
                #vis fn #with(mut self, value: #native) -> ::core::result::Result<Self, #krate::beyond::BitsOutOfRange> {
                    self.#set(value)?;
                    ::core::result::Result::Ok(self)
                }
            }
        }
    });
    let width_checks = fields.iter().map(|f| {
        let hi = f.hi;
        let msg = format!(
            "bit field `{}` ({}) extends beyond the width of `{}`'s integer",
            f.name,
            f.describe(),
            name
        );
        quote_spanned! {f.name.span()=>
            const _: () = ::core::assert!(#hi <= #support::width::<#storage>(), #msg);
        }
    });
    // Shields the `value`/`bits` parameters from call-site constants.
    let scope = quote!(use #krate::__derive::bit_scope::*;);
    Ok(quote! {
        #scope
        #[automatically_derived]
        impl #name {
            #(#accessors)*
        }
        #[automatically_derived]
        impl ::core::convert::From<#storage> for #name {
            #[inline]
            fn from(bits: #storage) -> Self { #name(bits) }
        }
        #[automatically_derived]
        impl ::core::convert::From<#name> for #storage {
            #[inline]
            fn from(value: #name) -> Self { value.0 }
        }
        #(#width_checks)*
    })
}
