//! Impls for nonzero (being written: see issue 2 item 3).
