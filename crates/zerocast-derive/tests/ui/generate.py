#!/usr/bin/env python3
"""Writes the compile-fail cases (tests/ui/*.rs) and their passing twins
(tests/ui_pass.rs) from the rule table below.

Every rule the derives enforce appears here as (name, failing source,
passing source): the two differ only in the detail the rule is about, so
the pair shows exactly where the line is. Run from the crate directory,
then `TRYBUILD=overwrite cargo test --test ui` and review every new
`.stderr` (each must name the type and the rule).
"""
import os
import re

CASES = []


def case(name, fail, ok, note, post_mono=False):
    """`post_mono`: the failing case is rejected only when built (an assertion
    evaluated at monomorphization), so it goes to tests/ui-post-mono, which
    trybuild builds instead of checking."""
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert all(c[0] != name for c in CASES), name
    CASES.append((name, fail.strip(), ok.strip(), note, post_mono))


def slugify(ty):
    ty = ty.replace("'static", "ref").replace("*const", "ptr")
    for prefix in ("core::num::", "core::ptr::", "core::mem::", "core::cell::", "core::sync::atomic::", "std::cell::", "std::rc::", "core::"):
        ty = ty.replace(prefix, "")
    ty = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ty)
    return re.sub(r"[^a-z0-9]+", "_", ty.lower()).strip("_") or "unit"


def derive(traits):
    return "#[derive(" + ", ".join(traits) + ")]"


SIZES = {"u8": (1, 1), "u16": (2, 2), "u32": (4, 4), "u64": (8, 8), "i16": (2, 2),
         "i32": (4, 4), "f32": (4, 4), "f64": (8, 8), "[u8; 3]": (3, 1), "[u16; 3]": (6, 2)}

# --- IntoBytes: padding between fields and at the end (repr(C)) -------------
pairs = [("u8", "u16"), ("u8", "u32"), ("u8", "u64"), ("u16", "u32"), ("u16", "u64"),
         ("u32", "u64"), ("[u8; 3]", "u32"), ("[u8; 3]", "u16"), ("i16", "f32"),
         ("u8", "f64"), ("[u16; 3]", "u32"), ("u8", "i32")]
for i, (small, big) in enumerate(pairs):
    gap = SIZES[big][1] - SIZES[small][0] % SIZES[big][1]
    slug = re.sub(r"[^a-z0-9]+", "", small) + "_" + re.sub(r"[^a-z0-9]+", "", big)
    case(f"into_bytes_gap_after_field_{slug}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Gap {{\n    a: {small},\n    b: {big},\n}}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Gap {{\n    a: {small},\n    pad: [u8; {gap}],\n    b: {big},\n}}",
         "repr(C) inserts padding before a field with larger alignment")
    case(f"into_bytes_trailing_padding_{slug}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Tail({big}, {small});",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Tail({big}, {small}, [u8; {gap}]);",
         "repr(C) pads the end to a multiple of the alignment")
    case(f"into_bytes_rust_repr_padding_{slug}",
         f"#[derive(IntoBytes)]\nstruct Reordered {{\n    a: {small},\n    b: {big},\n}}",
         f"#[derive(IntoBytes)]\nstruct Reordered {{\n    a: {small},\n    pad: [u8; {gap}],\n    b: {big},\n}}",
         "repr(Rust) structs are checked by total size, whatever the field order")
    case(f"into_bytes_packed2_gap_{slug}",
         f"#[derive(IntoBytes)]\n#[repr(C, packed(2))]\nstruct P2 {{\n    a: u8,\n    b: {big},\n}}",
         f"#[derive(IntoBytes)]\n#[repr(C, packed)]\nstruct P2 {{\n    a: u8,\n    b: {big},\n}}",
         "packed(2) still aligns fields to 2") if big != "u8" and i < 6 else None

for n in (2, 4, 8, 16, 32):
    if n > 2:
        case(f"into_bytes_align_{n}_two_fields",
             f"#[derive(IntoBytes)]\n#[repr(C, align({n}))]\nstruct Aligned {{\n    a: u8,\n    b: u8,\n}}",
             f"#[derive(IntoBytes)]\n#[repr(C, align({n}))]\nstruct Aligned {{\n    a: u8,\n    b: [u8; {n - 1}],\n}}",
             "align(N) pads the size to N")
    case(f"into_bytes_align_{n}_adds_padding",
         f"#[derive(IntoBytes)]\n#[repr(C, align({n}))]\nstruct Aligned(u8);",
         f"#[derive(IntoBytes)]\n#[repr(C, align({n}))]\nstruct Aligned([u8; {n}]);",
         "align(N) pads the size to N")

dsts = [("u8", "u16", "[u8; 2]"), ("u8", "u32", "[u8; 4]"), ("u16", "u32", "[u16; 2]"), ("u8", "u64", "[u8; 8]")]
for small, elem, fixed in dsts:
    case(f"into_bytes_dst_gap_{small}_before_slice_of_{elem}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Dst {{\n    a: {small},\n    body: [{elem}],\n}}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Dst {{\n    a: {fixed},\n    body: [{elem}],\n}}",
         "a slice DST may not have padding before its trailing slice")
    case(f"into_bytes_dst_trailing_padding_{small}_{elem}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Dst {{\n    a: {elem},\n    body: [u8],\n}}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Dst {{\n    a: {elem},\n    body: [{fixed}],\n}}",
         "a slice DST may not have padding at the end for some element count")

enums = [
    ("tag_then_u16", "#[repr(u8)]\nenum E {\n    A(u16),\n}", "#[repr(u16)]\nenum E {\n    A(u16),\n}"),
    ("tag_then_u32", "#[repr(u8)]\nenum E {\n    A(u32),\n}", "#[repr(u32)]\nenum E {\n    A(u32),\n}"),
    ("short_variant", "#[repr(u16)]\nenum E {\n    A(u16),\n    B,\n}", "#[repr(u16)]\nenum E {\n    A(u16),\n    B([u8; 2]),\n}"),
    ("short_variant_u8", "#[repr(u8)]\nenum E {\n    A(u8, u8),\n    B(u8),\n}", "#[repr(u8)]\nenum E {\n    A(u8, u8),\n    B(u8, u8),\n}"),
    ("inner_gap", "#[repr(u8)]\nenum E {\n    A(u8, u16, u8),\n}", "#[repr(u8)]\nenum E {\n    A(u8, u16, [u8; 4]),\n}"),
    ("c_u8_payload_aligned", "#[repr(C, u8)]\nenum E {\n    A(u32),\n    B(u32),\n}", "#[repr(C, u32)]\nenum E {\n    A(u32),\n    B(u32),\n}"),
    ("c_u8_short_variant", "#[repr(C, u8)]\nenum E {\n    A(u8),\n    B,\n}", "#[repr(C, u8)]\nenum E {\n    A(u8),\n    B(u8),\n}"),
    ("c_fieldless_align", "#[repr(u8, align(2))]\nenum E {\n    A,\n    B,\n}", "#[repr(u16, align(2))]\nenum E {\n    A,\n    B,\n}"),
    ("u32_short_variant", "#[repr(u32)]\nenum E {\n    A,\n    B(u8),\n}", "#[repr(u32)]\nenum E {\n    A([u8; 4]),\n    B([u8; 4]),\n}"),
    ("c_unit_and_data", "#[repr(C)]\nenum E {\n    A,\n    B(u8),\n}", "#[repr(C)]\nenum E {\n    A(i32),\n    B(i32),\n}"),
]
for slug, fail, ok in enums:
    case(f"into_bytes_enum_padding_{slug}", f"#[derive(IntoBytes)]\n{fail}", f"#[derive(IntoBytes)]\n{ok}",
         "every variant of an IntoBytes enum must fill the enum without gaps")

case("into_bytes_enum_without_repr", "#[derive(IntoBytes)]\nenum E {\n    A,\n    B,\n}",
     "#[derive(IntoBytes)]\n#[repr(u8)]\nenum E {\n    A,\n    B,\n}", "enum layout is only defined with repr(C)/repr(Int)")
