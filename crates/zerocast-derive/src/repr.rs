//! Parsing of `#[repr(...)]` attributes into one flat description.
//!
//! Every derive decides acceptance from the type's representation, so the
//! parse is done once and is strict: a hint we do not understand, or two
//! hints that conflict, is an error with the span of the offending hint
//! rather than a silent guess about the layout.

use proc_macro2::Span;
use syn::{punctuated::Punctuated, Attribute, Error, Meta, Token};

/// The base layout algorithm a type asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    /// No base hint (or an explicit `repr(Rust)`): layout is unspecified.
    Rust,
    /// `repr(C)`: fields in declaration order, C padding rules.
    C,
    /// `repr(transparent)`: same layout as the single non-zero-sized field.
    Transparent,
}

/// A primitive integer representation of an enum's discriminant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Int {
    U8,
    U16,
    U32,
    U64,
    U128,
    Usize,
    I8,
    I16,
    I32,
    I64,
    I128,
    Isize,
}

impl Int {
    fn from_name(name: &str) -> Option<Int> {
        Some(match name {
            "u8" => Int::U8,
            "u16" => Int::U16,
            "u32" => Int::U32,
            "u64" => Int::U64,
            "u128" => Int::U128,
            "usize" => Int::Usize,
            "i8" => Int::I8,
            "i16" => Int::I16,
            "i32" => Int::I32,
            "i64" => Int::I64,
            "i128" => Int::I128,
            "isize" => Int::Isize,
            _ => return None,
        })
    }

    /// The Rust name of the integer type, used to emit it and in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Int::U8 => "u8",
            Int::U16 => "u16",
            Int::U32 => "u32",
            Int::U64 => "u64",
            Int::U128 => "u128",
            Int::Usize => "usize",
            Int::I8 => "i8",
            Int::I16 => "i16",
            Int::I32 => "i32",
            Int::I64 => "i64",
            Int::I128 => "i128",
            Int::Isize => "isize",
        }
    }
}

/// One parsed hint together with the span of its tokens, so that errors can
/// point at the hint that caused them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// Everything the `#[repr]` attributes of one type say about its layout.
#[derive(Clone, Debug)]
pub(crate) struct Repr {
    pub(crate) base: Spanned<Base>,
    pub(crate) int: Option<Spanned<Int>>,
    /// `packed(N)`; plain `packed` is `packed(1)`.
    pub(crate) packed: Option<Spanned<u64>>,
    /// `align(N)`.
    pub(crate) align: Option<Spanned<u64>>,
}

/// Which kind of item the attributes sit on; each allows different hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Struct,
    Enum,
    Union,
}

impl ItemKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::Union => "union",
        }
    }
}

impl Repr {
    /// Parses every `#[repr(..)]` attribute in `attrs` for an item of `kind`.
    pub(crate) fn parse(attrs: &[Attribute], kind: ItemKind) -> Result<Repr, Error> {
        let mut repr = Repr {
            base: Spanned {
                value: Base::Rust,
                span: Span::call_site(),
            },
            int: None,
            packed: None,
            align: None,
        };
        let mut base_given = false;
        for attr in attrs {
            if !is_ident(attr.path(), "repr") {
                continue;
            }
            let hints = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?;
            for hint in hints {
                repr.add_hint(&hint, kind, &mut base_given)?;
            }
        }
        repr.check_combination(kind)?;
        Ok(repr)
    }

    fn add_hint(
        &mut self,
        hint: &Meta,
        kind: ItemKind,
        base_given: &mut bool,
    ) -> Result<(), Error> {
        let span = syn::spanned::Spanned::span(hint);
        let name = hint
            .path()
            .get_ident()
            .map(|i| unraw(&i.to_string()))
            .unwrap_or_default();
        let conflict = || {
            Error::new(
                span,
                "this representation hint conflicts with another one on the same type",
            )
        };
        match (name.as_str(), hint) {
            ("C" | "transparent" | "Rust", Meta::Path(_)) => {
                if *base_given {
                    return Err(conflict());
                }
                *base_given = true;
                let value = match name.as_str() {
                    "C" => Base::C,
                    "transparent" => Base::Transparent,
                    _ => Base::Rust,
                };
                self.base = Spanned { value, span };
            }
            ("packed", Meta::Path(_)) => {
                if self.packed.is_some() {
                    return Err(conflict());
                }
                self.packed = Some(Spanned { value: 1, span });
            }
            ("packed" | "align", Meta::List(list)) => {
                let lit: syn::LitInt = list.parse_args()?;
                let value: u64 = lit.base10_parse()?;
                if !value.is_power_of_two() {
                    return Err(Error::new(lit.span(), "alignment must be a power of two"));
                }
                let slot = if name == "packed" {
                    &mut self.packed
                } else {
                    &mut self.align
                };
                if slot.is_some() {
                    return Err(conflict());
                }
                *slot = Some(Spanned { value, span });
            }
            (int, Meta::Path(_)) if Int::from_name(int).is_some() => {
                if kind != ItemKind::Enum {
                    return Err(Error::new(
                        span,
                        format!(
                            "`repr({int})` is only allowed on enums, not on a {}",
                            kind.name()
                        ),
                    ));
                }
                if self.int.is_some() {
                    return Err(conflict());
                }
                self.int = Int::from_name(int).map(|value| Spanned { value, span });
            }
            _ => return Err(Error::new(span, "unrecognized representation hint")),
        }
        Ok(())
    }

