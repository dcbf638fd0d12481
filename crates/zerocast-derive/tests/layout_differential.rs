//! Differential layout test against rustc.
//!
//! A deterministic generator writes random type definitions (nested structs,
//! unions and enums, every repr combination, primitives, arrays, byteorder
//! types, trailing slices and nested packed/aligned DSTs) into a scratch
//! crate that derives the zerocast traits on all of them, then checks every
//! verdict against what the compiler says:
//!
//! - `IntoBytes` is accepted exactly when the type has no padding, computed
//!   from `size_of`/`size_of_val` of the type and its fields;
//! - `KnownLayout::LAYOUT` has the compiler's alignment, and
//!   `size_for_metadata(n)` equals `size_of_val` of a real value with `n`
//!   trailing elements (n = 0..8);
//! - `Unaligned` is accepted only with alignment 1, and always when the
//!   alignment is 1, the repr defines it and every field is `Unaligned`;
//! - a generic enum whose `IntoBytes` derive is accepted has no padding for
//!   any of several type arguments: rustc's size equals the tag plus any one
//!   variant's fields (the generic rule is conservative, so rejections are
//!   not checked). These come from their own random stream, so adding them
//!   did not change the other generated types.
//!
//! The derive's rejections are read from the compiler's JSON diagnostics
//! (each maps to the type whose lines it points at); the scratch crate is
//! then rebuilt without the rejected derives and run.
//!
//! `ZC_DIFF_TYPES` (default 3000) sets the number of types, `ZC_DIFF_SEED`
//! the seed, `ZC_DIFF_CHUNK` how many types go into one scratch crate (default 3000).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether DST structs may end in another generated DST (see `generate`).
const NESTED_DST_TAILS: bool = true;

/// xorshift64*: small, deterministic, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Struct,
    DstStruct,
    FieldlessEnum,
    DataEnum,
    Union,
    /// `enum G<T>` deriving only `IntoBytes` (and `Immutable`); `fields`
    /// holds each variant's fields with `{T}` for the parameter.
    GenericEnum,
}

/// What the generator knows about one generated type.
struct Def {
    name: String,
    kind: Kind,
    /// Field types (for a DST struct the last one is the tail).
    fields: Vec<String>,
    /// Whether each field type is one of the generated types' names.
    repr: String,
    /// Element type of the trailing slice when the tail is `[E]`.
    tail_elem: Option<String>,
    /// Index of the generated DST type used as the tail, if any.
    tail_dst: Option<usize>,
    /// Repr of a fieldless enum's integer (for Unaligned expectations).
    int: Option<&'static str>,
    /// Whether an `align(N)` type is in it, transitively (a packed type
    /// may not contain one, E0588).
    has_align: bool,
}

/// The generated type names a field type mentions.
fn mentioned<'a>(ty: &str, defs: &'a [Def]) -> Vec<&'a Def> {
    ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter_map(|w| defs.iter().find(|d| d.name == w))
        .collect()
}

fn contains_align(ty: &str, defs: &[Def]) -> bool {
    mentioned(ty, defs).iter().any(|d| d.has_align)
}

/// Field types for a type with `repr`: retries picks that would put an
/// `align(N)` type inside a packed one.
fn fields_for(rng: &mut Rng, defs: &[Def], repr: &str, n: usize, depth: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            for _ in 0..8 {
                let f = field_type(rng, defs, depth);
                if !(repr.contains("packed") && contains_align(&f, defs)) {
                    return f;
                }
            }
            "u8".to_string()
        })
        .collect()
}

const PRIMS: &[&str] = &[
    "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "bool", "char", "u128",
];
const BYTEORDER: &[&str] = &[
    "U16<BigEndian>",
    "U32<LittleEndian>",
    "I64<BigEndian>",
    "U64<LittleEndian>",
    "F32<BigEndian>",
];

fn struct_repr(rng: &mut Rng, allow_rust: bool) -> String {
    let options: &[&str] = &[
        "C",
        "C, packed",
        "C, packed(2)",
        "C, packed(4)",
        "C, align(2)",
        "C, align(4)",
        "C, align(8)",
        "C, align(16)",
        "packed",
        "Rust",
        "transparent",
    ];
    loop {
        let r = *rng.pick(options);
        if r == "Rust" && !allow_rust {
            continue;
        }
        return r.to_string();
    }
}

