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
use quote::{quote, quote_spanned};
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

fn opt_nonzero(value: Option<u64>) -> TokenStream {
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
            fn raw_from_ptr_len(__zc_bytes: ::core::ptr::NonNull<::core::primitive::u8>, _: ()) -> ::core::ptr::NonNull<Self> {
                __zc_bytes.cast::<Self>()
            }
            #[inline(always)]
            fn pointer_to_metadata(_: *mut Self) {}
        };
        return Ok(ctx.unsafe_impl("KnownLayout", &[quote!(Self: ::core::marker::Sized)], body));
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
            __zc_bytes: ::core::ptr::NonNull<::core::primitive::u8>,
            __zc_meta: <Self as #krate::KnownLayout>::PointerMetadata,
        ) -> ::core::ptr::NonNull<Self> {
            let __zc_this = <#tail as #krate::KnownLayout>::raw_from_ptr_len(__zc_bytes, __zc_meta).as_ptr() as *mut Self;
            // SAFETY: `__zc_this` has the address of a `NonNull`.
            unsafe { ::core::ptr::NonNull::new_unchecked(__zc_this) }
        }
        #[inline(always)]
        fn pointer_to_metadata(__zc_ptr: *mut Self) -> <Self as #krate::KnownLayout>::PointerMetadata {
            <#tail as #krate::KnownLayout>::pointer_to_metadata(__zc_ptr as *mut #tail)
        }
    };
    let mut bounds = vec![quote!(#tail: #krate::KnownLayout)];
    let zst_check = match tail {
        Type::Slice(slice) if !ctx.is_generic() => {
            // Every byte length fits any number of zero-sized elements, so
            // such a DST has no element count to derive from a length.
            let elem = &slice.elem;
            let msg = format!(
                "`{name}` cannot implement `KnownLayout`: its trailing slice has zero-sized elements, so no byte length determines its element count"
            );
            bounds.push(quote_spanned!(syn::spanned::Spanned::span(tail)=> (): __ZcTrailingElemsNotZeroSized<{ ::core::mem::size_of::<#elem>() == 0 }>));
            quote! {
                #[diagnostic::on_unimplemented(message = #msg)]
                pub trait __ZcTrailingElemsNotZeroSized<const ZERO_SIZED: ::core::primitive::bool> {}
                impl __ZcTrailingElemsNotZeroSized<false> for () {}
            }
        }
        _ => TokenStream::new(),
    };
    let imp = ctx.unsafe_impl("KnownLayout", &bounds, body);
    Ok(quote!(#zst_check #imp))
}
