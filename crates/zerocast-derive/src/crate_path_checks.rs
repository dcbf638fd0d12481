//! Checks that a trait an expansion names through the crate path, other than
//! the one it implements, is zerocast's.
//!
//! An expansion implements `<path>::Trait`; if the path names a module of
//! the user's own (`#[zerocast(crate = "..")]`, or `extern crate self as
//! zerocast`), that trait is either zerocast's, and the impl matters, or
//! another one, and the impl is harmless. Every *other* trait the expansion
//! relies on (`Unaligned` for the fields of a generic `IntoBytes` type,
//! `FromBytes` for the trivial `TryFromBytes`, `KnownLayout` for a last
//! field's layout) could be replaced by a safe trait with a blanket impl,
//! which would make the analysis vouch for padding or invalid bytes
//! (zerocast's AUDIT.md, F2). The items below make such an expansion fail to
//! build, naming only `::core` and items local to the expansion:
//!
//! * a **witness**: an `unsafe impl <path>::Trait` for a local zero-sized
//!   type, with exactly the items of zerocast's trait. It compiles only if the
//!   path names an `unsafe` trait (a safe one gives E0199, and
//!   `#![forbid(unsafe_code)]` code cannot declare an unsafe one) with those
//!   items, which narrows it to zerocast's (or zerocopy's) marker traits. The
//!   impl is true of the local type, so it is sound for the real trait;
//! * a **probe**: a type that every other such trait holds for but the real
//!   one does not (`u16` is `Immutable` and `IntoBytes` but not `Unaligned`)
//!   must not implement the named trait, checked at the definition with the
//!   inherent-constant fallback the padding backstop uses
//!   (`into_bytes::backstop`); or, shorter where the real trait has one, an
//!   item only it has (`FromBytes::read_from_bytes`, see
//!   `from_bytes::trivial_try_from_bytes`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ctx::Ctx;

/// A local type with an `unsafe impl` of `<path>::#trait_name` whose only
/// item is the hidden `only_derive_is_allowed_to_implement_this_trait`
/// (zerocast's `Immutable`, `Unaligned` and `IntoBytes` have exactly that),
/// and the assertion that `not_impl` does not implement the trait.
pub(crate) fn marker_trait_is_zerocasts(
    ctx: &Ctx,
    trait_name: &str,
    not_impl: TokenStream,
) -> TokenStream {
    let krate = &ctx.krate;
    let tr = format_ident!("{}", trait_name);
    let witness = format_ident!("__ZcWitness{}", trait_name);
    let probe = not_implemented_for(ctx, trait_name, not_impl);
    // SAFETY (of the emitted impl): the witness is a field-less `repr(C)`
    // struct: no bytes, alignment 1, no `UnsafeCell`, so it meets the
    // contract of each marker trait this could name.
    quote! {
        #[repr(C)]
        struct #witness;
        unsafe impl #krate::#tr for #witness {
            fn only_derive_is_allowed_to_implement_this_trait() {}
        }
        #probe
    }
}

/// The assertion that `ty` does not implement `<path>::#trait_name`.
fn not_implemented_for(ctx: &Ctx, trait_name: &str, ty: TokenStream) -> TokenStream {
    let krate = &ctx.krate;
    let tr = format_ident!("{}", trait_name);
    let probe = format_ident!("__ZcImpostorProbe{}", trait_name);
    let fallback = format_ident!("__ZcImpostorFallback{}", trait_name);
    let shown = ty.to_string().replace(' ', "");
    let msg = format!(
        "zerocast: the crate path's `{trait_name}` is not zerocast's (`{shown}` implements it): does `#[zerocast(crate = ..)]` or an `extern crate .. as zerocast` name another module?"
    );
    quote! {
        struct #probe<__ZcT: ?::core::marker::Sized>(::core::marker::PhantomData<__ZcT>);
        impl<__ZcT: ?::core::marker::Sized + #krate::#tr> #probe<__ZcT> {
            const HOLDS: ::core::primitive::bool = true;
        }
        trait #fallback {
            const HOLDS: ::core::primitive::bool = false;
        }
        impl<__ZcT: ?::core::marker::Sized> #fallback for #probe<__ZcT> {}
        const _: () = ::core::assert!(!#probe::<#ty>::HOLDS, #msg);
    }
}

/// A local type with an `unsafe impl <path>::KnownLayout` that has exactly
/// the items of zerocast's trait, so that `<path>::KnownLayout` and
/// `<path>::DstLayout` are zerocast's (the type of the trait's `LAYOUT`).
pub(crate) fn known_layout_is_zerocasts(ctx: &Ctx) -> TokenStream {
    let krate = &ctx.krate;
    // SAFETY (of the emitted impl): the witness is sized, so `for_type` is
    // its layout, its metadata is `()`, and a cast keeps a pointer's address
    // and provenance.
    quote! {
        struct __ZcWitnessKnownLayout;
        unsafe impl #krate::KnownLayout for __ZcWitnessKnownLayout {
            fn only_derive_is_allowed_to_implement_this_trait() {}
            type PointerMetadata = ();
            const LAYOUT: #krate::DstLayout = #krate::DstLayout::for_type::<Self>();
            fn raw_from_ptr_len(
                __zc_ptr: ::core::ptr::NonNull<::core::primitive::u8>,
                _: (),
            ) -> ::core::ptr::NonNull<Self> {
                __zc_ptr.cast::<Self>()
            }
            fn pointer_to_metadata(_: *mut Self) {}
        }
    }
}
