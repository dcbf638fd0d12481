//! `png`: a message body of type `image/png` that starts with the PNG signature (PNG
//! specification 5.2). Without the signature tshark's PNG dissector refuses the body and it
//! is `media`. The chunks are not declared as fields.

use crate::fields::declare_fields;

declare_fields! {
    proto: Png, name: "png",
}

/// The eight bytes every PNG datastream starts with.
const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Whether `body` is one tshark's PNG dissector takes: it starts with the signature.
pub(super) fn takes(body: &[u8]) -> bool {
    body.starts_with(&SIGNATURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_must_be_whole() {
        assert!(takes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"));
        assert!(takes(&SIGNATURE));
        assert!(!takes(b"\x89PNG\r\n\x1a"));
        assert!(!takes(b"notapng"));
    }
}
