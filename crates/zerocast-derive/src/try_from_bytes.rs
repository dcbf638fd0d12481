//! `TryFromBytes`: a validity check that decides, from a candidate's bytes,
//! whether they are a valid value of the type.
//!
//! - struct: every field is valid (fields are checked where they lie, via
//!   raw-pointer place projections, so `packed` fields need no alignment);
//! - union: at least one field is valid;
//! - enum (`repr(C)` / `repr(Int)` only): the tag equals one variant's
//!   discriminant, and that variant's fields are valid. Field positions come
//!   from a `repr(C)` model of the enum built from the layout the Reference
//!   guarantees for these reprs (tag followed by a union of the variants'
//!   `repr(C)` field structs, or for `repr(Int)` alone a union of `repr(C)`
//!   structs that start with the tag).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Error, Ident};

use crate::ctx::{fields_of, Ctx, Field};
use crate::enums::tag_enum;
use crate::known_layout::{tail_sizedness, Sizedness};
use crate::repr::ItemKind;

/// `&& <F as TryFromBytes>::is_bit_valid(<projection of c to the field>)`
/// for each field; `base` turns the candidate into one whose `*mut` pointee
/// has the fields.
fn fields_valid(
    ctx: &Ctx,
    cand: &TokenStream,
    fields: &[Field],
    allow_dst_tail: bool,
) -> TokenStream {
    let krate = &ctx.krate;
    let support = ctx.support();
    let checks = fields.iter().enumerate().map(|(i, f)| {
        let ty = f.ty;
        let member = &f.member;
        let tail = if allow_dst_tail && i + 1 == fields.len() {
            tail_sizedness(ty)
        } else {
            Sizedness::Sized
        };
        let place = quote!(|__zc_ptr| ::core::ptr::addr_of_mut!((*__zc_ptr).#member));
        // A last field that may be a DST (`inner: Inner`) is projected
        // through `Field`, which picks the unsized projection exactly when
        // the field type is `KnownLayout` (and the sized one otherwise).
        let projected = match tail {
            Sizedness::Sized => quote!(#cand.project(#place)),
            Sizedness::Unsized => quote!(#cand.project_unsized(#place)),
            Sizedness::Unknown => quote!(#support::Field::<#ty>::project(&#cand, #place)),
        };
        // SAFETY: the closure only computes the field's address by place
        // projection from the candidate pointer (no read, no reference);
        // the field lies within the candidate's bytes because it is a field
        // of the value those bytes hold.
        quote! {
            <#ty as #krate::TryFromBytes>::is_bit_valid(
                // SAFETY: see the comment above this expansion's `project` calls.
                unsafe { #projected }
            )
        }
    });
    let checks: Vec<TokenStream> = checks.collect();
    if checks.is_empty() {
        quote!(true)
    } else {
        quote!(#(#checks)&&*)
    }
}

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let body = is_bit_valid_body(ctx)?;
    if let Some(both) = crate::validate::derive_with_validators(ctx, &body)? {
        return Ok(both);
    }
    let krate = &ctx.krate;
    let fn_def = quote! {
        #[inline]
        fn is_bit_valid(__zc_candidate: #krate::Maybe<'_, Self>) -> ::core::primitive::bool {
            #body
        }
    };
    let scope = ctx.scope();
    let mut bounds = ctx.every_field_is("TryFromBytes");
    bounds.extend(ctx.unsized_tail_bound());
    let imp = ctx.unsafe_impl("TryFromBytes", &bounds, fn_def);
    Ok(quote!(#scope #imp))
}

fn is_bit_valid_body(ctx: &Ctx) -> Result<TokenStream, Error> {
    let cand = quote!(__zc_candidate);
    match ctx.kind {
        ItemKind::Struct => Ok(fields_valid(ctx, &cand, &ctx.fields(), true)),
        ItemKind::Union => {
            let per_field = ctx.fields().into_iter().map(|f| {
                let one = fields_valid(ctx, &cand, std::slice::from_ref(&f), false);
                quote!(|| (#one))
            });
            Ok(quote!(false #(#per_field)*))
        }
        ItemKind::Enum => enum_body(ctx),
    }
}

/// Rejects enums without a defined layout.
pub(crate) fn require_enum_layout(ctx: &Ctx, trait_name: &str) -> Result<(), Error> {
    if ctx.kind == ItemKind::Enum && !ctx.repr.enum_layout_defined() {
        let name = ctx.name();
        return Err(Error::new(
            ctx.repr.blame_span(name.span()),
            format!(
                "cannot derive `{trait_name}` for `{name}`: an enum's layout is only defined with `repr(C)`, `repr(u8)`..`repr(i64)` or `repr(C, u8)`.. (it has {})",
                ctx.repr.describe()
            ),
        ));
    }
    Ok(())
}

fn enum_body(ctx: &Ctx) -> Result<TokenStream, Error> {
    require_enum_layout(ctx, "TryFromBytes")?;
    let krate = &ctx.krate;
    let variants = ctx.variants();
    if variants.is_empty() {
        // An uninhabited enum has no valid bit pattern.
        return Ok(quote!({
            let _ = __zc_candidate;
            false
        }));
    }
    let tag_name = Ident::new("__ZcTag", Span::call_site());
    let tag_def = tag_enum(ctx, &tag_name);
    // The tag's integer: the `repr(Int)` type, or for `repr(C)` alone the
    // tag's bytes read unsigned and compared with each discriminant truncated
    // to the tag's size. rustc gives `repr(C)` discriminants the type `isize`
    // but may store them in a smaller tag, as two's complement or (above
    // `i32::MAX`) unsigned; truncation is exact either way, and injective
    // because rustc chose a tag size that holds every discriminant.
    let (int_ty, read) = match ctx.repr.int {
        Some(int) => {
            let int = format_ident!("{}", int.value.name());
            (
                quote!(::core::primitive::#int),
                quote!(__zc_candidate.read_at::<::core::primitive::#int>(0)),
            )
        }
        None => (
            quote!(::core::primitive::u64),
            quote!(match ::core::mem::size_of::<#tag_name>() {
                1 => __zc_candidate.read_at::<::core::primitive::u8>(0).map(::core::primitive::u64::from),
                2 => __zc_candidate.read_at::<::core::primitive::u16>(0).map(::core::primitive::u64::from),
                4 => __zc_candidate.read_at::<::core::primitive::u32>(0).map(::core::primitive::u64::from),
                8 => __zc_candidate.read_at::<::core::primitive::u64>(0),
                _ => ::core::option::Option::None,
            }),
        ),
    };
    // What a variant's discriminant looks like in the tag's bytes.
    let tag_value = |vname: &Ident| {
        if ctx.repr.int.is_some() {
            quote!((#tag_name::#vname as #int_ty))
        } else {
            quote!(((#tag_name::#vname as ::core::primitive::u64)
                & (::core::primitive::u64::MAX
                    >> (64 - 8 * ::core::mem::size_of::<#tag_name>()))))
        }
    };
    let has_data = variants.iter().any(|v| !v.fields.is_empty());
    let models = if has_data {
        enum_model(ctx, &tag_name)
    } else {
        TokenStream::new()
    };
    let arms = variants.iter().enumerate().map(|(i, v)| {
        let vname = &v.ident;
        let fields = fields_of(&v.fields);
        let check = if fields.is_empty() {
            quote!(true)
        } else {
            let body = format_ident!("__ZcBody{}", i);
            let g = ctx.ast.generics.split_for_impl().1;
            let turbofish = g.as_turbofish();
            let projected = if ctx.repr.is_c() {
                // SAFETY: `__ZcModel` has the enum's layout (module docs), so
                // it fits in the candidate; its payload union and the
                // union's variant field are reached by place projection.
                quote! {
                    unsafe {
                        __zc_candidate
                            .cast::<__ZcModel #turbofish>()
                            .project(|__zc_ptr| ::core::ptr::addr_of_mut!((*__zc_ptr).1))
                            .project(|__zc_ptr| ::core::ptr::addr_of_mut!((*__zc_ptr).#body))
                            .cast::<#body #turbofish>()
                    }
                }
            } else {
                // SAFETY: for `repr(Int)` every variant struct is a prefix of
                // the enum's bytes (the enum is a union of them).
                quote!(unsafe { __zc_candidate.cast::<#body #turbofish>() })
            };
            let offset_fields: Vec<Field> = if ctx.repr.is_c() {
                fields
            } else {
                // The model struct's field 0 is the tag; shift the members.
                fields
                    .into_iter()
                    .enumerate()
                    .map(|(j, f)| {
                        let idx = syn::Index::from(j + 1);
                        Field {
                            member: quote!(#idx),
                            display: f.display,
                            ty: f.ty,
                        }
                    })
                    .collect()
            };
            // The variant's candidate shadows the enum's.
            let inner = fields_valid(ctx, &quote!(__zc_candidate), &offset_fields, false);
            quote!({ let __zc_candidate = #projected; #inner })
        };
        let value = tag_value(vname);
        quote!(__zc_tag if __zc_tag == #value => #check,)
    });
    let _ = krate;
    Ok(quote! {
        #tag_def
        #models
        match #read {
            ::core::option::Option::Some(__zc_tag) => match __zc_tag {
                #(#arms)*
                _ => false,
            },
            ::core::option::Option::None => false,
        }
    })
}

/// The `repr(C)` structs (and for `repr(C, ..)`, the union and outer
/// struct) that mirror a data-carrying enum's layout.
fn enum_model(ctx: &Ctx, tag_name: &Ident) -> TokenStream {
    let generics = &ctx.ast.generics;
    let (impl_g, ty_g, where_clause) = generics.split_for_impl();
    let _ = impl_g;
    let params = &generics.params;
    let phantom_parts = generics
        .type_params()
        .map(|t| {
            let id = &t.ident;
            quote!(fn(&#id))
        })
        .chain(generics.lifetimes().map(|l| {
            let lt = &l.lifetime;
            quote!(&#lt ())
        }));
    let phantom = quote!(::core::marker::PhantomData<(#(#phantom_parts,)*)>);
    let is_c = ctx.repr.is_c();
    let bodies = ctx.variants().into_iter().enumerate().map(|(i, v)| {
        let body = format_ident!("__ZcBody{}", i);
        let tys = v.fields.iter().map(|f| &f.ty);
        let tag = (!is_c).then(|| quote!(#tag_name,));
        quote! {
            #[repr(C)]
            struct #body<#params>(#tag #(#tys,)* #phantom) #where_clause;
        }
    });
    let outer = is_c.then(|| {
        let fields = (0..ctx.variants().len()).map(|i| {
            let body = format_ident!("__ZcBody{}", i);
            quote!(#body: ::core::mem::ManuallyDrop<#body #ty_g>,)
        });
        quote! {
            #[repr(C)]
            union __ZcPayload<#params> #where_clause { #(#fields)* }
            #[repr(C)]
            struct __ZcModel<#params>(#tag_name, __ZcPayload #ty_g) #where_clause;
        }
    });
    quote!(#(#bodies)* #outer)
}
