//! The field table: every field zcdump produces, its tshark name and how its value prints.
//!
//! The names and print styles are tshark 4.0's (`tshark -G fields` gives the names; the
//! widths come from the field definitions, e.g. `ip.flags` is an 8-bit hex field and so
//! prints as `0x02`).

/// How a field's value is written as text.
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
    /// tshark's checksum status: 0 bad, 1 good, 2 unverified.
    ChecksumStatus,
    /// A protocol: present or absent, no value.
    Protocol,
}

/// A protocol layer, usable as a bare filter term and as a step of the protocol path.
///
/// ```
/// use zcdump::fields::{Field, Proto};
/// assert_eq!(Proto::Ieee8021ad.name(), "ieee8021ad");
/// assert_eq!(Field::from_name("icmpv6"), Some(Field::Proto(Proto::Icmpv6)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    /// `frame`: the frame itself.
    Frame,
    /// `sll`: Linux cooked capture (v1 or v2).
    Sll,
    /// `eth`: Ethernet II.
    Eth,
    /// `vlan`: 802.1Q VLAN tag.
    Vlan,
    /// `ieee8021ad`: 802.1ad service tag.
    Ieee8021ad,
    /// `arp`: ARP.
    Arp,
    /// `ip`: IPv4.
    Ip,
    /// `ipv6`: IPv6.
    Ipv6,
    /// `icmp`: ICMP.
    Icmp,
    /// `icmpv6`: ICMPv6.
    Icmpv6,
    /// `igmp`: IGMP.
    Igmp,
    /// `udp`: UDP.
    Udp,
    /// `tcp`: TCP.
    Tcp,
    /// `data`: payload no dissector claimed.
    Data,
}

impl Proto {
    /// Every protocol, in declaration order.
    pub const ALL: &'static [Proto] = &[
        Proto::Frame,
        Proto::Sll,
        Proto::Eth,
        Proto::Vlan,
        Proto::Ieee8021ad,
        Proto::Arp,
        Proto::Ip,
        Proto::Ipv6,
        Proto::Icmp,
        Proto::Icmpv6,
        Proto::Igmp,
        Proto::Udp,
        Proto::Tcp,
        Proto::Data,
    ];

    /// A small non-zero number per protocol (at most 15), so that a path of them packs
    /// into four bits per step.
    ///
    /// ```
    /// use zcdump::fields::Proto;
    /// assert!(Proto::ALL.iter().all(|p| (1..16).contains(&p.code())));
    /// ```
    #[must_use]
    #[inline]
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// tshark's name of the protocol.
    ///
    /// ```
    /// use zcdump::fields::Proto;
    /// assert_eq!(Proto::Ip.name(), "ip");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Proto::Frame => "frame",
            Proto::Sll => "sll",
            Proto::Eth => "eth",
            Proto::Vlan => "vlan",
            Proto::Ieee8021ad => "ieee8021ad",
            Proto::Arp => "arp",
            Proto::Ip => "ip",
            Proto::Ipv6 => "ipv6",
            Proto::Icmp => "icmp",
            Proto::Icmpv6 => "icmpv6",
            Proto::Igmp => "igmp",
            Proto::Udp => "udp",
            Proto::Tcp => "tcp",
            Proto::Data => "data",
        }
    }
}

