//! The field model: what a dissected frame looks like to every output.
//!
//! A frame is a [`FrameFields`]: an ordered list of (field, value) occurrences using
//! tshark's field names. A field may occur several times (the IP header quoted inside an
//! ICMP error adds a second `ip.src`). Values stay typed until an output asks for text, so
//! the filter compares numbers and addresses, and formatting happens only for the fields
//! actually printed, in exactly tshark's style (see [`format`](mod@format)).

pub mod format;
mod registry;
mod suggest;

use crate::dissect::HttpEvents;
use crate::stats::{LayerLog, TreeNote};
pub(crate) use registry::declare_fields;
pub use registry::{
    Field, FieldDef, FieldId, Kind, Proto, ProtocolFields, FIELD_COUNT, MASK_WORDS,
};
pub use suggest::closest_name;

/// A typed field value.
///
/// ```
/// use zcdump::fields::{format::write_value, Field, Value};
/// let mut text = Vec::new();
/// write_value(&mut text, Field::IpDst, Value::Ipv4([10, 77, 0, 2]));
/// assert_eq!(text, b"10.77.0.2");
/// assert!(Value::Uint(1) < Value::Uint(2)); // the filter's orderings compare like this
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// A protocol (or any field) that is present but has no value of its own.
    Present,
    /// An unsigned integer; its [`Kind`] decides decimal or hex.
    Uint(u64),
    /// An Ethernet address.
    Mac([u8; 6]),
    /// An IPv4 address.
    Ipv4([u8; 4]),
    /// An IPv6 address.
    Ipv6([u8; 16]),
    /// Text (a DNS name, an HTTP header value) kept in the frame's text store; read it
    /// with [`FrameFields::text`].
    Text(TextRef),
}

/// Where a [`Value::Text`] sits in its frame's text store: a copyable handle, so values
/// stay `Copy` and a frame's strings share one buffer that is reused frame after frame.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Value};
/// let mut f = FrameFields::default();
/// f.push_text(Field::DnsQryName, b"example.com");
/// let Some(Value::Text(t)) = f.first(Field::DnsQryName) else { panic!("text expected") };
/// assert_eq!((f.text(t), t.len()), (&b"example.com"[..], 11));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRef {
    start: u32,
    len: u32,
}

impl TextRef {
    /// The text's length in bytes.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push_text(Field::DnsQryName, b"a.b");
    /// assert!(matches!(f.first(Field::DnsQryName), Some(Value::Text(t)) if t.len() == 3));
    /// ```
    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether the text is empty.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push_text(Field::DnsTxt, b"");
    /// assert!(matches!(f.first(Field::DnsTxt), Some(Value::Text(t)) if t.is_empty()));
    /// ```
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// Why a frame could not be dissected to the end.
///
/// ```
/// use zcdump::fields::{FrameFields, Malformed};
/// let mut f = FrameFields::default();
/// f.set_malformed("udp", "length 7 below 8".into());
/// let expected = Malformed { layer: "udp", reason: "length 7 below 8".into() };
/// assert_eq!(f.malformed(), Some(&expected));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The protocol layer that failed (`"ipv4"`, `"tcp"`, ...).
    pub layer: &'static str,
    /// What was wrong, as the parser reported it.
    pub reason: String,
}

/// A set of declared fields: the ones some output, the filter or the statistics will read.
/// A bitset of [`MASK_WORDS`] words, one bit per field of the registry (so any number of
/// fields fits); protocols' presence is always in the set.
///
/// ```
/// use zcdump::fields::{Field, FieldMask};
/// let m = FieldMask::of(&[Field::IpSrc, Field::TcpFlags]);
/// assert!(m.contains(Field::IpSrc) && !m.contains(Field::IpDst));
/// assert!(FieldMask::ALL.contains(Field::IpDst));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMask([u64; MASK_WORDS]);

impl FieldMask {
    /// Every field.
    pub const ALL: FieldMask = FieldMask([u64::MAX; MASK_WORDS]);
    /// No field.
    pub const NONE: FieldMask = FieldMask([0; MASK_WORDS]);

