//! The field registry: every protocol zcdump decodes and every field it produces, declared
//! once, by the protocol that owns it.
//!
//! # How a protocol declares its fields
//!
//! A protocol module (one file under `src/dissect/`) invokes [`declare_fields!`] once:
//!
//! ```text
//! crate::fields::declare_fields! {
//!     proto: Udp,
//!     UdpSrcport = "udp.srcport", Dec;
//!     UdpDstport = "udp.dstport", Dec;
//! }
//! ```
//!
//! which gives it a `FIELDS` table (tshark name and [`Kind`] of each field, in declaration
//! order) and one associated constant per field on [`Field`] (`Field::UdpSrcport`), and adds
//! one line naming that module to the `registry!` list at the end of this file. That list
//! fixes each protocol's number ([`Proto::Udp`]) and, from the lengths of the `FIELDS`
//! tables before it, each field's dense index: a field's index is its protocol's first
//! index plus its position in the declaration, computed at compile time, so indices run
//! `0..FIELD_COUNT` without gaps and nothing is numbered by hand. Nothing else is edited to
//! add a field or a protocol.
//!
//! # How a consumer (the filter, an output) uses it
//!
//! - By name: [`Field::from_name`] (`"udp.srcport"` gives `Field::UdpSrcport`, `"udp"`
//!   gives `Field::Proto(Proto::Udp)`); [`Field::name`] and [`Field::kind`] go back.
//! - Everything: [`Field::all`] lists every declared field in registry order, [`Proto::ALL`]
//!   every protocol; [`Field::proto`] says which protocol owns a field.
//! - Per frame: the [`FrameFields`](super::FrameFields) that the dissector filled holds the
//!   occurrences in dissection order; `all(field)` yields each typed [`Value`](super::Value)
//!   (several when a header occurs twice, as in tunnels or ICMP errors), `first(field)` the
//!   first, `layer(proto)` where a protocol's bytes and payload sit in the frame.
//! - In a `match`: field constants are patterns (`Field::IpTtl => ...`, `Field::Proto(p)
//!   => ...`); match a `Field` value, not a `&Field` (a constant pattern does not look
//!   through a reference).
//! - Before the run: a [`FieldMask`](super::FieldMask) of the fields that will be read,
//!   so the dissector skips the others; it is a bitset of [`MASK_WORDS`] words, sized from
//!   [`FIELD_COUNT`], so there is no ceiling on the number of fields.
//!
//! ```
//! use zcdump::fields::{Field, Kind, Proto};
//! let f = Field::from_name("udp.srcport").ok_or("unknown")?;
//! assert_eq!((f, f.kind(), f.proto()), (Field::UdpSrcport, Kind::Dec, Proto::Udp));
//! assert_eq!(Field::from_name("udp"), Some(Field::Proto(Proto::Udp)));
//! // Dense: every declared field has a distinct index below the count.
//! let mut seen: Vec<u32> = Field::all().filter_map(Field::index).collect();
//! seen.sort();
//! assert_eq!(seen, (0..zcdump::fields::FIELD_COUNT as u32).collect::<Vec<_>>());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

/// How a field's value is typed and written as text (tshark's field type and display base).
///
/// ```
/// use zcdump::fields::{Field, Kind};
/// assert_eq!(Field::IpTtl.kind(), Kind::Dec);
/// assert_eq!(Field::IpSrc.kind(), Kind::Ipv4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Decimal integer.
    Dec,
    /// `0x` and 2 lower-case hex digits.
    Hex2,
    /// `0x` and 4 lower-case hex digits.
    Hex4,
    /// `0x` and 6 lower-case hex digits.
    Hex6,
    /// `0x` and 8 lower-case hex digits.
    Hex8,
    /// `aa:bb:cc:dd:ee:ff`.
    Mac,
    /// Dotted quad.
    Ipv4,
    /// RFC 5952 text.
    Ipv6,
    /// tshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present, 4 illegal.
    ChecksumStatus,
    /// A protocol: present or absent, no value.
    Protocol,
    /// Text ([`Value::Text`](super::Value::Text)), printed as it is stored.
    Str,
}

/// One field as a protocol declares it: tshark's name and how its value prints.
///
/// ```
/// use zcdump::fields::{Field, FieldDef, Kind};
/// let def: FieldDef = Field::TcpFlags.def().ok_or("a protocol")?;
/// assert_eq!((def.name, def.kind), ("tcp.flags", Kind::Hex4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// tshark's field name (`tshark -G fields`).
    pub name: &'static str,
    /// Type and display base.
    pub kind: Kind,
}