/// A sized field type: a primitive, byteorder type, array, or an earlier
/// sized generated type.
fn field_type(rng: &mut Rng, defs: &[Def], depth: usize) -> String {
    match rng.below(10) {
        0..=3 => rng.pick(PRIMS).to_string(),
        4 => rng.pick(BYTEORDER).to_string(),
        5 => {
            let inner = field_type(rng, defs, depth + 1);
            format!("[{inner}; {}]", rng.below(4))
        }
        _ => {
            let sized: Vec<&Def> = defs.iter().filter(|d| d.kind != Kind::DstStruct).collect();
            if sized.is_empty() || depth > 2 {
                rng.pick(PRIMS).to_string()
            } else {
                sized[sized.len() - 1 - rng.below(sized.len().min(40))]
                    .name
                    .clone()
            }
        }
    }
}

/// A `FromBytes` field type (DST structs derive `FromBytes`, whose
/// validity check needs no field projection, so nested DST tails work).
fn plain_type(rng: &mut Rng, depth: usize) -> String {
    const PLAIN: &[&str] = &[
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "u128",
    ];
    match rng.below(6) {
        0..=3 => rng.pick(PLAIN).to_string(),
        4 => rng.pick(BYTEORDER).to_string(),
        _ if depth < 2 => format!("[{}; {}]", plain_type(rng, depth + 1), rng.below(4)),
        _ => "u8".to_string(),
    }
}

fn generate(rng: &mut Rng, count: usize, prefix: &str) -> Vec<Def> {
    let mut defs: Vec<Def> = Vec::new();
    for i in 0..count {
        let name = format!("{prefix}{i}");
        let roll = rng.below(20);
        let def = if roll < 9 {
            let mut repr = struct_repr(rng, true);
            let n = if repr == "transparent" {
                1
            } else {
                rng.below(5)
            };
            let fields = fields_for(rng, &defs, &repr, n, 0);
            if repr == "transparent" && fields.is_empty() {
                repr = "C".into();
            }
            Def {
                name,
                kind: Kind::Struct,
                fields,
                repr,
                tail_elem: None,
                tail_dst: None,
                int: None,
                has_align: false,
            }
        } else if roll < 14 {
            let repr = struct_repr(rng, false);
            let repr = if repr == "packed" || repr == "transparent" {
                "C".to_string()
            } else {
                repr
            };
            let n = rng.below(4);
            let mut fields: Vec<String> = (0..n).map(|_| plain_type(rng, 0)).collect();
            let dsts: Vec<usize> = defs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.kind == Kind::DstStruct)
                .map(|(j, _)| j)
                .collect();
            // packed structs cannot contain `align(N)` types (E0588).
            let nestable: Vec<usize> = dsts
                .into_iter()
                .filter(|&j| !(repr.contains("packed") && defs[j].has_align))
                .collect();
            let (tail_elem, tail_dst) =
                if NESTED_DST_TAILS && !nestable.is_empty() && rng.below(3) == 0 {
                    let j = nestable[nestable.len() - 1 - rng.below(nestable.len().min(20))];
                    fields.push(defs[j].name.clone());
                    (None, Some(j))
                } else {
                    let mut elem = plain_type(rng, 0);
                    // Zero-sized trailing elements are rejected by design.
                    if elem.contains("; 0]") {
                        elem = "u8".into();
                    }
                    fields.push(format!("[{elem}]"));
                    (Some(elem), None)
                };
            Def {
                name,
                kind: Kind::DstStruct,
                fields,
                repr,
                tail_elem,
                tail_dst,
                int: None,
                has_align: false,
            }
        } else if roll < 17 {
            let int = *rng.pick(&["u8", "i8", "u16", "u32", "i32", "u64"]);
            let n = 1 + rng.below(4);
            let fields = (0..n).map(|v| format!("V{v}")).collect();
            Def {
                name,
                kind: Kind::FieldlessEnum,
                fields,
                repr: int.to_string(),
                tail_elem: None,
                tail_dst: None,
                int: Some(int),
                has_align: false,
            }
        } else if roll < 19 {
            let repr = rng.pick(&["u8", "C, u8", "C", "u16", "C, u32"]).to_string();
            let n = 1 + rng.below(3);
            let fields = (0..n).map(|_| field_type(rng, &defs, 1)).collect();
            Def {
                name,
                kind: Kind::DataEnum,
                fields,
                repr,
                tail_elem: None,
                tail_dst: None,
                int: None,
                has_align: false,
            }
        } else {
            let repr = rng
                .pick(&["C", "C, packed", "C, align(8)", "Rust"])
                .to_string();
            let n = 1 + rng.below(3);
            let fields = fields_for(rng, &defs, &repr, n, 1);
            Def {
                name,
                kind: Kind::Union,
                fields,
                repr,
                tail_elem: None,
                tail_dst: None,
                int: None,
                has_align: false,
            }
        };
        let mut def = def;
        def.has_align =
            def.repr.contains("align") || def.fields.iter().any(|f| contains_align(f, &defs));
        defs.push(def);
    }
    defs
}

