//! Compile-time guarantees of `Ref`, checked with trybuild: a `Ref` built
//! over a `RefCell` guard cannot be turned into a plain reference, so no
//! reference can outlive the guard (the bug behind RUSTSEC-2023-0074); and
//! `Split::via_no_dynamic_padding` rejects types whose split parts could
//! overlap.

#[test]
#[cfg_attr(miri, ignore)] // trybuild runs rustc; Miri cannot.
fn ref_over_cell_guards_cannot_escape_the_guard() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui-ref/into_ref_over_cell_ref.rs");
    t.compile_fail("tests/ui-ref/into_mut_over_cell_ref_mut.rs");
    t.compile_fail("tests/ui-ref/deref_outlives_guard.rs");
    t.compile_fail("tests/ui-ref/split_padded_type_without_runtime_check.rs");
    t.compile_fail("tests/ui-ref/split_packed_with_aligned_elems.rs");
    t.compile_fail("tests/ui-ref/ref_zst_elems_needs_count.rs");
    t.pass("tests/ui-ref/allowed_uses.rs");
}
