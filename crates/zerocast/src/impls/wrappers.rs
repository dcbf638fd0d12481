//! Impls for wrappers (being written: see issue 2 item 3).
