//! Compile-fail tests of the `beyond` module: post-monomorphization size and alignment
//! checks of the generic transmutes, and the bit-field layout checks. A passing twin in the
//! same run makes trybuild use `cargo build`, which is what evaluates post-mono `const`
//! blocks (`cargo check` would not).

#[test]
#[cfg_attr(miri, ignore)]
fn beyond_compile_fail() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui-beyond/pass_*.rs");
    t.compile_fail("tests/ui-beyond/fail_*.rs");
}