case("into_bytes_union_rejected", "#[derive(IntoBytes)]\n#[repr(C)]\nunion U {\n    a: u8,\n}",
     "#[derive(FromBytes)]\n#[repr(C)]\nunion U {\n    a: u8,\n}", "unions may hold uninitialized bytes")
case("into_bytes_generic_rust_repr", "#[derive(IntoBytes)]\nstruct G<T>(T, u8);",
     "#[derive(IntoBytes)]\n#[repr(C)]\nstruct G<T>(T, u8);", "generic padding is only provable for repr(C)/transparent/packed")
case("into_bytes_generic_align", "#[derive(IntoBytes)]\n#[repr(C, align(2))]\nstruct G<T>(T);",
     "#[derive(IntoBytes)]\n#[repr(C, packed)]\nstruct G<T>(T);", "align(N) on a generic struct")
# --- IntoBytes on generic enums: one-byte tag, Unaligned fields, equal variants
for slug, fail, ok in (
    ("repr_u16", "#[repr(u16)]", "#[repr(u8)]"),
    ("repr_c", "#[repr(C)]", "#[repr(C, u8)]"),
    ("repr_i32", "#[repr(i32)]", "#[repr(i8)]"),
    ("align_2", "#[repr(u8, align(2))]", "#[repr(u8)]"),
):
    case(f"into_bytes_generic_enum_{slug}",
         f"#[derive(IntoBytes)]\n{fail}\nenum G<T> {{\n    A(T, u8),\n    B(T, u8),\n}}",
         f"#[derive(IntoBytes)]\n{ok}\nenum G<T> {{\n    A(T, u8),\n    B(T, u8),\n}}",
         "a generic enum's padding is only provable with a one-byte tag")
for ty in ("u16", "u32"):
    case(f"into_bytes_generic_enum_field_{ty}_not_unaligned",
         f"#[derive(IntoBytes)]\n#[repr(u8)]\nenum G<T> {{\n    A(T, {ty}),\n    B(T, {ty}),\n}}",
         f"#[derive(IntoBytes)]\n#[repr(u8)]\nenum G<T> {{\n    A(T, [u8; {SIZES[ty][0]}]),\n    B(T, [u8; {SIZES[ty][0]}]),\n}}",
         "a generic enum's fields must all be Unaligned")
    case(f"into_bytes_generic_enum_used_with_{ty}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(u8)]\nenum G<T> {{\n    A(T),\n    B(T),\n}}\nfn use_it(g: &G<{ty}>) -> &[u8] {{\n    g.as_bytes()\n}}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(u8)]\nenum G<T> {{\n    A(T),\n    B(T),\n}}\nfn use_it(g: &G<[u8; {SIZES[ty][0]}]>) -> &[u8] {{\n    g.as_bytes()\n}}",
         "a generic enum's parameters must be Unaligned where it is used")
for slug, fail, ok in (
    ("known_sizes_differ", "A(T, u8),\n    B(T, [u8; 2]),", "A(T, [u8; 2]),\n    B(T, [u8; 2]),"),
    ("known_sizes_differ_u8_3", "A(T, [u8; 3]),\n    B(T),", "A(T, [u8; 3]),\n    B(T, u8, [u8; 2]),"),
    ("unit_variant", "A(T),\n    B,", "A(T),\n    B(T),"),
    ("param_only_in_one_variant", "A(T, u8),\n    B([u8; 2]),", "A(T, u8),\n    B(u8, T),"),
    ("different_params", "A(T),\n    B(U),", "A(T, U),\n    B(U, T),"),
    ("different_wrappers", "A([T; 2]),\n    B(T, T),", "A([T; 2]),\n    B([T; 2]),"),
):
    params = "<T, U>" if "U" in fail + ok else "<T>"
    case(f"into_bytes_generic_enum_{slug}",
         f"#[derive(IntoBytes)]\n#[repr(u8)]\nenum G{params} {{\n    {fail}\n}}",
         f"#[derive(IntoBytes)]\n#[repr(u8)]\nenum G{params} {{\n    {ok}\n}}",
         "a generic enum's variants must provably have the same size")
case("into_bytes_generic_enum_const_param_length",
     "#[derive(IntoBytes)]\n#[repr(u8)]\nenum G<const N: usize> {\n    A([u8; N]),\n    B([u8; 2]),\n}",
     "#[derive(IntoBytes)]\n#[repr(u8)]\nenum G<const N: usize> {\n    A([u8; N]),\n    B([u8; N]),\n}",
     "a generic enum's variants must provably have the same size")

# --- IntoBytes on structs ending in another DST --------------------------------
NESTED = {
    "u16_then_u16s": "#[derive(KnownLayout, IntoBytes)]\n#[repr(C)]\nstruct Inner {\n    len: u16,\n    data: [u16],\n}",
    "u8_then_u8s": "#[derive(KnownLayout, IntoBytes)]\n#[repr(C)]\nstruct Inner {\n    len: u8,\n    data: [u8],\n}",
    "u8x4_then_u8s": "#[derive(KnownLayout, IntoBytes)]\n#[repr(C)]\nstruct Inner {\n    len: [u8; 4],\n    data: [u8],\n}",
    "u8x4_then_u32s": "#[derive(KnownLayout, IntoBytes)]\n#[repr(C)]\nstruct Inner {\n    len: [u8; 4],\n    data: [u32],\n}",
}
for slug, inner_fail, head_fail, inner_ok, head_ok, note in (
    ("gap_before_tail", "u16_then_u16s", "u8", "u16_then_u16s", "[u8; 2]", "no padding before a nested DST field"),
    ("padding_at_0_elements", "u8_then_u8s", "u32", "u8_then_u8s", "[u8; 4]", "no padding at the end with 0 elements of a nested DST"),
    ("padding_at_1_element", "u8x4_then_u8s", "u32", "u8x4_then_u32s", "u32", "no padding at the end with 1 element of a nested DST"),
    ("padding_at_1_element_u16", "u8x4_then_u8s", "u16", "u8x4_then_u8s", "[u8; 2]", "no padding at the end with 1 element of a nested DST"),
):
    case(f"into_bytes_nested_dst_{slug}",
         f"{NESTED[inner_fail]}\n#[derive(IntoBytes)]\n#[repr(C)]\nstruct Outer {{\n    head: {head_fail},\n    inner: Inner,\n}}",
         f"{NESTED[inner_ok]}\n#[derive(IntoBytes)]\n#[repr(C)]\nstruct Outer {{\n    head: {head_ok},\n    inner: Inner,\n}}",
         note)
case("into_bytes_nested_dst_tail_has_padding",
     "#[derive(KnownLayout)]\n#[repr(C)]\nstruct Inner {\n    len: u16,\n    data: [u8],\n}\n#[derive(IntoBytes)]\n#[repr(C)]\nstruct Outer {\n    head: [u8; 2],\n    inner: Inner,\n}",
     "#[derive(KnownLayout, IntoBytes)]\n#[repr(C)]\nstruct Inner {\n    len: u16,\n    data: [u16],\n}\n#[derive(IntoBytes)]\n#[repr(C)]\nstruct Outer {\n    head: [u8; 2],\n    inner: Inner,\n}",
     "a nested DST field must itself be IntoBytes")
case("try_from_bytes_nested_dst_tail_not_known_layout",
     "#[derive(TryFromBytes)]\n#[repr(C)]\nstruct Inner {\n    len: u8,\n    data: [bool],\n}\n#[derive(TryFromBytes)]\n#[repr(C)]\nstruct Outer {\n    head: u8,\n    inner: Inner,\n}",
     "#[derive(TryFromBytes, KnownLayout)]\n#[repr(C)]\nstruct Inner {\n    len: u8,\n    data: [bool],\n}\n#[derive(TryFromBytes)]\n#[repr(C)]\nstruct Outer {\n    head: u8,\n    inner: Inner,\n}",
     "a nested DST field's bytes can only be checked when its layout is known (KnownLayout)")