/// A protocol's registration: its number, its tshark name and its fields.
///
/// ```
/// use zcdump::fields::{Proto, ProtocolFields};
/// let udp: &ProtocolFields = Proto::Udp.fields();
/// assert_eq!(udp.name, "udp");
/// assert!(udp.fields.iter().any(|f| f.name == "udp.srcport"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProtocolFields {
    /// The protocol (must be the one its registry line gives it; checked at compile time).
    pub proto: Proto,
    /// tshark's protocol name, also its filter name.
    pub name: &'static str,
    /// Its fields in declaration order.
    pub fields: &'static [FieldDef],
}

/// A protocol layer, usable as a bare filter term and as a step of the protocol path. Its
/// number is its position in the registry; the constants (`Proto::Ip`, ...) are generated.
/// It is 16 bits wide, as [`FieldId`] is, so the two variants of [`Field`] have the same
/// layout and comparing fields (the outputs' inner loop) is one 32-bit compare.
///
/// ```
/// use zcdump::fields::{Field, Proto};
/// assert_eq!(Proto::Ieee8021ad.name(), "ieee8021ad");
/// assert_eq!(Field::from_name("icmpv6"), Some(Field::Proto(Proto::Icmpv6)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Proto(u16);

impl Proto {
    /// A small non-zero number per protocol (its registry position plus one), so that a
    /// path of them packs into eight bits per step with 0 meaning "no step".
    ///
    /// ```
    /// use zcdump::fields::Proto;
    /// assert!(Proto::ALL.iter().all(|p| p.code() != 0));
    /// ```
    #[must_use]
    #[inline]
    pub fn code(self) -> u8 {
        // The registry has fewer than 255 protocols (asserted at compile time).
        self.0 as u8 + 1
    }

    /// tshark's name of the protocol.
    ///
    /// ```
    /// use zcdump::fields::Proto;
    /// assert_eq!(Proto::Ip.name(), "ip");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        self.fields().name
    }

    /// The protocol's registration (name and fields).
    ///
    /// ```
    /// use zcdump::fields::Proto;
    /// assert_eq!(Proto::Tcp.fields().fields[0].name, "tcp.srcport");
    /// ```
    #[must_use]
    pub fn fields(self) -> &'static ProtocolFields {
        &REGISTRY[usize::from(self.0)]
    }
}

impl fmt::Debug for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A declared field's dense index (`0..FIELD_COUNT`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(u16);

/// A field zcdump can print, filter on or count: a protocol's presence, or one of the
/// fields protocols declare (each has a constant such as `Field::IpTtl`).
///
/// ```
/// use zcdump::fields::{Field, Kind};
/// let ttl = Field::from_name("ip.ttl").ok_or("unknown field")?;
/// assert_eq!((ttl, ttl.name(), ttl.kind()), (Field::IpTtl, "ip.ttl", Kind::Dec));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A protocol's presence (`tcp`, `ip`, ...).
    Proto(Proto),
    /// A field a protocol declared; see the generated constants.
    Declared(FieldId),
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The first dense index of `proto`'s fields: the field counts of the protocols before it.
const fn first_index(proto: Proto) -> u16 {
    let mut i = 0;
    let mut sum = 0;
    while i < proto.0 as usize {
        sum += REGISTRY[i].fields.len();
        i += 1;
    }
    sum as u16
}

/// How many fields all protocols declare together.
pub const FIELD_COUNT: usize = {
    let mut i = 0;
    let mut sum = 0;
    while i < REGISTRY.len() {
        sum += REGISTRY[i].fields.len();
        i += 1;
    }
    sum
};

/// The 64-bit words a [`FieldMask`](super::FieldMask) needs for [`FIELD_COUNT`] fields.
pub const MASK_WORDS: usize = FIELD_COUNT.div_ceil(64);

// Ids are u16 and protocol numbers u8 with 0 reserved in path keys: checked, not assumed.
const _: () = assert!(FIELD_COUNT <= u16::MAX as usize && REGISTRY.len() < 255);

/// Every declared field's definition and owner, by dense index.
static TABLE: [(FieldDef, Proto); FIELD_COUNT] = {
    let blank = (
        FieldDef {
            name: "",
            kind: Kind::Dec,
        },
        Proto(0),
    );
    let mut table = [blank; FIELD_COUNT];
    let (mut p, mut at) = (0, 0);
    while p < REGISTRY.len() {
        let mut f = 0;
        while f < REGISTRY[p].fields.len() {
            table[at] = (REGISTRY[p].fields[f], Proto(p as u16));
            at += 1;
            f += 1;
        }
        p += 1;
    }
    table
};

