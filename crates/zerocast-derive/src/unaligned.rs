//! `Unaligned`: the type's alignment is 1.
//!
//! rustc guarantees alignment 1 for `packed`/`packed(1)` types, and for
//! `repr(C)`/`repr(transparent)` structs and unions whose fields all have
//! alignment 1; enums need a one-byte tag (`repr(u8)`/`repr(i8)`) and
//! unaligned fields. `align(N > 1)` always raises the alignment.

use proc_macro2::TokenStream;
use syn::Error;

use crate::ctx::Ctx;
use crate::repr::{Int, ItemKind};

pub(crate) fn derive(ctx: &Ctx) -> Result<TokenStream, Error> {
    let name = ctx.name();
    if let Some(span) = ctx.repr.align_gt_1() {
        return Err(Error::new(
            span,
            format!("cannot derive `Unaligned` for `{name}`: `align(N)` with N > 1 makes its alignment N"),
        ));
    }
    let bounds = match ctx.kind {
        ItemKind::Enum => {
            let one_byte = matches!(ctx.repr.int.map(|i| i.value), Some(Int::U8 | Int::I8));
            if !one_byte {
                return Err(Error::new(
                    ctx.repr.blame_span(name.span()),
                    format!(
                        "cannot derive `Unaligned` for `{name}`: an enum needs `repr(u8)` or `repr(i8)` to have alignment 1 (it has {})",
                        ctx.repr.describe()
                    ),
                ));
            }
            ctx.every_field_is("Unaligned")
        }
        ItemKind::Struct | ItemKind::Union => {
            if ctx.repr.is_packed_1() {
                Vec::new()
            } else if ctx.repr.is_c() || ctx.repr.is_transparent() {
                ctx.every_field_is("Unaligned")
            } else {
                return Err(Error::new(
                    ctx.repr.blame_span(name.span()),
                    format!(
                        "cannot derive `Unaligned` for `{name}`: its alignment is only guaranteed with `repr(C)`, `repr(transparent)` or `repr(packed)` (it has {})",
                        ctx.repr.describe()
                    ),
                ));
            }
        }
    };
    // SAFETY (of the emitted impl): see the module documentation; each
    // accepted case has alignment 1 by the Reference's type-layout rules,
    // given the `Unaligned` bounds on the fields.
    Ok(ctx.unsafe_impl("Unaligned", &bounds, TokenStream::new()))
}
