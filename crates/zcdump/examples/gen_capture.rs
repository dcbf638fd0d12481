//! Writes a large, realistic pcap for benchmarks: the real frames of `samples/kernel-mix.pcap`
//! replayed over and over, each replay moving the client (ephemeral) TCP/UDP ports so that
//! every replay is a new set of conversations. Ports are rewritten in place with
//! zerocast-wire's setters, which patch the checksums, so every checksum stays valid.
//!
//! Given sample files after FRAMES, it replays their frames (in the order given) instead,
//! as the mixed benchmark does with the DNS, HTTP and TLS samples.
//!
//! usage: `cargo run --release -p zcdump --example gen_capture -- OUT.pcap [FRAMES [SAMPLE.pcap...]]`
#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use zcdump::capture::CaptureReader;
use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::tcp::TcpPacket;
use zerocast_wire::udp::UdpPacket;
use zerocast_wire::{IpProto, ParseOptions, PseudoHeader};

/// Ports at or above this are treated as the client side and moved per replay.
const EPHEMERAL: u16 = 32_768;

fn shifted(port: u16, replay: u32) -> u16 {
    if port < EPHEMERAL {
        return port;
    }
    let span = u32::from(u16::MAX - EPHEMERAL) + 1;
    let moved = (u32::from(port - EPHEMERAL) + replay * 7) % span;
    EPHEMERAL + moved as u16
}

/// Moves the ephemeral ports of a TCP or UDP segment (checksums patched by the setters).
fn rewrite_ports(segment: &mut [u8], proto: IpProto, pseudo: PseudoHeader, replay: u32) {
    let opts = ParseOptions::OFFLOAD;
    if proto == IpProto::TCP {
        if let Ok(mut tcp) = TcpPacket::parse_with(segment, Some(pseudo), opts) {
            let (s, d) = (tcp.src_port(), tcp.dst_port());
            tcp.set_src_port(shifted(s, replay));
            tcp.set_dst_port(shifted(d, replay));
        }
    } else if proto == IpProto::UDP {
        if let Ok(mut udp) = UdpPacket::parse_with(segment, Some(pseudo), opts) {
            let (s, d) = (udp.src_port(), udp.dst_port());
            udp.set_src_port(shifted(s, replay));
            udp.set_dst_port(shifted(d, replay));
        }
    }
}

fn vary(frame: &mut [u8], replay: u32) {
    let Ok(eth) = EthernetFrame::parse(&mut frame[..]) else {
        return;
    };
    let ethertype = eth.ethertype();
    let payload = eth.into_payload();
    if ethertype == EtherType::IPV4 {
        if let Ok(mut ip) = Ipv4Packet::parse_with(payload, ParseOptions::OFFLOAD) {
            if !ip.is_fragment() {
                let (proto, pseudo) = (ip.protocol(), ip.pseudo_header());
                rewrite_ports(ip.payload_mut(), proto, pseudo, replay);
            }
        }
    } else if ethertype == EtherType::IPV6 {
        if let Ok(mut ip) = Ipv6Packet::parse_with(payload, ParseOptions::OFFLOAD) {
            if !ip.is_fragment() {
                let (proto, pseudo) = (ip.upper_protocol(), ip.pseudo_header());
                rewrite_ports(ip.payload_mut(), proto, pseudo, replay);
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(out_path) = args.get(1) else {
        eprintln!("usage: gen_capture OUT.pcap [FRAMES [SAMPLE.pcap...]]");
        return ExitCode::from(2);
    };
    let frames: u64 = args
        .get(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/kernel-mix.pcap");
    let samples: Vec<&str> = match args.get(3..) {
        Some(given) if !given.is_empty() => given.iter().map(String::as_str).collect(),
        _ => vec![default],
    };
    let mut templates = Vec::new();
    for sample in samples {
        let file = File::open(sample).expect("sample present");
        let mut reader = CaptureReader::open(file).expect("sample is a capture");
        while let Ok(Some(p)) = reader.next_packet() {
            templates.push((p.orig_len, p.data.to_vec()));
        }
    }
    if templates.is_empty() {
        eprintln!("gen_capture: the samples hold no frame");
        return ExitCode::from(2);
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(out_path).expect("output"));
    // Little-endian microsecond pcap header, snaplen 256 KiB, Ethernet.
    let mut header = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    for v in [0u32, 0, 262_144, 1] {
        header.extend_from_slice(&v.to_le_bytes());
    }
    out.write_all(&header).expect("write");
    let start = 1_764_000_000u64;
    let mut frame = Vec::new();
    for i in 0..frames {
        let (orig_len, template) = &templates[(i % templates.len() as u64) as usize];
        let replay = (i / templates.len() as u64) as u32;
        frame.clear();
        frame.extend_from_slice(template);
        vary(&mut frame, replay);
        let micros = i * 20;
        let mut rec = [0u8; 16];
        rec[..4].copy_from_slice(&((start + micros / 1_000_000) as u32).to_le_bytes());
        rec[4..8].copy_from_slice(&((micros % 1_000_000) as u32).to_le_bytes());
        rec[8..12].copy_from_slice(&(frame.len() as u32).to_le_bytes());
        rec[12..].copy_from_slice(&orig_len.to_le_bytes());
        out.write_all(&rec).expect("write");
        out.write_all(&frame).expect("write");
    }
    out.flush().expect("flush");
    ExitCode::SUCCESS
}