for ty in ("u16", "u32", "u64", "[u16; 2]"):
    slug = re.sub(r"[^a-z0-9]+", "", ty)
    case(f"into_bytes_generic_c_needs_unaligned_{slug}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(C)]\nstruct G<T> {{\n    a: u8,\n    b: T,\n}}\nfn use_it(g: &G<{ty}>) -> &[u8] {{\n    g.as_bytes()\n}}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(C)]\nstruct G<T> {{\n    a: u8,\n    b: T,\n}}\nfn use_it(g: &G<[u8; 2]>) -> &[u8] {{\n    g.as_bytes()\n}}",
         "generic repr(C) fields must be Unaligned unless all fields are the same T")
    case(f"into_bytes_generic_homogeneous_mixed_{slug}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(C)]\nstruct G<T> {{\n    a: T,\n    b: {ty},\n}}\nfn use_it(g: &G<u8>) -> &[u8] {{\n    g.as_bytes()\n}}",
         f"#[derive(IntoBytes, Immutable)]\n#[repr(C)]\nstruct G<T> {{\n    a: T,\n    b: [T; 2],\n}}\nfn use_it(g: &G<{ty}>) -> &[u8] {{\n    g.as_bytes()\n}}",
         "the homogeneous rule needs every field to be T, [T; N] or [T]")
for ty, okty in (("&'static u8", "u8"), ("*const u8", "usize"), ("core::mem::MaybeUninit<u8>", "u8"),
                 ("String", "[u8; 24]"), ("Box<u8>", "usize")):
    slug = slugify(ty)
    case(f"into_bytes_field_not_into_bytes_{slug}",
         f"#[derive(IntoBytes)]\n#[repr(transparent)]\nstruct W({ty});",
         f"#[derive(IntoBytes)]\n#[repr(transparent)]\nstruct W({okty});", "every field must be IntoBytes")

# --- FromBytes / FromZeros / TryFromBytes -----------------------------------
bad_fb = [("bool", "u8"), ("char", "u32"), ("core::num::NonZeroU8", "u8"), ("&'static u8", "usize"),
          ("Box<u8>", "usize"), ("Option<&'static u8>", "usize"), ("core::num::NonZeroU32", "Option<core::num::NonZeroU32>")]
for ty, okty in bad_fb:
    slug = slugify(ty)
    case(f"from_bytes_struct_field_{slug}", f"#[derive(FromBytes)]\nstruct S {{\n    ok: u8,\n    bad: {ty},\n}}",
         f"#[derive(FromBytes)]\nstruct S {{\n    ok: u8,\n    bad: {okty},\n}}", "every field of a FromBytes struct must be FromBytes")
    case(f"from_bytes_tuple_field_{slug}", f"#[derive(FromBytes)]\n#[repr(C)]\nstruct S(u16, {ty});",
         f"#[derive(FromBytes)]\n#[repr(C)]\nstruct S(u16, {okty});", "every field of a FromBytes struct must be FromBytes")
    if not ty.startswith(("Box", "Option<&")):
        case(f"from_bytes_union_field_{slug}", f"#[derive(FromBytes)]\n#[repr(C)]\nunion U {{\n    ok: u8,\n    bad: {ty},\n}}",
             f"#[derive(FromBytes)]\n#[repr(C)]\nunion U {{\n    ok: u8,\n    bad: {okty},\n}}", "every field of a FromBytes union must be FromBytes")
    case(f"from_bytes_array_of_{slug}", f"#[derive(FromBytes)]\nstruct S([{ty}; 2]);",
         f"#[derive(FromBytes)]\nstruct S([{okty}; 2]);", "arrays are FromBytes only if their elements are")

variants3 = "    A,\n    B,\n    C,"
for repr in ("u32", "u64", "i32", "C", "usize", "isize", "i64"):
    case(f"from_bytes_enum_repr_{repr.lower()}", f"#[derive(FromBytes)]\n#[repr({repr})]\nenum E {{\n{variants3}\n}}",
         f"#[derive(TryFromBytes)]\n#[repr({repr})]\nenum E {{\n{variants3}\n}}", "only repr(u8/i8/u16/i16) enums can cover every tag value")
case("from_bytes_enum_no_repr", f"#[derive(FromBytes)]\nenum E {{\n{variants3}\n}}",
     f"#[derive(FromZeros)]\n#[repr(u8)]\nenum E {{\n{variants3}\n}}", "no repr")
for repr, count in (("u8", 3), ("i8", 255), ("u8", 257), ("u16", 256), ("i16", 2)):
    start = {"i8": " = -128", "i16": " = -2"}.get(repr, "")
    vs = "\n".join(f"    V{i}{start if i == 0 else ''}," for i in range(count))
    case(f"from_bytes_enum_{repr}_with_{count}_variants", f"#[derive(FromBytes)]\n#[repr({repr})]\nenum E {{\n{vs}\n}}",
         f"#[derive(TryFromBytes)]\n#[repr({repr})]\nenum E {{\n{vs}\n}}", "the variant count must equal the number of tag values") if count != 257 else None
all256 = "\n".join(f"    V{i}," for i in range(256))
case("from_bytes_enum_u8_256_variants_bool_field", f"#[derive(FromBytes)]\n#[repr(u8)]\nenum E {{\n    First(bool),\n{all256[all256.index(chr(10)) + 1:]}\n}}",
     f"#[derive(FromBytes)]\n#[repr(u8)]\nenum E {{\n    First(u8),\n{all256[all256.index(chr(10)) + 1:]}\n}}", "variant fields must be FromBytes too")

zero_fail = [
    ("starts_at_one", "    A = 1,\n    B,\n    C,", "    A = 0,\n    B,\n    C,"),
    ("all_explicit", "    A = 3,\n    B = 5,", "    A = 3,\n    B = 0,"),
    ("negative", "    A = -3,\n    B,", "    A = -2,\n    B,\n    C,"),
    ("unknown_const", "    A = ONE,\n    B,", "    A = 0,\n    B = ONE,"),
]
for slug, fail, ok in zero_fail:
    pre = "const ONE: u8 = 1;\n" if "ONE" in fail + ok else ""
    repr = "i8" if "-" in fail else "u8"
    case(f"from_zeros_enum_{slug}", f"{pre}#[derive(FromZeros)]\n#[repr({repr})]\nenum E {{\n{fail}\n}}",
         f"{pre}#[derive(FromZeros)]\n#[repr({repr})]\nenum E {{\n{ok}\n}}", "an enum is FromZeros only with a variant whose discriminant is 0")
case("from_zeros_enum_no_repr", "#[derive(FromZeros)]\nenum E {\n    A,\n}", "#[derive(FromZeros)]\n#[repr(C)]\nenum E {\n    A,\n}", "no repr")
case("from_zeros_enum_zero_variant_field", "#[derive(FromZeros)]\n#[repr(u8)]\nenum E {\n    A(core::num::NonZeroU8),\n    B(u8),\n}",
     "#[derive(FromZeros)]\n#[repr(u8)]\nenum E {\n    A(u8),\n    B(core::num::NonZeroU8),\n}", "the zero variant's fields must be FromZeros (others need not be)")
for ty, okty in (("core::num::NonZeroU8", "Option<core::num::NonZeroU8>"), ("&'static u8", "Option<&'static u8>"),
                 ("Box<u8>", "Option<Box<u8>>"), ("core::ptr::NonNull<u8>", "Option<core::ptr::NonNull<u8>>")):
    slug = slugify(ty)
    case(f"from_zeros_struct_field_{slug}", f"#[derive(FromZeros)]\nstruct S {{\n    a: u8,\n    b: {ty},\n}}",
         f"#[derive(FromZeros)]\nstruct S {{\n    a: u8,\n    b: {okty},\n}}", "every field must accept all-zero bytes")
    if not ty.startswith(("Box", "core::ptr")):
        case(f"from_zeros_union_field_{slug}", f"#[derive(FromZeros)]\n#[repr(C)]\nunion U {{\n    a: u8,\n    b: {ty},\n}}",
             f"#[derive(FromZeros)]\n#[repr(C)]\nunion U {{\n    a: u8,\n    b: {okty},\n}}", "every union field must accept all-zero bytes")

