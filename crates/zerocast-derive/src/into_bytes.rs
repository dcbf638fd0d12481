//! `IntoBytes`: every byte of every value is initialized, i.e. the type has
//! no padding, statically or (for slice DSTs) at any element count.
//!
//! # How padding is proven absent
//!
//! Each field must be `IntoBytes` (bound). The gaps *between* fields are
//! checked by compile-time constants computed from `size_of`/`offset_of!`
//! (rustc's own layout, not ours): the impl carries a bound
//! `(): zerocast::__derive::PaddingFree<Type, After, OFFSET, BYTES>` that
//! only holds for `BYTES == 0`, whose `#[diagnostic::on_unimplemented]`
//! message names the type, the gap's marker type `After` (named after the
//! fields around the gap and the type), its offset and its size. Dynamically
//! sized structs are measured with zerocast's `DstLayout` builders at 0 and 1
//! trailing elements (`zerocast::__derive::dst_gaps`).
//!
//! Such constants cannot mention generic parameters on stable Rust, so for
//! generic types only the cases that need no arithmetic on them are accepted:
//! `repr(transparent)`, `repr(packed)`, `repr(C)` with at most one field,
//! `repr(C)` whose fields are all `Unaligned` (no gap can arise between
//! alignment-1 fields), `repr(C)` whose fields are all `T`, `[T; N]` or a
//! trailing `[T]` for one parameter `T` (every offset is then a multiple of
//! `T`'s alignment), and enums with a one-byte tag whose fields are all
//! `Unaligned` and whose variants provably have the same size (see
//! [`crate::into_bytes_generic`]). We deliberately do **not** accept other
//! generic types with a check that runs only after monomorphization: unsafe
//! code may rely on `T: IntoBytes` without ever evaluating such a check, so
//! the impl itself must only exist when there is no padding.
//!
//! Those bounds are named through the crate path, which user code can point
//! at a module of its own (`#[zerocast(crate = "..")]`). So non-generic
//! expansions also carry a backstop that names only `::core`, local items and
//! the trait being implemented: if the impl holds, the gaps, measured again
//! with `size_of` (through a sized twin for a slice DST), must be zero
//! ([`backstop`]; zerocast's AUDIT.md, F2). Generic expansions rely on no
//! arithmetic, only on `Unaligned` (shown to be zerocast's by
//! [`crate::crate_path_checks`]) and on a pairing bound local to the
//! expansion ([`local_is_trait`]).
//!
//! A `repr(C)` struct whose last field's sizedness the tokens do not show
//! (`inner: Inner`, which may be a slice DST) is checked like a slice DST,
//! with the last field's layout taken from `KnownLayout` when it has one and
//! from `size_of` otherwise (`zerocast::__derive::Field`); its backstop
//! measures the struct with `size_of` if it is sized and with a witnessed
//! `KnownLayout` otherwise ([`unknown_tail_backstop`]).
//!
//! Unions are rejected: under Rust's current operational semantics a union
//! value may hold uninitialized bytes even where every field has none, so no
//! field-based analysis can prove that all its bytes are initialized.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{spanned::Spanned, Error, Type};

use crate::ctx::{fields_of, located_at, Ctx, Field};
use crate::known_layout::{opt_nonzero, tail_sizedness, Sizedness};
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

/// One gap's items: the marker definition (or other helper items), the bound
/// that checks the gap, and the gap's size as an expression that names only
/// `::core` and items of the expansion (`None` where it needs zerocast's own
/// layout code), for the [`backstop`].
pub(crate) struct GapCheck {
    pub(crate) def: TokenStream,
    pub(crate) bound: TokenStream,
    pub(crate) core_bytes: Option<TokenStream>,
}