    /// The set of `fields` (protocol fields are always kept and need not be listed).
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, Proto};
    /// let m = FieldMask::of(&[Field::TcpSrcport, Field::TcpDstport]);
    /// assert!(m.contains(Field::TcpDstport) && !m.contains(Field::UdpDstport));
    /// assert!(m.contains(Field::Proto(Proto::Udp))); // protocols are always in
    /// ```
    #[must_use]
    pub fn of(fields: &[Field]) -> FieldMask {
        fields.iter().fold(FieldMask::NONE, |m, f| m.with(*f))
    }

    /// This set plus `field`.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask};
    /// let m = FieldMask::NONE.with(Field::IpTtl);
    /// assert!(m.contains(Field::IpTtl) && !m.contains(Field::IpLen));
    /// ```
    #[must_use]
    pub fn with(self, field: Field) -> FieldMask {
        match field.index() {
            Some(i) => {
                let mut words = self.0;
                if let Some(word) = words.get_mut((i / 64) as usize) {
                    *word |= 1 << (i % 64);
                }
                FieldMask(words)
            }
            None => self,
        }
    }

    /// The union of two sets.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask};
    /// let printed = FieldMask::of(&[Field::IpSrc]);
    /// let filtered = FieldMask::of(&[Field::TcpFlags]);
    /// let both = printed.union(filtered);
    /// assert!(both.contains(Field::IpSrc) && both.contains(Field::TcpFlags));
    /// ```
    #[must_use]
    pub fn union(self, other: FieldMask) -> FieldMask {
        FieldMask(std::array::from_fn(|w| self.0[w] | other.0[w]))
    }

    /// Whether `field` is in the set (protocol fields always are).
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask};
    /// assert!(FieldMask::ALL.contains(Field::EthSrc));
    /// assert!(!FieldMask::NONE.contains(Field::EthSrc));
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn contains(self, field: Field) -> bool {
        // Always inlined: the dissector names its fields as constants, so the index folds
        // away and the test is one shift of one 64-bit word (not a `match` per push).
        field.index().is_none_or(|i| {
            self.0
                .get((i / 64) as usize)
                .is_some_and(|w| w >> (i % 64) & 1 != 0)
        })
    }
}

/// Longest protocol path that [`FrameFields::path_key`] identifies exactly.
pub const PATH_KEY_STEPS: usize = 8;

/// Where one outer layer sits in the frame, beyond its fields: what an output that looks at
/// the layer's bytes (tcpdump's HTTP summary, a filter on a payload) needs, recorded by the
/// protocol's dissector.
///
/// ```
/// use zcdump::fields::{FrameFields, LayerInfo, Proto};
/// let mut f = FrameFields::default();
/// f.enter(Proto::Udp);
/// f.set_payload(Proto::Udp, 42, 10);
/// let udp = LayerInfo { proto: Proto::Udp, payload: Some((42, 10)), inner_payload: None, payload_start: Some(42), header_cut: false };
/// assert_eq!(f.layer(Proto::Udp), Some(udp));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerInfo {
    /// The protocol.
    pub proto: Proto,
    /// Where its payload starts in the frame and how many bytes of it were captured.
    pub payload: Option<(usize, usize)>,
    /// The same for the innermost header of the protocol when it occurs again inside its
    /// own payload (the datagram a UDP tunnel carries), if it does.
    pub inner_payload: Option<(usize, usize)>,
    /// Where its payload starts (or would start) in the frame, known also when the capture
    /// ended inside the header but the header's length field was captured: what bounds a
    /// length by the frame's length on the wire, as tshark bounds `tcp.len`.
    pub payload_start: Option<usize>,
    /// The capture ended inside the layer's header (e.g. inside TCP options).
    pub header_cut: bool,
}

