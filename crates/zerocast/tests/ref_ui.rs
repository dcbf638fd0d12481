//! Compile-time guarantees of `Ref`, checked with trybuild: a `Ref` built
//! over a `RefCell` guard cannot be turned into a plain reference, so no
//! reference can outlive the guard (the bug behind RUSTSEC-2023-0074).

#[test]
#[cfg_attr(miri, ignore)] // trybuild runs rustc; Miri cannot.
fn ref_over_cell_guards_cannot_escape_the_guard() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui-ref/into_ref_over_cell_ref.rs");
    t.compile_fail("tests/ui-ref/into_mut_over_cell_ref_mut.rs");
    t.compile_fail("tests/ui-ref/deref_outlives_guard.rs");
    t.pass("tests/ui-ref/allowed_uses.rs");
}
