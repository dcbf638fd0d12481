//! QUIC version 1 Initial packet protection (RFC 9001 5), which anyone can remove: the keys
//! come from the Destination Connection ID the client chose (5.2), so tshark, and zcdump,
//! read an Initial's packet number and frames without any secret.
//!
//! - 5.2: `initial_secret = HKDF-Extract(initial_salt, client_dcid)`, then
//!   `HKDF-Expand-Label(initial_secret, "client in" | "server in", "", 32)`, and from that
//!   secret the AEAD key (`"quic key"`, 16 bytes), IV (`"quic iv"`, 12) and header
//!   protection key (`"quic hp"`, 16), with TLS 1.3's HKDF-Expand-Label (RFC 8446 7.1) over
//!   SHA-256.
//! - 5.4: header protection: AES-128-ECB of a 16-byte sample taken 4 bytes past the packet
//!   number's start gives a mask; its first byte's low 4 bits unmask the first byte (a long
//!   header's reserved bits and packet number length), the next bytes the packet number.
//! - 5.3: the payload is AEAD_AES_128_GCM with the nonce `iv ^ packet_number` and the header
//!   (unprotected) as associated data; the last 16 bytes are the tag.
//!
//! Nothing here panics on untrusted bytes: a packet too short for its sample or its tag, or
//! one whose tag does not verify, gives `None`.

use aes::cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit};
use aes::Aes128;
use aes_gcm::aead::AeadInPlace;
use aes_gcm::Aes128Gcm;
use hkdf::Hkdf;
use sha2::Sha256;

/// QUIC version 1's `initial_salt` (RFC 9001 5.2).
const INITIAL_SALT_V1: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad,
    0xcc, 0xbb, 0x7f, 0x0a,
];

/// QUIC version 2's number and `initial_salt` (RFC 9369 3.1, 3.3.1).
pub(super) const VERSION_2: u32 = 0x6b33_43cf;
const INITIAL_SALT_V2: [u8; 20] = [
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb,
    0xf9, 0xbd, 0x2e, 0xd9,
];

/// The QUIC versions whose Initial protection this module removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Version {
    /// RFC 9000/9001.
    V1,
    /// RFC 9369: another salt and labels ("quicv2 key", ...), the same algorithms.
    V2,
}

impl Version {
    /// The version a long header's version field names, if its Initials can be read.
    pub(super) fn from_wire(version: u32) -> Option<Version> {
        match version {
            1 => Some(Version::V1),
            VERSION_2 => Some(Version::V2),
            _ => None,
        }
    }
}

/// The AEAD tag's length (AEAD_AES_128_GCM, RFC 5116 5.1).
const TAG_LEN: usize = 16;
/// The header protection sample's length and its distance past the packet number's start
/// (RFC 9001 5.4.2: the sample assumes a 4-byte packet number).
const SAMPLE_LEN: usize = 16;
const SAMPLE_OFFSET: usize = 4;

/// Which endpoint sent the packet: each direction has its own Initial keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Client,
    /// Only the RFC 9001 A.3 test reads a server's Initial: one frame alone does not carry
    /// the DCID its keys come from (see quic.rs).
    #[cfg_attr(not(test), allow(dead_code))]
    Server,
}

/// One direction's Initial packet protection keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Keys {
    key: [u8; 16],
    iv: [u8; 12],
    hp: [u8; 16],
}

/// TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 7.1): the info is the output
/// length (2 bytes), the label prefixed with "tls13 " (1 length byte) and an empty context.
fn expand_label(prk: &Hkdf<Sha256>, label: &[u8], out: &mut [u8]) {
    let length = (out.len() as u16).to_be_bytes();
    let label_len = [(b"tls13 ".len() + label.len()) as u8];
    let info: [&[u8]; 5] = [&length, &label_len, b"tls13 ", label, &[0]];
    // Only fails for outputs over 255 hash lengths; ours are at most 32 bytes.
    prk.expand_multi_info(&info, out)
        .expect("HKDF output of at most 32 bytes");
}

impl Keys {
    /// The version 1 Initial keys of `side` for a connection whose client chose `dcid` as
    /// the first Destination Connection ID (RFC 9001 5.2).
    #[cfg(test)]
    pub(super) fn initial_v1(dcid: &[u8], side: Side) -> Keys {
        Keys::initial(Version::V1, dcid, side)
    }

