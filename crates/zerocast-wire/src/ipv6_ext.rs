//! IPv6 extension headers (RFC 8200 section 4): Hop-by-Hop Options, Routing, Fragment and
//! Destination Options, plus the options inside the two options headers.
//!
//! ```text
//! Options headers (Hop-by-Hop = 0, Destination = 60) and Routing (43):
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Next Header  |  Hdr Ext Len  |  (Routing: Type, Segments Left) ~
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ~            options / type-specific data ((Hdr Ext Len + 1) * 8 bytes in all)       ~
//!
//! Fragment (44):
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         Identification                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! [`Ipv6Packet`](crate::ipv6::Ipv6Packet) walks the chain when it parses; the types here read
//! the headers it found, one at a time.

use crate::error::{ErrorKind, IcmpReply, Layer, ParseError};
use crate::ip::IpProto;

/// Pad1 option (a single zero byte).
pub const OPT_PAD1: u8 = 0;
/// PadN option.
pub const OPT_PADN: u8 = 1;
/// Router Alert option (RFC 2711).
pub const OPT_ROUTER_ALERT: u8 = 5;
/// Jumbo Payload option (RFC 2675), in a Hop-by-Hop header only.
pub const OPT_JUMBO_PAYLOAD: u8 = 0xc2;

/// Whether `proto` is an extension header this crate walks through.
///
/// ```
/// use zerocast_wire::{ipv6_ext::is_extension_header, IpProto};
/// assert!(is_extension_header(IpProto::FRAGMENT));
/// assert!(!is_extension_header(IpProto::TCP));
/// ```
#[must_use]
pub const fn is_extension_header(proto: IpProto) -> bool {
    matches!(proto.0, 0 | 43 | 44 | 60 | 51)
}

/// The wire length of the extension header starting at `bytes` (whose type is `proto`), or
/// `None` if its length bytes are not all present.
pub(crate) fn header_len(proto: IpProto, bytes: &[u8]) -> Option<usize> {
    match proto {
        IpProto::FRAGMENT => Some(8),
        IpProto::AH => bytes.get(1).map(|&l| (usize::from(l) + 2) * 4),
        _ => bytes.get(1).map(|&l| (usize::from(l) + 1) * 8),
    }
}