for repr in ("", "#[repr(align(4))]\n", "#[repr(packed)]\n"):
    slug = {"": "no_repr", "#[repr(align(4))]\n": "align_only", "#[repr(packed)]\n": "packed"}[repr]
    if slug == "packed":
        continue
    for tr in ("TryFromBytes", "FromZeros", "IntoBytes", "Unaligned"):
        case(f"{tr.lower()}_enum_{slug}_has_no_defined_layout", f"#[derive({tr})]\n{repr}enum E {{\n    A,\n    B(u8),\n}}",
             f"#[derive({tr})]\n#[repr(u8)]\nenum E {{\n    A,\n    B(u8),\n}}" if tr != "IntoBytes" else f"#[derive({tr})]\n#[repr(u8)]\nenum E {{\n    A(u8),\n    B(u8),\n}}",
             "enums need repr(C) or repr(Int)")
for ty, okty in (("String", "[u8; 24]"), ("Vec<u8>", "[usize; 3]"), ("Box<u8>", "Option<Box<u8>>"), ("&'static str", "Option<&'static u8>"),
                 ("fn()", "usize"), ("std::rc::Rc<u8>", "usize")):
    slug = slugify(ty)
    case(f"try_from_bytes_field_{slug}", f"#[derive(TryFromBytes)]\nstruct S {{\n    a: {ty},\n}}",
         f"#[derive(TryFromBytes)]\nstruct S {{\n    a: {okty},\n}}", "every field must be TryFromBytes")
    case(f"try_from_bytes_variant_field_{slug}", f"#[derive(TryFromBytes)]\n#[repr(u8)]\nenum E {{\n    A,\n    B({ty}),\n}}",
         f"#[derive(TryFromBytes)]\n#[repr(u8)]\nenum E {{\n    A,\n    B({okty}),\n}}", "every variant field must be TryFromBytes")

# --- Immutable ----------------------------------------------------------------
for ty in ("core::cell::UnsafeCell<u8>", "core::cell::Cell<u8>", "core::cell::RefCell<u8>",
           "core::sync::atomic::AtomicU8", "core::sync::atomic::AtomicUsize", "[core::cell::Cell<u8>; 2]"):
    slug = slugify(ty)
    # zerocast's `&T: Immutable` currently needs `T: Immutable` (zerocopy's
    # does not); the twin uses the byte itself until that is aligned.
    ref_ty = ty
    case(f"immutable_struct_field_{slug}", f"#[derive(Immutable)]\nstruct S {{\n    a: u8,\n    b: {ty},\n}}",
         f"#[derive(Immutable)]\nstruct S {{\n    a: u8,\n    b: core::marker::PhantomData<{ref_ty}>,\n}}", "interior mutability is only allowed behind a reference")
    case(f"immutable_enum_field_{slug}", f"#[derive(Immutable)]\nenum E {{\n    A,\n    B({ty}),\n}}",
         f"#[derive(Immutable)]\nenum E {{\n    A,\n    B(core::marker::PhantomData<{ref_ty}>),\n}}", "interior mutability is only allowed behind a reference")
    if "RefCell" not in ty:
        case(f"immutable_union_field_{slug}", f"#[derive(Immutable)]\nunion U {{\n    a: u8,\n    b: core::mem::ManuallyDrop<{ty}>,\n}}",
             f"#[derive(Immutable)]\nunion U {{\n    a: u8,\n    b: core::mem::ManuallyDrop<core::marker::PhantomData<{ref_ty}>>,\n}}", "interior mutability is only allowed behind a reference")
case("immutable_nested_non_immutable_struct", "struct Inner(u8);\n#[derive(Immutable)]\nstruct S(Inner);",
     "#[derive(Immutable)]\nstruct Inner(u8);\n#[derive(Immutable)]\nstruct S(Inner);", "nested types must be Immutable too")
case("immutable_generic_without_bound_used_with_cell",
     "#[derive(Immutable)]\nstruct G<T>(T);\nfn need<T: Immutable>() {}\nfn use_it() {\n    need::<G<core::cell::Cell<u8>>>();\n}",
     "#[derive(Immutable)]\nstruct G<T>(T);\nfn need<T: Immutable>() {}\nfn use_it() {\n    need::<G<u8>>();\n}", "a generic type is Immutable only for Immutable arguments")

# --- Unaligned ----------------------------------------------------------------
for ty in ("u16", "u32", "u64", "i16", "f32", "f64", "[u16; 2]", "char", "usize"):
    slug = slugify(ty)
    case(f"unaligned_c_field_{slug}", f"#[derive(Unaligned)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n    b: {ty},\n}}",
         f"#[derive(Unaligned)]\n#[repr(C, packed)]\nstruct S {{\n    a: u8,\n    b: {ty},\n}}", "repr(C) fields must all have alignment 1 (or the struct must be packed)")
    if ty in ("u16", "u32", "f64"):
        case(f"unaligned_transparent_{slug}", f"#[derive(Unaligned)]\n#[repr(transparent)]\nstruct S({ty});",
             f"#[derive(Unaligned)]\n#[repr(transparent)]\nstruct S([u8; 2]);", "transparent has the field's alignment")
        case(f"unaligned_union_field_{slug}", f"#[derive(Unaligned)]\n#[repr(C)]\nunion U {{\n    a: u8,\n    b: {ty},\n}}",
             f"#[derive(Unaligned)]\n#[repr(C, packed)]\nunion U {{\n    a: u8,\n    b: {ty},\n}}", "union fields must have alignment 1")
        case(f"unaligned_enum_field_{slug}", f"#[derive(Unaligned)]\n#[repr(u8)]\nenum E {{\n    A({ty}),\n}}",
             f"#[derive(Unaligned)]\n#[repr(u8)]\nenum E {{\n    A([u8; 2]),\n}}", "enum fields must have alignment 1")
        case(f"unaligned_packed2_{slug}", f"#[derive(Unaligned)]\n#[repr(C, packed(2))]\nstruct S({ty});",
             f"#[derive(Unaligned)]\n#[repr(C, packed(1))]\nstruct S({ty});", "packed(2) keeps alignment 2")
for n in (2, 4, 8):
    case(f"unaligned_align_{n}", f"#[derive(Unaligned)]\n#[repr(C, align({n}))]\nstruct S(u8);",
         f"#[derive(Unaligned)]\n#[repr(C, align(1))]\nstruct S(u8);", "align(N > 1)")
    case(f"unaligned_enum_align_{n}", f"#[derive(Unaligned)]\n#[repr(u8, align({n}))]\nenum E {{\n    A,\n}}",
         f"#[derive(Unaligned)]\n#[repr(u8, align(1))]\nenum E {{\n    A,\n}}", "align(N > 1)")
for repr in ("u16", "i16", "u32", "C", "i64"):
    case(f"unaligned_enum_repr_{repr.lower()}", f"#[derive(Unaligned)]\n#[repr({repr})]\nenum E {{\n    A,\n    B,\n}}",
         f"#[derive(Unaligned)]\n#[repr(i8)]\nenum E {{\n    A,\n    B,\n}}", "enums need a one-byte tag")
case("unaligned_rust_repr_struct", "#[derive(Unaligned)]\nstruct S(u8);", "#[derive(Unaligned)]\n#[repr(C)]\nstruct S(u8);", "repr(Rust) alignment is unspecified")
case("unaligned_rust_repr_union", "#[derive(Unaligned)]\nunion U {\n    a: u8,\n}", "#[derive(Unaligned)]\n#[repr(C)]\nunion U {\n    a: u8,\n}", "repr(Rust) alignment is unspecified")

