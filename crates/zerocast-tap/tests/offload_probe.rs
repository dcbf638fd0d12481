//! What the kernel hands a TUN opened with the virtio-net header (tun-rs
//! `DeviceBuilder::offload(true)`: `IFF_VNET_HDR`, then `TUNSETOFFLOAD` with
//! `TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6`, plus `TUN_F_USO4 | TUN_F_USO6` where the kernel
//! has them): a TCP sender in a namespace, once its connection is up, passes segments of
//! several MSS as one frame, with a header saying "segment this at gso_size" and "the
//! checksum is yours to finish". This is the receive side that issue 13's offload work
//! builds on; here it is observed, not yet used by the stack.
//!
//! The test plays the TCP peer by hand (SYN-ACK only: it never ACKs data, so the kernel
//! sends its initial window and stops). Runs with `ZC_KERNEL_TESTS=1` (root,
//! /dev/net/tun, `ip`, `python3`); bounded by a 5 s read deadline.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tun_rs::{DeviceBuilder, Layer, SyncDevice};

mod support;

use support::Namespace;

/// The virtio-net header of linux/virtio_net.h without `num_buffers` (what a TUN uses unless
/// TUNSETVNETHDRSZ says otherwise): flags, gso_type, then four little-endian u16.
const VNET_HDR_LEN: usize = 10;
const VIRTIO_NET_HDR_F_NEEDS_CSUM: u8 = 1;
const VIRTIO_NET_HDR_GSO_TCPV4: u8 = 1;

#[derive(Debug)]
struct VnetHdr {
    flags: u8,
    gso_type: u8,
    hdr_len: u16,
    gso_size: u16,
    csum_start: u16,
    csum_offset: u16,
}

fn parse_vnet_hdr(b: &[u8]) -> Option<VnetHdr> {
    let le = |i: usize| Some(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?]));
    Some(VnetHdr {
        flags: *b.first()?,
        gso_type: *b.get(1)?,
        hdr_len: le(2)?,
        gso_size: le(4)?,
        csum_start: le(6)?,
        csum_offset: le(8)?,
    })
}