/// One extension header of a parsed packet.
///
/// ```
/// use zerocast_wire::{ipv6_ext::{ExtensionHeader, ExtensionHeaders}, IpProto};
/// // Hop-by-Hop with a Router Alert (MLD), next header ICMPv6.
/// let hbh = [58, 0, 5, 2, 0, 0, 1, 0];
/// let h = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &hbh).next().unwrap().unwrap();
/// assert_eq!(h.kind(), IpProto::HOP_BY_HOP);
/// assert_eq!(h.next_header(), IpProto::ICMPV6);
/// assert_eq!(h.options().next().unwrap().unwrap().kind, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionHeader<'a> {
    kind: IpProto,
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> ExtensionHeader<'a> {
    /// Which extension header this is.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// # // Hop-by-Hop (Router Alert 0: MLD) then a Fragment header, then ICMPv6.
    /// # let chain = [44, 0, 5, 2, 0, 0, 1, 0,   58, 0, 0, 0, 0, 0, 0, 7];
    /// let mut headers = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain);
    /// let hbh = headers.next().ok_or("empty chain")??;
    /// let frag = headers.next().ok_or("one header only")??;
    /// assert_eq!((hbh.kind(), frag.kind()), (IpProto::HOP_BY_HOP, IpProto::FRAGMENT));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> IpProto {
        self.kind
    }
    /// The header's Next Header field.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// # // Hop-by-Hop (Router Alert 0: MLD) then a Fragment header, then ICMPv6.
    /// # let chain = [44, 0, 5, 2, 0, 0, 1, 0,   58, 0, 0, 0, 0, 0, 0, 7];
    /// let mut headers = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain);
    /// let hbh = headers.next().ok_or("empty chain")??;
    /// let frag = headers.next().ok_or("one header only")??;
    /// assert_eq!((hbh.next_header(), frag.next_header()), (IpProto::FRAGMENT, IpProto::ICMPV6));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn next_header(&self) -> IpProto {
        IpProto(self.bytes.first().copied().unwrap_or(59))
    }
    /// The whole header on the wire.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// # // Hop-by-Hop (Router Alert 0: MLD) then a Fragment header, then ICMPv6.
    /// # let chain = [44, 0, 5, 2, 0, 0, 1, 0,   58, 0, 0, 0, 0, 0, 0, 7];
    /// let mut headers = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain);
    /// let hbh = headers.next().ok_or("empty chain")??;
    /// let frag = headers.next().ok_or("one header only")??;
    /// assert_eq!(hbh.bytes(), &chain[..8]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Offset of this header from the start of the extension-header chain.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// # // Hop-by-Hop (Router Alert 0: MLD) then a Fragment header, then ICMPv6.
    /// # let chain = [44, 0, 5, 2, 0, 0, 1, 0,   58, 0, 0, 0, 0, 0, 0, 7];
    /// let mut headers = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain);
    /// let hbh = headers.next().ok_or("empty chain")??;
    /// let frag = headers.next().ok_or("one header only")??;
    /// assert_eq!((hbh.offset(), frag.offset()), (0, 8));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The options of a Hop-by-Hop or Destination Options header (empty for other kinds).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// # // Hop-by-Hop (Router Alert 0: MLD) then a Fragment header, then ICMPv6.
    /// # let chain = [44, 0, 5, 2, 0, 0, 1, 0,   58, 0, 0, 0, 0, 0, 0, 7];
    /// let mut headers = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain);
    /// let hbh = headers.next().ok_or("empty chain")??;
    /// let frag = headers.next().ok_or("one header only")??;
    /// let alert = hbh.options().next().ok_or("no option")??;
    /// assert_eq!(alert.router_alert(), Some(0));
    /// assert_eq!(frag.options().count(), 0); // not an options header
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn options(&self) -> Ipv6Options<'a> {
        let body = match self.kind {
            IpProto::HOP_BY_HOP | IpProto::DEST_OPTS => self.bytes.get(2..).unwrap_or(&[]),
            _ => &[],
        };
        Ipv6Options {
            bytes: body,
            pos: 0,
            base: self.offset + 2,
        }
    }

    /// The Jumbo Payload option of a Hop-by-Hop header (RFC 2675): its Jumbo Payload
    /// Length and the offset of its Option Type byte from the start of this header.
    ///
    /// ```
    /// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// let hbh = [17, 0, 0xc2, 4, 0, 1, 0, 0];
    /// let h = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &hbh).next().unwrap().unwrap();
    /// assert_eq!(h.jumbo_payload(), Some((65536, 2)));
    /// ```
    #[must_use]
    pub fn jumbo_payload(&self) -> Option<(u32, usize)> {
        if self.kind != IpProto::HOP_BY_HOP {
            return None;
        }
        let mut at = 2;
        for option in self.options() {
            let option = option.ok()?;
            if let Some(len) = option.jumbo_payload_len() {
                return Some((len, at));
            }
            at += if option.kind == OPT_PAD1 {
                1
            } else {
                2 + option.data.len()
            };
        }
        None
    }

    /// The Fragment header's fields, if this is one.
    ///
    /// ```
    /// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// let frag = [58, 0, 0x05, 0xa1, 0, 0, 0x12, 0x34];
    /// let h = ExtensionHeaders::new(IpProto::FRAGMENT, &frag).next().unwrap().unwrap();
    /// let f = h.fragment().unwrap();
    /// assert_eq!((f.offset, f.more, f.ident), (180, true, 0x1234));
    /// ```
    #[must_use]
    pub fn fragment(&self) -> Option<FragmentHeader> {
        match (self.kind, self.bytes) {
            (IpProto::FRAGMENT, [_, _, o1, o2, i1, i2, i3, i4, ..]) => {
                let off = u16::from_be_bytes([*o1, *o2]);
                Some(FragmentHeader {
                    offset: off >> 3,
                    more: off & 1 != 0,
                    ident: u32::from_be_bytes([*i1, *i2, *i3, *i4]),
                })
            }
            _ => None,
        }
    }

    /// The Routing header's type and Segments Left, if this is one.
    ///
    /// ```
    /// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// let rh = [58, 0, 4, 1, 0, 0, 0, 0];
    /// let h = ExtensionHeaders::new(IpProto::ROUTING, &rh).next().unwrap().unwrap();
    /// assert_eq!(h.routing(), Some((4, 1)));
    /// ```
    #[must_use]
    pub fn routing(&self) -> Option<(u8, u8)> {
        match (self.kind, self.bytes) {
            (IpProto::ROUTING, [_, _, ty, left, ..]) => Some((*ty, *left)),
            _ => None,
        }
    }
}