# --- KnownLayout ----------------------------------------------------------------
for repr, slug in (("", "no_repr"), ("#[repr(packed)]\n", "packed_only"), ("#[repr(align(4))]\n", "align_only"), ("#[repr(transparent)]\n", "transparent")):
    fields = "    a: u8,\n    body: [u8]," if slug != "transparent" else "    body: [u8],"
    case(f"known_layout_dst_{slug}", f"#[derive(KnownLayout)]\n{repr}struct Dst {{\n{fields}\n}}",
         f"#[derive(KnownLayout)]\n#[repr(C)]\nstruct Dst {{\n{fields}\n}}", "only repr(C) DSTs have a known layout")
    case(f"known_layout_str_dst_{slug}", f"#[derive(KnownLayout)]\n{repr}struct Dst {{\n    body: str,\n}}",
         f"#[derive(KnownLayout)]\n#[repr(C)]\nstruct Dst {{\n    body: str,\n}}", "only repr(C) DSTs have a known layout")
case("known_layout_tail_not_known_layout", "struct NotKl(u8);\n#[derive(KnownLayout)]\n#[repr(C)]\nstruct S {\n    a: u8,\n    tail: NotKl,\n}",
     "#[derive(KnownLayout)]\nstruct NotKl(u8);\n#[derive(KnownLayout)]\n#[repr(C)]\nstruct S {\n    a: u8,\n    tail: NotKl,\n}", "the trailing field of a repr(C) struct must be KnownLayout")
case("known_layout_nested_dst_tail_without_repr", "#[derive(KnownLayout)]\n#[repr(C)]\nstruct Inner {\n    a: u16,\n    t: [u8],\n}\n#[derive(KnownLayout)]\nstruct Outer {\n    a: u8,\n    inner: Inner,\n}",
     "#[derive(KnownLayout)]\n#[repr(C)]\nstruct Inner {\n    a: u16,\n    t: [u8],\n}\n#[derive(KnownLayout)]\n#[repr(C)]\nstruct Outer {\n    a: u8,\n    inner: Inner,\n}", "nested DSTs need repr(C) at every level")

# A trailing slice of zero-sized elements is accepted (as zerocopy accepts it), but no byte
# length determines its element count: every conversion that would infer one fails to build
# (a post-monomorphization assertion in zerocast, reached here through a `static` so that the
# function is instantiated; tests/ui-post-mono, built by trybuild), and its `_with_elems`
# form, which takes the count, builds.
ZST_DST = "#[derive({derives})]\n{attrs}#[repr(C)]\nstruct Dst {{\n    len: u16,\n    body: [{elem}],\n}}\n"
ZST_USE = "fn use_it(bytes: {arg}) {{\n    let _ = {call};\n}}\nstatic USE_IT: fn({arg}) = use_it;"
ZST_OPS = [(f"{prefix}{op}_from_{part}", arg, f"Dst::{prefix}{op}_from_{part}(bytes)", f"Dst::{prefix}{op}_from_{part}_with_elems(bytes, 3)")
           for prefix in ("", "try_") for op, arg in (("ref", "&[u8]"), ("mut", "&mut [u8]")) for part in ("bytes", "prefix", "suffix")]
# `Ref` rejects zero-sized trailing elements in every constructor and accessor, as zerocopy's
# does (its `_with_elems` forms too), so these twins differ in the element type.
ZST_REF_OPS = [f"Ref::<&[u8], Dst>::{f}(bytes)" for f in ("from_bytes", "from_prefix", "from_suffix")]
for name, arg, call, ok_call in ZST_OPS:
    derives = "FromBytes, KnownLayout, Immutable" if "mut" not in arg else "FromBytes, KnownLayout, IntoBytes"
    dst = ZST_DST.format(derives=derives, attrs="", elem="()")
    case(f"zero_sized_trailing_elems_{name}", dst + ZST_USE.format(arg=arg, call=call),
         dst + ZST_USE.format(arg=arg, call=ok_call), "no byte length determines the count of zero-sized trailing elements; the `_with_elems` form takes it", post_mono=True)
for elem in ("[u32; 0]", "core::marker::PhantomData<u64>"):
    dst = ZST_DST.format(derives="FromBytes, KnownLayout, Immutable", attrs="", elem=elem)
    case(f"zero_sized_trailing_elems_ref_from_bytes_{slugify(elem)}", dst + ZST_USE.format(arg="&[u8]", call="Dst::ref_from_bytes(bytes)"),
         dst + ZST_USE.format(arg="&[u8]", call="Dst::ref_from_bytes_with_elems(bytes, 3)"), "no byte length determines the count of zero-sized trailing elements; the `_with_elems` form takes it", post_mono=True)
# The validated views have no `_with_elems` form: their twins differ in the element type.
VALIDATED = "fn nonempty(d: &Dst) -> Result<(), &'static str> {\n    if d.len > 0 { Ok(()) } else { Err(\"empty\") }\n}\n"
for part in ("bytes", "prefix", "suffix"):
    call = f"<Dst as beyond::Validate>::ref_from_{part}_checked(bytes)"
    fail_dst = ZST_DST.format(derives="TryFromBytes, KnownLayout, Immutable", attrs="#[zerocast(validate = nonempty)]\n", elem="()")
    ok_dst = ZST_DST.format(derives="TryFromBytes, KnownLayout, Immutable", attrs="#[zerocast(validate = nonempty)]\n", elem="u8")
    case(f"zero_sized_trailing_elems_ref_from_{part}_checked", fail_dst + VALIDATED + ZST_USE.format(arg="&[u8]", call=call),
         ok_dst + VALIDATED + ZST_USE.format(arg="&[u8]", call=call), "no byte length determines the count of zero-sized trailing elements (the validated views take no count)", post_mono=True)
# The deprecated constructors infer the count too.
ZST_REF_OPS += [f"{{\n        #[allow(deprecated)]\n        Ref::<&[u8], Dst>::{f}(bytes)\n    }}" for f in ("new", "new_from_prefix", "new_from_suffix")]
# So do the `_with_elems` constructors: zerocopy's `Ref` takes no such type at all.
ZST_REF_OPS += [f"Ref::<&[u8], Dst>::{f}_with_elems(bytes, 3)" for f in ("from_bytes", "from_prefix", "from_suffix")]
for call in ZST_REF_OPS:
    f = re.search(r"Ref::<&\[u8\], Dst>::([a-z_]+)", call).group(1)
    fail_dst = ZST_DST.format(derives="FromBytes, KnownLayout, Immutable", attrs="", elem="()")
    ok_dst = ZST_DST.format(derives="FromBytes, KnownLayout, Immutable", attrs="", elem="u8")
    case(f"zero_sized_trailing_elems_ref_struct_{f}", fail_dst + ZST_USE.format(arg="&[u8]", call=call),
         ok_dst + ZST_USE.format(arg="&[u8]", call=call), "`Ref` takes no slice DST with zero-sized trailing elements, as zerocopy's `Ref` takes none", post_mono=True)
# Its accessors check again, as zerocopy's do: naming them for such a type fails to build
# even where no `Ref` of it could be made.
ZST_REF_USE = "fn use_it({binding}: {arg}) {{\n    let _ = {call};\n}}\nstatic USE_IT: fn({arg}) = use_it;"
for f, binding, arg, call in (("into_ref", "r", "Ref<&[u8], Dst>", "Ref::into_ref(r)"),
                              ("into_mut", "r", "Ref<&mut [u8], Dst>", "Ref::into_mut(r)"),
                              ("deref", "r", "Ref<&[u8], Dst>", "core::ops::Deref::deref(&r)"),
                              ("deref_mut", "mut r", "Ref<&mut [u8], Dst>", "core::ops::DerefMut::deref_mut(&mut r)")):
    derives = "FromBytes, KnownLayout, Immutable" if "mut" not in arg else "FromBytes, KnownLayout, IntoBytes, Immutable"
    use = ZST_REF_USE.format(binding=binding, arg=arg, call=call)
    case(f"zero_sized_trailing_elems_ref_struct_{f}", ZST_DST.format(derives=derives, attrs="", elem="()") + use,
         ZST_DST.format(derives=derives, attrs="", elem="u16") + use, "`Ref` takes no slice DST with zero-sized trailing elements, as zerocopy's `Ref` takes none", post_mono=True)

