//! Impls for pointers (being written: see issue 2 item 3).
