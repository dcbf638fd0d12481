//! The input of one derive, read once: the item, its representation, its
//! fields and the path under which the `zerocast` crate is reachable.
//!
//! Code generators only ever see a [`Ctx`], so every expansion roots its
//! paths in the same place (`::zerocast` or the `#[zerocast(crate = ..)]`
//! path, and `::core`) and never in names a user crate might shadow.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::{
    spanned::Spanned, Data, DeriveInput, Error, Fields, Generics, Ident, TraitBoundModifier, Type,
    TypeParamBound, Variant, WherePredicate,
};

use crate::known_layout::{tail_sizedness, Sizedness};
use crate::repr::{is_ident, ItemKind, Repr};

/// One field of a struct, union or enum variant.
pub(crate) struct Field<'a> {
    /// `a` for named fields, `0` for tuple fields.
    pub(crate) member: TokenStream,
    /// Human name for messages: `a` or `0`.
    pub(crate) display: String,
    pub(crate) ty: &'a Type,
}

/// Everything a derive needs to know about its input.
pub(crate) struct Ctx<'a> {
    pub(crate) ast: &'a DeriveInput,
    pub(crate) kind: ItemKind,
    pub(crate) repr: Repr,
    /// Path of the zerocast crate, `::zerocast` unless overridden.
    pub(crate) krate: TokenStream,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(ast: &'a DeriveInput) -> Result<Ctx<'a>, Error> {
        let kind = match ast.data {
            Data::Struct(_) => ItemKind::Struct,
            Data::Enum(_) => ItemKind::Enum,
            Data::Union(_) => ItemKind::Union,
        };
        let repr = Repr::parse(&ast.attrs, kind)?;
        let krate = crate_path(&ast.attrs)?.unwrap_or_else(|| quote!(::zerocast));
        Ok(Ctx {
            ast,
            kind,
            repr,
            krate,
        })
    }

    pub(crate) fn name(&self) -> &Ident {
        &self.ast.ident
    }

    /// Fields of a struct or union, in declaration order.
    pub(crate) fn fields(&self) -> Vec<Field<'a>> {
        match &self.ast.data {
            Data::Struct(s) => fields_of(&s.fields),
            Data::Union(u) => u
                .fields
                .named
                .iter()
                .enumerate()
                .map(|(i, f)| field(i, f))
                .collect(),
            Data::Enum(_) => Vec::new(),
        }
    }

    /// Variants of an enum (empty for structs and unions).
    pub(crate) fn variants(&self) -> Vec<&'a Variant> {
        match &self.ast.data {
            Data::Enum(e) => e.variants.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Every field type of the item, enum variants included.
    pub(crate) fn all_field_types(&self) -> Vec<&'a Type> {
        match &self.ast.data {
            Data::Enum(e) => e
                .variants
                .iter()
                .flat_map(|v| v.fields.iter().map(|f| &f.ty))
                .collect(),
            _ => self.fields().into_iter().map(|f| f.ty).collect(),
        }
    }

    pub(crate) fn is_generic(&self) -> bool {
        self.ast.generics.type_params().next().is_some()
            || self.ast.generics.const_params().next().is_some()
    }

    /// An error at the item's name: used for rules about the whole type.
    pub(crate) fn error_at_name(&self, msg: impl std::fmt::Display) -> Error {
        Error::new(self.ast.ident.span(), msg)
    }

    /// Emits `unsafe impl<..> Trait for Name<..> where <bounds> { body }`,
    /// adding each predicate of `bounds` to the item's own where clause.
    pub(crate) fn unsafe_impl(
        &self,
        trait_name: &str,
        bounds: &[TokenStream],
        body: TokenStream,
    ) -> TokenStream {
        let krate = &self.krate;
        let trait_ident = Ident::new(trait_name, Span::call_site());
        let name = self.name();
        let (impl_g, ty_g, where_clause) = self.ast.generics.split_for_impl();
        let own = where_clause.map(|w| {
            let p = w.predicates.iter();
            quote!(#(#p,)*)
        });
        let extra = bounds.iter().map(|pred| quote!(#pred,));
        // SAFETY (of the emitted impl): each derive calls this only after its analysis proved
        // the trait's `# Safety` contract from the tokens, and passes as `bounds` every check
        // left to rustc (field traits, padding assertions), so the impl exists only if they hold.
        quote! {
            #[automatically_derived]
            unsafe impl #impl_g #krate::#trait_ident for #name #ty_g where #own #(#extra)* {
                fn only_derive_is_allowed_to_implement_this_trait() {}
                #body
            }
        }
    }

    /// Path of zerocast's hidden support module for expansions.
    pub(crate) fn support(&self) -> TokenStream {
        let krate = &self.krate;
        quote!(#krate::__derive)
    }

    /// The import an expansion needs before it binds local names (`__zc_*`) or
    /// projects a last field through `Field`: it shadows any call-site `const` or
    /// `static` of those names, which would otherwise turn a binding into a
    /// constant pattern (see `zerocast::__derive::scope`).
    pub(crate) fn scope(&self) -> TokenStream {
        let support = self.support();
        quote!(use #support::scope::*;)
    }

    /// `<last field type>: KnownLayout`, when a struct's last field may be
    /// dynamically sized because its type mentions a type parameter
    /// declared `?Sized` (`body: B` with `B: ?Sized`, or `where B: ?Sized`).
    ///
    /// The derives that reach such a field through `Field::<B>::project`
    /// need this bound to pick its unsized projection: inside the generic
    /// impl rustc cannot see that `B` is `KnownLayout` otherwise, and the
    /// sized fallback does not apply to a `?Sized` parameter. Without a
    /// `?Sized` parameter in the field type, no bound is added, so sized
    /// generic fields keep working with types that are not `KnownLayout`.
    pub(crate) fn unsized_tail_bound(&self) -> Option<TokenStream> {
        if self.kind != ItemKind::Struct {
            return None;
        }
        let fields = self.fields();
        let last = fields.last()?;
        if tail_sizedness(last.ty) != Sizedness::Unknown {
            return None;
        }
        let maybe_unsized = maybe_unsized_params(&self.ast.generics);
        if !mentions_any(last.ty.to_token_stream(), &maybe_unsized) {
            return None;
        }
        let krate = &self.krate;
        let ty = last.ty;
        let bound = quote_spanned_ty(ty, quote!(#krate::KnownLayout));
        Some(quote!(#ty: #bound))
    }

    /// `field type: ::zerocast::Trait` predicates for every field.
    pub(crate) fn every_field_is(&self, trait_name: &str) -> Vec<TokenStream> {
        let krate = &self.krate;
        let t = Ident::new(trait_name, Span::call_site());
        self.all_field_types()
            .into_iter()
            .map(|ty| {
                let bound = quote_spanned_ty(ty, quote!(#krate::#t));
                quote!(#ty: #bound)
            })
            .collect()
    }
}

/// The type parameters declared `?Sized`, in their bounds or in a where
/// clause of the form `P: ?Sized`.
fn maybe_unsized_params(generics: &Generics) -> Vec<&Ident> {
    let is_maybe = |b: &TypeParamBound| matches!(b, TypeParamBound::Trait(t) if matches!(t.modifier, TraitBoundModifier::Maybe(_)));
    let mut out: Vec<&Ident> = generics
        .type_params()
        .filter(|p| p.bounds.iter().any(is_maybe))
        .map(|p| &p.ident)
        .collect();
    let params: Vec<&Ident> = generics.type_params().map(|p| &p.ident).collect();
    for pred in generics.where_clause.iter().flat_map(|w| &w.predicates) {
        let WherePredicate::Type(pt) = pred else {
            continue;
        };
        let Type::Path(tp) = &pt.bounded_ty else {
            continue;
        };
        let named = tp
            .qself
            .is_none()
            .then(|| tp.path.get_ident())
            .flatten()
            .and_then(|id| params.iter().copied().find(|p| *p == id));
        if let Some(p) = named {
            if pt.bounds.iter().any(is_maybe) && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Whether any identifier in `tokens` (at any depth) is one of `names`.
fn mentions_any(tokens: TokenStream, names: &[&Ident]) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(id) => names.iter().any(|n| **n == id),
        proc_macro2::TokenTree::Group(g) => mentions_any(g.stream(), names),
        _ => false,
    })
}

/// Uses the span of the field type for the bound, so that "the trait is not
/// implemented" errors point at the field that lacks it.
pub(crate) fn quote_spanned_ty(ty: &Type, bound: TokenStream) -> TokenStream {
    located_at(bound, ty.span())
}

/// `tokens` shown at `span` in messages, still resolved at the call site.
pub(crate) fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut inner =
                    proc_macro2::Group::new(g.delimiter(), located_at(g.stream(), span));
                inner.set_span(g.span().resolved_at(Span::call_site()).located_at(span));
                tt = proc_macro2::TokenTree::Group(inner);
            } else {
                tt.set_span(tt.span().resolved_at(Span::call_site()).located_at(span));
            }
            tt
        })
        .collect()
}

pub(crate) fn fields_of(fields: &Fields) -> Vec<Field<'_>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| field(i, f))
        .collect()
}

fn field(index: usize, f: &syn::Field) -> Field<'_> {
    match &f.ident {
        Some(id) => Field {
            member: id.to_token_stream(),
            display: crate::repr::unraw(&id.to_string()),
            ty: &f.ty,
        },
        None => {
            let idx = syn::Index::from(index);
            Field {
                member: quote!(#idx),
                display: index.to_string(),
                ty: &f.ty,
            }
        }
    }
}

/// Reads `#[zerocast(crate = "path")]`.
fn crate_path(attrs: &[syn::Attribute]) -> Result<Option<TokenStream>, Error> {
    let mut found = None;
    for attr in attrs {
        if !is_ident(attr.path(), "zerocast") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                let path: syn::Path = lit.parse()?;
                if found.is_some() {
                    return Err(meta.error("`crate` is given more than once"));
                }
                found = Some(path.to_token_stream());
                Ok(())
            } else if crate::validate::is_beyond_key(&meta.path) {
                crate::validate::skip_value(&meta)
            } else {
                Err(meta.error("unknown zerocast attribute; the only one is `crate = \"path\"`"))
            }
        })?;
    }
    Ok(found)
}