/// Generic enums: a one-byte tag in most (`repr(u16)`/`repr(C)` ones must be
/// rejected), `Unaligned` fields only, and variants that usually share the
/// first variant's parameter fields and sometimes its known-size fields.
fn generate_generic_enums(rng: &mut Rng, count: usize, prefix: &str) -> Vec<Def> {
    const GENERIC: &[&str] = &["{T}", "[{T}; 2]"];
    const KNOWN: &[&str] = &[
        "u8",
        "i8",
        "[u8; 2]",
        "U16<BigEndian>",
        "U32<LittleEndian>",
        "[u8; 0]",
    ];
    fn shuffle(rng: &mut Rng, v: &mut [String]) {
        for i in (1..v.len()).rev() {
            v.swap(i, rng.below(i + 1));
        }
    }
    (0..count)
        .map(|i| {
            let repr = rng
                .pick(&["u8", "i8", "C, u8", "C, i8", "u16", "C"])
                .to_string();
            let pick = |rng: &mut Rng, from: &[&str], n: usize| -> Vec<String> {
                (0..n).map(|_| rng.pick(from).to_string()).collect()
            };
            let n = 1 + rng.below(2);
            let first_generic = pick(rng, GENERIC, n);
            let n = rng.below(3);
            let first_known = pick(rng, KNOWN, n);
            let variants = (0..1 + rng.below(3))
                .map(|v| {
                    let generic = if v == 0 || rng.below(4) != 0 {
                        first_generic.clone()
                    } else {
                        let n = rng.below(3);
                        pick(rng, GENERIC, n)
                    };
                    let known = if v == 0 || rng.below(2) == 0 {
                        first_known.clone()
                    } else {
                        let n = rng.below(3);
                        pick(rng, KNOWN, n)
                    };
                    let mut all: Vec<String> = generic.into_iter().chain(known).collect();
                    shuffle(rng, &mut all);
                    all.join(", ")
                })
                .collect();
            Def {
                name: format!("{prefix}G{i}"),
                kind: Kind::GenericEnum,
                fields: variants,
                repr,
                tail_elem: None,
                tail_dst: None,
                int: None,
                has_align: false,
            }
        })
        .collect()
}

/// Type arguments every accepted generic enum is checked with.
const GENERIC_ARGS: &[&str] = &[
    "u8",
    "()",
    "[u8; 3]",
    "U16<BigEndian>",
    "[U32<LittleEndian>; 2]",
];

