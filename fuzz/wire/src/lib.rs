//! Fuzz bodies for zerocast-wire: the raw-byte bodies (shared with the corpus replay test)
//! and the structure-aware one, which builds a valid frame from arbitrary field values with
//! the crate's builders and requires the strict parse to give the same values back.

mod bodies {
    include!("bodies.rs");
}
pub use bodies::*;

mod build_parse {
    include!("build_parse.rs");
}
pub use build_parse::*;