/// A field zcdump can print, filter on or count.
///
/// ```
/// use zcdump::fields::{Field, Kind};
/// let ttl = Field::from_name("ip.ttl").ok_or("unknown field")?;
/// assert_eq!((ttl, ttl.name(), ttl.kind()), (Field::IpTtl, "ip.ttl", Kind::Dec));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A protocol's presence (`tcp`, `ip`, ...).
    Proto(Proto),
    /// `frame.number`.
    FrameNumber,
    /// `frame.len`.
    FrameLen,
    /// `frame.cap_len`.
    FrameCapLen,
    /// `eth.dst`.
    EthDst,
    /// `eth.src`.
    EthSrc,
    /// `eth.type`.
    EthType,
    /// `vlan.priority`.
    VlanPriority,
    /// `vlan.id`.
    VlanId,
    /// `vlan.etype`.
    VlanEtype,
    /// `ieee8021ad.id`.
    Ieee8021adId,
    /// `arp.opcode`.
    ArpOpcode,
    /// `arp.src.hw_mac`.
    ArpSrcHwMac,
    /// `arp.src.proto_ipv4`.
    ArpSrcProtoIpv4,
    /// `arp.dst.hw_mac`.
    ArpDstHwMac,
    /// `arp.dst.proto_ipv4`.
    ArpDstProtoIpv4,
    /// `ip.version`.
    IpVersion,
    /// `ip.hdr_len`.
    IpHdrLen,
    /// `ip.dsfield`.
    IpDsfield,
    /// `ip.len`.
    IpLen,
    /// `ip.id`.
    IpId,
    /// `ip.flags`.
    IpFlags,
    /// `ip.frag_offset`.
    IpFragOffset,
    /// `ip.ttl`.
    IpTtl,
    /// `ip.proto`.
    IpProto,
    /// `ip.checksum`.
    IpChecksum,
    /// `ip.checksum.status`.
    IpChecksumStatus,
    /// `ip.src`.
    IpSrc,
    /// `ip.dst`.
    IpDst,
    /// `ipv6.tclass`.
    Ipv6Tclass,
    /// `ipv6.flow`.
    Ipv6Flow,
    /// `ipv6.plen`.
    Ipv6Plen,
    /// `ipv6.nxt`.
    Ipv6Nxt,
    /// `ipv6.hlim`.
    Ipv6Hlim,
    /// `ipv6.src`.
    Ipv6Src,
    /// `ipv6.dst`.
    Ipv6Dst,
    /// `ipv6.fraghdr.offset`.
    Ipv6FraghdrOffset,
    /// `ipv6.fraghdr.more`.
    Ipv6FraghdrMore,
    /// `ipv6.fraghdr.ident`.
    Ipv6FraghdrIdent,
    /// `icmp.type`.
    IcmpType,
    /// `icmp.code`.
    IcmpCode,
    /// `icmp.checksum.status`.
    IcmpChecksumStatus,
    /// `icmp.ident`.
    IcmpIdent,
    /// `icmp.seq`.
    IcmpSeq,
    /// `icmpv6.type`.
    Icmpv6Type,
    /// `icmpv6.code`.
    Icmpv6Code,
    /// `icmpv6.checksum.status`.
    Icmpv6ChecksumStatus,
    /// `icmpv6.nd.ns.target_address`.
    Icmpv6NdNsTargetAddress,
    /// `icmpv6.nd.na.target_address`.
    Icmpv6NdNaTargetAddress,
    /// `icmpv6.opt.type`.
    Icmpv6OptType,
    /// `igmp.version`.
    IgmpVersion,
    /// `igmp.type`.
    IgmpType,
    /// `udp.srcport`.
    UdpSrcport,
    /// `udp.dstport`.
    UdpDstport,
    /// `udp.length`.
    UdpLength,
    /// `udp.checksum.status`.
    UdpChecksumStatus,
    /// `tcp.srcport`.
    TcpSrcport,
    /// `tcp.dstport`.
    TcpDstport,
    /// `tcp.seq_raw`.
    TcpSeqRaw,
    /// `tcp.ack_raw`.
    TcpAckRaw,
    /// `tcp.hdr_len`.
    TcpHdrLen,
    /// `tcp.flags`.
    TcpFlags,
    /// `tcp.window_size_value`.
    TcpWindowSizeValue,
    /// `tcp.checksum.status`.
    TcpChecksumStatus,
    /// `tcp.urgent_pointer`.
    TcpUrgentPointer,
    /// `tcp.options.mss_val`.
    TcpOptionsMssVal,
    /// `tcp.options.wscale.shift`.
    TcpOptionsWscaleShift,
    /// `tcp.options.timestamp.tsval`.
    TcpOptionsTimestampTsval,
    /// `tcp.options.timestamp.tsecr`.
    TcpOptionsTimestampTsecr,
    /// `tcp.option_kind`: the kind of each TCP option, in order (beyond issue 7's list; used by the text lines).
    TcpOptionKind,
    /// `icmpv6.echo.identifier`: ICMPv6 echo identifier (beyond issue 7's list; used by the text lines).
    Icmpv6EchoIdentifier,
    /// `icmpv6.echo.sequence_number`: ICMPv6 echo sequence number (beyond issue 7's list; used by the text lines).
    Icmpv6EchoSequenceNumber,
    /// `icmpv6.mldr.nb_mcast_records`: records in an MLDv2 report (beyond issue 7's list; used by the text lines).
    Icmpv6MldrNbMcastRecords,
    /// `icmpv6.nd.na.flag`: neighbor advertisement flags word (beyond issue 7's list; used by the text lines).
    Icmpv6NdNaFlag,
    /// `ipv6.hopopts.len_oct`: hop-by-hop options header length in bytes (beyond issue 7's list; used by the text lines).
    Ipv6HopoptsLenOct,
    /// `ipv6.dstopts.len_oct`: destination options header length in bytes (beyond issue 7's list; used by the text lines).
    Ipv6DstoptsLenOct,
    /// `igmp.num_grp_recs`: group records in an IGMPv3 report (beyond issue 7's list; used by the text lines).
    IgmpNumGrpRecs,
}