/// Which derives a type attempts, minus those known to be rejected.
fn derives(def: &Def, rejected: &BTreeSet<(String, &'static str)>) -> Vec<&'static str> {
    if def.kind == Kind::GenericEnum {
        let mut d = vec!["Immutable", "IntoBytes"];
        d.retain(|t| !rejected.contains(&(def.name.clone(), *t)));
        return d;
    }
    // DSTs derive `FromZeros`, whose `TryFromBytes` projects every field
    // (through `zerocast::__derive::Field` for a nested DST tail), so the
    // size checks below, which go through `try_ref_from_prefix_with_elems`,
    // also run those projections.
    let validity = if def.kind == Kind::DstStruct {
        "FromZeros"
    } else {
        "TryFromBytes"
    };
    let mut d = vec!["KnownLayout", "Immutable", validity];
    match def.kind {
        Kind::Struct | Kind::FieldlessEnum | Kind::DstStruct => d.push("IntoBytes"),
        Kind::DataEnum | Kind::Union | Kind::GenericEnum => {}
    }
    if def.repr != "Rust" {
        d.push("Unaligned");
    }
    d.retain(|t| !rejected.contains(&(def.name.clone(), *t)));
    d
}

/// Writes the scratch crate's `main.rs`; returns each type's line range.
fn render(
    defs: &[Def],
    rejected: &BTreeSet<(String, &'static str)>,
) -> (String, Vec<(usize, usize, String)>) {
    let mut out = String::new();
    out.push_str("#![allow(dead_code, non_camel_case_types, non_snake_case, unused_imports)]\n");
    out.push_str("use zerocast::*;\nuse zerocast::byteorder::*;\nuse core::mem::{size_of, align_of, size_of_val, align_of_val};\n");
    out.push_str(
        "#[repr(C, align(16))]\nstruct Buf([u8; 4096]);\nstatic BUF: Buf = Buf([0; 4096]);\n",
    );
    let mut ranges = Vec::new();
    for def in defs {
        let start = out.lines().count() + 1;
        let d = derives(def, rejected);
        let repr = if def.repr == "Rust" {
            String::new()
        } else {
            format!("#[repr({})]\n", def.repr)
        };
        let _ = write!(out, "#[derive({})]\n{repr}", d.join(", "));
        match def.kind {
            Kind::Struct | Kind::DstStruct => {
                let fields: Vec<String> = def
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("    f{i}: {f},\n"))
                    .collect();
                let _ = writeln!(out, "struct {} {{\n{}}}", def.name, fields.concat());
            }
            Kind::FieldlessEnum => {
                let vs: Vec<String> = def.fields.iter().map(|v| format!("    {v},\n")).collect();
                let _ = writeln!(out, "enum {} {{\n{}}}", def.name, vs.concat());
            }
            Kind::DataEnum => {
                let vs: Vec<String> = def
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("    V{i}({f}),\n"))
                    .collect();
                let _ = writeln!(out, "enum {} {{\n{}}}", def.name, vs.concat());
            }
            Kind::Union => {
                let fields: Vec<String> = def
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("    f{i}: core::mem::ManuallyDrop<{f}>,\n"))
                    .collect();
                let _ = writeln!(out, "union {} {{\n{}}}", def.name, fields.concat());
            }
            Kind::GenericEnum => {
                let vs: Vec<String> = def
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| match f.as_str() {
                        "" => format!("    V{i},\n"),
                        f => format!("    V{i}({}),\n", f.replace("{T}", "T")),
                    })
                    .collect();
                let _ = writeln!(out, "enum {}<T> {{\n{}}}", def.name, vs.concat());
            }
        }
        let end = out.lines().count();
        ranges.push((start, end, def.name.clone()));
    }
    (out, ranges)
}