# --- SplitAt ------------------------------------------------------------------
case("split_at_no_repr", "#[derive(KnownLayout, SplitAt)]\nstruct S {\n    body: [u8],\n}", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S {\n    body: [u8],\n}", "SplitAt needs repr(C)/transparent")
case("split_at_packed", "#[derive(KnownLayout, SplitAt)]\n#[repr(packed)]\nstruct S {\n    body: [u8],\n}", "#[derive(KnownLayout, SplitAt)]\n#[repr(C, packed)]\nstruct S {\n    body: [u8],\n}", "SplitAt needs repr(C)/transparent")
case("split_at_enum", "#[derive(SplitAt)]\n#[repr(u8)]\nenum E {\n    A,\n}", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct E {\n    a: [u8],\n}", "only structs can be split")
case("split_at_union", "#[derive(SplitAt)]\n#[repr(C)]\nunion U {\n    a: u8,\n}", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct U {\n    a: [u8],\n}", "only structs can be split")
case("split_at_no_fields", "#[derive(SplitAt)]\n#[repr(C)]\nstruct S {}", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S {\n    a: [u8],\n}", "a struct without fields has no slice")
for ty in ("u8", "[u8; 4]", "u32"):
    slug = slugify(ty)
    case(f"split_at_last_field_sized_{slug}", f"#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n    b: {ty},\n}}",
         f"#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n    b: [{ty}],\n}}", "the last field must be a slice (SplitAt)")

# --- ByteHash / ByteEq --------------------------------------------------------
for tr in ("ByteHash", "ByteEq"):
    case(f"{tr.lower()}_needs_no_padding", f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n    b: u16,\n}}",
         f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: [u8; 2],\n    b: u16,\n}}", "comparing bytes needs IntoBytes")
    case(f"{tr.lower()}_needs_into_bytes", f"#[derive({tr}, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n}}",
         f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n}}", "comparing bytes needs IntoBytes")
    case(f"{tr.lower()}_needs_immutable", f"#[derive({tr}, IntoBytes)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n}}",
         f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n}}", "comparing bytes needs Immutable")
    case(f"{tr.lower()}_cell_field", f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: core::cell::Cell<u8>,\n}}",
         f"#[derive({tr}, IntoBytes, Immutable)]\n#[repr(C)]\nstruct S {{\n    a: u8,\n}}", "comparing bytes needs Immutable")

# --- repr and attribute errors, for every derive ------------------------------
bad_reprs = [
    ("unknown_hint", "#[repr(simd)]", "#[repr(C)]"),
    ("c_and_transparent", "#[repr(C, transparent)]", "#[repr(C)]"),
    ("align_not_power_of_two", "#[repr(C, align(3))]", "#[repr(C, align(4))]"),
    ("int_repr_on_struct", "#[repr(u8)]", "#[repr(C)]"),
    ("duplicate_packed", "#[repr(C, packed, packed(2))]", "#[repr(C, packed)]"),
    ("transparent_with_align", "#[repr(transparent, align(2))]", "#[repr(transparent)]"),
]
for tr in ("KnownLayout", "Immutable", "TryFromBytes", "FromZeros", "FromBytes", "IntoBytes", "Unaligned"):
    for slug, bad, good in bad_reprs:
        if slug in ("c_and_transparent", "transparent_with_align", "duplicate_packed") and tr not in ("KnownLayout", "IntoBytes", "Unaligned"):
            continue
        if tr == "Unaligned" and slug == "align_not_power_of_two":
            good = "#[repr(C, align(1))]"
        case(f"repr_{slug}_{tr.lower()}", f"#[derive({tr})]\n{bad}\nstruct S([u8; 4]);",
             f"#[derive({tr})]\n{good}\nstruct S([u8; 4]);", "malformed or conflicting repr hints are rejected")
for tr in ("TryFromBytes", "FromZeros", "IntoBytes"):
    case(f"repr_two_ints_on_enum_{tr.lower()}", f"#[derive({tr})]\n#[repr(u8, u16)]\nenum E {{\n    A,\n}}",
         f"#[derive({tr})]\n#[repr(u8)]\nenum E {{\n    A,\n}}", "two integer reprs conflict")
    case(f"repr_packed_on_enum_{tr.lower()}", f"#[derive({tr})]\n#[repr(u8, packed)]\nenum E {{\n    A,\n}}",
         f"#[derive({tr})]\n#[repr(u8)]\nenum E {{\n    A,\n}}", "packed is not allowed on enums")
attrs = [
    ("unknown_key", '#[zerocast(krate = "zerocast")]', '#[zerocast(crate = "zerocast")]'),
    ("not_a_string", "#[zerocast(crate = zerocast)]", '#[zerocast(crate = "zerocast")]'),
    ("not_a_path", '#[zerocast(crate = "not a path")]', '#[zerocast(crate = "::zerocast")]'),
    ("twice", '#[zerocast(crate = "zerocast", crate = "zerocast")]', '#[zerocast(crate = "zerocast")]'),
    ("wrong_path", '#[zerocast(crate = "::core")]', '#[zerocast(crate = "::zerocast")]'),
]
for slug, bad, good in attrs:
    case(f"crate_attr_{slug}", f"#[derive(FromBytes)]\n{bad}\nstruct S(u8);", f"#[derive(FromBytes)]\n{good}\nstruct S(u8);", "the crate attribute takes one path string")


# --- more combinations of the rules above ------------------------------------
for ty, okty in (("core::num::NonZeroU16", "u16"), ("&'static u8", "Option<&'static u8>"), ("core::num::NonZeroI32", "i32"),
                 ("core::ptr::NonNull<u8>", "Option<core::ptr::NonNull<u8>>"), ("fn()", "usize"), ("Box<u8>", "Option<Box<u8>>")):
    slug = slugify(ty)
    case(f"from_zeros_enum_zero_variant_field_{slug}", f"#[derive(FromZeros)]\n#[repr(u8)]\nenum E {{\n    Zero(u8, {ty}),\n    One,\n}}",
         f"#[derive(FromZeros)]\n#[repr(u8)]\nenum E {{\n    Zero(u8, {okty}),\n    One,\n}}", "the zero variant's fields must be FromZeros")
for inner, ok_inner in (("u8, u16", "[u8; 2], u16"), ("u16, u8", "u16, [u8; 2]"), ("u32, u8", "u32, [u8; 4]"), ("u8, u64", "[u8; 8], u64")):
    slug = slugify(inner)
    case(f"into_bytes_nested_padded_field_{slug}", f"#[derive(Immutable)]\n#[repr(C)]\nstruct Inner({inner});\n#[derive(IntoBytes)]\n#[repr(C)]\nstruct Outer {{\n    x: u8,\n    inner: Inner,\n}}",
         f"#[derive(IntoBytes)]\n#[repr(C)]\nstruct Inner({ok_inner});\n#[derive(IntoBytes)]\n#[repr(C, packed)]\nstruct Outer {{\n    x: u8,\n    inner: Inner,\n}}", "nested fields must be IntoBytes themselves")
for ty in ("u32", "u64", "f64", "char"):
    case(f"unaligned_enum_i8_field_{ty}", f"#[derive(Unaligned)]\n#[repr(i8)]\nenum E {{\n    A,\n    B({ty}),\n}}",
         f"#[derive(Unaligned)]\n#[repr(i8)]\nenum E {{\n    A,\n    B([u8; 4]),\n}}", "enum fields must have alignment 1")
