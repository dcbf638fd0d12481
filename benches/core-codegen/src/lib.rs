//! Each operation wrapped twice over the same types: `zc_*` calls zerocast, `zy_*` calls
//! zerocopy. The functions are `#[no_mangle]`-exported (via `export_name`) so `count.sh` can
//! compare their x86-64 instruction counts. The two expansions are textually identical
//! except for the crate name.

// `try_transmute!(u8 -> bool)` is one of the measured operations; both crates' macros expand
// to the transmute clippy flags.
#![allow(clippy::transmute_int_to_bool)]

macro_rules! ops {
    ($p:literal, $k:ident) => {
        use $k::byteorder::network_endian::{U16, U32};
        use $k::{FromBytes, IntoBytes, SplitAt, TryFromBytes};

        #[derive($k::FromBytes, $k::IntoBytes, $k::KnownLayout, $k::Immutable)]
        #[repr(C)]
        pub struct Hdr {
            pub kind: u8,
            pub flags: u8,
            pub len: u16,
            pub seq: u32,
        }

        #[derive($k::TryFromBytes, $k::IntoBytes, $k::KnownLayout, $k::Immutable)]
        #[repr(u8)]
        pub enum Kind {
            A = 1,
            B = 2,
            C = 3,
        }

        #[derive($k::TryFromBytes, $k::IntoBytes, $k::KnownLayout, $k::Immutable)]
        #[repr(C)]
        pub struct THdr {
            pub kind: Kind,
            pub flags: u8,
            pub len: u16,
            pub seq: u32,
        }

        #[derive($k::FromBytes, $k::KnownLayout, $k::Immutable)]
        #[repr(C)]
        pub struct Pkt {
            pub len: u16,
            pub body: [u8],
        }

        /// A 12-byte wire header of alignment 1 (network-endian fields), as protocol
        /// headers are declared.
        #[derive($k::FromBytes, $k::IntoBytes, $k::KnownLayout, $k::Immutable, $k::Unaligned)]
        #[repr(C)]
        pub struct WireHdr {
            pub src_port: U16,
            pub dst_port: U16,
            pub seq: U32,
            pub ack: U32,
        }

        #[export_name = concat!($p, "ref_from_bytes")]
        pub fn ref_from_bytes(b: &[u8]) -> Option<&Hdr> {
            Hdr::ref_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "ref_from_prefix")]
        pub fn ref_from_prefix(b: &[u8]) -> Option<(&Hdr, &[u8])> {
            Hdr::ref_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "ref_from_suffix")]
        pub fn ref_from_suffix(b: &[u8]) -> Option<(&[u8], &Hdr)> {
            Hdr::ref_from_suffix(b).ok()
        }
        #[export_name = concat!($p, "mut_from_prefix")]
        pub fn mut_from_prefix(b: &mut [u8]) -> Option<(&mut Hdr, &mut [u8])> {
            Hdr::mut_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "ref_from_bytes_dst")]
        pub fn ref_from_bytes_dst(b: &[u8]) -> Option<&Pkt> {
            Pkt::ref_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "ref_from_prefix_dst")]
        pub fn ref_from_prefix_dst(b: &[u8]) -> Option<(&Pkt, &[u8])> {
            Pkt::ref_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "ref_from_prefix_with_elems")]
        pub fn ref_from_prefix_with_elems(b: &[u8], n: usize) -> Option<(&[u16], &[u8])> {
            <[u16]>::ref_from_prefix_with_elems(b, n).ok()
        }
        #[export_name = concat!($p, "ref_from_bytes_with_elems_dst")]
        pub fn ref_from_bytes_with_elems_dst(b: &[u8], n: usize) -> Option<&Pkt> {
            Pkt::ref_from_bytes_with_elems(b, n).ok()
        }
        #[export_name = concat!($p, "try_ref_from_bytes")]
        pub fn try_ref_from_bytes(b: &[u8]) -> Option<&THdr> {
            THdr::try_ref_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "try_ref_from_prefix")]
        pub fn try_ref_from_prefix(b: &[u8]) -> Option<(&THdr, &[u8])> {
            THdr::try_ref_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "try_read_from_bytes")]
        pub fn try_read_from_bytes(b: &[u8]) -> Option<THdr> {
            THdr::try_read_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "try_ref_bool_slice")]
        pub fn try_ref_bool_slice(b: &[u8]) -> Option<&[bool]> {
            <[bool]>::try_ref_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "read_from_bytes")]
        pub fn read_from_bytes(b: &[u8]) -> Option<u64> {
            u64::read_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "read_from_prefix")]
        pub fn read_from_prefix(b: &[u8]) -> Option<(Hdr, &[u8])> {
            Hdr::read_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "read_from_prefix_unaligned")]
        pub fn read_from_prefix_unaligned(b: &[u8]) -> Option<WireHdr> {
            WireHdr::read_from_prefix(b).ok().map(|(h, _)| h)
        }
        #[export_name = concat!($p, "ref_from_bytes_u16_slice")]
        pub fn ref_from_bytes_u16_slice(b: &[u8]) -> Option<&[U16]> {
            <[U16]>::ref_from_bytes(b).ok()
        }
        // The exact-fit route of whole slice casts beyond `[U16]`: an aligned element (the
        // alignment test joins the divisibility test) and an element size that is not a
        // power of two (a real division).
        #[export_name = concat!($p, "ref_from_bytes_u32_slice")]
        pub fn ref_from_bytes_u32_slice(b: &[u8]) -> Option<&[u32]> {
            <[u32]>::ref_from_bytes(b).ok()
        }
        #[export_name = concat!($p, "ref_from_bytes_3byte_slice")]
        pub fn ref_from_bytes_3byte_slice(b: &[u8]) -> Option<&[[u8; 3]]> {
            <[[u8; 3]]>::ref_from_bytes(b).ok()
        }
        // Prefix and suffix of slices, which keep the general (largest-count) route.
        #[export_name = concat!($p, "ref_from_prefix_u16_slice")]
        pub fn ref_from_prefix_u16_slice(b: &[u8]) -> Option<(&[U16], &[u8])> {
            <[U16]>::ref_from_prefix(b).ok()
        }
        #[export_name = concat!($p, "ref_from_suffix_dst")]
        pub fn ref_from_suffix_dst(b: &[u8]) -> Option<(&[u8], &Pkt)> {
            Pkt::ref_from_suffix(b).ok()
        }
        #[export_name = concat!($p, "as_bytes")]
        pub fn as_bytes(h: &Hdr) -> &[u8] {
            h.as_bytes()
        }
        #[export_name = concat!($p, "write_to")]
        pub fn write_to(h: &Hdr, out: &mut [u8]) -> bool {
            h.write_to(out).is_ok()
        }
        #[export_name = concat!($p, "write_to_prefix")]
        pub fn write_to_prefix(h: &Hdr, out: &mut [u8]) -> bool {
            h.write_to_prefix(out).is_ok()
        }
        #[export_name = concat!($p, "ref_new_from_bytes")]
        pub fn ref_new_from_bytes(b: &[u8]) -> Option<&Hdr> {
            $k::Ref::<&[u8], Hdr>::from_bytes(b)
                .ok()
                .map($k::Ref::into_ref)
        }
        #[export_name = concat!($p, "ref_new_from_prefix")]
        pub fn ref_new_from_prefix(b: &[u8]) -> Option<&Hdr> {
            $k::Ref::<&[u8], Hdr>::from_prefix(b)
                .ok()
                .map(|(r, _)| $k::Ref::into_ref(r))
        }
        #[export_name = concat!($p, "transmute_ref")]
        pub fn transmute_ref(w: &[u32; 4]) -> &[u8; 16] {
            $k::transmute_ref!(w)
        }
        #[export_name = concat!($p, "transmute_ref_slice")]
        pub fn transmute_ref_slice(w: &[u32]) -> &[u16] {
            $k::transmute_ref!(w)
        }
        #[export_name = concat!($p, "try_transmute_ref")]
        pub fn try_transmute_ref(b: &[u8; 2]) -> Option<&[bool; 2]> {
            let r: Result<&[bool; 2], _> = $k::try_transmute_ref!(b);
            r.ok()
        }
        #[export_name = concat!($p, "try_transmute")]
        pub fn try_transmute(b: u8) -> Option<bool> {
            let r: Result<bool, _> = $k::try_transmute!(b);
            r.ok()
        }
        #[export_name = concat!($p, "split_at")]
        pub fn split_at(s: &[u16], n: usize) -> Option<(&[u16], &[u16])> {
            <[u16] as SplitAt>::split_at(s, n).map(|s| s.via_immutable())
        }
        #[export_name = concat!($p, "new_zeroed")]
        pub fn new_zeroed() -> Hdr {
            <Hdr as $k::FromZeros>::new_zeroed()
        }
    };
}

pub mod zc {
    ops!("zc_", zerocast);
}
pub mod zy {
    ops!("zy_", zerocopy);
}