/// A marker type whose name says where a gap is, plus the bound checking it
/// (zerocast's `PaddingFree`, whose message names `me`, the gap and its size).
/// `bytes` must name only `::core` and items of the expansion.
pub(crate) fn gap_check(
    ctx: &Ctx,
    me: &TokenStream,
    marker: &str,
    span: Span,
    offset: TokenStream,
    bytes: TokenStream,
) -> GapCheck {
    let support = ctx.support();
    // The type's name makes the marker unique in the crate, so rustc prints
    // it without a path in the message.
    let name = crate::repr::unraw(&ctx.name().to_string());
    let marker = format_ident!("{}_in_{}", marker, name);
    let def = quote!(pub struct #marker;);
    let check = located_at(quote!(#support::PaddingFree), span);
    let bound = quote_spanned!(span=> (): #check<#me, #marker, { #offset }, { #bytes }>);
    GapCheck {
        def,
        bound,
        core_bytes: Some(bytes),
    }
}

/// A second, independent check of the gaps, for the case where the bounds
/// above hold although a gap is not zero. zerocast's `PaddingFree` never
/// allows that, but the bounds are named through the crate path, which user
/// code can point at a module of its own (`#[zerocast(crate = "..")]`, or
/// `extern crate self as zerocast`) that re-exports the real traits with
/// permissive checks (zerocast's AUDIT.md, F2). This one names only `::core`,
/// items of the expansion and the trait being implemented (which must be the
/// real one for the impl to matter): if `Self: IntoBytes` holds, the sum of the
/// gaps must be zero. Where a bound fails, the inherent `HOLDS` does not
/// exist, the fallback trait's `false` is used, and no second error appears.
fn backstop(ctx: &Ctx, gaps: &[TokenStream]) -> TokenStream {
    if gaps.is_empty() {
        return TokenStream::new();
    }
    let krate = &ctx.krate;
    let name = ctx.name();
    let msg = format!(
        "zerocast: `IntoBytes` for `{}` was derived although it has padding: the derive's checks did not come from zerocast (does `#[zerocast(crate = ..)]` or an `extern crate .. as zerocast` name another module?)",
        crate::repr::unraw(&name.to_string())
    );
    quote! {
        struct __ZcProbe<__ZcT: ?::core::marker::Sized>(::core::marker::PhantomData<__ZcT>);
        impl<__ZcT: ?::core::marker::Sized + #krate::IntoBytes> __ZcProbe<__ZcT> {
            const HOLDS: ::core::primitive::bool = true;
        }
        trait __ZcProbeFallback {
            const HOLDS: ::core::primitive::bool = false;
        }
        impl<__ZcT: ?::core::marker::Sized> __ZcProbeFallback for __ZcProbe<__ZcT> {}
        const _: () = ::core::assert!(!__ZcProbe::<#name>::HOLDS || 0 #(+ (#gaps))* == 0, #msg);
    }
}

/// Gap checks for the `repr(C)` struct `container` with `fields`: between
/// consecutive fields and, if `with_end`, after the last one (needs a sized
/// container). Messages name `me`.
fn repr_c_gaps(
    ctx: &Ctx,
    me: &TokenStream,
    container: &TokenStream,
    fields: &[Field],
    with_end: bool,
) -> Vec<GapCheck> {
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let ty = f.ty;
        let m = &f.member;
        let end = quote!(::core::mem::offset_of!(#container, #m) + ::core::mem::size_of::<#ty>());
        let (next_start, label, span) = match fields.get(i + 1) {
            Some(next) => {
                let nm = &next.member;
                (
                    quote!(::core::mem::offset_of!(#container, #nm)),
                    format!("after_field_{}_before_{}", f.display, next.display),
                    next.ty.span(),
                )
            }
            None if with_end => (
                quote!(::core::mem::size_of::<#container>()),
                format!("after_last_field_{}", f.display),
                ty.span(),
            ),
            None => break,
        };
        out.push(gap_check(
            ctx,
            me,
            &label,
            span,
            end.clone(),
            quote!(#next_start - (#end)),
        ));
    }
    out
}

fn derive_struct(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
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
    if !repr.is_c() {
        // repr(Rust) may reorder fields, so no offset is meaningful:
        // compare the total with its own message.
        let support = located_at(ctx.support(), name.span());
        let tys = fields.iter().map(|f| f.ty);
        let sum = quote!(0 #(+ ::core::mem::size_of::<#tys>())*);
        let bytes = quote!(::core::mem::size_of::<#me>() - (#sum));
        let bound = quote_spanned!(name.span()=> (): #support::TotalPaddingFree<#me, { #bytes }>);
        let check = GapCheck {
            def: TokenStream::new(),
            bound,
            core_bytes: Some(bytes),
        };
        return Ok(with_checks(ctx, field_bounds, vec![check]));
    }
    let tail = fields
        .last()
        .map_or(Sizedness::Sized, |f| tail_sizedness(f.ty));
    let checks = match tail {
        Sizedness::Sized => {
            // The backstop needs only the total, a shorter expression than
            // the sum of the gaps: fields without padding of their own fill
            // the struct exactly when their sizes add up to its size.
            let mut checks = repr_c_gaps(ctx, &me, &me, &fields, true);
            for check in &mut checks {
                check.core_bytes = None;
            }
            let tys = fields.iter().map(|f| f.ty);
            checks.push(GapCheck {
                def: TokenStream::new(),
                bound: TokenStream::new(),
                core_bytes: Some(
                    quote!(::core::mem::size_of::<#me>() - (0 #(+ ::core::mem::size_of::<#tys>())*)),
                ),
            });
            checks
        }
        Sizedness::Unsized => repr_c_dst_gaps(ctx, &fields, false),
        Sizedness::Unknown => {
            let (_, leading) = fields.split_last().expect("a tail field was classified");
            let mut checks = repr_c_gaps(ctx, &me, &me, leading, false);
            checks.extend(repr_c_dst_gaps(ctx, &fields, true));
            checks.push(unknown_tail_backstop(ctx, &fields));
            checks
        }
    };
    Ok(with_checks(ctx, field_bounds, checks))
}

/// Gap checks for a non-generic `repr(C)` struct whose last field is, or
/// may be, dynamically sized: its size at 0 and at 1 trailing elements
/// (from zerocast's `DstLayout` builders) against the end of the leading
/// fields plus the last field's size (`zerocast::__derive::dst_gaps`).
///
/// With `precise_lead`, the leading fields end where rustc's `offset_of!`
/// puts the last of them (their own gaps are checked separately); otherwise
/// at the sum of their sizes, so that one check covers every gap before the
/// last field. The last field is `IntoBytes`, so has no padding of its own:
/// if the struct's size matches at 0 and at 1 elements, its alignment
/// divides both the size with no elements and the element size, so it
/// matches at every count.
fn repr_c_dst_gaps(ctx: &Ctx, fields: &[Field], precise_lead: bool) -> Vec<GapCheck> {
    let krate = &ctx.krate;
    let support = ctx.support();
    let name = ctx.name();
    let me = quote!(#name);
    let (last, leading) = fields.split_last().expect("caller checked a last field");
    let leading_tys: Vec<&Type> = leading.iter().map(|f| f.ty).collect();
    let tail = last.ty;
    let tail_layout = if precise_lead {
        quote!(#support::Field::<#tail>::LAYOUT)
    } else {
        quote!(<#tail as #krate::KnownLayout>::LAYOUT)
    };
    let packed = opt_nonzero(ctx.repr.packed.map(|p| p.value));
    let align = opt_nonzero(ctx.repr.align.map(|a| a.value));
    let lead_end = match leading.last() {
        Some(prev) if precise_lead => {
            let (m, ty) = (&prev.member, prev.ty);
            quote!(::core::mem::offset_of!(#name, #m) + ::core::mem::size_of::<#ty>())
        }
        _ => quote!(0 #(+ ::core::mem::size_of::<#leading_tys>())*),
    };
    let first = match leading.last() {
        Some(prev) if precise_lead => format!(
            "after_field_{}_before_{}_or_at_the_end",
            prev.display, last.display
        ),
        _ => "between_fields_or_at_the_end_with_0_trailing_elements".to_string(),
    };
    let mut out = vec![GapCheck {
        def: quote! {
            const __ZC_GAPS: [[::core::primitive::usize; 2]; 2] = #support::dst_gaps(
                #krate::DstLayout::new_zst(#align)
                    #(.extend(#krate::DstLayout::for_type::<#leading_tys>(), #packed))*
                    .extend(#tail_layout, #packed),
                #tail_layout,
                #lead_end,
            );
        },
        bound: TokenStream::new(),
        core_bytes: None,
    }];
    // These gaps come from zerocast's `DstLayout`, reached through the crate
    // path; the backstop re-checks them below from sized twins where it can.
    let dst_gap = |label: &str, i: usize| GapCheck {
        core_bytes: None,
        ..gap_check(
            ctx,
            &me,
            label,
            tail.span(),
            quote!(__ZC_GAPS[#i][0]),
            quote!(__ZC_GAPS[#i][1]),
        )
    };
    out.push(dst_gap(&first, 0));
    out.push(dst_gap("at_the_end_with_1_trailing_element", 1));
    if let (false, Type::Slice(slice)) = (precise_lead, tail) {
        out.push(sized_twins_backstop(ctx, &leading_tys, &slice.elem));
    }
    if precise_lead {
        // `Field` falls back to a trait for last fields that are not
        // `KnownLayout`; the import puts it in scope.
        out.push(GapCheck {
            def: ctx.scope(),
            bound: TokenStream::new(),
            core_bytes: None,
        });
    }
    out
}

/// The backstop's measure of a slice DST's gaps (see [`backstop`]), from
/// `::core` alone: `repr(C)` lays a trailing `[E]` out as it would a `[E; N]`
/// of the same count (Reference, "Type layout"), so two sized twins of the
/// struct, with `[E; 0]` and `[E; 1]` as the last field and the same `packed`
/// and `align`, have its sizes at 0 and 1 elements. The struct has no padding
/// at any count exactly when those sizes are the leading fields' sizes plus 0
/// and plus one element (the argument of [`repr_c_dst_gaps`]).
fn sized_twins_backstop(ctx: &Ctx, leading: &[&Type], elem: &Type) -> GapCheck {
    let mut hints = vec![quote!(C)];
    if let Some(p) = ctx.repr.packed {
        let n = proc_macro2::Literal::u64_unsuffixed(p.value);
        hints.push(quote!(packed(#n)));
    }
    if let Some(a) = ctx.repr.align {
        let n = proc_macro2::Literal::u64_unsuffixed(a.value);
        hints.push(quote!(align(#n)));
    }
    let lead = quote!(0 #(+ ::core::mem::size_of::<#leading>())*);
    let size = |n: usize| quote!(::core::mem::size_of::<__ZcTwin<#n>>());
    let (zero, one) = (size(0), size(1));
    GapCheck {
        def: quote! {
            #[repr(#(#hints),*)]
            struct __ZcTwin<const __ZC_N: ::core::primitive::usize>(#(#leading,)* [#elem; __ZC_N]);
        },
        bound: TokenStream::new(),
        core_bytes: Some(quote!(
            (#zero - (#lead)) + (#one - (#lead) - ::core::mem::size_of::<#elem>())
        )),
    }
}

/// The backstop's measure of a `repr(C)` struct whose last field's
/// sizedness the tokens do not show (`inner: Inner`; see [`backstop`]): 1
/// if it may have padding, else 0. Its fields have no padding of their own
/// (`IntoBytes`), so the struct has none exactly when the fields fill it:
///
/// * if the struct is sized, when its size is the sum of the fields' sizes
///   (`::core` alone);
/// * otherwise, when its size at 0 and at 1 trailing elements is the leading
///   fields' sizes plus the last field's at that count (the argument of
///   [`repr_c_dst_gaps`]), with the last field's layout from `KnownLayout`,
///   which a local witness impl shows to be zerocast's trait (see
///   [`crate::crate_path_checks`]), and the struct's built from it with
///   zerocast's `DstLayout`, the type of that trait's `LAYOUT`.
///
/// Inherent constants that exist only where their bounds hold pick the
/// measure; where neither applies (an unsized last field that is not
/// `KnownLayout`), the struct counts as padded.
fn unknown_tail_backstop(ctx: &Ctx, fields: &[Field]) -> GapCheck {
    let krate = &ctx.krate;
    let name = ctx.name();
    let (last, leading) = fields.split_last().expect("caller checked a last field");
    let tail = last.ty;
    let leading: Vec<&Type> = leading.iter().map(|f| f.ty).collect();
    let lead = quote!((0 #(+ ::core::mem::size_of::<#leading>())*));
    let packed = opt_nonzero(ctx.repr.packed.map(|p| p.value));
    let align = opt_nonzero(ctx.repr.align.map(|a| a.value));
    let witness = crate::crate_path_checks::known_layout_is_zerocasts(ctx);
    let probe = quote!(__ZcTailProbe::<#name, #tail>);
    GapCheck {
        def: quote! {
            #witness
            struct __ZcTailProbe<__ZcS: ?::core::marker::Sized, __ZcL: ?::core::marker::Sized>(
                ::core::marker::PhantomData<__ZcS>,
                ::core::marker::PhantomData<__ZcL>,
            );
            impl<__ZcS, __ZcL> __ZcTailProbe<__ZcS, __ZcL> {
                const SIZED_FILLED: ::core::primitive::bool =
                    ::core::mem::size_of::<__ZcS>() == #lead + ::core::mem::size_of::<__ZcL>();
            }
            impl<__ZcS: ?::core::marker::Sized, __ZcL: ?::core::marker::Sized + #krate::KnownLayout> __ZcTailProbe<__ZcS, __ZcL> {
                const DST_FILLED: ::core::primitive::bool = {
                    let tail: #krate::DstLayout = <__ZcL as #krate::KnownLayout>::LAYOUT;
                    let whole = #krate::DstLayout::new_zst(#align)
                        #(.extend(#krate::DstLayout::for_type::<#leading>(), #packed))*
                        .extend(tail, #packed)
                        .pad_to_align();
                    match (whole.size_for_elems(0), tail.size_for_elems(0), whole.size_for_elems(1), tail.size_for_elems(1)) {
                        (::core::option::Option::Some(s0), ::core::option::Option::Some(t0), ::core::option::Option::Some(s1), ::core::option::Option::Some(t1)) => {
                            s0 == #lead + t0 && s1 == #lead + t1
                        }
                        _ => false,
                    }
                };
            }
            trait __ZcTailProbeFallback {
                const SIZED_FILLED: ::core::primitive::bool = false;
                const DST_FILLED: ::core::primitive::bool = false;
            }
            impl<__ZcS: ?::core::marker::Sized, __ZcL: ?::core::marker::Sized> __ZcTailProbeFallback for __ZcTailProbe<__ZcS, __ZcL> {}
        },
        bound: TokenStream::new(),
        core_bytes: Some(quote!(
            (!(#probe::SIZED_FILLED || #probe::DST_FILLED) as ::core::primitive::usize)
        )),
    }
}

fn with_checks(ctx: &Ctx, mut bounds: Vec<TokenStream>, checks: Vec<GapCheck>) -> TokenStream {
    let defs = checks.iter().map(|c| &c.def);
    bounds.extend(
        checks
            .iter()
            .map(|c| c.bound.clone())
            .filter(|b| !b.is_empty()),
    );
    let core_gaps: Vec<TokenStream> = checks.iter().filter_map(|c| c.core_bytes.clone()).collect();
    let backstop = backstop(ctx, &core_gaps);
    // SAFETY (of the emitted impl): the `PaddingFree` bounds hold only if
    // every gap computed from rustc's `offset_of!`/`size_of` (or, for
    // dynamically sized types, zerocast's `DstLayout`) is zero, and the field
    // bounds make every field's bytes initialized.
    let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
    quote!(#(#defs)* #imp #backstop)
}

fn generic_struct(
    ctx: &Ctx,
    fields: &[Field],
    field_bounds: Vec<TokenStream>,
) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let repr = &ctx.repr;
    if repr.is_c() && repr.align_gt_1().is_none() {
        if let Some(param) = homogeneous_param(ctx, fields) {
            // SAFETY (of the emitted impl): every field is `T`, `[T; N]` or a
            // trailing `[T]` (checked by the `__ZcIs<T>` bounds below, so that
            // hygiene cannot make two `T`s different types); their sizes are
            // multiples of `T`'s alignment, which is the struct's (capped
            // alike by `packed`), so every offset is already aligned.
            let mut bounds = field_bounds;
            for f in fields {
                let elem = element_type(f.ty);
                bounds.push(quote!(#elem: __ZcIs<#param>));
            }
            let is = local_is_trait();
            let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
            return Ok(quote!(#is #imp));
        }
        // SAFETY (of the emitted impl): all fields have alignment 1, so
        // `repr(C)` places each right after the previous one and the struct
        // has alignment 1 (no `align`): no padding anywhere.
        // `Unaligned` is reached through the crate path: it must be zerocast's.
        let mut bounds = field_bounds;
        bounds.extend(ctx.every_field_is("Unaligned"));
        let unaligned = crate::crate_path_checks::marker_trait_is_zerocasts(
            ctx,
            "Unaligned",
            quote!(::core::primitive::u16),
        );
        let imp = ctx.unsafe_impl("IntoBytes", &bounds, TokenStream::new());
        return Ok(quote!(#unaligned #imp));
    }
    Err(Error::new(
        repr.blame_span(name.span()),
        format!(
            "cannot derive `IntoBytes` for generic `{name}` with {}: padding can only be ruled out for generic structs that are `repr(C)` (without `align`), `repr(transparent)` or `repr(packed)`",
            repr.describe()
        ),
    ))
}

/// `__ZcIs<T>` holds for `T` alone: the bound by which rustc confirms that two
/// types a derive matched by their tokens are one type (macro hygiene can make
/// equal-looking names different types). It is local to the expansion, so no
/// module at the crate path, and no other crate, can add impls to it. (No
/// `#[diagnostic::on_unimplemented]`: the attribute does not resolve in a
/// `#![no_implicit_prelude]` crate, and only such hygiene ever trips it.)
pub(crate) fn local_is_trait() -> TokenStream {
    quote! {
        trait __ZcIs<__ZcT: ?::core::marker::Sized> {}
        impl<__ZcT: ?::core::marker::Sized> __ZcIs<__ZcT> for __ZcT {}
    }
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
    if ctx.is_generic() {
        return crate::into_bytes_generic::derive_enum(ctx);
    }
    let name = ctx.name();
    let me = quote!(#name);
    let field_bounds = ctx.every_field_is("IntoBytes");
    let variants = ctx.variants();
    let tag_name = syn::Ident::new("__ZcTag", Span::call_site());
    let tag_ty: Type = syn::parse_quote!(__ZcTag);
    let mut items = vec![crate::enums::tag_enum(ctx, &tag_name)];
    let mut checks = Vec::new();
    let enum_size = quote!(::core::mem::size_of::<#name>());
    for (i, v) in variants.iter().enumerate() {
        let fields = fields_of(&v.fields);
        let model = format_ident!("__ZcVariant{}", i);
        let tys: Vec<&Type> = fields.iter().map(|f| f.ty).collect();
        let model_ts = model.to_token_stream();
        if ctx.repr.is_c() {
            // A `repr(C, ..)` enum is a `repr(C)` struct of the tag and a
            // `repr(C)` union of `repr(C)` structs of each variant's fields
            // (Reference, "Primitive representation of enums with fields"):
            // modelled here with the same union, so the payload's offset
            // includes the union's alignment.
            let body = format_ident!("__ZcBodyOnly{}", i);
            items.push(quote! {
                #[repr(C)]
                struct #model(#tag_name, __ZcPayload);
                #[repr(C)]
                struct #body(#(#tys,)*);
            });
            // Gap between the tag and the payload.
            checks.push(gap_check(
                ctx,
                &me,
                &format!("after_the_tag_of_variant_{}", v.ident),
                v.ident.span(),
                quote!(::core::mem::size_of::<#tag_name>()),
                quote!(::core::mem::offset_of!(#model_ts, 1) - ::core::mem::size_of::<#tag_name>()),
            ));
            let body_ts = body.to_token_stream();
            // The body's own trailing padding is replaced by the check that the
            // body fills the whole payload: size(body) + offset == size(enum).
            checks.extend(repr_c_gaps(ctx, &me, &body_ts, &fields, false));
            checks.push(gap_check(
                ctx,
                &me,
                &format!("at_the_end_of_variant_{}", v.ident),
                v.ident.span(),
                quote!(::core::mem::offset_of!(#model_ts, 1) + ::core::mem::size_of::<#body_ts>()),
                quote!(#enum_size - (::core::mem::offset_of!(#model_ts, 1) + (#(::core::mem::size_of::<#tys>() +)* 0))),
            ));
        } else {
            // A `repr(Int)` enum is a union of `repr(C)` structs of the tag
            // followed by each variant's fields.
            items.push(quote! {
                #[repr(C)]
                struct #model(#tag_name, #(#tys,)*);
            });
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
            // The model's own end is not the enum's (another variant may be
            // larger): the last gap is measured against the enum instead.
            checks.extend(repr_c_gaps(ctx, &me, &model_ts, &all, false));
            let last = all.last().expect("tag field present");
            let lm = &last.member;
            let lt = last.ty;
            checks.push(gap_check(
                ctx,
                &me,
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
