//! Impls for atomics (being written: see issue 2 item 3).
