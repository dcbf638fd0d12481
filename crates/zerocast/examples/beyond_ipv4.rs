//! Parses an IPv4 header with options using the `beyond` features together: bit fields
//! for version/IHL and flags/fragment offset, the options' length taken from IHL, a
//! validator for the version and lengths, and padding-zeroed output of a summary record.
//!
//! Run with `cargo run -p zerocast --example beyond_ipv4`.

use zerocast::beyond::{CheckError, LenError, LenFromHeader, Validate, ZeroPadded};
use zerocast::byteorder::network_endian::U16;
#[allow(unused_imports)]
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unaligned};
#[allow(unused_imports)]
use zerocast_derive::*;

/// Version (4 bits) and header length in 32-bit words (4 bits).
#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(version = 4..8, ihl = 0..4))]
#[repr(transparent)]
struct VersionIhl(u8);

/// Flags (reserved, don't fragment, more fragments) and the 13-bit fragment offset.
#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(reserved = 15, dont_fragment = 14, more_fragments = 13, fragment_offset = 0..13))]
#[repr(transparent)]
struct FlagsFragment(U16);

/// An IPv4 header: 20 fixed bytes, then `IHL × 4 − 20` bytes of options.
#[derive(TryFromBytes, KnownLayout, Immutable, Unaligned, LenFromHeader)]
#[zerocast(len_from_fn = Ipv4::ihl, len_scale = 4, len_minus = 20)]
#[zerocast(validate = Ipv4::check)]
#[repr(C)]
struct Ipv4 {
    version_ihl: VersionIhl,
    dscp_ecn: u8,
    total_len: U16,
    id: U16,
    flags_fragment: FlagsFragment,
    ttl: u8,
    protocol: u8,
    checksum: U16,
    src: [u8; 4],
    dst: [u8; 4],
    options: [u8],
}

impl Ipv4 {
    fn ihl(&self) -> u64 {
        u64::from(self.version_ihl.ihl())
    }

    fn check(&self) -> Result<(), &'static str> {
        if self.version_ihl.version() != 4 {
            return Err("version is not 4");
        }
        if usize::from(self.total_len.get()) < usize::from(self.version_ihl.ihl()) * 4 {
            return Err("total length is shorter than the header");
        }
        Ok(())
    }
}

/// A summary with padding (a `u8` before a `u32`): written out with the padding zeroed.
#[derive(ZeroPadded)]
#[repr(C)]
struct Summary {
    protocol: u8,
    payload_len: u32,
}

fn main() {
    let packet: [u8; 28] = [
        0x46, 0x00, 0x00, 0x1c, 0x12, 0x34, 0x40, 0x00, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0,
        2, // fixed header: IHL 6, total length 28, DF set, UDP
        0x94, 0x04, 0x00, 0x00, // router alert option
        0xde, 0xad, 0xbe, 0xef, // 4 bytes of payload
    ];
    let (ip, payload) = Ipv4::ref_from_prefix_by_header(&packet).expect("valid packet");
    println!(
        "IPv4 v{} ihl={} df={} offset={} ttl={} proto={} options={:02x?} payload={} bytes",
        ip.version_ihl.version(),
        ip.version_ihl.ihl(),
        ip.flags_fragment.dont_fragment(),
        ip.flags_fragment.fragment_offset(),
        ip.ttl,
        ip.protocol,
        &ip.options,
        payload.len()
    );
    assert_eq!(ip.validate(), Ok(()));

    let summary = Summary {
        protocol: ip.protocol,
        payload_len: u32::try_from(payload.len()).unwrap_or(u32::MAX),
    };
    let bytes: [u8; 8] = summary.to_zero_padded_array();
    println!("summary bytes (padding zeroed): {bytes:02x?}");
    assert_eq!(&bytes[1..4], &[0, 0, 0]);

    let mut bad = packet;
    bad[0] = 0x66; // version 6
    match Ipv4::ref_from_prefix_by_header(&bad) {
        Err(LenError::InvalidHeader) => println!("version 6: rejected"),
        other => panic!("expected a rejection, got {:?}", other.map(|_| ())),
    }
    // The fixed part alone (no options) tells which check failed.
    let fixed = Ipv4::ref_from_bytes_checked(&bad[..20]).map(|_| ());
    assert_eq!(fixed, Err(CheckError::Check("version is not 4")));
    println!("why: {}", fixed.unwrap_err());
    bad[0] = 0x4f; // IHL 15: 60 bytes of header ...
    bad[3] = 60; // ... and a total length that agrees, but only 28 bytes arrived
    let err = Ipv4::ref_from_prefix_by_header(&bad)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        err,
        LenError::TooLarge {
            claimed: 60,
            available: 28
        }
    );
    println!("IHL 15: {err}");
}