/// RFC 1071 one's-complement sum, folded and inverted.
fn internet_checksum(chunks: &[&[u8]]) -> u16 {
    let mut sum = 0u32;
    for chunk in chunks {
        for pair in chunk.chunks(2) {
            let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
            sum += u32::from(word);
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A SYN-ACK from `ours` to the SYN in `syn` (a bare IPv4 packet), MSS 1460, window 65535.
fn syn_ack(syn: &[u8], iss: u32) -> Vec<u8> {
    let ihl = usize::from(syn[0] & 0x0f) * 4;
    let tcp = &syn[ihl..];
    let (their_port, our_port) = ([tcp[0], tcp[1]], [tcp[2], tcp[3]]);
    let their_seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]);
    let (src, dst) = (&syn[16..20], &syn[12..16]);
    let mut t = Vec::with_capacity(24);
    t.extend_from_slice(&our_port);
    t.extend_from_slice(&their_port);
    t.extend_from_slice(&iss.to_be_bytes());
    t.extend_from_slice(&their_seq.wrapping_add(1).to_be_bytes());
    t.extend_from_slice(&[6 << 4, 0x12, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(&[2, 4, 0x05, 0xb4]);
    let pseudo = [src, dst, &[0, 6], &(t.len() as u16).to_be_bytes()].concat();
    let c = internet_checksum(&[&pseudo, &t]);
    t[16..18].copy_from_slice(&c.to_be_bytes());
    let mut p = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0];
    p[2..4].copy_from_slice(&((20 + t.len()) as u16).to_be_bytes());
    p.extend_from_slice(src);
    p.extend_from_slice(dst);
    let c = internet_checksum(&[&p]);
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(&t);
    p
}

/// Reads one frame (header included) within the deadline.
fn read_frame(dev: &SyncDevice, buf: &mut [u8], deadline: Instant) -> Option<usize> {
    while Instant::now() < deadline {
        match dev.recv(buf) {
            Ok(n) => return Some(n),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => panic!("read: {e}"),
        }
    }
    None
}

#[test]
fn kernel_tcp_hands_a_vnet_hdr_tun_one_frame_of_several_segments() {
    if support::skip(&["ip", "python3"]) {
        return;
    }
    let tag = std::process::id() % 100_000;
    let ifname = format!("zco{tag}");
    let mut ns = Namespace::new(format!("zcoffload-{tag}"));
    let dev = DeviceBuilder::new()
        .name(&ifname)
        .layer(Layer::L3)
        .mtu(1500)
        .offload(true)
        .build_sync()
        .expect("open a TUN with IFF_VNET_HDR");
    assert!(dev.tcp_gso(), "TSO accepted (IFF_VNET_HDR + TUN_F_TSO4/6)");
    eprintln!(
        "tun-rs: tcp_gso {}, udp_gso {}",
        dev.tcp_gso(),
        dev.udp_gso()
    );
    dev.set_nonblocking(true).unwrap();
    ns.take_interface(&ifname, &["10.95.0.1/24"]);
    // The kernel's features as the namespace sees them (for the report).
    let features = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.name,
            "sh",
            "-c",
            &format!("ethtool -k {ifname} 2>/dev/null | grep -E 'segmentation|checksum' | head -8"),
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    eprintln!("{features}");
    let script = "import socket,time\n\
                  s=socket.create_connection(('10.95.0.2',80),timeout=5)\n\
                  s.sendall(b'z'*60000)\n\
                  time.sleep(3)\n";
    let client = ns
        .command(&["timeout", "8", "python3", "-c", script])
        .stdin(Stdio::null())
        .spawn()
        .expect("start the client");
    ns.children.push(client);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = vec![0u8; VNET_HDR_LEN + 65_536];
    // Wait for the SYN (skipping the kernel's IPv6 chatter on the new link).
    let syn = loop {
        let n = read_frame(&dev, &mut buf, deadline).expect("a SYN within 5 s");
        let packet = &buf[VNET_HDR_LEN..n];
        if packet.len() >= 40 && packet[0] >> 4 == 4 && packet[9] == 6 && packet[33] & 0x02 != 0 {
            break packet.to_vec();
        }
    };
    let mut reply = vec![0u8; VNET_HDR_LEN];
    reply.extend_from_slice(&syn_ack(&syn, 1000));
    dev.send(&reply).expect("write the SYN-ACK");
    // Now the data: the kernel sends its initial window without waiting for us.
    let mut data_bytes = 0usize;
    let mut largest: Option<(usize, VnetHdr)> = None;
    while let Some(n) = read_frame(&dev, &mut buf, deadline) {
        let (hdr, packet) = (parse_vnet_hdr(&buf[..n]).unwrap(), &buf[VNET_HDR_LEN..n]);
        if packet.len() < 40 || packet[0] >> 4 != 4 || packet[9] != 6 {
            continue;
        }
        let ihl = usize::from(packet[0] & 0x0f) * 4;
        let tcp_header = usize::from(packet[ihl + 12] >> 4) * 4;
        let payload = packet.len() - ihl - tcp_header;
        data_bytes += payload;
        if largest.as_ref().is_none_or(|(len, _)| packet.len() > *len) {
            largest = Some((packet.len(), hdr));
        }
        if data_bytes >= 10 * 1460 {
            break;
        }
    }
    let (len, hdr) = largest.expect("data frames");
    eprintln!("largest frame: {len} bytes of IP, {hdr:?}; {data_bytes} payload bytes in all");
    assert!(len > 1500, "a frame larger than the MTU: {len}");
    assert_eq!(hdr.gso_type & 0x7f, VIRTIO_NET_HDR_GSO_TCPV4);
    assert_eq!(hdr.gso_size, 1460, "segment at our MSS");
    assert!(
        hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM != 0,
        "checksum left partial"
    );
    assert_eq!(
        (hdr.csum_start, hdr.csum_offset),
        (20, 16),
        "TCP checksum after the IPv4 header"
    );
    assert_eq!(
        usize::from(hdr.hdr_len),
        20 + 20,
        "IPv4 + TCP headers (no options)"
    );
}
