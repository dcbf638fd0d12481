//! `IntoBytes`: every byte of every value is initialized, i.e. the type has
//! no padding, statically or (for slice DSTs) at any element count.
//!
//! # How padding is proven absent
//!
//! Each field must be `IntoBytes` (bound). The gaps *between* fields are
//! checked by compile-time constants computed from `size_of`/`offset_of!`
//! (rustc's own layout, not ours): the impl carries a bound
//! `(): PaddingFree<After, OFFSET, BYTES>` that only holds for `BYTES == 0`,
//! whose `#[diagnostic::on_unimplemented]` message names the type, the
//! field after which the gap sits, its offset and its size.
//!
//! Such constants cannot mention generic parameters on stable Rust, so for
//! generic types only the cases that need no arithmetic are accepted:
//! `repr(transparent)`, `repr(packed)`, `repr(C)` with at most one field,
//! `repr(C)` whose fields are all `Unaligned` (no gap can arise between
//! alignment-1 fields), and `repr(C)` whose fields are all `T`, `[T; N]` or a
//! trailing `[T]` for one parameter `T` (every offset is then a multiple of
//! `T`'s alignment). We deliberately do **not** accept other generic structs
//! with a check that runs only after monomorphization: unsafe code may rely
//! on `T: IntoBytes` without ever evaluating such a check, so the impl itself
//! must only exist when there is no padding.
//!
//! Unions are rejected: under Rust's current operational semantics a union
//! value may hold uninitialized bytes even where every field has none, so no
//! field-based analysis can prove that all its bytes are initialized.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{spanned::Spanned, Error, Type};

use crate::ctx::{fields_of, Ctx, Field};
use crate::known_layout::is_syntactic_dst;
use crate::repr::ItemKind;
use crate::try_from_bytes::require_enum_layout;

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    match ctx.kind {
        ItemKind::Struct => derive_struct(ctx),
        ItemKind::Enum => derive_enum(ctx),
        ItemKind::Union => Err(ctx.error_at_name(format!(
            "cannot derive `IntoBytes` for union `{}`: a union may hold uninitialized bytes even where its fields have none, so zerocast cannot prove its bytes are initialized",
            ctx.name()
        ))),
    }
}

/// The diagnostic trait and its only impl (`BYTES == 0`).
fn padding_trait(ctx: &Ctx) -> TokenStream {
    let msg = format!(
        "`{}` cannot implement `IntoBytes`: it has {{BYTES}} byte(s) of padding at offset {{OFFSET}} ({{After}})",
        ctx.name()
    );
    quote! {
        #[diagnostic::on_unimplemented(
            message = #msg,
            label = "padding bytes are uninitialized, so they cannot be read as bytes",
            note = "add explicit fields where the padding is, or use `repr(packed)`"
        )]
        pub trait __ZcPaddingFree<After, const OFFSET: ::core::primitive::usize, const BYTES: ::core::primitive::usize> {}
        impl<After, const OFFSET: ::core::primitive::usize> __ZcPaddingFree<After, OFFSET, 0> for () {}
    }
}