/// The runtime checks, appended once the derive verdicts are final.
fn render_checks(defs: &[Def], rejected: &BTreeSet<(String, &'static str)>) -> String {
    let mut out = String::new();
    // Padding-free truth: computed only from the compiler's sizes.
    out.push_str("fn pf_prim() -> bool { true }\n");
    // One small function per type: a single huge `main` makes the
    // checking program very slow to compile.
    let mut main = String::new();
    let mut calls = String::new();
    let mut truth_fns = String::new();
    for def in defs.iter().filter(|d| d.kind == Kind::GenericEnum) {
        let n = &def.name;
        let _ = writeln!(
            main,
            "fn check_{n}(bad: &mut usize, checked: &mut usize) {{\n    *checked += 1;"
        );
        let _ = writeln!(calls, "    check_{n}(&mut bad, &mut checked);");
        if derives(def, rejected).contains(&"IntoBytes") {
            for arg in GENERIC_ARGS {
                // The impl must exist for the argument (compile-time), and
                // every variant must fill the enum (run time).
                let _ = writeln!(main, "    into_bytes::<{n}<{arg}>>();");
                for (v, fields) in def.fields.iter().enumerate() {
                    let sum: String = fields
                        .split(", ")
                        .filter(|f| !f.is_empty())
                        .map(|f| format!(" + size_of::<{}>()", f.replace("{T}", arg)))
                        .collect();
                    let _ = writeln!(main, "    if size_of::<{n}<{arg}>>() != 1{sum} {{ *bad += 1; println!(\"GENERIC_ENUM {n}<{arg}> V{v} has padding\"); }}");
                }
            }
        }
        main.push_str("}\n");
    }
    for def in defs.iter().filter(|d| d.kind != Kind::GenericEnum) {
        let n = &def.name;
        let has = |t: &'static str| derives(def, rejected).contains(&t);
        // `pf_X(k)`: bytes of data in a padding-free X with k trailing
        // elements, or None if X has padding (or is not IntoBytes-able).
        let body = match def.kind {
            Kind::FieldlessEnum => "Some(size_of::<Self_>())".to_string(),
            Kind::DataEnum | Kind::Union | Kind::GenericEnum => "None".to_string(),
            Kind::Struct => {
                let sum: Vec<String> = def
                    .fields
                    .iter()
                    .map(|f| format!("pf_ty::<{f}>({})?", pf_call(f)))
                    .collect();
                format!(
                    "let s = 0 {}; if s == size_of::<Self_>() {{ Some(s) }} else {{ None }}",
                    sum.iter().map(|x| format!("+ {x}")).collect::<String>()
                )
            }
            Kind::DstStruct => {
                let (lead, _) = def.fields.split_at(def.fields.len() - 1);
                let sum: Vec<String> = lead
                    .iter()
                    .map(|f| format!("+ pf_ty::<{f}>({})?", pf_call(f)))
                    .collect();
                let tail = match (&def.tail_elem, def.tail_dst) {
                    (Some(e), _) => format!("k * pf_ty::<{e}>({})?", pf_call(e)),
                    (None, Some(j)) => format!("pf_{}(k)?", defs[j].name),
                    _ => unreachable!(),
                };
                format!(
                    "let s = 0 {} + {tail}; if s == dst_size_{n}(k)? {{ Some(s) }} else {{ None }}",
                    sum.concat()
                )
            }
        };
        let _ = writeln!(truth_fns, "#[allow(unused_variables)]\nfn pf_{n}(k: usize) -> Option<usize> {{ type Self_ = {n}; {body} }}");
        if def.kind == Kind::DstStruct {
            let _ = writeln!(
                truth_fns,
                "fn dst_size_{n}(k: usize) -> Option<usize> {{ {n}::try_ref_from_prefix_with_elems(&BUF.0[..], k).ok().map(|(r, _)| size_of_val(r)) }}\nfn dst_align_{n}() -> usize {{ {n}::try_ref_from_prefix_with_elems(&BUF.0[..], 0).map(|(r, _)| align_of_val(r)).unwrap_or(0) }}"
            );
        }
        // Checks.
        let _ = writeln!(
            main,
            "fn check_{n}(bad: &mut usize, checked: &mut usize) {{\n    *checked += 1;"
        );
        let _ = writeln!(calls, "    check_{n}(&mut bad, &mut checked);");
        if def.kind == Kind::DstStruct {
            let _ = writeln!(
                main,
                "    if {n}::LAYOUT.align() != dst_align_{n}() {{ *bad += 1; println!(\"ALIGN {n}\"); }}\n    for k in 0..8 {{ if {n}::size_for_metadata(k) != dst_size_{n}(k) {{ *bad += 1; println!(\"SIZE {n} {{k}}\"); }} }}"
            );
        } else {
            let _ = writeln!(
                main,
                "    if {n}::LAYOUT.align() != align_of::<{n}>() || {n}::size_for_metadata(()) != Some(size_of::<{n}>()) {{ *bad += 1; println!(\"LAYOUT {n}\"); }}"
            );
        }
        if matches!(
            def.kind,
            Kind::Struct | Kind::FieldlessEnum | Kind::DstStruct
        ) {
            let accepted = has("IntoBytes");
            let truth = if def.kind == Kind::DstStruct {
                format!("(0..8).all(|k| pf_{n}(k).is_some())")
            } else {
                format!("pf_{n}(0).is_some()")
            };
            let _ = writeln!(main, "    if {truth} != {accepted} {{ *bad += 1; println!(\"INTO_BYTES {n}: derive says {accepted}\"); }}");
        }
        if def.repr != "Rust" {
            let accepted = has("Unaligned");
            let align = if def.kind == Kind::DstStruct {
                format!("dst_align_{n}()")
            } else {
                format!("align_of::<{n}>()")
            };
            // Soundness: accepted implies alignment 1.
            let _ = writeln!(main, "    if {accepted} && {align} != 1 {{ *bad += 1; println!(\"UNALIGNED unsound {n}\"); }}");
            // Completeness where the rule promises acceptance.
            let fields_ok = unaligned_fields_ok(def, defs, rejected);
            let promised = match def.kind {
                Kind::FieldlessEnum => matches!(def.int, Some("u8" | "i8")),
                _ => {
                    fields_ok
                        || def.repr.contains("packed") && !def.repr.contains("packed(")
                        || def.repr == "C, packed"
                }
            };
            let _ = writeln!(main, "    if {promised} && {align} == 1 && !{accepted} {{ *bad += 1; println!(\"UNALIGNED missed {n}\"); }}");
        }
        main.push_str("}\n");
    }
    out.push_str(&truth_fns);
    out.push_str(
        "trait PfTy { fn pf(k: usize) -> Option<usize>; }\nfn pf_ty<T: PfTy + ?Sized>(k: usize) -> Option<usize> { T::pf(k) }\nfn into_bytes<T: IntoBytes + ?Sized>() {}\n",
    );
    for p in PRIMS.iter().chain(BYTEORDER) {
        let _ = writeln!(out, "impl PfTy for {p} {{ fn pf(_: usize) -> Option<usize> {{ Some(size_of::<Self>()) }} }}");
    }
    out.push_str("impl<T: PfTy, const N: usize> PfTy for [T; N] { fn pf(_: usize) -> Option<usize> { Some(N * T::pf(0)?) } }\n");
    for def in defs.iter().filter(|d| d.kind != Kind::GenericEnum) {
        let _ = writeln!(
            out,
            "impl PfTy for {0} {{ fn pf(k: usize) -> Option<usize> {{ pf_{0}(k) }} }}",
            def.name
        );
    }
    out.push_str(&main);
    out.push_str("fn main() {\n    let mut bad = 0usize;\n    let mut checked = 0usize;\n");
    out.push_str(&calls);
    out.push_str("    println!(\"checked {checked} types, {bad} disagreements\");\n    std::process::exit(if bad == 0 { 0 } else { 1 });\n}\n");
    out
}

fn pf_call(_ty: &str) -> &'static str {
    "0"
}

