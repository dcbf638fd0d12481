//! `SplitAt`: a slice DST that can be split into two at an element index.
//! Only `repr(C)`/`repr(transparent)` structs qualify (their metadata is the
//! last field's), and their last field must itself be `SplitAt`.
//!
//! A `packed` struct (any `packed(N)`, as zerocopy does) may place its
//! trailing slice at an address not aligned for the last field's elements,
//! so its `Elem` is those elements wrapped in `Unalign` (alignment 1, same
//! size, bit validity and `UnsafeCell` positions).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Error;

use crate::ctx::Ctx;
use crate::repr::ItemKind;

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    let krate = &ctx.krate;
    if ctx.kind != ItemKind::Struct {
        return Err(ctx.error_at_name(format!(
            "cannot derive `SplitAt` for {} `{name}`: only structs ending in a slice can be split",
            ctx.kind.name()
        )));
    }
    if !(ctx.repr.is_c() || ctx.repr.is_transparent()) {
        return Err(Error::new(
            ctx.repr.blame_span(name.span()),
            format!(
                "cannot derive `SplitAt` for `{name}`: it needs `repr(C)` or `repr(transparent)` so that its trailing slice is laid out like its last field (it has {})",
                ctx.repr.describe()
            ),
        ));
    }
    let fields = ctx.fields();
    let Some(last) = fields.last() else {
        return Err(ctx.error_at_name(format!(
            "cannot derive `SplitAt` for `{name}`: it has no fields, so no trailing slice"
        )));
    };
    let tail = last.ty;
    // SAFETY (of the emitted impl): a `repr(C)`/`repr(transparent)` struct's
    // pointer metadata is its last field's, which is `SplitAt` with element
    // type `Elem` (bound), and `KnownLayout` (supertrait) is required of
    // `Self` by the trait itself. Packing does not change a field's inner
    // layout (Reference, "The `alignment` modifiers": `packed` "will not
    // alter the padding inside of any field"), so the elements keep their
    // size and offsets; `Unalign<E>` is a `repr(C, packed)` wrapper of one
    // `E`, so it has `E`'s size and validity and alignment 1, which any
    // address satisfies. `UnalignedElem` is `Unalign<Elem>` (the core's impl
    // for `[Elem]`).
    // The packed case names `Unalign` only through the trait being
    // implemented (`<Tail as SplitAt>::UnalignedElem`, set to `Unalign<_>` by
    // the core's `unsafe impl`s and forwarded by this derive): if the crate
    // path names zerocast, that is zerocast's `Unalign`, whatever else the
    // path's module defines; a `<path>::Unalign` could be a type of the
    // module's own with weaker validity (audit F6).
    let elem = if ctx.repr.packed.is_some() {
        quote!(<#tail as #krate::SplitAt>::UnalignedElem)
    } else {
        quote!(<#tail as #krate::SplitAt>::Elem)
    };
    // `Unalign<Self::Elem>`, from the core's impl for `[Elem]` (no `Unalign`
    // named here either), as the trait requires.
    let unaligned_elem = quote!(<[#elem] as #krate::SplitAt>::UnalignedElem);
    let body = quote!(type Elem = #elem; type UnalignedElem = #unaligned_elem;);
    Ok(ctx.unsafe_impl("SplitAt", &[quote!(#tail: #krate::SplitAt)], body))
}
