//! Shared helpers for the integration tests: a minimal classic-pcap record walker (zcdump owns
//! the real reader) and a small dissector that prints what this crate parses in tshark's field
//! names and value formats, so the samples' tshark decodes can serve as an oracle.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::icmpv4::Icmpv4Packet;
use zerocast_wire::icmpv6::Icmpv6Packet;
use zerocast_wire::igmp::IgmpPacket;
use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv4::Ipv4Partial;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::tcp::TcpPacket;
use zerocast_wire::udp::UdpPacket;
use zerocast_wire::vlan::VlanTag;
use zerocast_wire::{arp::ArpPacket, IpProto, ParseOptions};
use zerocast_wire::{ChecksumPolicy, ChecksumStatus, Lenient, PseudoHeader};

/// The repository's `samples/` directory.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// The repository's `tests-data/tshark/` directory.
pub fn tshark_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests-data/tshark")
}

/// One captured frame: its original length and the captured bytes.
pub struct Record {
    pub orig_len: usize,
    pub data: Vec<u8>,
}

/// Walks the records of a classic pcap file (either byte order, µs or ns).
pub fn read_pcap(path: &Path) -> Vec<Record> {
    let d = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let magic = u32::from_le_bytes(d[..4].try_into().unwrap());
    let le = match magic {
        0xa1b2_c3d4 | 0xa1b2_3c4d => true,
        0xd4c3_b2a1 | 0x4d3c_b2a1 => false,
        m => panic!("{}: not a classic pcap (magic {m:#x})", path.display()),
    };
    let u32_at = |b: &[u8]| {
        let a: [u8; 4] = b.try_into().unwrap();
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    let mut out = Vec::new();
    let mut off = 24;
    while off + 16 <= d.len() {
        let caplen = u32_at(&d[off + 8..off + 12]) as usize;
        let orig_len = u32_at(&d[off + 12..off + 16]) as usize;
        let data = d[off + 16..off + 16 + caplen].to_vec();
        out.push(Record { orig_len, data });
        off += 16 + caplen;
    }
    out
}

/// tshark's `-T fields` output: one value list per field name.
pub type Fields = BTreeMap<&'static str, Vec<String>>;

fn put(f: &mut Fields, name: &'static str, value: impl ToString) {
    f.entry(name).or_default().push(value.to_string());
}

/// Decodes a frame the way the oracle fields expect (lenient, checksums reported).
pub fn dissect(frame: &[u8]) -> Fields {
    let mut f = Fields::new();
    let Ok(eth) = EthernetFrame::parse(frame) else {
        return f;
    };
    put(&mut f, "eth.dst", eth.dst());
    put(&mut f, "eth.src", eth.src());
    put(&mut f, "eth.type", eth.ethertype());
    let mut ethertype = eth.ethertype();
    let mut payload = eth.into_payload();
    while ethertype.is_vlan_tag() {
        let Ok(tag) = VlanTag::parse(payload) else {
            return f;
        };
        if ethertype == EtherType::QINQ {
            put(&mut f, "ieee8021ad.id", tag.vid());
        } else {
            put(&mut f, "vlan.priority", tag.pcp());
            put(&mut f, "vlan.id", tag.vid());
            put(&mut f, "vlan.etype", tag.ethertype());
        }
        ethertype = tag.ethertype();
        payload = tag.into_payload();
    }
    match ethertype {
        EtherType::ARP => {
            if let Ok(arp) = ArpPacket::parse(payload) {
                put(&mut f, "arp.opcode", arp.operation());
                put(&mut f, "arp.src.hw_mac", arp.sender_hardware_addr());
                put(&mut f, "arp.src.proto_ipv4", arp.sender_protocol_addr());
                put(&mut f, "arp.dst.hw_mac", arp.target_hardware_addr());
                put(&mut f, "arp.dst.proto_ipv4", arp.target_protocol_addr());
            }
        }
        EtherType::IPV4 => ipv4(&mut f, payload, 0),
        EtherType::IPV6 => ipv6(&mut f, payload, 0),
        _ => {}
    }
    f
}

/// tshark's checksum status for a checksum field that was captured but cannot be verified.
const UNVERIFIED: u8 = ChecksumStatus::Unverified as u8;

fn put_some<T: ToString>(f: &mut Fields, name: &'static str, value: Option<T>) {
    if let Some(v) = value {
        put(f, name, v);
    }
}

fn ipv4(f: &mut Fields, bytes: &[u8], depth: u8) {
    let ip = match Ipv4Packet::parse_lenient(bytes, ChecksumPolicy::Report) {
        Ok(Lenient::Whole(ip)) => ip,
        Ok(Lenient::Cut(ip)) => return ipv4_cut(f, &ip),
        Err(_) => return,
    };
    put(f, "ip.version", ip.version());
    put(f, "ip.hdr_len", ip.header_len());
    put(f, "ip.dsfield", format!("0x{:02x}", ip.dsfield()));
    put(f, "ip.len", ip.total_len());
    put(f, "ip.id", format!("0x{:04x}", ip.ident()));
    put(f, "ip.flags", format!("0x{:02x}", ip.flags()));
    put(f, "ip.frag_offset", ip.fragment_offset());
    put(f, "ip.ttl", ip.ttl());
    put(f, "ip.proto", ip.protocol());
    put(f, "ip.checksum", format!("0x{:04x}", ip.checksum()));
    put(f, "ip.checksum.status", ip.checksum_status() as u8);
    put(f, "ip.src", ip.src());
    put(f, "ip.dst", ip.dst());
    if ip.fragment_offset() != 0 {
        return;
    }
    let checksum = ip.payload_parse_options(ParseOptions::LENIENT).checksum;
    let ph = Some(ip.pseudo_header());
    match ip.protocol() {
        IpProto::ICMP if depth == 0 => {
            let icmp = match Icmpv4Packet::parse_lenient(ip.payload(), checksum) {
                Ok(Lenient::Whole(icmp)) => icmp,
                Ok(Lenient::Cut(icmp)) => {
                    put_some(f, "icmp.type", icmp.msg_type());
                    put_some(f, "icmp.code", icmp.code());
                    put_some(
                        f,
                        "icmp.checksum.status",
                        icmp.checksum().map(|_| UNVERIFIED),
                    );
                    put_some(f, "icmp.ident", icmp.ident());
                    put_some(f, "icmp.seq", icmp.seq());
                    return;
                }
                Err(_) => return,
            };
            put(f, "icmp.type", icmp.msg_type());
            put(f, "icmp.code", icmp.code());
            put(f, "icmp.checksum.status", icmp.checksum_status() as u8);
            if let Some((ident, seq)) = icmp.ident_seq() {
                put(f, "icmp.ident", ident);
                put(f, "icmp.seq", seq);
            }
            if icmp.is_error() {
                ipv4(f, icmp.body(), depth + 1);
            }
        }
        IpProto::IGMP => match IgmpPacket::parse_lenient(ip.payload(), checksum) {
            Ok(Lenient::Whole(igmp)) => {
                put(f, "igmp.version", igmp.version());
                put(f, "igmp.type", format!("0x{:02x}", igmp.msg_type()));
            }
            Ok(Lenient::Cut(igmp)) => {
                put_some(f, "igmp.version", igmp.version());
                put_some(
                    f,
                    "igmp.type",
                    igmp.msg_type().map(|t| format!("0x{t:02x}")),
                );
            }
            Err(_) => {}
        },
        IpProto::UDP => udp(f, ip.payload(), ph, checksum),
        IpProto::TCP => tcp(f, ip.payload(), ph, checksum),
        _ => {}
    }
}

fn ipv4_cut(f: &mut Fields, ip: &Ipv4Partial<&[u8]>) {
    put_some(f, "ip.version", ip.version());
    put_some(f, "ip.hdr_len", ip.header_len());
    put_some(f, "ip.dsfield", ip.dsfield().map(|v| format!("0x{v:02x}")));
    put_some(f, "ip.len", ip.total_len());
    put_some(f, "ip.id", ip.ident().map(|v| format!("0x{v:04x}")));
    put_some(f, "ip.flags", ip.flags().map(|v| format!("0x{v:02x}")));
    put_some(f, "ip.frag_offset", ip.fragment_offset());
    put_some(f, "ip.ttl", ip.ttl());
    put_some(f, "ip.proto", ip.protocol());
    put_some(
        f,
        "ip.checksum",
        ip.checksum().map(|v| format!("0x{v:04x}")),
    );
    put_some(f, "ip.checksum.status", ip.checksum().map(|_| UNVERIFIED));
    put_some(f, "ip.src", ip.src());
    put_some(f, "ip.dst", ip.dst());
}

fn ipv6(f: &mut Fields, bytes: &[u8], depth: u8) {
    let ip = match Ipv6Packet::parse_lenient(bytes) {
        Ok(Lenient::Whole(ip)) => ip,
        Ok(Lenient::Cut(ip)) => {
            put_some(f, "ip.version", ip.version());
            put_some(
                f,
                "ipv6.tclass",
                ip.traffic_class().map(|v| format!("0x{v:08x}")),
            );
            put_some(
                f,
                "ipv6.flow",
                ip.flow_label().map(|v| format!("0x{v:06x}")),
            );
            put_some(f, "ipv6.plen", ip.payload_len());
            put_some(f, "ipv6.nxt", ip.next_header());
            put_some(f, "ipv6.hlim", ip.hop_limit());
            put_some(f, "ipv6.src", ip.src());
            put_some(f, "ipv6.dst", ip.dst());
            return;
        }
        Err(_) => return,
    };
    put(f, "ip.version", ip.version());
    put(f, "ipv6.tclass", format!("0x{:08x}", ip.traffic_class()));
    put(f, "ipv6.flow", format!("0x{:06x}", ip.flow_label()));
    put(f, "ipv6.plen", ip.payload_len());
    put(f, "ipv6.nxt", ip.next_header());
    put(f, "ipv6.hlim", ip.hop_limit());
    put(f, "ipv6.src", ip.src());
    put(f, "ipv6.dst", ip.dst());
    if let Some(frag) = ip.fragment() {
        put(f, "ipv6.fraghdr.offset", frag.offset);
        put(f, "ipv6.fraghdr.more", u8::from(frag.more));
        put(f, "ipv6.fraghdr.ident", format!("0x{:08x}", frag.ident));
        if frag.offset != 0 {
            return;
        }
    }
    let checksum = ip.payload_parse_options(ParseOptions::LENIENT).checksum;
    let ph = ip.pseudo_header();
    match ip.upper_protocol() {
        IpProto::ICMPV6 if depth == 0 => {
            let icmp = match Icmpv6Packet::parse_lenient(ip.payload(), ph, checksum) {
                Ok(Lenient::Whole(icmp)) => icmp,
                Ok(Lenient::Cut(icmp)) => {
                    put_some(f, "icmpv6.type", icmp.msg_type());
                    put_some(f, "icmpv6.code", icmp.code());
                    put_some(
                        f,
                        "icmpv6.checksum.status",
                        icmp.checksum().map(|_| UNVERIFIED),
                    );
                    return;
                }
                Err(_) => return,
            };
            put(f, "icmpv6.type", icmp.msg_type());
            put(f, "icmpv6.code", icmp.code());
            put(f, "icmpv6.checksum.status", icmp.checksum_status() as u8);
            if let Some(t) = icmp.nd_target() {
                let name = match icmp.msg_type() {
                    135 => "icmpv6.nd.ns.target_address",
                    136 => "icmpv6.nd.na.target_address",
                    _ => "icmpv6.nd.rd.target_address",
                };
                put(f, name, t);
            }
            for opt in icmp.ndp_options() {
                match opt {
                    Ok(opt) => put(f, "icmpv6.opt.type", opt.kind),
                    // A captured type byte whose option was cut off: tshark still names it.
                    Err(e) => {
                        if let zerocast_wire::ErrorKind::BadOption { kind } = e.kind() {
                            put(f, "icmpv6.opt.type", kind);
                        }
                    }
                }
            }
            if icmp.is_error() {
                if let Some(quoted) = icmp.body().get(4..).filter(|q| !q.is_empty()) {
                    ipv6(f, quoted, depth + 1);
                }
            }
        }
        IpProto::UDP => udp(f, ip.payload(), Some(ph), checksum),
        IpProto::TCP => tcp(f, ip.payload(), Some(ph), checksum),
        _ => {}
    }
}

fn udp(f: &mut Fields, bytes: &[u8], ph: Option<PseudoHeader>, checksum: ChecksumPolicy) {
    let udp = match UdpPacket::parse_lenient(bytes, ph, checksum) {
        Ok(Lenient::Whole(udp)) => udp,
        Ok(Lenient::Cut(udp)) => {
            put_some(f, "udp.srcport", udp.src_port());
            put_some(f, "udp.dstport", udp.dst_port());
            put_some(f, "udp.length", udp.length());
            put_some(f, "udp.checksum.status", udp.checksum().map(|_| UNVERIFIED));
            return;
        }
        Err(_) => return,
    };
    put(f, "udp.srcport", udp.src_port());
    put(f, "udp.dstport", udp.dst_port());
    put(f, "udp.length", udp.length());
    put(f, "udp.checksum.status", udp.checksum_status() as u8);
}

fn tcp(f: &mut Fields, bytes: &[u8], ph: Option<PseudoHeader>, checksum: ChecksumPolicy) {
    let tcp = match TcpPacket::parse_lenient(bytes, ph, checksum) {
        Ok(Lenient::Whole(tcp)) => tcp,
        Ok(Lenient::Cut(tcp)) => {
            put_some(f, "tcp.srcport", tcp.src_port());
            put_some(f, "tcp.dstport", tcp.dst_port());
            put_some(f, "tcp.seq_raw", tcp.seq());
            put_some(f, "tcp.ack_raw", tcp.ack());
            put_some(f, "tcp.hdr_len", tcp.header_len());
            put_some(f, "tcp.flags", tcp.flags().map(|v| format!("0x{v:04x}")));
            put_some(f, "tcp.window_size_value", tcp.window());
            put_some(f, "tcp.checksum.status", tcp.checksum().map(|_| UNVERIFIED));
            put_some(f, "tcp.urgent_pointer", tcp.urgent_pointer());
            return;
        }
        Err(_) => return,
    };
    put(f, "tcp.srcport", tcp.src_port());
    put(f, "tcp.dstport", tcp.dst_port());
    put(f, "tcp.seq_raw", tcp.seq());
    put(f, "tcp.ack_raw", tcp.ack());
    put(f, "tcp.hdr_len", tcp.header_len());
    put(f, "tcp.flags", format!("0x{:04x}", tcp.flags()));
    put(f, "tcp.window_size_value", tcp.window());
    put(f, "tcp.checksum.status", tcp.checksum_status() as u8);
    put(f, "tcp.urgent_pointer", tcp.urgent_pointer());
    if let Some(mss) = tcp.mss() {
        put(f, "tcp.options.mss_val", mss);
    }
    if let Some(ws) = tcp.window_scale() {
        put(f, "tcp.options.wscale.shift", ws);
    }
    if let Some((tsval, tsecr)) = tcp.timestamps() {
        put(f, "tcp.options.timestamp.tsval", tsval);
        put(f, "tcp.options.timestamp.tsecr", tsecr);
    }
}

/// Reads a `*.fields.tsv` file: header names and one value row per frame.
pub fn read_tsv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| l.split('\t').map(String::from).collect())
        .collect();
    (header, rows)
}