    /// The Initial keys of `version` (RFC 9001 5.2; RFC 9369 3.3 for version 2) of `side`
    /// for a connection whose client chose `dcid` as the first Destination Connection ID.
    pub(super) fn initial(version: Version, dcid: &[u8], side: Side) -> Keys {
        let (salt, labels): (&[u8; 20], [&[u8]; 3]) = match version {
            Version::V1 => (&INITIAL_SALT_V1, [b"quic key", b"quic iv", b"quic hp"]),
            Version::V2 => (
                &INITIAL_SALT_V2,
                [b"quicv2 key", b"quicv2 iv", b"quicv2 hp"],
            ),
        };
        let (_, initial) = Hkdf::<Sha256>::extract(Some(salt), dcid);
        let label: &[u8] = match side {
            Side::Client => b"client in",
            Side::Server => b"server in",
        };
        let mut secret = [0u8; 32];
        expand_label(&initial, label, &mut secret);
        let prk = Hkdf::<Sha256>::from_prk(&secret).expect("a 32-byte PRK is SHA-256's length");
        let mut keys = Keys {
            key: [0; 16],
            iv: [0; 12],
            hp: [0; 16],
        };
        expand_label(&prk, labels[0], &mut keys.key);
        expand_label(&prk, labels[1], &mut keys.iv);
        expand_label(&prk, labels[2], &mut keys.hp);
        keys
    }

    /// The header protection mask for `sample` (RFC 9001 5.4.3, AES-based).
    fn mask(&self, sample: &[u8; SAMPLE_LEN]) -> [u8; 16] {
        let mut block = GenericArray::from(*sample);
        Aes128::new(&GenericArray::from(self.hp)).encrypt_block(&mut block);
        block.into()
    }
}

/// A long-header packet with header protection removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Unprotected {
    /// The first byte unmasked: its reserved bits and packet number length are real.
    pub first: u8,
    /// The packet number's length in bytes (1 to 4).
    pub pn_len: usize,
    /// The packet number as sent (truncated to `pn_len` bytes, RFC 9000 17.1).
    pub pn: u32,
}

/// Removes a long header's protection (RFC 9001 5.4.1): `packet` starts at the first byte,
/// the packet number starts at `pn_offset`. `None` when the sample was not captured.
pub(super) fn remove_header_protection(
    keys: &Keys,
    packet: &[u8],
    pn_offset: usize,
) -> Option<Unprotected> {
    let start = pn_offset.checked_add(SAMPLE_OFFSET)?;
    let sample: &[u8; SAMPLE_LEN] = packet.get(start..start + SAMPLE_LEN)?.try_into().ok()?;
    let mask = keys.mask(sample);
    let first = packet.first()? ^ (mask[0] & 0x0f);
    let pn_len = usize::from(first & 0x03) + 1;
    let protected = packet.get(pn_offset..pn_offset + pn_len)?;
    let pn = protected
        .iter()
        .zip(&mask[1..])
        .fold(0u32, |pn, (b, m)| pn << 8 | u32::from(b ^ m));
    Some(Unprotected { first, pn_len, pn })
}