for ty, okty in (("core::mem::ManuallyDrop<String>", "u64"), ("core::mem::ManuallyDrop<Vec<u8>>", "[usize; 3]"), ("&'static str", "Option<&'static u8>"), ("core::mem::ManuallyDrop<Box<u8>>", "usize")):
    slug = slugify(ty)
    case(f"try_from_bytes_union_field_{slug}", f"#[derive(TryFromBytes)]\n#[repr(C)]\nunion U {{\n    a: u8,\n    b: {ty},\n}}",
         f"#[derive(TryFromBytes)]\n#[repr(C)]\nunion U {{\n    a: u8,\n    b: {okty},\n}}", "every union field must be TryFromBytes")
for ty in ("(u8, core::cell::Cell<u8>)", "[core::sync::atomic::AtomicU16; 1]", "(core::cell::UnsafeCell<u16>,)"):
    slug = slugify(ty)
    case(f"immutable_nested_in_{slug}", f"#[derive(Immutable)]\nstruct S({ty});", f"#[derive(Immutable)]\nstruct S(core::marker::PhantomData<{ty}>);", "interior mutability nested in tuples and arrays")
for repr in ("#[repr(packed(2))]", "#[repr(align(8))]"):
    slug = slugify(repr)
    case(f"known_layout_dst_{slug}_without_c", f"#[derive(KnownLayout)]\n{repr}\nstruct Dst {{\n    a: u16,\n    body: [u16],\n}}",
         f"#[derive(KnownLayout)]\n{repr.replace('repr(', 'repr(C, ')}\nstruct Dst {{\n    a: u16,\n    body: [u16],\n}}", "only repr(C) DSTs have a known layout")