/// A marker type whose name says where a gap is, plus the bound checking it.
fn gap_check(
    marker: &str,
    span: Span,
    offset: TokenStream,
    bytes: TokenStream,
) -> (TokenStream, TokenStream) {
    let marker = format_ident!("{}", marker);
    let def = quote!(pub struct #marker;);
    let bound = quote_spanned!(span=> (): __ZcPaddingFree<#marker, { #offset }, { #bytes }>);
    (def, bound)
}

/// Gap checks for the sized `repr(C)` struct `container` with `fields`:
/// between consecutive fields and after the last one.
fn repr_c_gaps(
    container: &TokenStream,
    fields: &[Field],
    first_offset: usize,
) -> Vec<(TokenStream, TokenStream)> {
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let ty = f.ty;
        let m = &f.member;
        let end = quote!(::core::mem::offset_of!(#container, #m) + ::core::mem::size_of::<#ty>());
        let next_start = match fields.get(i + 1) {
            Some(next) => {
                let nm = &next.member;
                quote!(::core::mem::offset_of!(#container, #nm))
            }
            None => quote!(::core::mem::size_of::<#container>()),
        };
        let label = match fields.get(i + 1) {
            Some(next) => format!("after_field_{}_before_{}", f.display, next.display),
            None => format!("after_last_field_{}", f.display),
        };
        let span = fields
            .get(i + 1)
            .map(|n| n.ty.span())
            .unwrap_or_else(|| ty.span());
        out.push(gap_check(
            &label,
            span,
            end.clone(),
            quote!(#next_start - (#end)),
        ));
    }
    if fields.is_empty() {
        return out;
    }
    // A leading gap can only come from the enum models' tag; checked by the
    // caller through `first_offset`.
    let _ = first_offset;
    out
}

fn derive_struct(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let krate = &ctx.krate;
    let fields = ctx.fields();
    let repr = &ctx.repr;
    let field_bounds = ctx.every_field_is("IntoBytes");
    let no_check_needed = repr.is_transparent()
        || repr.is_packed_1()
        || (repr.is_c() && repr.align_gt_1().is_none() && fields.len() <= 1);
    if no_check_needed {
        // SAFETY (of the emitted impl): `transparent` has exactly the layout
        // of its one non-zero-sized field; `packed(1)` places every field
        // right after the previous one and has alignment 1, so no padding;
        // a `repr(C)` struct with at most one field and no `align` has none.
        // Field bytes are initialized by the `IntoBytes` bounds.
        return Ok(ctx.unsafe_impl("IntoBytes", &field_bounds, TokenStream::new()));
    }
    if ctx.is_generic() {
        return generic_struct(ctx, &fields, field_bounds);
    }
    let me = quote!(#name);
    let last_is_slice = fields.last().is_some_and(|f| is_syntactic_dst(f.ty));
    let mut checks = Vec::new();
    if repr.is_c() && last_is_slice {
        checks.extend(repr_c_dst_gaps(ctx, &fields));
    } else if repr.is_c() {
        checks.extend(repr_c_gaps(&me, &fields, 0));
    } else {
        // repr(Rust) may reorder fields, so no offset is meaningful:
        // compare the total with its own message.
        let tys = fields.iter().map(|f| f.ty);
        let sum = quote!(0 #(+ ::core::mem::size_of::<#tys>())*);
        let msg = format!(
            "`{name}` cannot implement `IntoBytes`: its fields add up to {{BYTES}} byte(s) less than its size, so it has padding"
        );
        let bound = quote_spanned!(name.span()=> (): __ZcTotalPaddingFree<{ ::core::mem::size_of::<#me>() - (#sum) }>);
        let mut bounds = field_bounds;
        bounds.push(bound);
        let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
        return Ok(quote! {
            #[diagnostic::on_unimplemented(
                message = #msg,
                label = "the default representation may reorder fields and pad between them",
                note = "use `repr(C)` to control (and see) where the padding is, or `repr(packed)`"
            )]
            pub trait __ZcTotalPaddingFree<const BYTES: ::core::primitive::usize> {}
            impl __ZcTotalPaddingFree<0> for () {}
            #imp
        });
    }
    let _ = krate;
    Ok(with_checks(ctx, field_bounds, checks))
}

/// Gap checks for a non-generic `repr(C)` struct ending in `[E]`: sized
/// leading fields as usual; then `Self::LAYOUT`-style sizes for 0 and 1
/// elements compared with the unpadded sum. Because `[E]` has no padding
/// and `E`'s size is a multiple of its alignment, a struct size function
/// that matches the sum at 0 and 1 elements matches it at every count.
fn repr_c_dst_gaps(ctx: &Ctx, fields: &[Field]) -> Vec<(TokenStream, TokenStream)> {
    let krate = &ctx.krate;
    let name = ctx.name();
    let (last, leading) = fields.split_last().expect("caller checked a last field");
    let mut out = Vec::new();
    let leading_tys: Vec<&Type> = leading.iter().map(|f| f.ty).collect();
    let elem = element_type(last.ty);
    let packed = ctx.repr.packed.map(|p| p.value as usize);
    let packed = match packed {
        Some(p) => quote!(::core::num::NonZeroUsize::new(#p)),
        None => quote!(::core::option::Option::None),
    };
    let align = match ctx.repr.align.map(|a| a.value as usize) {
        Some(a) => quote!(::core::num::NonZeroUsize::new(#a)),
        None => quote!(::core::option::Option::None),
    };
    let layout = quote! {
        #krate::DstLayout::new_zst(#align)
            #(.extend(#krate::DstLayout::for_type::<#leading_tys>(), #packed))*
            .extend(#krate::DstLayout::for_slice::<#elem>(), #packed)
            .pad_to_align()
    };
    let sum = quote!(0 #(+ ::core::mem::size_of::<#leading_tys>())*);
    // Built once, used by both checks.
    out.push((
        quote!(const __ZC_DST_LAYOUT: #krate::DstLayout = #layout;),
        TokenStream::new(),
    ));
    let size_at = |n: usize| quote!(match __ZC_DST_LAYOUT.size_for_elems(#n) { ::core::option::Option::Some(__zc_s) => __zc_s, ::core::option::Option::None => 0 });
    let s0 = size_at(0);
    let s1 = size_at(1);
    out.push(gap_check(
        "between_fields_or_at_the_end_with_0_trailing_elements",
        name.span(),
        quote!(#sum),
        quote!((#s0) - (#sum)),
    ));
    out.push(gap_check(
        "at_the_end_with_1_trailing_element",
        last.ty.span(),
        quote!(#sum + ::core::mem::size_of::<#elem>()),
        quote!((#s1) - (#sum + ::core::mem::size_of::<#elem>())),
    ));
    out
}

fn with_checks(
    ctx: &Ctx,
    mut bounds: Vec<TokenStream>,
    checks: Vec<(TokenStream, TokenStream)>,
) -> TokenStream {
    let trait_def = padding_trait(ctx);
    let defs = checks.iter().map(|(d, _)| d);
    bounds.extend(
        checks
            .iter()
            .map(|(_, b)| b.clone())
            .filter(|b| !b.is_empty()),
    );
    // SAFETY (of the emitted impl): the `PaddingFree` bounds hold only if
    // every gap computed from rustc's `offset_of!`/`size_of` is zero, and
    // the field bounds make every field's bytes initialized.
    let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
    quote!(#trait_def #(#defs)* #imp)
}

fn generic_struct(
    ctx: &Ctx,
    fields: &[Field],
    field_bounds: Vec<TokenStream>,
) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let krate = &ctx.krate;
    let repr = &ctx.repr;
    if repr.is_c() && repr.align_gt_1().is_none() {
        if let Some(param) = homogeneous_param(ctx, fields) {
            // SAFETY (of the emitted impl): every field is `T`, `[T; N]` or a
            // trailing `[T]` (checked by the `Is<T>` bounds below, so that
            // hygiene cannot make two `T`s different types); their sizes are
            // multiples of `T`'s alignment, which is the struct's (capped
            // alike by `packed`), so every offset is already aligned.
            let mut bounds = field_bounds;
            for f in fields {
                let elem = element_type(f.ty);
                bounds.push(quote!(#elem: __ZcIs<#param>));
            }
            let is = quote! {
                pub trait __ZcIs<T: ?::core::marker::Sized> {}
                impl<T: ?::core::marker::Sized> __ZcIs<T> for T {}
            };
            let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
            return Ok(quote!(#is #imp));
        }
        // SAFETY (of the emitted impl): all fields have alignment 1, so
        // `repr(C)` places each right after the previous one and the struct
        // has alignment 1 (no `align`): no padding anywhere.
        let mut bounds = field_bounds;
        bounds.extend(ctx.every_field_is("Unaligned"));
        return Ok(ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new()));
    }
    let _ = krate;
    Err(Error::new(
        repr.blame_span(name.span()),
        format!(
            "cannot derive `IntoBytes` for generic `{name}` with {}: padding can only be ruled out for generic structs that are `repr(C)` (without `align`), `repr(transparent)` or `repr(packed)`",
            repr.describe()
        ),
    ))
}

fn element_type(ty: &Type) -> &Type {
    match ty {
        Type::Array(a) => &a.elem,
        Type::Slice(s) => &s.elem,
        Type::Group(g) => element_type(&g.elem),
        Type::Paren(p) => element_type(&p.elem),
        other => other,
    }
}

/// The type parameter `T` if every field is syntactically `T`, `[T; N]` or
/// (last) `[T]`.
fn homogeneous_param(ctx: &Ctx, fields: &[Field]) -> Option<syn::Ident> {
    ctx.ast
        .generics
        .type_params()
        .map(|p| p.ident.clone())
        .find(|param| {
            fields.iter().enumerate().all(|(i, f)| {
                let slice_ok = !matches!(f.ty, Type::Slice(_)) || i + 1 == fields.len();
                let elem = element_type(f.ty);
                slice_ok
                    && matches!(elem, Type::Path(p) if p.qself.is_none() && p.path.is_ident(param))
            })
        })
}

fn derive_enum(ctx: &Ctx) -> Result<TokenStream, Error> {
    require_enum_layout(ctx, "IntoBytes")?;
    let name = ctx.name();
    if ctx.is_generic() {
        return Err(ctx.error_at_name(format!(
            "cannot derive `IntoBytes` for generic enum `{name}`: its padding depends on the parameters and cannot be checked before they are known"
        )));
    }
    let field_bounds = ctx.every_field_is("IntoBytes");
    let variants = ctx.variants();
    let tag_name = syn::Ident::new("__ZcTag", Span::call_site());
    let tag_ty: Type = syn::parse_quote!(__ZcTag);
    let mut items = vec![crate::enums::tag_enum(ctx, &tag_name)];
    let mut checks = Vec::new();
    let enum_size = quote!(::core::mem::size_of::<#name>());
    // The tag itself must fill its bytes up to the first field.
    for (i, v) in variants.iter().enumerate() {
        let fields = fields_of(&v.fields);
        let model = format_ident!("__ZcVariant{}", i);
        let tys: Vec<&Type> = fields.iter().map(|f| f.ty).collect();
        // A variant as rustc lays it out: `repr(C)` struct of the tag
        // followed by the fields, except that for `repr(C, ..)` the fields
        // start after the payload union's alignment. Modelling the union
        // exactly needs every variant's fields, so `repr(C)` enums are
        // checked by the stricter rule "tag, then each variant's fields
        // packed with no gap", which the model below expresses with a
        // `repr(C)` struct whose payload is aligned like the whole union.
        items.push(if ctx.repr.is_c() {
            let all = variants
                .iter()
                .enumerate()
                .map(|(j, _)| format_ident!("__ZcBodyOnly{}", j));
            let _ = all;
            quote! {
                #[repr(C)]
                    struct #model(#tag_name, __ZcPayload);
            }
        } else {
            quote! {
                #[repr(C)]
                    struct #model(#tag_name, #(#tys,)*);
            }
        });
        let model_ts = model.to_token_stream();
        if ctx.repr.is_c() {
            let body = format_ident!("__ZcBodyOnly{}", i);
            items.push(quote! {
                #[repr(C)]
                    struct #body(#(#tys,)*);
            });
            // Gap between the tag and the payload.
            checks.push(gap_check(
                &format!("after_the_tag_of_variant_{}", v.ident),
                v.ident.span(),
                quote!(::core::mem::size_of::<#tag_name>()),
                quote!(::core::mem::offset_of!(#model_ts, 1) - ::core::mem::size_of::<#tag_name>()),
            ));
            let body_ts = body.to_token_stream();
            let mut gaps = repr_c_gaps(&body_ts, &fields, 0);
            // The body's own trailing padding is replaced by the check that the
            // body fills the whole payload: size(body) + offset == size(enum).
            gaps.pop();
            checks.extend(gaps);
            let last_label = format!("at_the_end_of_variant_{}", v.ident);
            checks.push(gap_check(
                &last_label,
                v.ident.span(),
                quote!(::core::mem::offset_of!(#model_ts, 1) + ::core::mem::size_of::<#body_ts>()),
                quote!(#enum_size - (::core::mem::offset_of!(#model_ts, 1) + (#(::core::mem::size_of::<#tys>() +)* 0))),
            ));
        } else {
            let shifted: Vec<Field> = fields
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    let idx = syn::Index::from(j + 1);
                    Field {
                        member: quote!(#idx),
                        display: format!("{}_of_variant_{}", f.display, v.ident),
                        ty: f.ty,
                    }
                })
                .collect();
            let tag_field = Field {
                member: quote!(0),
                display: format!("tag_of_variant_{}", v.ident),
                ty: &tag_ty,
            };
            let mut all = vec![tag_field];
            all.extend(shifted);
            let mut gaps = repr_c_gaps(&model_ts, &all, 0);
            // The last gap is measured against the model's own size; the
            // enum may be bigger (another variant is larger): measure
            // against the enum instead.
            gaps.pop();
            checks.extend(gaps);
            let last = all.last().expect("tag field present");
            let lm = &last.member;
            let lt = last.ty;
            checks.push(gap_check(
                &format!("at_the_end_of_variant_{}", v.ident),
                v.ident.span(),
                quote!(::core::mem::offset_of!(#model_ts, #lm) + ::core::mem::size_of::<#lt>()),
                quote!(#enum_size - (::core::mem::offset_of!(#model_ts, #lm) + ::core::mem::size_of::<#lt>())),
            ));
        }
    }
    if ctx.repr.is_c() {
        let fields = (0..variants.len()).map(|i| {
            let f = format_ident!("v{}", i);
            let b = format_ident!("__ZcBodyOnly{}", i);
            quote!(#f: ::core::mem::ManuallyDrop<#b>,)
        });
        items.push(quote! {
            #[repr(C)]
            union __ZcPayload { #(#fields)* }
        });
    }
    let imp = with_checks(ctx, field_bounds, checks);
    Ok(quote!(#(#items)* #imp))
}