/// Every valued field with its name and print style, in tshark's `fields.txt` order.
const TABLE: &[(Field, &str, Kind)] = &[
    (Field::FrameNumber, "frame.number", Kind::Dec),
    (Field::FrameLen, "frame.len", Kind::Dec),
    (Field::FrameCapLen, "frame.cap_len", Kind::Dec),
    (Field::EthDst, "eth.dst", Kind::Mac),
    (Field::EthSrc, "eth.src", Kind::Mac),
    (Field::EthType, "eth.type", Kind::Hex4),
    (Field::VlanPriority, "vlan.priority", Kind::Dec),
    (Field::VlanId, "vlan.id", Kind::Dec),
    (Field::VlanEtype, "vlan.etype", Kind::Hex4),
    (Field::Ieee8021adId, "ieee8021ad.id", Kind::Dec),
    (Field::ArpOpcode, "arp.opcode", Kind::Dec),
    (Field::ArpSrcHwMac, "arp.src.hw_mac", Kind::Mac),
    (Field::ArpSrcProtoIpv4, "arp.src.proto_ipv4", Kind::Ipv4),
    (Field::ArpDstHwMac, "arp.dst.hw_mac", Kind::Mac),
    (Field::ArpDstProtoIpv4, "arp.dst.proto_ipv4", Kind::Ipv4),
    (Field::IpVersion, "ip.version", Kind::Dec),
    (Field::IpHdrLen, "ip.hdr_len", Kind::Dec),
    (Field::IpDsfield, "ip.dsfield", Kind::Hex2),
    (Field::IpLen, "ip.len", Kind::Dec),
    (Field::IpId, "ip.id", Kind::Hex4),
    (Field::IpFlags, "ip.flags", Kind::Hex2),
    (Field::IpFragOffset, "ip.frag_offset", Kind::Dec),
    (Field::IpTtl, "ip.ttl", Kind::Dec),
    (Field::IpProto, "ip.proto", Kind::Dec),
    (Field::IpChecksum, "ip.checksum", Kind::Hex4),
    (
        Field::IpChecksumStatus,
        "ip.checksum.status",
        Kind::ChecksumStatus,
    ),
    (Field::IpSrc, "ip.src", Kind::Ipv4),
    (Field::IpDst, "ip.dst", Kind::Ipv4),
    (Field::Ipv6Tclass, "ipv6.tclass", Kind::Hex8),
    (Field::Ipv6Flow, "ipv6.flow", Kind::Hex6),
    (Field::Ipv6Plen, "ipv6.plen", Kind::Dec),
    (Field::Ipv6Nxt, "ipv6.nxt", Kind::Dec),
    (Field::Ipv6Hlim, "ipv6.hlim", Kind::Dec),
    (Field::Ipv6Src, "ipv6.src", Kind::Ipv6),
    (Field::Ipv6Dst, "ipv6.dst", Kind::Ipv6),
    (Field::Ipv6FraghdrOffset, "ipv6.fraghdr.offset", Kind::Dec),
    (Field::Ipv6FraghdrMore, "ipv6.fraghdr.more", Kind::Dec),
    (Field::Ipv6FraghdrIdent, "ipv6.fraghdr.ident", Kind::Hex8),
    (Field::IcmpType, "icmp.type", Kind::Dec),
    (Field::IcmpCode, "icmp.code", Kind::Dec),
    (
        Field::IcmpChecksumStatus,
        "icmp.checksum.status",
        Kind::ChecksumStatus,
    ),
    (Field::IcmpIdent, "icmp.ident", Kind::Dec),
    (Field::IcmpSeq, "icmp.seq", Kind::Dec),
    (Field::Icmpv6Type, "icmpv6.type", Kind::Dec),
    (Field::Icmpv6Code, "icmpv6.code", Kind::Dec),
    (
        Field::Icmpv6ChecksumStatus,
        "icmpv6.checksum.status",
        Kind::ChecksumStatus,
    ),
    (
        Field::Icmpv6NdNsTargetAddress,
        "icmpv6.nd.ns.target_address",
        Kind::Ipv6,
    ),
    (
        Field::Icmpv6NdNaTargetAddress,
        "icmpv6.nd.na.target_address",
        Kind::Ipv6,
    ),
    (Field::Icmpv6OptType, "icmpv6.opt.type", Kind::Dec),
    (Field::IgmpVersion, "igmp.version", Kind::Dec),
    (Field::IgmpType, "igmp.type", Kind::Hex2),
    (Field::UdpSrcport, "udp.srcport", Kind::Dec),
    (Field::UdpDstport, "udp.dstport", Kind::Dec),
    (Field::UdpLength, "udp.length", Kind::Dec),
    (
        Field::UdpChecksumStatus,
        "udp.checksum.status",
        Kind::ChecksumStatus,
    ),
    (Field::TcpSrcport, "tcp.srcport", Kind::Dec),
    (Field::TcpDstport, "tcp.dstport", Kind::Dec),
    (Field::TcpSeqRaw, "tcp.seq_raw", Kind::Dec),
    (Field::TcpAckRaw, "tcp.ack_raw", Kind::Dec),
    (Field::TcpHdrLen, "tcp.hdr_len", Kind::Dec),
    (Field::TcpFlags, "tcp.flags", Kind::Hex4),
    (
        Field::TcpWindowSizeValue,
        "tcp.window_size_value",
        Kind::Dec,
    ),
    (
        Field::TcpChecksumStatus,
        "tcp.checksum.status",
        Kind::ChecksumStatus,
    ),
    (Field::TcpUrgentPointer, "tcp.urgent_pointer", Kind::Dec),
    (Field::TcpOptionsMssVal, "tcp.options.mss_val", Kind::Dec),
    (
        Field::TcpOptionsWscaleShift,
        "tcp.options.wscale.shift",
        Kind::Dec,
    ),
    (
        Field::TcpOptionsTimestampTsval,
        "tcp.options.timestamp.tsval",
        Kind::Dec,
    ),
    (
        Field::TcpOptionsTimestampTsecr,
        "tcp.options.timestamp.tsecr",
        Kind::Dec,
    ),
    (Field::TcpOptionKind, "tcp.option_kind", Kind::Dec),
    (
        Field::Icmpv6EchoIdentifier,
        "icmpv6.echo.identifier",
        Kind::Hex4,
    ),
    (
        Field::Icmpv6EchoSequenceNumber,
        "icmpv6.echo.sequence_number",
        Kind::Dec,
    ),
    (
        Field::Icmpv6MldrNbMcastRecords,
        "icmpv6.mldr.nb_mcast_records",
        Kind::Dec,
    ),
    (Field::Icmpv6NdNaFlag, "icmpv6.nd.na.flag", Kind::Hex8),
    (Field::Ipv6HopoptsLenOct, "ipv6.hopopts.len_oct", Kind::Dec),
    (Field::Ipv6DstoptsLenOct, "ipv6.dstopts.len_oct", Kind::Dec),
    (Field::IgmpNumGrpRecs, "igmp.num_grp_recs", Kind::Dec),
];