case("split_at_transparent_sized", "#[derive(KnownLayout, SplitAt)]\n#[repr(transparent)]\nstruct S(u16);", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S([u16]);", "the last field must be a slice (SplitAt)")
case("split_at_tuple_last_array", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S(u8, [u8; 4]);", "#[derive(KnownLayout, SplitAt)]\n#[repr(C)]\nstruct S(u8, [u8]);", "the last field must be a slice (SplitAt)")
for tr, bad in (("FromBytes", "bool"), ("IntoBytes", "&'static u8")):
    case(f"{tr.lower()}_generic_used_with_bad_argument", f"#[derive({tr})]\n#[repr(transparent)]\nstruct W<T>(T);\nfn need<T: {tr}>() {{}}\nfn use_it() {{\n    need::<W<{bad}>>();\n}}",
         f"#[derive({tr})]\n#[repr(transparent)]\nstruct W<T>(T);\nfn need<T: {tr}>() {{}}\nfn use_it() {{\n    need::<W<u8>>();\n}}", "a generic type has the trait only for arguments that have it")

case("generic_unsized_tail_not_known_layout",
     "#[derive(FromBytes, KnownLayout)]\n#[repr(C)]\nstruct P<B: ?Sized> {\n    len: u8,\n    body: B,\n}\n#[derive(FromBytes)]\n#[repr(C)]\nstruct NotKnown(u8);\nfn need<T: ?Sized + FromBytes>() {}\nfn use_it() {\n    need::<P<NotKnown>>();\n}",
     "#[derive(FromBytes, KnownLayout)]\n#[repr(C)]\nstruct P<B: ?Sized> {\n    len: u8,\n    body: B,\n}\n#[derive(FromBytes, KnownLayout)]\n#[repr(C)]\nstruct Known(u8);\nfn need<T: ?Sized + FromBytes>() {}\nfn use_it() {\n    need::<P<Known>>();\n    need::<P<[u16]>>();\n}",
     "a generic ?Sized last field is located through KnownLayout, so its argument must be KnownLayout")
case("split_at_packed_elem_is_unalign",
     "#[derive(KnownLayout, FromBytes, Immutable, SplitAt)]\n#[repr(C, packed)]\nstruct S {\n    tag: u8,\n    words: [u16],\n}\nfn right(s: &S) -> Option<&[u16]> {\n    s.split_at(0).map(|x| x.via_immutable().1)\n}",
     "#[derive(KnownLayout, FromBytes, Immutable, SplitAt)]\n#[repr(C, packed)]\nstruct S {\n    tag: u8,\n    words: [u16],\n}\nfn right(s: &S) -> Option<&[Unalign<u16>]> {\n    s.split_at(0).map(|x| x.via_immutable().1)\n}",
     "a packed struct's trailing elements may be misaligned, so SplitAt gives them as Unalign")

# A crate path that names a module with permissive padding checks (AUDIT.md, F2): the
# expansion's own `::core`-only backstop must still reject the padding.
FAKE_SUPPORT = """mod fake {
    pub use zerocast::*;
    pub mod __derive {
        pub use zerocast::__derive::*;
        pub trait PaddingFree<Ty: ?Sized, After, const OFFSET: usize, const BYTES: usize> {}
        impl<Ty: ?Sized, After, const OFFSET: usize, const BYTES: usize> PaddingFree<Ty, After, OFFSET, BYTES> for () {}
        pub trait TotalPaddingFree<Ty: ?Sized, const BYTES: usize> {}
        impl<Ty: ?Sized, const BYTES: usize> TotalPaddingFree<Ty, BYTES> for () {}
    }
}
"""
for repr, fail_body, ok_body in (
        ("#[repr(C)]", "{\n    a: u8,\n    b: u32,\n}", "{\n    a: u8,\n    pad: [u8; 3],\n    b: u32,\n}"),
        ("", "{\n    a: u8,\n    b: u32,\n}", "{\n    a: [u8; 4],\n    b: u32,\n}")):
    slug = "repr_c" if repr else "repr_rust"
    head = f"#[derive(IntoBytes)]\n#[zerocast(crate = \"fake\")]\n" + (repr + "\n" if repr else "")
    case(f"into_bytes_padding_behind_replaced_crate_path_{slug}",
         FAKE_SUPPORT + head + "struct Padded " + fail_body,
         FAKE_SUPPORT + head + "struct Padded " + ok_body,
         "padding is rejected even when the crate path names a module with permissive checks")

FAKE_DST_SUPPORT = """mod fake {
    pub use zerocast::*;
    pub mod __derive {
        pub use zerocast::__derive::*;
        pub const fn dst_gaps(_: zerocast::DstLayout, _: zerocast::DstLayout, _: usize) -> [[usize; 2]; 2] {
            [[0, 0], [0, 0]]
        }
    }
}
"""
for packed, fail_body, ok_body in (
        ("", "{\n    a: u8,\n    b: [u16],\n}", "{\n    a: [u8; 2],\n    b: [u16],\n}"),
        (", align(4)", "{\n    a: u16,\n    b: [u8],\n}", "{\n    a: u32,\n    b: [[u8; 4]],\n}")):
    slug = "align" if packed else "plain"
    head = f"#[derive(IntoBytes, KnownLayout)]\n#[zerocast(crate = \"fake\")]\n#[repr(C{packed})]\n"
    case(f"into_bytes_dst_padding_behind_replaced_crate_path_{slug}",
         FAKE_DST_SUPPORT + head + "struct Padded " + fail_body,
         FAKE_DST_SUPPORT + head + "struct Padded " + ok_body,
         "slice-DST padding is rejected even when the crate path names a module with a permissive gap measure")

# A last field whose sizedness the tokens do not show (`inner: Inner`), behind a module
# whose `dst_gaps` reports no gaps: the backstop measures the struct itself (sized) or from
# `KnownLayout`, which a local witness impl shows to be zerocast's (AUDIT.md, F2).
for slug, inner, derives, fail_lead, ok_lead in (
        ("sized", "#[derive(IntoBytes)]\n#[repr(C)]\nstruct Inner(u32);\n", "IntoBytes", "u8", "[u8; 4]"),
        ("dst", "#[derive(IntoBytes, KnownLayout)]\n#[repr(C)]\nstruct Inner {\n    x: u16,\n    t: [u16],\n}\n", "IntoBytes, KnownLayout", "u8", "[u8; 2]")):
    head = FAKE_DST_SUPPORT + inner + f"#[derive({derives})]\n#[zerocast(crate = \"fake\")]\n#[repr(C)]\n"
    case(f"into_bytes_unknown_tail_padding_behind_replaced_crate_path_{slug}",
         head + f"struct Padded {{\n    a: {fail_lead},\n    inner: Inner,\n}}",
         head + f"struct Padded {{\n    a: {ok_lead},\n    inner: Inner,\n}}",
         "padding before a last field of unknown sizedness is rejected even when the crate path names a module with a permissive gap measure")

# Traits the expansion relies on but does not implement, replaced at the crate path: a safe
# blanket trait (fails the witness `unsafe impl`) or another of zerocast's marker traits
# (fails the probe type). The twins name an honest module.
def fake_module(extra):
    return "mod fake {\n    pub use zerocast::*;\n" + extra + "}\n"
HONEST = fake_module("")
BLANKET_UNALIGNED = fake_module("    pub trait Unaligned {}\n    impl<T: ?Sized> Unaligned for T {}\n")
ALIAS_UNALIGNED = fake_module("    pub use zerocast::Immutable as Unaligned;\n")
ALIAS_FROM_BYTES = fake_module("    pub use zerocast::Immutable as FromBytes;\n")
GENERIC_STRUCT = "#[derive(IntoBytes)]\n#[zerocast(crate = \"fake\")]\n#[repr(C)]\nstruct G<T> {\n    a: u8,\n    b: T,\n}"
GENERIC_ENUM = "#[derive(IntoBytes)]\n#[zerocast(crate = \"fake\")]\n#[repr(u8)]\nenum E<T> {\n    A(T),\n    B(T),\n}"
for slug, module in (("blanket", BLANKET_UNALIGNED), ("alias", ALIAS_UNALIGNED)):
    case(f"into_bytes_generic_struct_unaligned_behind_replaced_crate_path_{slug}", module + GENERIC_STRUCT, HONEST + GENERIC_STRUCT,
         "the fields of a generic struct must be zerocast's `Unaligned`, whatever the crate path names")
    case(f"into_bytes_generic_enum_unaligned_behind_replaced_crate_path_{slug}", module + GENERIC_ENUM, HONEST + GENERIC_ENUM,
         "the fields of a generic enum must be zerocast's `Unaligned`, whatever the crate path names")
FLAG = "#[derive(FromBytes)]\n#[zerocast(crate = \"fake\")]\n#[repr(C)]\nstruct Flag {\n    on: u8,\n}"
case("from_bytes_behind_replaced_crate_path_alias", ALIAS_FROM_BYTES + FLAG, HONEST + FLAG,
     "every byte pattern is accepted only through zerocast's `FromBytes`, whatever the crate path names")

# A packed `SplitAt` struct's elements are `Unalign`ed; reached through the crate path, a
# module's own `Unalign` (here with `MaybeUninit` inside) would let safe code write
# uninitialized bytes over `bool`s (AUDIT.md, F6). The derive takes `Unalign` from the
# `SplitAt` trait it implements, so the elements are zerocast's `Unalign<bool>`.
MAYBE_UNINIT_UNALIGN = fake_module("    #[repr(C, packed)]\n    pub struct Unalign<T>(pub core::mem::MaybeUninit<T>);\n")
PACKED_FLAGS = "#[derive(TryFromBytes, IntoBytes, KnownLayout, SplitAt)]\n#[zerocast(crate = \"fake\")]\n#[repr(C, packed)]\nstruct Packed {\n    tag: u8,\n    flags: [bool],\n}\nfn write_first_flag(bytes: &mut [u8]) {\n    let packed = Packed::try_mut_from_bytes(bytes).unwrap();\n    let (_left, right) = packed.split_at_mut(0).unwrap().via_into_bytes();\n    right[0] = "
case("split_at_packed_unalign_behind_replaced_crate_path", MAYBE_UNINIT_UNALIGN + PACKED_FLAGS + "fake::Unalign(core::mem::MaybeUninit::uninit());\n}",
     MAYBE_UNINIT_UNALIGN + PACKED_FLAGS + "Unalign::new(true);\n}",
     "a packed struct's trailing elements are zerocast's `Unalign`, whatever the crate path names")

CASES[:] = [c for c in CASES if c]

HEADER = "use zerocast::*;\n#[allow(unused_imports)]\nuse zerocast::byteorder::*;\n\n"

# The end of tests/ui_pass.rs. The number of rules is written once (EXPECTED_TWINS); the test
# counts the twins the compiled file really holds and the twin names in the compile-fail
# cases' headers, so a twin or case lost, renamed or added by hand makes it fail.
TWIN_COUNT_TEST = """
/// The number of rules in tests/ui/generate.py's table when this file was generated.
const EXPECTED_TWINS: usize = @TWINS@;

/// This file's top-level modules (the twins) and the twins named by the generated
/// compile-fail cases (tests/ui and tests/ui-post-mono) are the same `EXPECTED_TWINS` names.
#[test]
#[cfg_attr(miri, ignore)]
fn every_compile_fail_case_has_exactly_one_passing_twin() {
    use std::collections::BTreeSet;
    let twins: Vec<&str> = include_str!("ui_pass.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(" {"))
        .collect();
    assert_eq!(twins.len(), EXPECTED_TWINS, "passing twins in this file");
    let twins: BTreeSet<&str> = twins.into_iter().collect();
    assert_eq!(twins.len(), EXPECTED_TWINS, "a twin name appears twice");
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut named = BTreeSet::new();
    for dir in ["ui", "ui-post-mono"] {
        for entry in std::fs::read_dir(tests.join(dir)).expect("case directory") {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).expect("case readable");
                let twin = text
                    .split("the passing twin is `")
                    .nth(1)
                    .and_then(|rest| rest.split('`').next())
                    .unwrap_or_else(|| panic!("{} names no passing twin", path.display()));
                assert!(named.insert(twin.to_string()), "{} names a twin twice", path.display());
            }
        }
    }
    let twins: BTreeSet<String> = twins.into_iter().map(String::from).collect();
    let without_twin: Vec<_> = named.difference(&twins).collect();
    let without_case: Vec<_> = twins.difference(&named).collect();
    assert!(
        without_twin.is_empty() && without_case.is_empty(),
        "cases without a twin: {without_twin:?}; twins without a case: {without_case:?}"
    );
}
"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    post_mono_dir = os.path.join(here, "..", "ui-post-mono")
    os.makedirs(post_mono_dir, exist_ok=True)
    for d in (here, post_mono_dir):
        for f in os.listdir(d):
            if f.endswith(".rs"):
                os.remove(os.path.join(d, f))
    names = set()
    for name, fail, _ok, note, post_mono in CASES:
        names.add(name)
        with open(os.path.join(post_mono_dir if post_mono else here, name + ".rs"), "w") as out:
            out.write(f"// Rule: {note}.\n// Generated by generate.py; the passing twin is `{name}` in tests/ui_pass.rs.\n")
            out.write("#![allow(dead_code, unused_imports)]\n" + HEADER + fail + "\n\nfn main() {}\n")
    mods = []
    for name, _fail, ok, note, _post_mono in CASES:
        body = "\n".join(("    " + l) if l else "" for l in ok.splitlines())
        mods.append(f"// {note}\nmod {name} {{\n    #![allow(dead_code, unused_imports)]\n    use zerocast::*;\n\n{body}\n}}\n")
    with open(os.path.join(here, "..", "ui_pass.rs"), "w") as out:
        out.write("//! The passing twin of every compile-fail case in tests/ui (generated by\n"
                  "//! tests/ui/generate.py): each differs from its failing case only in the\n"
                  "//! detail the rule is about, so this file compiling shows the rules are\n"
                  "//! not stricter than they should be.\n\n")
        out.write("\n".join(mods))
        out.write(TWIN_COUNT_TEST.replace("@TWINS@", str(len(CASES))))
    # Keep the generated test target as `cargo fmt --check` wants it.
    import subprocess
    subprocess.run(["rustfmt", "--edition", "2021", os.path.join(here, "..", "ui_pass.rs")], check=True)
    print(len(CASES), "cases")


main()