/// Whether every field of `def` had its `Unaligned` derive accepted (or is
/// a primitive/array of alignment 1).
fn unaligned_fields_ok(
    def: &Def,
    defs: &[Def],
    rejected: &BTreeSet<(String, &'static str)>,
) -> bool {
    let base = |f: &str| -> bool {
        let f = f
            .trim_start_matches('[')
            .split(';')
            .next()
            .unwrap_or(f)
            .trim_end_matches(']')
            .trim();
        if ["u8", "i8", "bool"].contains(&f) || BYTEORDER.contains(&f) {
            return true;
        }
        match defs.iter().find(|d| d.name == f) {
            Some(d) => d.repr != "Rust" && !rejected.contains(&(d.name.clone(), "Unaligned")),
            None => false,
        }
    };
    def.fields.iter().all(|f| match def.kind {
        Kind::FieldlessEnum => true,
        _ => base(f),
    })
}

fn scratch_dir(chunk: usize) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("layout-diff-{chunk}"))
}

fn write_crate(dir: &Path, main_rs: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("create scratch crate");
    let zerocast = Path::new(env!("CARGO_MANIFEST_DIR")).join("../zerocast");
    let manifest = format!(
        "[package]\nname = \"layout-diff\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nzerocast = {{ path = {:?}, features = [\"derive\"] }}\n\n[workspace]\n",
        zerocast.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");
    std::fs::write(dir.join("src/main.rs"), main_rs).expect("write main.rs");
}

/// Builds the scratch crate; returns the (type, trait) pairs the compiler
/// rejected. Each error is attributed through its primary span in
/// `src/main.rs` (which lies inside exactly one type's lines) and the trait
/// its text names (or, failing that, the derive macro it comes from).
fn rejections(
    dir: &Path,
    ranges: &[(usize, usize, String)],
    source: &str,
) -> BTreeSet<(String, &'static str)> {
    const TRAITS: [&str; 5] = [
        "IntoBytes",
        "Unaligned",
        "KnownLayout",
        "TryFromBytes",
        "Immutable",
    ];
    let out = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--message-format=json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = source.lines().collect();
    let mut set = BTreeSet::new();
    for raw in stdout.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) else {
            continue;
        };
        let msg = &v["message"];
        if v["reason"] != "compiler-message" || msg["level"] != "error" {
            continue;
        }
        let text = msg["message"].as_str().unwrap_or("");
        if text.starts_with("aborting due to") {
            continue;
        }
        let primary_lines: Vec<usize> = msg["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|sp| sp["is_primary"] == true && sp["file_name"] == "src/main.rs")
            .filter_map(|sp| sp["line_start"].as_u64().map(|l| l as usize))
            .collect();
        let rendered = msg["rendered"].as_str().unwrap_or(text);
        let from_macro = rendered
            .split("derive macro `")
            .nth(1)
            .and_then(|t| t.split('`').next())
            .unwrap_or("");
        let attributed = primary_lines.iter().find_map(|line| {
            let (start, _, name) = ranges.iter().find(|(s, e, _)| (*s..=*e).contains(line))?;
            let derive_line = lines.get(start - 1).copied().unwrap_or("");
            let t = TRAITS
                .into_iter()
                .find(|t| text.contains(&format!("{t}`")) || text.contains(&format!("::{t}")))
                .or_else(|| TRAITS.into_iter().find(|t| from_macro == *t))
                .filter(|t| derive_line.contains(t))?;
            if std::env::var_os("ZC_DIFF_DEBUG").is_some() {
                eprintln!("{name} {t} <- line {line}: {text}");
            }
            Some((name.clone(), t))
        });
        match attributed {
            Some(pair) => {
                set.insert(pair);
            }
            None => panic!("a compile error not attributable to a derive: {rendered}"),
        }
    }
    set
}