/// The fields of a Fragment header.
///
/// ```
/// let f = zerocast_wire::ipv6_ext::FragmentHeader { offset: 1, more: false, ident: 7 };
/// assert_eq!(f.offset_bytes(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragmentHeader {
    /// Offset in 8-byte units (`ipv6.fraghdr.offset`).
    pub offset: u16,
    /// More fragments follow (`ipv6.fraghdr.more`).
    pub more: bool,
    /// Identification (`ipv6.fraghdr.ident`).
    pub ident: u32,
}

impl FragmentHeader {
    /// Offset in bytes.
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::FragmentHeader;
    /// let second = FragmentHeader { offset: 185, more: false, ident: 7 };
    /// assert_eq!(second.offset_bytes(), 1480);
    /// ```
    #[must_use]
    pub fn offset_bytes(&self) -> usize {
        usize::from(self.offset) * 8
    }
}

/// Iterator over a chain of extension headers, starting with type `first`.
///
/// Stops at the first header that is not an extension header, or after a Fragment header
/// that is not the first fragment (what follows is a piece of the payload).
///
/// ```
/// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
/// let chain = [60, 0, 1, 4, 0, 0, 0, 0,   58, 0, 1, 4, 0, 0, 0, 0, 0x80];
/// let kinds: Vec<_> = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain)
///     .map(|h| h.unwrap().kind()).collect();
/// assert_eq!(kinds, [IpProto::HOP_BY_HOP, IpProto::DEST_OPTS]);
/// ```
#[derive(Debug, Clone)]
pub struct ExtensionHeaders<'a> {
    next: IpProto,
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> ExtensionHeaders<'a> {
    /// Walks `bytes` (the IPv6 payload) whose first header has type `first`.
    ///
    /// ```
    /// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// // A Destination Options header holding one PadN, then TCP.
    /// let chain = [6, 0, 1, 4, 0, 0, 0, 0];
    /// let mut headers = ExtensionHeaders::new(IpProto::DEST_OPTS, &chain);
    /// assert_eq!(headers.next().transpose()?.map(|h| h.next_header()), Some(IpProto::TCP));
    /// assert!(headers.next().is_none());
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn new(first: IpProto, bytes: &'a [u8]) -> Self {
        ExtensionHeaders {
            next: first,
            bytes,
            pos: 0,
            done: false,
        }
    }

    /// The protocol after the last header yielded so far, and where it starts.
    ///
    /// ```
    /// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
    /// let chain = [6, 0, 1, 4, 0, 0, 0, 0, /* TCP header: */ 0xc3, 0x50];
    /// let mut headers = ExtensionHeaders::new(IpProto::DEST_OPTS, &chain);
    /// assert_eq!(headers.upper_layer(), (IpProto::DEST_OPTS, 0));
    /// headers.by_ref().for_each(drop);
    /// assert_eq!(headers.upper_layer(), (IpProto::TCP, 8)); // TCP starts at byte 8
    /// ```
    #[must_use]
    pub fn upper_layer(&self) -> (IpProto, usize) {
        (self.next, self.pos)
    }
}

