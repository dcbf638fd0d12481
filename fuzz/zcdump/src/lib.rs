//! Fuzz bodies for zcdump, shared with the corpus replay test (crates/zcdump/tests/fuzz_corpus.rs).

mod bodies {
    include!("bodies.rs");
}
pub use bodies::*;