    fn check_combination(&self, kind: ItemKind) -> Result<(), Error> {
        if self.base.value == Base::Transparent {
            let other = self
                .int
                .map(|s| s.span)
                .or(self.packed.map(|s| s.span))
                .or(self.align.map(|s| s.span));
            if let Some(span) = other {
                return Err(Error::new(
                    span,
                    "`repr(transparent)` cannot be combined with another representation hint",
                ));
            }
        }
        if let (Some(_), Some(align)) = (self.packed, self.align) {
            return Err(Error::new(
                align.span,
                "a type cannot be both `packed` and `align`",
            ));
        }
        if kind == ItemKind::Enum {
            if let Some(packed) = self.packed {
                return Err(Error::new(
                    packed.span,
                    "`repr(packed)` is not allowed on an enum",
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn is_c(&self) -> bool {
        self.base.value == Base::C
    }

    pub(crate) fn is_transparent(&self) -> bool {
        self.base.value == Base::Transparent
    }

    /// `packed` or `packed(1)`: no field is placed at a padded offset.
    pub(crate) fn is_packed_1(&self) -> bool {
        matches!(self.packed, Some(Spanned { value: 1, .. }))
    }

    /// The span of an `align(N)` hint with `N > 1`, if there is one.
    pub(crate) fn align_gt_1(&self) -> Option<Span> {
        self.align.filter(|a| a.value > 1).map(|a| a.span)
    }

    /// Whether the enum's layout is defined (`repr(C)` and/or `repr(Int)`).
    pub(crate) fn enum_layout_defined(&self) -> bool {
        self.is_c() || self.int.is_some()
    }

    /// The span to blame when the representation is missing or wrong: the
    /// first hint if there was one, else the caller's fallback.
    pub(crate) fn blame_span(&self, fallback: Span) -> Span {
        if self.base.value != Base::Rust {
            return self.base.span;
        }
        self.int
            .map(|s| s.span)
            .or(self.packed.map(|s| s.span))
            .or(self.align.map(|s| s.span))
            .unwrap_or(fallback)
    }

    /// Prose name of the representation for messages, e.g. `repr(C, u8)`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.base.value {
            Base::C => parts.push("C".to_string()),
            Base::Transparent => parts.push("transparent".to_string()),
            Base::Rust => {}
        }
        if let Some(int) = self.int {
            parts.push(int.value.name().to_string());
        }
        if let Some(p) = self.packed {
            parts.push(format!("packed({})", p.value));
        }
        if let Some(a) = self.align {
            parts.push(format!("align({})", a.value));
        }
        if parts.is_empty() {
            "the default Rust representation".to_string()
        } else {
            format!("repr({})", parts.join(", "))
        }
    }
}

/// Compares a path with an identifier, treating `r#repr` like `repr`.
pub(crate) fn is_ident(path: &syn::Path, name: &str) -> bool {
    path.get_ident()
        .is_some_and(|i| unraw(&i.to_string()) == name)
}

pub(crate) fn unraw(s: &str) -> String {
    s.strip_prefix("r#").unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn parse(attrs: Vec<Attribute>, kind: ItemKind) -> Result<Repr, String> {
        Repr::parse(&attrs, kind).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_c_with_packed_n_across_two_attributes() {
        let r = parse(
            vec![parse_quote!(#[repr(C)]), parse_quote!(#[repr(packed(2))])],
            ItemKind::Struct,
        )
        .unwrap();
        assert!(r.is_c());
        assert_eq!(r.packed.map(|p| p.value), Some(2));
        assert!(!r.is_packed_1());
    }

    #[test]
    fn reads_c_u8_on_enum() {
        let r = parse(vec![parse_quote!(#[repr(C, u8)])], ItemKind::Enum).unwrap();
        assert!(r.is_c());
        assert_eq!(r.int.map(|i| i.value), Some(Int::U8));
        assert_eq!(r.describe(), "repr(C, u8)");
    }

    #[test]
    fn raw_identifier_repr_is_the_same_attribute() {
        let r = parse(
            vec![parse_quote!(#[r#repr(r#C, align(8))])],
            ItemKind::Struct,
        )
        .unwrap();
        assert!(r.is_c());
        assert_eq!(r.align.map(|a| a.value), Some(8));
    }

    #[test]
    fn rejects_conflicts_and_unknown_hints() {
        assert!(parse(
            vec![parse_quote!(#[repr(C, transparent)])],
            ItemKind::Struct
        )
        .is_err());
        assert!(parse(vec![parse_quote!(#[repr(u8, u16)])], ItemKind::Enum).is_err());
        assert!(parse(vec![parse_quote!(#[repr(u8)])], ItemKind::Struct).is_err());
        assert!(parse(vec![parse_quote!(#[repr(simd)])], ItemKind::Struct).is_err());
        assert!(parse(vec![parse_quote!(#[repr(align(3))])], ItemKind::Struct).is_err());
        assert!(parse(
            vec![parse_quote!(#[repr(packed, align(2))])],
            ItemKind::Struct
        )
        .is_err());
        assert!(parse(vec![parse_quote!(#[repr(u8, packed)])], ItemKind::Enum).is_err());
        assert!(parse(
            vec![parse_quote!(#[repr(transparent, align(2))])],
            ItemKind::Struct
        )
        .is_err());
    }

    #[test]
    fn ignores_non_repr_attributes() {
        let r = parse(
            vec![parse_quote!(#[derive(Clone)]), parse_quote!(#[doc = "x"])],
            ItemKind::Struct,
        )
        .unwrap();
        assert_eq!(r.base.value, Base::Rust);
        assert_eq!(r.describe(), "the default Rust representation");
    }
}