impl<'a> Iterator for ExtensionHeaders<'a> {
    type Item = Result<ExtensionHeader<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || !is_extension_header(self.next) {
            return None;
        }
        let kind = self.next;
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let Some(len) = header_len(kind, rest).filter(|&l| l <= rest.len()) else {
            self.done = true;
            let needed = header_len(kind, rest).unwrap_or(2);
            return Some(Err(ParseError::new(
                Layer::Ipv6Ext,
                ErrorKind::Truncated {
                    needed: self.pos + needed,
                    available: self.bytes.len(),
                },
                self.pos,
            )));
        };
        let header = ExtensionHeader {
            kind,
            bytes: &rest[..len],
            offset: self.pos,
        };
        self.pos += len;
        self.next = header.next_header();
        if self.next == IpProto::HOP_BY_HOP {
            // RFC 8200 section 4.1: Hop-by-Hop may only follow the fixed header.
            self.done = true;
            let pointer = u32::try_from(40 + header.offset).unwrap_or(u32::MAX);
            return Some(Err(ParseError::new(
                Layer::Ipv6Ext,
                ErrorKind::BadField,
                header.offset,
            )
            .with_icmp(IcmpReply::Ipv6ParameterProblem { code: 1, pointer })));
        }
        if header.fragment().is_some_and(|f| f.offset != 0) {
            self.done = true;
        }
        Some(Ok(header))
    }
}

/// One option of a Hop-by-Hop or Destination Options header.
///
/// ```
/// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
/// let o = Ipv6OptionRecord { kind: 0xc2, data: &[0, 1, 0, 0] };
/// assert_eq!(o.action(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6OptionRecord<'a> {
    /// Option type.
    pub kind: u8,
    /// Option data (empty for Pad1).
    pub data: &'a [u8],
}

impl Ipv6OptionRecord<'_> {
    /// The two high bits: what to do if the type is not recognized (0 skip, 1 discard,
    /// 2 discard and send Parameter Problem, 3 the same unless the destination is multicast).
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
    /// // 0x3e: the two high bits are 00, "skip over this option".
    /// assert_eq!(Ipv6OptionRecord { kind: 0x3e, data: &[] }.action(), 0);
    /// // 0x80: 10, "discard the packet and send Parameter Problem".
    /// assert_eq!(Ipv6OptionRecord { kind: 0x80, data: &[] }.action(), 2);
    /// ```
    #[must_use]
    pub fn action(&self) -> u8 {
        self.kind >> 6
    }
    /// Whether the option data may change en route (third-highest bit).
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
    /// assert!(!Ipv6OptionRecord { kind: 5, data: &[0, 0] }.may_change()); // Router Alert
    /// assert!(Ipv6OptionRecord { kind: 0x3e, data: &[] }.may_change());
    /// ```
    #[must_use]
    pub fn may_change(&self) -> bool {
        self.kind & 0x20 != 0
    }
    /// The Router Alert value, if this is a Router Alert option.
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
    /// assert_eq!(Ipv6OptionRecord { kind: 5, data: &[0, 0] }.router_alert(), Some(0)); // MLD
    /// assert_eq!(Ipv6OptionRecord { kind: 1, data: &[0, 0] }.router_alert(), None); // PadN
    /// ```
    #[must_use]
    pub fn router_alert(&self) -> Option<u16> {
        match (self.kind, self.data) {
            (OPT_ROUTER_ALERT, [a, b]) => Some(u16::from_be_bytes([*a, *b])),
            _ => None,
        }
    }
    /// The Jumbo Payload Length, if this is a Jumbo Payload option (4 data bytes).
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
    /// assert_eq!(Ipv6OptionRecord { kind: 0xc2, data: &[0, 1, 0, 0] }.jumbo_payload_len(), Some(65536));
    /// ```
    #[must_use]
    pub fn jumbo_payload_len(&self) -> Option<u32> {
        match (self.kind, self.data) {
            (OPT_JUMBO_PAYLOAD, [a, b, c, d]) => Some(u32::from_be_bytes([*a, *b, *c, *d])),
            _ => None,
        }
    }
    /// Whether this crate knows the option (Pad1, PadN, Router Alert, Jumbo Payload).
    ///
    /// ```
    /// use zerocast_wire::ipv6_ext::Ipv6OptionRecord;
    /// assert!(Ipv6OptionRecord { kind: 1, data: &[0, 0] }.is_known()); // PadN
    /// assert!(Ipv6OptionRecord { kind: 0xc2, data: &[0, 1, 0, 0] }.is_known()); // Jumbo Payload
    /// assert!(!Ipv6OptionRecord { kind: 0x1e, data: &[] }.is_known()); // experimental
    /// ```
    #[must_use]
    pub fn is_known(&self) -> bool {
        matches!(
            self.kind,
            OPT_PAD1 | OPT_PADN | OPT_ROUTER_ALERT | OPT_JUMBO_PAYLOAD
        )
    }
}