/// Decrypts an Initial's payload (RFC 9001 5.3) whose header protection `hp` removed:
/// `packet` holds exactly the packet (header through tag, `pn_offset` where its packet number
/// starts). The plaintext frames, or `None` when the tag does not verify (other keys, a
/// corrupted or a made-up packet) or the packet is too short for a tag.
pub(super) fn decrypt(
    keys: &Keys,
    packet: &[u8],
    pn_offset: usize,
    hp: Unprotected,
) -> Option<Vec<u8>> {
    let header_len = pn_offset.checked_add(hp.pn_len)?;
    let tag_at = packet.len().checked_sub(TAG_LEN)?;
    if tag_at < header_len {
        return None;
    }
    let mut header = packet.get(..header_len)?.to_vec();
    header[0] = hp.first;
    for (i, b) in hp.pn.to_be_bytes()[4 - hp.pn_len..].iter().enumerate() {
        header[pn_offset + i] = *b;
    }
    // The nonce is the IV with the (reconstructed) packet number XORed into its low bytes;
    // a lone Initial's packet number is the truncated one (RFC 9000 A.3 with none before).
    let mut nonce = keys.iv;
    for (n, p) in nonce[8..].iter_mut().zip(hp.pn.to_be_bytes()) {
        *n ^= p;
    }
    let mut payload = packet[header_len..tag_at].to_vec();
    let tag = GenericArray::from_slice(&packet[tag_at..]);
    Aes128Gcm::new(&GenericArray::from(keys.key))
        .decrypt_in_place_detached(GenericArray::from_slice(&nonce), &header, &mut payload, tag)
        .ok()?;
    Some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// RFC 9001 A.1: the client's DCID is 0x8394c8f03e515708.
    const DCID: &str = "8394c8f03e515708";

    #[test]
    fn rfc_9001_a1_client_and_server_initial_keys() {
        let client = Keys::initial_v1(&hex(DCID), Side::Client);
        assert_eq!(client.key.to_vec(), hex("1f369613dd76d5467730efcbe3b1a22d"));
        assert_eq!(client.iv.to_vec(), hex("fa044b2f42a3fd3b46fb255c"));
        assert_eq!(client.hp.to_vec(), hex("9f50449e04a0e810283a1e9933adedd2"));
        let server = Keys::initial_v1(&hex(DCID), Side::Server);
        assert_eq!(server.key.to_vec(), hex("cf3a5331653c364c88f0f379b6067e37"));
        assert_eq!(server.iv.to_vec(), hex("0ac1493ca1905853b0bba03e"));
        assert_eq!(server.hp.to_vec(), hex("c206b8d9b9f0f37644430b490eeaa314"));
    }

    /// RFC 9001 A.3: the server's Initial carrying a ServerHello and an ACK.
    const SERVER_INITIAL: &str = "
        cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a
        5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3
        dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84
        022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4
        2158407dd074ee";
    const SERVER_PLAINTEXT: &str = "
        02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739
        88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94
        0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00
        020304";

    #[test]
    fn rfc_9001_a3_server_initial_unprotects_and_decrypts() {
        let packet = hex(SERVER_INITIAL);
        let keys = Keys::initial_v1(&hex(DCID), Side::Server);
        // First byte, version, DCID length 0, SCID length 8 + SCID, token length 0, 2-byte
        // length: the packet number starts at 18.
        let hp = remove_header_protection(&keys, &packet, 18).expect("sample captured");
        assert_eq!(
            hp,
            Unprotected {
                first: 0xc1,
                pn_len: 2,
                pn: 1
            }
        );
        assert_eq!(decrypt(&keys, &packet, 18, hp), Some(hex(SERVER_PLAINTEXT)));
        // The client's keys do not verify the server's packet.
        let client = Keys::initial_v1(&hex(DCID), Side::Client);
        let wrong = remove_header_protection(&client, &packet, 18).expect("sample captured");
        assert_eq!(decrypt(&client, &packet, 18, wrong), None);
    }

    #[test]
    fn rfc_9001_a2_client_initial_header_protection() {
        // The first bytes of A.2's protected packet: header, packet number and sample.
        let packet = hex(
            "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11
             d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399
             1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c
             8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212
             30c83711b39343fa028cab7f",
        );
        let keys = Keys::initial_v1(&hex(DCID), Side::Client);
        // The RFC's unprotected header: c3 ... 00000002 (a 4-byte packet number 2).
        assert_eq!(
            remove_header_protection(&keys, &packet, 18),
            Some(Unprotected {
                first: 0xc3,
                pn_len: 4,
                pn: 2
            })
        );
        // The packet is cut here: its tag is not the last 16 bytes.
        let hp = remove_header_protection(&keys, &packet, 18).expect("sample captured");
        assert_eq!(decrypt(&keys, &packet, 18, hp), None);
    }

    #[test]
    fn rfc_9369_a1_a2_version_2_keys_and_header_protection() {
        let client = Keys::initial(Version::V2, &hex(DCID), Side::Client);
        assert_eq!(client.key.to_vec(), hex("8b1a0bc121284290a29e0971b5cd045d"));
        assert_eq!(client.iv.to_vec(), hex("91f73e2351d8fa91660e909f"));
        assert_eq!(client.hp.to_vec(), hex("45b95e15235d6f45a6b19cbcb0294ba9"));
        let server = Keys::initial(Version::V2, &hex(DCID), Side::Server);
        assert_eq!(server.key.to_vec(), hex("82db637861d55e1d011f19ea71d5d2a7"));
        assert_eq!(server.iv.to_vec(), hex("dd13c276499c0249d3310652"));
        assert_eq!(server.hp.to_vec(), hex("edf6d05c83121201b436e16877593c3a"));
        // RFC 9369 A.2: the protected client Initial's first bytes, whose unprotected
        // header is d36b3343cf ... 00000002 (type bits 01, a 4-byte packet number 2).
        let packet = hex(
            "d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485
             dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04",
        );
        assert_eq!(
            remove_header_protection(&client, &packet, 18),
            Some(Unprotected {
                first: 0xd3,
                pn_len: 4,
                pn: 2
            })
        );
        assert_eq!(Version::from_wire(VERSION_2), Some(Version::V2));
        assert_eq!(Version::from_wire(0xff00_001d), None);
    }

    #[test]
    fn short_or_cut_packets_give_none_and_never_panic() {
        let packet = hex(SERVER_INITIAL);
        let keys = Keys::initial_v1(&hex(DCID), Side::Server);
        for len in 0..packet.len() {
            let cut = &packet[..len];
            for pn_offset in [0, 17, 18, 40, usize::MAX - 2] {
                if let Some(hp) = remove_header_protection(&keys, cut, pn_offset) {
                    assert!(len >= pn_offset + SAMPLE_OFFSET + SAMPLE_LEN);
                    assert_eq!(decrypt(&keys, cut, pn_offset, hp), None);
                }
            }
        }
    }
}
