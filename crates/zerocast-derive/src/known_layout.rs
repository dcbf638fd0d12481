//! `KnownLayout`: tells zerocast a type's alignment and how its size depends
//! on its pointer metadata.
//!
//! A `repr(C)` struct is described field by field with zerocast's `const fn`
//! `DstLayout` builders, so it may end in a slice or in another `KnownLayout`
//! DST and then has `PointerMetadata = usize`. Every other type is required
//! to be `Sized` and is described by `size_of`/`align_of` directly: the
//! layout of a `repr(Rust)` DST is not specified, so only `repr(C)` DSTs are
//! accepted.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Error, Type};

use crate::ctx::Ctx;
use crate::repr::ItemKind;

/// Whether the tokens of `ty` are a slice or `str`, i.e. certainly unsized.
pub(crate) fn is_syntactic_dst(ty: &Type) -> bool {
    match ty {
        Type::Slice(_) => true,
        Type::Group(g) => is_syntactic_dst(&g.elem),
        Type::Paren(p) => is_syntactic_dst(&p.elem),
        Type::Path(p) => p.qself.is_none() && p.path.is_ident("str"),
        _ => false,
    }
}

/// What the tokens of a struct's last field say about its size.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sizedness {
    /// An array, tuple, pointer, reference or primitive: certainly sized.
    Sized,
    /// A slice or `str`: certainly unsized.
    Unsized,
    /// A named type such as `Inner` or `T`, which may be either.
    Unknown,
}

const PRIMITIVES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char",
];

/// Classifies a last field's type. A wrong `Sized` verdict (a user type
/// named like a primitive) can only make the expansion fail to compile,
/// because the code emitted for sized fields uses `size_of`.
pub(crate) fn tail_sizedness(ty: &Type) -> Sizedness {
    match ty {
        Type::Group(g) => tail_sizedness(&g.elem),
        Type::Paren(p) => tail_sizedness(&p.elem),
        _ if is_syntactic_dst(ty) => Sizedness::Unsized,
        Type::Array(_)
        | Type::Tuple(_)
        | Type::Ptr(_)
        | Type::Reference(_)
        | Type::BareFn(_)
        | Type::Never(_) => Sizedness::Sized,
        Type::Path(p)
            if p.qself.is_none()
                && p.path.segments.last().is_some_and(|s| {
                    s.arguments.is_none() && PRIMITIVES.iter().any(|n| s.ident == n)
                })
                && (p.path.segments.len() == 1
                    || p.path
                        .segments
                        .iter()
                        .rev()
                        .nth(1)
                        .is_some_and(|s| s.ident == "primitive")) =>
        {
            Sizedness::Sized
        }
        _ => Sizedness::Unknown,
    }
}

pub(crate) fn opt_nonzero(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => {
            let v = v as usize;
            quote!(::core::num::NonZeroUsize::new(#v))
        }
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let krate = &ctx.krate;
    let fields = ctx.fields();
    let name = ctx.name();
    let repr_c_struct = ctx.kind == ItemKind::Struct && ctx.repr.is_c() && !fields.is_empty();
    if !repr_c_struct {
        if let Some(last) = fields.last().filter(|f| is_syntactic_dst(f.ty)) {
            return Err(Error::new(
                syn::spanned::Spanned::span(last.ty),
                format!(
                    "cannot derive `KnownLayout` for `{name}`: a dynamically sized type needs `repr(C)` for its layout to be known (it has {})",
                    ctx.repr.describe()
                ),
            ));
        }
        // SAFETY (of the emitted impl): `Self: Sized` is required, so
        // `for_type::<Self>` is its layout by `DstLayout::for_type`'s
        // documentation, the metadata is `()`, and a sized pointer is made
        // from an address by a cast, which keeps address and provenance.
        let body = quote! {
            type PointerMetadata = ();
            const LAYOUT: #krate::DstLayout = #krate::DstLayout::for_type::<Self>();
            #[inline(always)]
            fn raw_from_ptr_len(__zc_ptr: ::core::ptr::NonNull<::core::primitive::u8>, _: ()) -> ::core::ptr::NonNull<Self> {
                __zc_ptr.cast::<Self>()
            }
            #[inline(always)]
            fn pointer_to_metadata(_: *mut Self) {}
        };
        let scope = ctx.scope();
        let imp = ctx.unsafe_impl("KnownLayout", &[quote!(Self: ::core::marker::Sized)], body);
        return Ok(quote!(#scope #imp));
    }

    let (last, leading) = fields
        .split_last()
        .ok_or_else(|| ctx.error_at_name("unreachable: no fields"))?;
    let tail = last.ty;
    let packed = opt_nonzero(ctx.repr.packed.map(|p| p.value));
    let align = opt_nonzero(ctx.repr.align.map(|a| a.value));
    let leading_tys = leading.iter().map(|f| f.ty);
    // SAFETY (of the emitted impl):
    // - `LAYOUT` extends an empty struct with `repr(align)` by each field in
    //   declaration order with the struct's `repr(packed)`, then pads to the
    //   alignment: the construction `DstLayout`'s documentation gives for a
    //   `repr(C)` struct; the last field contributes its own `LAYOUT`.
    // - The metadata of a struct is that of its last field (Reference,
    //   "Dynamically Sized Types"), so the tail's metadata type and pointer
    //   functions serve for `Self`; a `*mut Tail as *mut Self` cast keeps
    //   address, provenance and metadata (Reference, "Pointer-to-pointer
    //   cast": metadata is preserved between unsized types with the same
    //   tail).
    let body = quote! {
        type PointerMetadata = <#tail as #krate::KnownLayout>::PointerMetadata;
        const LAYOUT: #krate::DstLayout = #krate::DstLayout::new_zst(#align)
            #(.extend(#krate::DstLayout::for_type::<#leading_tys>(), #packed))*
            .extend(<#tail as #krate::KnownLayout>::LAYOUT, #packed)
            .pad_to_align();
        #[inline(always)]
        fn raw_from_ptr_len(
            __zc_ptr: ::core::ptr::NonNull<::core::primitive::u8>,
            __zc_meta: <Self as #krate::KnownLayout>::PointerMetadata,
        ) -> ::core::ptr::NonNull<Self> {
            // SAFETY: the cast pointer has the address of a `NonNull`.
            unsafe { ::core::ptr::NonNull::new_unchecked(<#tail as #krate::KnownLayout>::raw_from_ptr_len(__zc_ptr, __zc_meta).as_ptr() as *mut Self) }
        }
        #[inline(always)]
        fn pointer_to_metadata(__zc_ptr: *mut Self) -> <Self as #krate::KnownLayout>::PointerMetadata {
            <#tail as #krate::KnownLayout>::pointer_to_metadata(__zc_ptr as *mut #tail)
        }
    };
    // Zero-sized trailing elements are accepted, as zerocopy accepts them:
    // such a type has a layout for every element count, but no byte length
    // determines the count, so zerocast rejects (at compile time, in the
    // core crate) exactly the conversions that would infer one and accepts
    // the `_with_elems` forms.
    let bounds = vec![quote!(#tail: #krate::KnownLayout)];
    let scope = ctx.scope();
    let imp = ctx.unsafe_impl("KnownLayout", &bounds, body);
    Ok(quote!(#scope #imp))
}