/// How many of [`TABLE`]'s fields are issue 7's list (the rest are extras).
const ISSUE_FIELDS: usize = 68;

impl Field {
    /// Every valued field (protocol fields excluded), in the issue's canonical order.
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// assert_eq!(Field::all().next(), Some(Field::FrameNumber));
    /// assert_eq!(Field::all().count(), 68);
    /// ```
    pub fn all() -> impl Iterator<Item = Field> {
        TABLE.iter().take(ISSUE_FIELDS).map(|(f, _, _)| *f)
    }

    /// Fields zcdump knows beyond issue 7's list (with tshark's names and value text).
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// assert!(Field::extras().any(|f| f.name() == "tcp.option_kind"));
    /// assert!(Field::extras().all(|f| !Field::all().any(|g| g == f)));
    /// ```
    pub fn extras() -> impl Iterator<Item = Field> {
        TABLE.iter().skip(ISSUE_FIELDS).map(|(f, _, _)| *f)
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
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, _)| *f)
            .or_else(|| {
                Proto::ALL
                    .iter()
                    .find(|p| p.name() == name)
                    .map(|p| Field::Proto(*p))
            })
    }

    /// A dense index for valued fields (`0..68` in the canonical order, then the extras), `None` for protocols.
    ///
    /// ```
    /// use zcdump::fields::{Field, Proto};
    /// assert_eq!(Field::FrameNumber.index(), Some(0));
    /// assert_eq!(Field::Proto(Proto::Tcp).index(), None);
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn index(self) -> Option<u32> {
        Some(match self {
            Field::Proto(_) => return None,
            Field::FrameNumber => 0,
            Field::FrameLen => 1,
            Field::FrameCapLen => 2,
            Field::EthDst => 3,
            Field::EthSrc => 4,
            Field::EthType => 5,
            Field::VlanPriority => 6,
            Field::VlanId => 7,
            Field::VlanEtype => 8,
            Field::Ieee8021adId => 9,
            Field::ArpOpcode => 10,
            Field::ArpSrcHwMac => 11,
            Field::ArpSrcProtoIpv4 => 12,
            Field::ArpDstHwMac => 13,
            Field::ArpDstProtoIpv4 => 14,
            Field::IpVersion => 15,
            Field::IpHdrLen => 16,
            Field::IpDsfield => 17,
            Field::IpLen => 18,
            Field::IpId => 19,
            Field::IpFlags => 20,
            Field::IpFragOffset => 21,
            Field::IpTtl => 22,
            Field::IpProto => 23,
            Field::IpChecksum => 24,
            Field::IpChecksumStatus => 25,
            Field::IpSrc => 26,
            Field::IpDst => 27,
            Field::Ipv6Tclass => 28,
            Field::Ipv6Flow => 29,
            Field::Ipv6Plen => 30,
            Field::Ipv6Nxt => 31,
            Field::Ipv6Hlim => 32,
            Field::Ipv6Src => 33,
            Field::Ipv6Dst => 34,
            Field::Ipv6FraghdrOffset => 35,
            Field::Ipv6FraghdrMore => 36,
            Field::Ipv6FraghdrIdent => 37,
            Field::IcmpType => 38,
            Field::IcmpCode => 39,
            Field::IcmpChecksumStatus => 40,
            Field::IcmpIdent => 41,
            Field::IcmpSeq => 42,
            Field::Icmpv6Type => 43,
            Field::Icmpv6Code => 44,
            Field::Icmpv6ChecksumStatus => 45,
            Field::Icmpv6NdNsTargetAddress => 46,
            Field::Icmpv6NdNaTargetAddress => 47,
            Field::Icmpv6OptType => 48,
            Field::IgmpVersion => 49,
            Field::IgmpType => 50,
            Field::UdpSrcport => 51,
            Field::UdpDstport => 52,
            Field::UdpLength => 53,
            Field::UdpChecksumStatus => 54,
            Field::TcpSrcport => 55,
            Field::TcpDstport => 56,
            Field::TcpSeqRaw => 57,
            Field::TcpAckRaw => 58,
            Field::TcpHdrLen => 59,
            Field::TcpFlags => 60,
            Field::TcpWindowSizeValue => 61,
            Field::TcpChecksumStatus => 62,
            Field::TcpUrgentPointer => 63,
            Field::TcpOptionsMssVal => 64,
            Field::TcpOptionsWscaleShift => 65,
            Field::TcpOptionsTimestampTsval => 66,
            Field::TcpOptionsTimestampTsecr => 67,
            Field::TcpOptionKind => 68,
            Field::Icmpv6EchoIdentifier => 69,
            Field::Icmpv6EchoSequenceNumber => 70,
            Field::Icmpv6MldrNbMcastRecords => 71,
            Field::Icmpv6NdNaFlag => 72,
            Field::Ipv6HopoptsLenOct => 73,
            Field::Ipv6DstoptsLenOct => 74,
            Field::IgmpNumGrpRecs => 75,
        })
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
            Field::FrameNumber => "frame.number",
            Field::FrameLen => "frame.len",
            Field::FrameCapLen => "frame.cap_len",
            Field::EthDst => "eth.dst",
            Field::EthSrc => "eth.src",
            Field::EthType => "eth.type",
            Field::VlanPriority => "vlan.priority",
            Field::VlanId => "vlan.id",
            Field::VlanEtype => "vlan.etype",
            Field::Ieee8021adId => "ieee8021ad.id",
            Field::ArpOpcode => "arp.opcode",
            Field::ArpSrcHwMac => "arp.src.hw_mac",
            Field::ArpSrcProtoIpv4 => "arp.src.proto_ipv4",
            Field::ArpDstHwMac => "arp.dst.hw_mac",
            Field::ArpDstProtoIpv4 => "arp.dst.proto_ipv4",
            Field::IpVersion => "ip.version",
            Field::IpHdrLen => "ip.hdr_len",
            Field::IpDsfield => "ip.dsfield",
            Field::IpLen => "ip.len",
            Field::IpId => "ip.id",
            Field::IpFlags => "ip.flags",
            Field::IpFragOffset => "ip.frag_offset",
            Field::IpTtl => "ip.ttl",
            Field::IpProto => "ip.proto",
            Field::IpChecksum => "ip.checksum",
            Field::IpChecksumStatus => "ip.checksum.status",
            Field::IpSrc => "ip.src",
            Field::IpDst => "ip.dst",
            Field::Ipv6Tclass => "ipv6.tclass",
            Field::Ipv6Flow => "ipv6.flow",
            Field::Ipv6Plen => "ipv6.plen",
            Field::Ipv6Nxt => "ipv6.nxt",
            Field::Ipv6Hlim => "ipv6.hlim",
            Field::Ipv6Src => "ipv6.src",
            Field::Ipv6Dst => "ipv6.dst",
            Field::Ipv6FraghdrOffset => "ipv6.fraghdr.offset",
            Field::Ipv6FraghdrMore => "ipv6.fraghdr.more",
            Field::Ipv6FraghdrIdent => "ipv6.fraghdr.ident",
            Field::IcmpType => "icmp.type",
            Field::IcmpCode => "icmp.code",
            Field::IcmpChecksumStatus => "icmp.checksum.status",
            Field::IcmpIdent => "icmp.ident",
            Field::IcmpSeq => "icmp.seq",
            Field::Icmpv6Type => "icmpv6.type",
            Field::Icmpv6Code => "icmpv6.code",
            Field::Icmpv6ChecksumStatus => "icmpv6.checksum.status",
            Field::Icmpv6NdNsTargetAddress => "icmpv6.nd.ns.target_address",
            Field::Icmpv6NdNaTargetAddress => "icmpv6.nd.na.target_address",
            Field::Icmpv6OptType => "icmpv6.opt.type",
            Field::IgmpVersion => "igmp.version",
            Field::IgmpType => "igmp.type",
            Field::UdpSrcport => "udp.srcport",
            Field::UdpDstport => "udp.dstport",
            Field::UdpLength => "udp.length",
            Field::UdpChecksumStatus => "udp.checksum.status",
            Field::TcpSrcport => "tcp.srcport",
            Field::TcpDstport => "tcp.dstport",
            Field::TcpSeqRaw => "tcp.seq_raw",
            Field::TcpAckRaw => "tcp.ack_raw",
            Field::TcpHdrLen => "tcp.hdr_len",
            Field::TcpFlags => "tcp.flags",
            Field::TcpWindowSizeValue => "tcp.window_size_value",
            Field::TcpChecksumStatus => "tcp.checksum.status",
            Field::TcpUrgentPointer => "tcp.urgent_pointer",
            Field::TcpOptionsMssVal => "tcp.options.mss_val",
            Field::TcpOptionsWscaleShift => "tcp.options.wscale.shift",
            Field::TcpOptionsTimestampTsval => "tcp.options.timestamp.tsval",
            Field::TcpOptionsTimestampTsecr => "tcp.options.timestamp.tsecr",
            Field::TcpOptionKind => "tcp.option_kind",
            Field::Icmpv6EchoIdentifier => "icmpv6.echo.identifier",
            Field::Icmpv6EchoSequenceNumber => "icmpv6.echo.sequence_number",
            Field::Icmpv6MldrNbMcastRecords => "icmpv6.mldr.nb_mcast_records",
            Field::Icmpv6NdNaFlag => "icmpv6.nd.na.flag",
            Field::Ipv6HopoptsLenOct => "ipv6.hopopts.len_oct",
            Field::Ipv6DstoptsLenOct => "ipv6.dstopts.len_oct",
            Field::IgmpNumGrpRecs => "igmp.num_grp_recs",
        }
    }

    /// How the field's value prints.
    ///
    /// ```
    /// use zcdump::fields::{Field, Kind};
    /// assert_eq!(Field::IpFlags.kind(), Kind::Hex2);
    /// ```
    #[must_use]
    pub fn kind(self) -> Kind {
        match self {
            Field::Proto(_) => Kind::Protocol,
            Field::FrameNumber => Kind::Dec,
            Field::FrameLen => Kind::Dec,
            Field::FrameCapLen => Kind::Dec,
            Field::EthDst => Kind::Mac,
            Field::EthSrc => Kind::Mac,
            Field::EthType => Kind::Hex4,
            Field::VlanPriority => Kind::Dec,
            Field::VlanId => Kind::Dec,
            Field::VlanEtype => Kind::Hex4,
            Field::Ieee8021adId => Kind::Dec,
            Field::ArpOpcode => Kind::Dec,
            Field::ArpSrcHwMac => Kind::Mac,
            Field::ArpSrcProtoIpv4 => Kind::Ipv4,
            Field::ArpDstHwMac => Kind::Mac,
            Field::ArpDstProtoIpv4 => Kind::Ipv4,
            Field::IpVersion => Kind::Dec,
            Field::IpHdrLen => Kind::Dec,
            Field::IpDsfield => Kind::Hex2,
            Field::IpLen => Kind::Dec,
            Field::IpId => Kind::Hex4,
            Field::IpFlags => Kind::Hex2,
            Field::IpFragOffset => Kind::Dec,
            Field::IpTtl => Kind::Dec,
            Field::IpProto => Kind::Dec,
            Field::IpChecksum => Kind::Hex4,
            Field::IpChecksumStatus => Kind::ChecksumStatus,
            Field::IpSrc => Kind::Ipv4,
            Field::IpDst => Kind::Ipv4,
            Field::Ipv6Tclass => Kind::Hex8,
            Field::Ipv6Flow => Kind::Hex6,
            Field::Ipv6Plen => Kind::Dec,
            Field::Ipv6Nxt => Kind::Dec,
            Field::Ipv6Hlim => Kind::Dec,
            Field::Ipv6Src => Kind::Ipv6,
            Field::Ipv6Dst => Kind::Ipv6,
            Field::Ipv6FraghdrOffset => Kind::Dec,
            Field::Ipv6FraghdrMore => Kind::Dec,
            Field::Ipv6FraghdrIdent => Kind::Hex8,
            Field::IcmpType => Kind::Dec,
            Field::IcmpCode => Kind::Dec,
            Field::IcmpChecksumStatus => Kind::ChecksumStatus,
            Field::IcmpIdent => Kind::Dec,
            Field::IcmpSeq => Kind::Dec,
            Field::Icmpv6Type => Kind::Dec,
            Field::Icmpv6Code => Kind::Dec,
            Field::Icmpv6ChecksumStatus => Kind::ChecksumStatus,
            Field::Icmpv6NdNsTargetAddress => Kind::Ipv6,
            Field::Icmpv6NdNaTargetAddress => Kind::Ipv6,
            Field::Icmpv6OptType => Kind::Dec,
            Field::IgmpVersion => Kind::Dec,
            Field::IgmpType => Kind::Hex2,
            Field::UdpSrcport => Kind::Dec,
            Field::UdpDstport => Kind::Dec,
            Field::UdpLength => Kind::Dec,
            Field::UdpChecksumStatus => Kind::ChecksumStatus,
            Field::TcpSrcport => Kind::Dec,
            Field::TcpDstport => Kind::Dec,
            Field::TcpSeqRaw => Kind::Dec,
            Field::TcpAckRaw => Kind::Dec,
            Field::TcpHdrLen => Kind::Dec,
            Field::TcpFlags => Kind::Hex4,
            Field::TcpWindowSizeValue => Kind::Dec,
            Field::TcpChecksumStatus => Kind::ChecksumStatus,
            Field::TcpUrgentPointer => Kind::Dec,
            Field::TcpOptionsMssVal => Kind::Dec,
            Field::TcpOptionsWscaleShift => Kind::Dec,
            Field::TcpOptionsTimestampTsval => Kind::Dec,
            Field::TcpOptionsTimestampTsecr => Kind::Dec,
            Field::TcpOptionKind => Kind::Dec,
            Field::Icmpv6EchoIdentifier => Kind::Hex4,
            Field::Icmpv6EchoSequenceNumber => Kind::Dec,
            Field::Icmpv6MldrNbMcastRecords => Kind::Dec,
            Field::Icmpv6NdNaFlag => Kind::Hex8,
            Field::Ipv6HopoptsLenOct => Kind::Dec,
            Field::Ipv6DstoptsLenOct => Kind::Dec,
            Field::IgmpNumGrpRecs => Kind::Dec,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for f in Field::all().chain(Field::extras()) {
            assert_eq!(Field::from_name(f.name()), Some(f), "{}", f.name());
            assert_eq!(TABLE.iter().find(|e| e.0 == f).map(|e| e.2), Some(f.kind()));
            let position = TABLE.iter().position(|e| e.0 == f).map(|p| p as u32);
            assert_eq!(f.index(), position);
        }
        for p in Proto::ALL {
            assert_eq!(Field::from_name(p.name()), Some(Field::Proto(*p)));
        }
    }

    #[test]
    fn table_matches_the_oracle_field_list() {
        let list = include_str!("../../../../tests-data/tshark/fields.txt");
        let names: Vec<&str> = Field::all().map(Field::name).collect();
        let oracle: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(names, oracle);
    }
}