fn run_chunk(chunk: usize, count: usize, seed: u64) {
    let mut rng = Rng(seed ^ (chunk as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut defs = generate(&mut rng, count, &format!("T{chunk}_"));
    let mut generic_rng = Rng(rng.next() ^ 0x6E6E_7269_6320_656E | 1);
    defs.extend(generate_generic_enums(
        &mut generic_rng,
        count / 10,
        &format!("T{chunk}_"),
    ));
    let dir = scratch_dir(chunk);
    let mut rejected = BTreeSet::new();
    // One round of rejections usually covers their propagation (a struct
    // with a rejected field is rejected in the same compiler run); if the
    // checking program then fails to build, look for more and retry.
    let mut out = None;
    for _round in 0..6 {
        let (mut src, ranges) = render(&defs, &rejected);
        src.push_str("fn main() {}\n");
        write_crate(&dir, &src);
        let new = rejections(&dir, &ranges, &src);
        let settled = new.is_empty();
        rejected.extend(new);
        let (mut src, _) = render(&defs, &rejected);
        src.push_str(&render_checks(&defs, &rejected));
        write_crate(&dir, &src);
        let run = Command::new(env!("CARGO"))
            .args(["run", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .expect("run cargo");
        let built =
            run.status.success() || String::from_utf8_lossy(&run.stdout).contains("disagreements");
        out = Some(run);
        if built || settled {
            break;
        }
    }
    let out = out.expect("at least one round");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "chunk {chunk} (seed {seed}) disagrees with rustc:\n{stdout}\n{}",
        &stderr[..stderr.len().min(4000)]
    );
    let generic: Vec<&Def> = defs
        .iter()
        .filter(|d| d.kind == Kind::GenericEnum)
        .collect();
    assert!(
        stdout.contains(&format!("checked {} types, 0 disagreements", defs.len())),
        "{stdout}"
    );
    let generic_accepted = generic
        .iter()
        .filter(|d| !rejected.contains(&(d.name.clone(), "IntoBytes")))
        .count();
    println!(
        "chunk {chunk}: {count} types agree ({} derive rejections); {} generic enums, {generic_accepted} accepted as IntoBytes and padding-free for {} type arguments each",
        rejected.len(),
        generic.len(),
        GENERIC_ARGS.len()
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn derive_verdicts_agree_with_rustc_layouts() {
    let total: usize = std::env::var("ZC_DIFF_TYPES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("ZC_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_2026);
    let chunk_size: usize = std::env::var("ZC_DIFF_CHUNK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let chunks = total.div_ceil(chunk_size);
    // `ZC_DIFF_ONLY_CHUNK=k` runs one chunk (to spread a long run over
    // several processes); the types of chunk k do not depend on the others.
    let only: Option<usize> = std::env::var("ZC_DIFF_ONLY_CHUNK")
        .ok()
        .and_then(|v| v.parse().ok());
    for chunk in (0..chunks).filter(|c| only.is_none_or(|o| o == *c)) {
        let count = chunk_size.min(total - chunk * chunk_size);
        run_chunk(chunk, count, seed);
    }
}