/// Iterator over the options in an options header. A malformed option yields an error
/// (offset from the start of the extension-header chain) and ends the iteration.
///
/// ```
/// use zerocast_wire::{ipv6_ext::ExtensionHeaders, IpProto};
/// let hbh = [58, 0, 0, 1, 2, 0, 0, 0];  // Pad1, PadN(2 data bytes)... then Pad1
/// let h = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &hbh).next().unwrap().unwrap();
/// assert_eq!(h.options().count(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct Ipv6Options<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Iterator for Ipv6Options<'a> {
    type Item = Result<Ipv6OptionRecord<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.bytes.get(self.pos..)?;
        let (&kind, after) = rest.split_first()?;
        if kind == OPT_PAD1 {
            self.pos += 1;
            return Some(Ok(Ipv6OptionRecord { kind, data: &[] }));
        }
        match after.split_first() {
            Some((&len, data)) if usize::from(len) <= data.len() => {
                self.pos += 2 + usize::from(len);
                Some(Ok(Ipv6OptionRecord {
                    kind,
                    data: &data[..usize::from(len)],
                }))
            }
            _ => {
                let offset = self.base + self.pos;
                self.pos = self.bytes.len();
                Some(Err(ParseError::new(
                    Layer::Ipv6Ext,
                    ErrorKind::BadOption { kind },
                    offset,
                )))
            }
        }
    }
}

/// Writes a Fragment header (8 bytes) into the front of `out`; returns its length.
///
/// # Errors
/// `Truncated` if `out` is shorter than 8 bytes; `BadField` for an offset over 13 bits.
///
/// ```
/// use zerocast_wire::{ipv6_ext::{write_fragment_header, ExtensionHeaders, FragmentHeader}, IpProto};
/// let mut b = [0u8; 8];
/// let f = FragmentHeader { offset: 181, more: true, ident: 0x8c7f0e9c };
/// write_fragment_header(&mut b, IpProto::ICMPV6, f).unwrap();
/// let h = ExtensionHeaders::new(IpProto::FRAGMENT, &b).next().unwrap().unwrap();
/// assert_eq!(h.fragment(), Some(f));
/// ```
pub fn write_fragment_header(
    out: &mut [u8],
    next: IpProto,
    frag: FragmentHeader,
) -> Result<usize, ParseError> {
    if frag.offset > 0x1fff {
        return Err(ParseError::new(Layer::Ipv6Ext, ErrorKind::BadField, 2));
    }
    let available = out.len();
    let h = out
        .get_mut(..8)
        .ok_or(ParseError::truncated(Layer::Ipv6Ext, 8, available))?;
    let off = (frag.offset << 3) | u16::from(frag.more);
    h[0] = next.0;
    h[1] = 0;
    h[2..4].copy_from_slice(&off.to_be_bytes());
    h[4..8].copy_from_slice(&frag.ident.to_be_bytes());
    Ok(8)
}