impl Field {
    /// The field declared `local`-th by `proto` (used by [`declare_fields!`]).
    #[doc(hidden)]
    #[must_use]
    pub const fn declared(proto: Proto, local: u16) -> Field {
        Field::Declared(FieldId(first_index(proto) + local))
    }

    /// Every declared field (protocol fields excluded), in registry order.
    ///
    /// ```
    /// use zcdump::fields::{Field, FIELD_COUNT};
    /// assert_eq!(Field::all().next(), Some(Field::FrameNumber));
    /// assert_eq!(Field::all().count(), FIELD_COUNT);
    /// ```
    pub fn all() -> impl Iterator<Item = Field> {
        (0..FIELD_COUNT as u16).map(|i| Field::Declared(FieldId(i)))
    }

    /// Looks a field up by its tshark name; protocol names give protocol fields.
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// assert_eq!(Field::from_name("ip.src"), Some(Field::IpSrc));
    /// assert_eq!(Field::from_name("tcp"), Some(Field::Proto(Proto::Tcp)));
    /// assert_eq!(Field::from_name("ip.nonsense"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Field> {
        TABLE
            .iter()
            .position(|(def, _)| def.name == name)
            .map(|i| Field::Declared(FieldId(i as u16)))
            .or_else(|| {
                Proto::ALL
                    .iter()
                    .find(|p| p.name() == name)
                    .map(|p| Field::Proto(*p))
            })
    }

    /// The dense index of a declared field (`0..FIELD_COUNT`), `None` for protocols.
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// assert_eq!(Field::FrameNumber.index(), Some(0));
    /// assert_eq!(Field::Proto(Proto::Tcp).index(), None);
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn index(self) -> Option<u32> {
        match self {
            Field::Proto(_) => None,
            Field::Declared(FieldId(i)) => Some(u32::from(i)),
        }
    }

    /// The declaration of a field (`None` for a protocol's presence).
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// assert_eq!(Field::IpTtl.def().map(|d| d.name), Some("ip.ttl"));
    /// assert!(Field::Proto(Proto::Ip).def().is_none());
    /// ```
    #[must_use]
    #[inline]
    pub fn def(self) -> Option<FieldDef> {
        match self {
            Field::Proto(_) => None,
            Field::Declared(FieldId(i)) => TABLE.get(usize::from(i)).map(|e| e.0),
        }
    }

    /// The protocol that declares the field (itself for a protocol's presence).
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// assert_eq!(Field::TcpFlags.proto(), Proto::Tcp);
    /// assert_eq!(Field::Proto(Proto::Udp).proto(), Proto::Udp);
    /// ```
    #[must_use]
    pub fn proto(self) -> Proto {
        match self {
            Field::Proto(p) => p,
            Field::Declared(FieldId(i)) => TABLE.get(usize::from(i)).map_or(Proto(0), |e| e.1),
        }
    }

    /// tshark's name of the field.
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// assert_eq!(Field::TcpFlags.name(), "tcp.flags");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Field::Proto(p) => p.name(),
            Field::Declared(_) => self.def().map_or("", |d| d.name),
        }
    }

    /// How the field's value prints.
    ///
    /// ```
    /// use zcdump::fields::{Field, Kind};
    /// assert_eq!(Field::IpFlags.kind(), Kind::Hex2);
    /// ```
    #[must_use]
    #[inline]
    pub fn kind(self) -> Kind {
        match self {
            Field::Proto(_) => Kind::Protocol,
            Field::Declared(_) => self.def().map_or(Kind::Dec, |d| d.kind),
        }
    }
}

/// Declares a protocol's fields; see the [module documentation](self).
macro_rules! declare_fields {
    (proto: $proto:ident, name: $pname:literal, $($field:ident = $name:literal, $kind:ident;)*) => {
        /// Positions of the fields in the declaration, for their dense indices.
        #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
        #[repr(u16)]
        enum LocalField {
            $($field,)*
            /// Marks the end (and keeps a protocol without fields a valid `repr`).
            End,
        }

        /// This protocol's registration (listed in the field registry).
        pub(crate) const FIELDS: $crate::fields::ProtocolFields = $crate::fields::ProtocolFields {
            proto: $crate::fields::Proto::$proto,
            name: $pname,
            fields: &[$($crate::fields::FieldDef { name: $name, kind: $crate::fields::Kind::$kind },)*],
        };

        #[allow(non_upper_case_globals)]
        impl $crate::fields::Field {
            $(
                #[doc = concat!("`", $name, "`")]
                pub const $field: $crate::fields::Field =
                    $crate::fields::Field::declared($crate::fields::Proto::$proto, LocalField::$field as u16);
            )*
        }
    };
}
pub(crate) use declare_fields;