/// The dissection of one frame.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Value};
/// let mut f = FrameFields::default();
/// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
/// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 2]));
/// assert_eq!(f.all(Field::IpSrc).count(), 2);
/// assert_eq!(f.first(Field::IpSrc), Some(Value::Ipv4([10, 0, 0, 1])));
/// assert_eq!(f.first(Field::IpDst), None);
/// ```
#[derive(Debug, Clone)]
pub struct FrameFields {
    entries: Vec<(Field, Value)>,
    /// Fields outside this set are dropped on push: nothing will read them.
    wanted: FieldMask,
    path: Vec<Proto>,
    /// `path` packed eight bits per step (see [`FrameFields::path_key`]).
    path_key: u64,
    /// Whether `wanted` holds any checksum status, computed once.
    wants_checksums: bool,
    /// Byte positions the outer layers' dissectors recorded; see [`FrameFields::layer`].
    layers: Vec<LayerInfo>,
    /// The first source address, destination address, source port and destination port;
    /// see [`FrameFields::endpoints`]. Kept even when `entries` is not.
    first_endpoints: [Option<Value>; 4],
    /// Whether occurrences are kept in `entries`; see [`FrameFields::without_entries`].
    keep_entries: bool,
    /// What `--stats` reads of the frame, recorded as it is dissected, when every field
    /// it records is wanted (see [`LayerLog::FIELDS`]).
    layer_log: Option<LayerLog>,
    /// See [`FrameFields::outer_transport`]; kept up to date by [`FrameFields::enter`].
    outer_transport: Option<Proto>,
    quoted: bool,
    malformed: Option<Malformed>,
    bad_checksums: u32,
    /// The frame's link type, when zcdump does not decode it.
    link_not_decoded: Option<u32>,
    /// The bytes of every [`Value::Text`] of the frame, one after another.
    text: Vec<u8>,
    /// Protocols a dissector may skip, by [`Proto::code`] bit; see
    /// [`FrameFields::summary_only`].
    skippable: [u64; 4],
    /// What the frame did to its TCP conversation's memory and assumed of it; see
    /// [`FrameFields::http_events`].
    http_events: HttpEvents,
    /// See [`FrameFields::list_only`]: each with the length of `entries` when it was noted.
    listed_only: Vec<(usize, Proto)>,
}

impl Default for FrameFields {
    fn default() -> Self {
        FrameFields::with_mask(FieldMask::ALL)
    }
}