/// Writes a Hop-by-Hop or Destination Options header holding `options` into the front of
/// `out`, padding it to a multiple of 8 bytes with Pad1/PadN; returns its length.
///
/// # Errors
/// `Truncated` if `out` is too short; `BadOption` for an option whose data exceeds 255 bytes
/// or a Pad1 option with data; `BadLength` if the header would exceed 2048 bytes.
///
/// ```
/// use zerocast_wire::{ipv6_ext::{write_options_header, ExtensionHeaders, Ipv6OptionRecord, OPT_ROUTER_ALERT}, IpProto};
/// let mut b = [0u8; 16];
/// let ra = Ipv6OptionRecord { kind: OPT_ROUTER_ALERT, data: &[0, 0] };
/// let n = write_options_header(&mut b, IpProto::ICMPV6, &[ra]).unwrap();
/// assert_eq!(&b[..n], &[58, 0, 5, 2, 0, 0, 1, 0]); // MLD's Hop-by-Hop header
/// let h = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &b[..n]).next().unwrap().unwrap();
/// assert_eq!(h.options().next().unwrap().unwrap().router_alert(), Some(0));
/// ```
pub fn write_options_header(
    out: &mut [u8],
    next: IpProto,
    options: &[Ipv6OptionRecord<'_>],
) -> Result<usize, ParseError> {
    let mut body = 2usize;
    for o in options {
        if o.data.len() > 255 || (o.kind == OPT_PAD1 && !o.data.is_empty()) {
            return Err(ParseError::new(
                Layer::Ipv6Ext,
                ErrorKind::BadOption { kind: o.kind },
                body,
            ));
        }
        body += if o.kind == OPT_PAD1 {
            1
        } else {
            2 + o.data.len()
        };
    }
    let total = body.div_ceil(8) * 8;
    if total > 2048 {
        return Err(ParseError::new(
            Layer::Ipv6Ext,
            ErrorKind::BadLength(total),
            1,
        ));
    }
    let available = out.len();
    let h = out
        .get_mut(..total)
        .ok_or(ParseError::truncated(Layer::Ipv6Ext, total, available))?;
    h[0] = next.0;
    // `total <= 2048`, so the length in 8-byte units minus one fits a byte.
    h[1] = (total / 8 - 1) as u8;
    let mut at = 2;
    for o in options {
        h[at] = o.kind;
        if o.kind == OPT_PAD1 {
            at += 1;
            continue;
        }
        // Checked above: at most 255 data bytes.
        h[at + 1] = o.data.len() as u8;
        h[at + 2..at + 2 + o.data.len()].copy_from_slice(o.data);
        at += 2 + o.data.len();
    }
    match total - at {
        0 => {}
        1 => h[at] = OPT_PAD1,
        pad => {
            h[at] = OPT_PADN;
            // `pad < 8`.
            h[at + 1] = (pad - 2) as u8;
            h[at + 2..total].fill(0);
        }
    }
    Ok(total)
}

/// Writes the 8-byte Hop-by-Hop header of a jumbogram (RFC 2675): a Jumbo Payload option at
/// offset 2 (its required 4n+2 alignment) holding `jumbo_len`, the length of everything after
/// the IPv6 header. [`Ipv6Repr::emit`](crate::ipv6::Ipv6Repr::emit) rewrites the length to
/// the payload it is given, so any value will do here.
///
/// # Errors
/// `Truncated` if `out` is shorter than 8 bytes.
///
/// ```
/// use zerocast_wire::{ipv6_ext::{write_jumbo_hop_by_hop, ExtensionHeaders}, IpProto};
/// let mut b = [0u8; 8];
/// write_jumbo_hop_by_hop(&mut b, IpProto::UDP, 70_000)?;
/// assert_eq!(b, [17, 0, 0xc2, 4, 0, 1, 0x11, 0x70]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_jumbo_hop_by_hop(
    out: &mut [u8],
    next: IpProto,
    jumbo_len: u32,
) -> Result<usize, ParseError> {
    let len = jumbo_len.to_be_bytes();
    let option = Ipv6OptionRecord {
        kind: OPT_JUMBO_PAYLOAD,
        data: &len,
    };
    write_options_header(out, next, &[option])
}