/// The registry: one line per protocol, `Constant => module declaring its fields`. The
/// order numbers the protocols and the fields.
macro_rules! registry {
    ($($proto:ident => $($seg:ident)::+,)*) => {
        /// Registry positions, for the protocol constants.
        #[allow(non_camel_case_types, dead_code)]
        #[repr(u16)]
        enum Position {
            $($proto,)*
        }

        #[allow(non_upper_case_globals)]
        impl Proto {
            $(
                #[doc = concat!("The protocol registered by `", stringify!($($seg)::+), "`.")]
                pub const $proto: Proto = Proto(Position::$proto as u16);
            )*

            /// Every protocol, in registry order.
            pub const ALL: &'static [Proto] = &[$(Proto::$proto,)*];
        }

        /// Each protocol's registration, by protocol number.
        const REGISTRY: &[ProtocolFields] = &[$($($seg)::+::FIELDS,)*];

        // A module's `proto:` must be the one its registry line names.
        const _: () = {
            let mut i = 0;
            while i < REGISTRY.len() {
                assert!(REGISTRY[i].proto.0 as usize == i, "declare_fields! proto differs from its registry line");
                i += 1;
            }
        };
    };
}

registry! {
    Frame => crate::dissect::frame,
    Raw => crate::dissect::raw,
    Null => crate::dissect::null,
    Ppp => crate::dissect::ppp,
    Chdlc => crate::dissect::chdlc,
    Sll => crate::dissect::sll,
    Radiotap => crate::dissect::radiotap,
    Wlan => crate::dissect::wlan,
    Eth => crate::dissect::eth,
    Llc => crate::dissect::llc,
    Stp => crate::dissect::stp,
    Vlan => crate::dissect::vlan::dot1q,
    Ieee8021ad => crate::dissect::vlan::dot1ad,
    Arp => crate::dissect::arp,
    Ip => crate::dissect::ipv4,
    Ipv6 => crate::dissect::ipv6,
    Icmp => crate::dissect::icmp,
    Icmpv6 => crate::dissect::icmpv6,
    Igmp => crate::dissect::igmp,
    Dvmrp => crate::dissect::dvmrp,
    Udp => crate::dissect::udp,
    Tcp => crate::dissect::tcp,
    Gre => crate::dissect::gre,
    Vxlan => crate::dissect::vxlan,
    Geneve => crate::dissect::geneve,
    Pppoe => crate::dissect::pppoe,
    Mpls => crate::dissect::mpls,
    Erspan => crate::dissect::erspan,
    Pim => crate::dissect::pim,
    Isl => crate::dissect::isl,
    Dns => crate::dissect::dns,
    Mdns => crate::dissect::dns::mdns,
    Http => crate::dissect::http,
    Tls => crate::dissect::tls,
    Dhcp => crate::dissect::dhcp,
    Dhcpv6 => crate::dissect::dhcpv6,
    Ntp => crate::dissect::ntp,
    Find => crate::dissect::find,
    Quic => crate::dissect::quic,
    Cdp => crate::dissect::cdp,
    UrlencodedForm => crate::dissect::urlencoded,
    DataTextLines => crate::dissect::text_lines,
    Media => crate::dissect::media,
    Xml => crate::dissect::xml,
    Json => crate::dissect::json,
    MimeMultipart => crate::dissect::multipart,
    Png => crate::dissect::png,
    Data => crate::dissect::data,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_through_its_index() {
        for f in Field::all() {
            assert_eq!(Field::from_name(f.name()), Some(f), "{}", f.name());
            assert_eq!(Field::from_name(f.name()).and_then(Field::index), f.index());
            assert!(f.name().starts_with(f.proto().name()), "{f:?}");
        }
        for p in Proto::ALL {
            assert_eq!(Field::from_name(p.name()), Some(Field::Proto(*p)));
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = Field::all().map(Field::name).collect();
        names.extend(Proto::ALL.iter().map(|p| p.name()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn registry_matches_the_oracle_field_list() {
        let list = include_str!("../../../../tests-data/tshark/fields.txt");
        let names: Vec<&str> = Field::all().map(Field::name).collect();
        let oracle: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(names, oracle);
    }
}