impl FrameFields {
    /// An empty set that keeps only the fields in `wanted` (and every protocol).
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields};
    /// let mut f = FrameFields::with_mask(FieldMask::of(&[Field::IpTtl]));
    /// f.push_uint(Field::IpTtl, 64u8);
    /// f.push_uint(Field::IpLen, 20u16);
    /// assert_eq!(f.entries().len(), 1);
    /// ```
    #[must_use]
    pub fn with_mask(wanted: FieldMask) -> Self {
        let wants_checksums = Field::all()
            .filter(|f| f.kind() == Kind::ChecksumStatus)
            .any(|f| wanted.contains(f));
        FrameFields {
            entries: Vec::with_capacity(64),
            wanted,
            path: Vec::with_capacity(8),
            path_key: 0,
            wants_checksums,
            first_endpoints: [None; 4],
            keep_entries: true,
            layer_log: LayerLog::FIELDS
                .iter()
                .all(|&f| wanted.contains(f))
                .then(LayerLog::default),
            outer_transport: None,
            layers: Vec::new(),
            quoted: false,
            malformed: None,
            bad_checksums: 0,
            link_not_decoded: None,
            text: Vec::new(),
            skippable: [0; 4],
            http_events: HttpEvents::default(),
            listed_only: Vec::new(),
        }
    }

    /// The same set, for a reader that asks only for the wanted fields and never which
    /// protocols the frame holds (the text lines; not a filter, the statistics or
    /// `frame.protocols`): a protocol none of whose fields is wanted may then be left
    /// undissected ([`FrameFields::may_skip`]), which saves the work of finding its
    /// structure (HTTP on every port-8080 segment).
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields, Proto};
    /// let f = FrameFields::with_mask(FieldMask::of(&[Field::TcpFlags])).summary_only();
    /// assert!(f.may_skip(Proto::Http) && !f.may_skip(Proto::Tcp));
    /// assert!(!FrameFields::with_mask(FieldMask::NONE).may_skip(Proto::Http));
    /// ```
    #[must_use]
    pub fn summary_only(mut self) -> Self {
        let mut read = [0u64; 4];
        for field in Field::all().filter(|f| self.wanted.contains(*f)) {
            let code = field.proto().code();
            read[usize::from(code / 64)] |= 1 << (code % 64);
        }
        self.skippable = read.map(|w| !w);
        self
    }

    /// Whether the dissector may leave `proto` out: nobody reads its presence or any of
    /// its fields (only after [`FrameFields::summary_only`]).
    #[must_use]
    #[inline]
    pub fn may_skip(&self, proto: Proto) -> bool {
        let code = proto.code();
        self.skippable[usize::from(code / 64)] >> (code % 64) & 1 != 0
    }

    /// The same set, but keeping no occurrences: for a reader that needs only the path,
    /// the [`endpoints`](Self::endpoints), [`malformed`](Self::malformed) and
    /// [`bad_checksums`](Self::bad_checksums), as the statistics without a filter do.
    /// Filling the occurrence list would be work whose result nobody reads.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields, Proto, Value};
    /// let mut f = FrameFields::with_mask(FieldMask::of(&[Field::IpSrc])).without_entries();
    /// f.enter(Proto::Ip);
    /// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// assert!(f.entries().is_empty() && !f.has(Field::IpSrc));
    /// assert_eq!(f.path(), &[Proto::Ip]);
    /// assert_eq!(f.endpoints()[0], Some(&Value::Ipv4([10, 0, 0, 1])));
    /// ```
    #[must_use]
    pub fn without_entries(mut self) -> Self {
        self.keep_entries = false;
        self
    }

    /// Whether any checksum status will be read, i.e. whether checksums must be computed.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields};
    /// assert!(FrameFields::default().wants_checksums()); // every field is wanted
    /// let addresses_only = FrameFields::with_mask(FieldMask::of(&[Field::IpSrc, Field::IpDst]));
    /// assert!(!addresses_only.wants_checksums()); // so checksums need not be computed
    /// ```
    #[must_use]
    #[inline]
    pub fn wants_checksums(&self) -> bool {
        self.wants_checksums
    }

    /// Whether some output, the filter or the statistics will read `field`.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields};
    /// let f = FrameFields::with_mask(FieldMask::of(&[Field::IpTtl]));
    /// assert!(f.wants(Field::IpTtl) && !f.wants(Field::IpSrc));
    /// ```
    #[must_use]
    #[inline]
    pub fn wants(&self, field: Field) -> bool {
        self.wanted.contains(field)
    }

    /// Empties the set for the next frame, keeping its allocation.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Eth);
    /// f.push_uint(Field::FrameLen, 60u16);
    /// f.clear();
    /// assert!(f.entries().is_empty() && f.path().is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.entries.clear();
        self.path.clear();
        self.path_key = 0;
        self.first_endpoints = [None; 4];
        self.outer_transport = None;
        if let Some(log) = &mut self.layer_log {
            log.clear();
        }
        self.layers.clear();
        self.quoted = false;
        self.malformed = None;
        self.bad_checksums = 0;
        self.link_not_decoded = None;
        self.text.clear();
        self.http_events = HttpEvents::default();
        self.listed_only.clear();
    }

    /// What the frame did to its TCP conversation's memory (a new connection, an HTTP
    /// request) and, when it was dissected without that memory, what it assumed of it (see
    /// [`dissect`](crate::dissect::dissect)).
    ///
    /// ```
    /// use zcdump::fields::FrameFields;
    /// let f = FrameFields::default();
    /// assert_eq!(f.http_events().assumed, None);
    /// ```
    #[must_use]
    pub fn http_events(&self) -> HttpEvents {
        self.http_events
    }

    /// The frame's record of its conversation, for the dissectors to fill.
    pub(crate) fn http_events_mut(&mut self) -> &mut HttpEvents {
        &mut self.http_events
    }

    /// Adds one occurrence of `field` (dropped if the set does not want it).
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask, FrameFields, Value};
    /// let mut f = FrameFields::with_mask(FieldMask::of(&[Field::EthSrc]));
    /// f.push(Field::EthSrc, Value::Mac([2, 0, 0, 0, 0, 1]));
    /// f.push(Field::EthDst, Value::Mac([0xff; 6])); // not wanted: dropped
    /// assert_eq!(f.entries(), &[(Field::EthSrc, Value::Mac([2, 0, 0, 0, 0, 1]))]);
    /// ```
    #[inline(always)]
    pub fn push(&mut self, field: Field, value: Value) {
        if !self.wanted.contains(field) {
            return;
        }
        // Status 0 is a wrong checksum, 4 an illegal one (a zero UDP checksum over IPv6).
        if matches!(value, Value::Uint(0 | 4)) && field.kind() == Kind::ChecksumStatus {
            self.bad_checksums += 1;
        }
        // The dissector names its fields as constants, so this match folds away.
        let slot = match field {
            Field::IpSrc | Field::Ipv6Src => 0,
            Field::IpDst | Field::Ipv6Dst => 1,
            Field::TcpSrcport | Field::UdpSrcport => 2,
            Field::TcpDstport | Field::UdpDstport => 3,
            _ => 4,
        };
        if let Some(first @ None) = self.first_endpoints.get_mut(slot) {
            *first = Some(value);
        }
        // `reads` is a constant for a constant field: other fields skip even the test.
        if LayerLog::reads(field) {
            if let Some(log) = &mut self.layer_log {
                log.push(field, &value);
            }
        }
        if self.keep_entries {
            self.entries.push((field, value));
        }
    }

    /// Adds an unsigned occurrence of `field` (shorthand for [`Value::Uint`]).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::TcpSrcport, 443u16);
    /// assert_eq!(f.first(Field::TcpSrcport), Some(Value::Uint(443)));
    /// ```
    #[inline]
    pub fn push_uint(&mut self, field: Field, value: impl Into<u64>) {
        self.push(field, Value::Uint(value.into()));
    }

    /// Adds a text occurrence of `field` (dropped if the set does not want it), copying
    /// `text` into the frame's text store.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push_text(Field::DnsCname, b"www.example.com");
    /// let Some(Value::Text(t)) = f.first(Field::DnsCname) else { panic!("text expected") };
    /// assert_eq!(f.text(t), b"www.example.com");
    /// ```
    pub fn push_text(&mut self, field: Field, text: &[u8]) {
        if !self.wanted.contains(field) || !self.keep_entries {
            return;
        }
        // A frame holds far less than 4 GiB of text; past that, occurrences are dropped
        // rather than given a wrong position.
        let (Ok(start), Ok(len)) = (u32::try_from(self.text.len()), u32::try_from(text.len()))
        else {
            return;
        };
        self.text.extend_from_slice(text);
        self.entries
            .push((field, Value::Text(TextRef { start, len })));
    }

    /// The bytes of a text value of this frame (empty for a handle from another frame
    /// that points past this one's text).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push_text(Field::DnsQryName, b"one");
    /// f.push_text(Field::DnsQryName, b"two");
    /// let names: Vec<&[u8]> = f.all(Field::DnsQryName)
    ///     .filter_map(|v| if let Value::Text(t) = v { Some(f.text(t)) } else { None })
    ///     .collect();
    /// assert_eq!(names, [&b"one"[..], &b"two"[..]]);
    /// ```
    #[must_use]
    pub fn text(&self, t: TextRef) -> &[u8] {
        let start = t.start as usize;
        self.text
            .get(start..start.saturating_add(t.len as usize))
            .unwrap_or(&[])
    }

    /// Records that protocol `proto` was found; it becomes a present field and, outside
    /// quoted packets, the next step of the protocol path.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Eth);
    /// f.enter(Proto::Icmp);
    /// f.begin_quoted();
    /// f.enter(Proto::Ip);
    /// assert_eq!(f.path(), &[Proto::Eth, Proto::Icmp]);
    /// assert!(f.has(Field::Proto(Proto::Ip)));
    /// ```
    #[inline]
    pub fn enter(&mut self, proto: Proto) {
        if !self.quoted {
            self.path.push(proto);
            self.path_key = (self.path_key << 8) | u64::from(proto.code());
            // `proto` is a constant at every call site, so this match folds away.
            match proto {
                Proto::Tcp | Proto::Udp => self.outer_transport = Some(proto),
                Proto::Ip | Proto::Ipv6 if self.outer_transport.is_none() => {
                    self.outer_transport = Some(proto);
                }
                _ => {}
            }
        }
        if let Some(log) = &mut self.layer_log {
            log.enter(proto, self.quoted);
        }
        if self.keep_entries {
            self.entries.push((Field::Proto(proto), Value::Present));
        }
    }

    /// Notes that tshark calls `proto`'s dissector here, which stops before it adds its
    /// protocol to the tree (its first read fails: the capture or the frame ended before
    /// the header). tshark's protocol list (`frame.protocols`) names it; its tree, the
    /// protocol path and filters on `proto` do not see it. Kept only where entries are.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Eth);
    /// f.list_only(Proto::Ip); // an Ethernet frame that ends after its header
    /// assert_eq!(f.path(), &[Proto::Eth]);
    /// assert!(!f.has(Field::Proto(Proto::Ip)));
    /// assert_eq!(f.listed_only(), &[(1, Proto::Ip)]);
    /// ```
    pub fn list_only(&mut self, proto: Proto) {
        if self.keep_entries && !self.quoted {
            self.listed_only.push((self.entries.len(), proto));
        }
    }

    /// The protocols [`FrameFields::list_only`] noted, each with the number of entries
    /// that came before it.
    #[must_use]
    pub fn listed_only(&self) -> &[(usize, Proto)] {
        &self.listed_only
    }

    /// Marks the start of a packet quoted inside an error message: its protocols add fields
    /// but not path steps.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Icmp);
    /// f.begin_quoted(); // the IP header an ICMP error quotes follows
    /// f.enter(Proto::Ip);
    /// assert_eq!(f.path(), &[Proto::Icmp]);
    /// assert!(f.has(Field::Proto(Proto::Ip)));
    /// ```
    pub fn begin_quoted(&mut self) {
        self.quoted = true;
    }

    /// Whether a quoted packet is being dissected.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// assert!(!f.in_quoted());
    /// f.begin_quoted();
    /// assert!(f.in_quoted());
    /// f.clear(); // the next frame starts outside any quote
    /// assert!(!f.in_quoted());
    /// ```
    #[must_use]
    pub fn in_quoted(&self) -> bool {
        self.quoted
    }

    /// Records the first dissection failure of the frame (later ones are ignored).
    ///
    /// ```
    /// use zcdump::fields::FrameFields;
    /// let mut f = FrameFields::default();
    /// f.set_malformed("tcp", "header length 4 below minimum 20".into());
    /// f.set_malformed("ip", "ignored".into());
    /// assert_eq!(f.malformed().unwrap().layer, "tcp");
    /// ```
    pub fn set_malformed(&mut self, layer: &'static str, reason: String) {
        if self.malformed.is_none() {
            self.malformed = Some(Malformed { layer, reason });
        }
    }

    /// The first dissection failure, if any.
    ///
    /// ```
    /// use zcdump::fields::FrameFields;
    /// let mut f = FrameFields::default();
    /// assert!(f.malformed().is_none());
    /// f.set_malformed("ipv4", "total length 10 below header length 20".into());
    /// assert_eq!(f.malformed().map(|m| m.layer), Some("ipv4"));
    /// ```
    #[must_use]
    pub fn malformed(&self) -> Option<&Malformed> {
        self.malformed.as_ref()
    }

    /// Records that the frame's link type (`LINKTYPE_*` number) is not one zcdump
    /// decodes: the frame has its `frame.*` fields and nothing more.
    ///
    /// ```
    /// use zcdump::fields::FrameFields;
    /// let mut f = FrameFields::default();
    /// assert_eq!(f.link_not_decoded(), None);
    /// f.set_link_not_decoded(147);
    /// assert_eq!(f.link_not_decoded(), Some(147));
    /// ```
    pub fn set_link_not_decoded(&mut self, link_type: u32) {
        self.link_not_decoded = Some(link_type);
    }

    /// The frame's link type if zcdump does not decode it.
    #[must_use]
    pub fn link_not_decoded(&self) -> Option<u32> {
        self.link_not_decoded
    }

    /// How many checksum-status fields say "bad".
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::TcpChecksumStatus, 0u8);
    /// f.push_uint(Field::IpChecksumStatus, 1u8);
    /// assert_eq!(f.bad_checksums(), 1);
    /// ```
    #[must_use]
    pub fn bad_checksums(&self) -> u32 {
        self.bad_checksums
    }

    /// The outer protocol path (`eth`, `ip`, `tcp`, ...).
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Eth);
    /// f.enter(Proto::Ipv6);
    /// f.enter(Proto::Udp);
    /// assert_eq!(f.path(), &[Proto::Eth, Proto::Ipv6, Proto::Udp]);
    /// ```
    #[must_use]
    pub fn path(&self) -> &[Proto] {
        &self.path
    }

    /// The protocol path as one integer, eight bits per step, for counting paths without
    /// comparing or hashing slices. Two paths of at most [`PATH_KEY_STEPS`] steps have the
    /// same key only if they are equal; longer paths must be compared with
    /// [`path`](Self::path).
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut a = FrameFields::default();
    /// a.enter(Proto::Eth);
    /// a.enter(Proto::Ip);
    /// let mut b = FrameFields::default();
    /// b.enter(Proto::Ip);
    /// assert_ne!(a.path_key(), b.path_key());
    /// ```
    #[must_use]
    #[inline]
    pub fn path_key(&self) -> u64 {
        self.path_key
    }

    /// The first occurrences of the source and destination address (`ip.src` or
    /// `ipv6.src`, ...) and of the source and destination port (TCP or UDP), in that order:
    /// the frame's outer endpoints, found without a search.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// f.push_uint(Field::UdpDstport, 53u16);
    /// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 9]));
    /// assert_eq!(
    ///     f.endpoints(),
    ///     [Some(&Value::Ipv4([10, 0, 0, 1])), None, None, Some(&Value::Uint(53))]
    /// );
    /// ```
    #[must_use]
    #[inline]
    pub fn endpoints(&self) -> [Option<&Value>; 4] {
        self.first_endpoints.each_ref().map(Option::as_ref)
    }

    /// The protocol that names the frame's outer conversation: the last TCP or UDP on the
    /// path, else the first IPv4 or IPv6, else none. Kept as the path grows, so the
    /// statistics need not walk the path for every frame.
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Eth);
    /// assert_eq!(f.outer_transport(), None);
    /// f.enter(Proto::Ip);
    /// f.enter(Proto::Icmp);
    /// f.begin_quoted(); // the quoted IP/UDP header of an ICMP error does not count
    /// f.enter(Proto::Ip);
    /// f.enter(Proto::Udp);
    /// assert_eq!(f.outer_transport(), Some(Proto::Ip));
    /// ```
    #[must_use]
    #[inline]
    pub fn outer_transport(&self) -> Option<Proto> {
        self.outer_transport
    }

    /// The layers `--stats` reads, recorded during dissection; `None` unless every field of
    /// [`LayerLog::FIELDS`] is wanted.
    #[must_use]
    #[inline]
    pub(crate) fn layer_log(&self) -> Option<&LayerLog> {
        self.layer_log.as_ref()
    }

    /// Tells `--stats`'s protocol hierarchy something about the frame that its path and
    /// fields do not say, where tshark's tree differs (see [`TreeNote`]). Only the
    /// statistics read it (through the layer log).
    #[inline]
    pub(crate) fn note_tree(&mut self, note: TreeNote) {
        if let Some(log) = &mut self.layer_log {
            log.note(note);
        }
    }

    /// The record of outer layer `proto`, created on first use (quoted packets have none).
    fn layer_mut(&mut self, proto: Proto) -> Option<&mut LayerInfo> {
        if self.quoted {
            return None;
        }
        let at = match self.layers.iter().position(|l| l.proto == proto) {
            Some(at) => at,
            None => {
                self.layers.push(LayerInfo {
                    proto,
                    payload: None,
                    inner_payload: None,
                    payload_start: None,
                    header_cut: false,
                });
                self.layers.len() - 1
            }
        };
        self.layers.get_mut(at)
    }

    /// Records that the capture ended inside the header of outer layer `proto`.
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// assert!(!f.layer(Proto::Tcp).is_some_and(|l| l.header_cut));
    /// f.set_header_cut(Proto::Tcp);
    /// assert!(f.layer(Proto::Tcp).is_some_and(|l| l.header_cut));
    /// ```
    pub fn set_header_cut(&mut self, proto: Proto) {
        if let Some(layer) = self.layer_mut(proto) {
            layer.header_cut = true;
        }
    }

    /// Records where outer layer `proto`'s payload sits in the frame (`start..start +
    /// len`); the first call names the outermost, a later one for the same protocol (an
    /// inner tunnelled header) the innermost (`LayerInfo::inner_payload`).
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.set_payload(Proto::Tcp, 54, 4); // after Ethernet, IPv4 and TCP headers
    /// f.set_payload(Proto::Tcp, 90, 8); // a second TCP header: the inner one
    /// let mut frame = [0u8; 98];
    /// frame[54..58].copy_from_slice(b"GET ");
    /// assert_eq!(f.payload(Proto::Tcp, &frame), Some(&b"GET "[..]));
    /// assert_eq!(f.layer(Proto::Tcp).and_then(|l| l.inner_payload), Some((90, 8)));
    /// ```
    pub fn set_payload(&mut self, proto: Proto, start: usize, len: usize) {
        if let Some(layer) = self.layer_mut(proto) {
            if layer.payload.is_some() {
                layer.inner_payload = Some((start, len));
            }
            layer.payload.get_or_insert((start, len));
            layer.payload_start.get_or_insert(start);
        }
    }

    /// Records where outer layer `proto`'s payload would start when the capture ended
    /// before it (inside the header); as with [`FrameFields::set_payload`], the first call
    /// names the outermost.
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.set_header_cut(Proto::Tcp);
    /// f.set_payload_start(Proto::Tcp, 54); // a 20-byte header at 34, 16 bytes captured
    /// let tcp = f.layer(Proto::Tcp).unwrap();
    /// assert_eq!((tcp.payload, tcp.payload_start), (None, Some(54)));
    /// ```
    pub fn set_payload_start(&mut self, proto: Proto, start: usize) {
        if let Some(layer) = self.layer_mut(proto) {
            layer.payload_start.get_or_insert(start);
        }
    }

    /// What the dissector recorded about outer layer `proto`'s bytes, if anything.
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// assert_eq!(f.layer(Proto::Udp), None);
    /// f.set_payload(Proto::Udp, 42, 0);
    /// assert_eq!(f.layer(Proto::Udp).and_then(|l| l.payload), Some((42, 0)));
    /// ```
    #[must_use]
    pub fn layer(&self, proto: Proto) -> Option<LayerInfo> {
        self.layers.iter().find(|l| l.proto == proto).copied()
    }

    /// The payload of outer layer `proto` in `frame` (the bytes the fields were dissected
    /// from).
    ///
    /// ```
    /// use zcdump::fields::{FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.set_payload(Proto::Tcp, 2, 3);
    /// assert_eq!(f.payload(Proto::Tcp, b"..GET"), Some(&b"GET"[..]));
    /// assert_eq!(f.payload(Proto::Tcp, b".."), None);
    /// ```
    #[must_use]
    pub fn payload<'a>(&self, proto: Proto, frame: &'a [u8]) -> Option<&'a [u8]> {
        let (start, len) = self.layer(proto)?.payload?;
        frame.get(start..start.checked_add(len)?)
    }

    /// Every occurrence in insertion order.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Udp);
    /// f.push_uint(Field::UdpSrcport, 53u16);
    /// assert_eq!(f.entries(), &[(Field::Proto(Proto::Udp), Value::Present),
    ///                           (Field::UdpSrcport, Value::Uint(53))]);
    /// ```
    #[must_use]
    pub fn entries(&self) -> &[(Field, Value)] {
        &self.entries
    }

    /// Every occurrence of `field`, in order.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// // An ICMP error: the outer header, then the quoted one.
    /// f.push_uint(Field::IpTtl, 64u8);
    /// f.push_uint(Field::IpTtl, 1u8);
    /// assert_eq!(f.all(Field::IpTtl).collect::<Vec<_>>(), [Value::Uint(64), Value::Uint(1)]);
    /// ```
    pub fn all(&self, field: Field) -> impl Iterator<Item = Value> + '_ {
        self.entries
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, v)| *v)
    }

    /// The first occurrence of `field`.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Value};
    /// let mut f = FrameFields::default();
    /// f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 9]));
    /// assert_eq!(f.first(Field::IpDst), Some(Value::Ipv4([10, 0, 0, 2])));
    /// ```
    #[must_use]
    pub fn first(&self, field: Field) -> Option<Value> {
        self.all(field).next()
    }

    /// The first occurrence of `field` as an integer.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::IpTtl, 64u8);
    /// assert_eq!(f.uint(Field::IpTtl), Some(64));
    /// ```
    #[must_use]
    pub fn uint(&self, field: Field) -> Option<u64> {
        match self.first(field) {
            Some(Value::Uint(v)) => Some(v),
            _ => None,
        }
    }

    /// Whether `field` occurs at all.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields, Proto};
    /// let mut f = FrameFields::default();
    /// f.enter(Proto::Tcp);
    /// assert!(f.has(Field::Proto(Proto::Tcp)));
    /// assert!(!f.has(Field::TcpFlags));
    /// ```
    #[must_use]
    pub fn has(&self, field: Field) -> bool {
        self.entries.iter().any(|(f, _)| *f == field)
    }
}