/// Writes a Routing header of `routing_type` with `segments_left` and type-specific `data`
/// (after the 4 fixed bytes; its length plus 4 must be a multiple of 8); returns its length.
///
/// # Errors
/// `BadLength` if `data.len() + 4` is not a multiple of 8 or exceeds 2048; `Truncated` if
/// `out` is too short.
///
/// ```
/// use zerocast_wire::{ipv6_ext::{write_routing_header, ExtensionHeaders}, IpProto};
/// let mut b = [0u8; 24];
/// let seg = [0xfdu8, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
/// let mut data = [0u8; 20];
/// data[4..].copy_from_slice(&seg);
/// let n = write_routing_header(&mut b, IpProto::UDP, 4, 1, &data).unwrap();
/// let h = ExtensionHeaders::new(IpProto::ROUTING, &b[..n]).next().unwrap().unwrap();
/// assert_eq!(h.routing(), Some((4, 1)));
/// ```
pub fn write_routing_header(
    out: &mut [u8],
    next: IpProto,
    routing_type: u8,
    segments_left: u8,
    data: &[u8],
) -> Result<usize, ParseError> {
    let total = 4 + data.len();
    if !total.is_multiple_of(8) || total > 2048 {
        return Err(ParseError::new(
            Layer::Ipv6Ext,
            ErrorKind::BadLength(total),
            1,
        ));
    }
    let available = out.len();
    let h = out
        .get_mut(..total)
        .ok_or(ParseError::truncated(Layer::Ipv6Ext, total, available))?;
    h[0] = next.0;
    // `total <= 2048`.
    h[1] = (total / 8 - 1) as u8;
    h[2] = routing_type;
    h[3] = segments_left;
    h[4..].copy_from_slice(data);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_after_first_header_asks_for_parameter_problem_code_1() {
        let chain = [0u8, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 4, 0, 0, 0, 0];
        let mut it = ExtensionHeaders::new(IpProto::DEST_OPTS, &chain);
        let e = it.next().unwrap().unwrap_err();
        assert_eq!(
            e.icmp_reply(),
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 1,
                pointer: 40
            })
        );
    }

    #[test]
    fn truncated_header_is_an_error_not_a_panic() {
        for n in 0..8 {
            let chain = [58u8, 0, 1, 4, 0, 0, 0, 0];
            let mut it = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &chain[..n]);
            assert!(it.next().unwrap().is_err(), "len {n}");
        }
    }

    #[test]
    fn non_first_fragment_ends_the_walk() {
        let chain = [6u8, 0, 0x00, 0xb9, 0, 0, 0, 1, 0xde, 0xad];
        let mut it = ExtensionHeaders::new(IpProto::FRAGMENT, &chain);
        let f = it.next().unwrap().unwrap().fragment().unwrap();
        assert_eq!((f.offset, f.more), (23, true));
        assert!(it.next().is_none());
        assert_eq!(it.upper_layer(), (IpProto::TCP, 8));
    }

    #[test]
    fn written_options_headers_parse_back_for_every_padding_length() {
        for data_len in 0..20usize {
            let data = [0xabu8; 20];
            let opt = Ipv6OptionRecord {
                kind: 0x1e,
                data: &data[..data_len],
            };
            let mut out = [0xffu8; 64];
            let n = write_options_header(&mut out, IpProto::TCP, &[opt]).unwrap();
            assert_eq!(n % 8, 0);
            let h = ExtensionHeaders::new(IpProto::DEST_OPTS, &out[..n])
                .next()
                .unwrap()
                .unwrap();
            let opts: std::vec::Vec<_> = h.options().map(|o| o.unwrap()).collect();
            assert_eq!(opts[0], opt);
            assert!(opts[1..]
                .iter()
                .all(|o| matches!(o.kind, OPT_PAD1 | OPT_PADN)));
            assert!(
                opts[1..].iter().all(|o| o.data.iter().all(|&b| b == 0)),
                "PadN is zeroed"
            );
        }
    }

    #[test]
    fn option_length_past_header_is_reported_with_offset() {
        let hbh = [58u8, 0, 1, 9, 0, 0, 0, 0];
        let h = ExtensionHeaders::new(IpProto::HOP_BY_HOP, &hbh)
            .next()
            .unwrap()
            .unwrap();
        let e = h.options().next().unwrap().unwrap_err();
        assert_eq!(e.offset(), 2);
    }
}
