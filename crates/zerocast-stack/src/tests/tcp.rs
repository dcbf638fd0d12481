//! TCP (RFC 9293 and friends), whole-stack: hand-built segments in, segments out, and
//! FakeNetwork transfers.

use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN};
use zerocast_wire::IpProto;

use super::*;
use crate::tcp::TcpState;
use crate::testutil::tcp::bulk_transfer;
use crate::testutil::LinkConfig;
use crate::time::Duration;
use crate::{Readiness, SocketError, SocketId};

/// A TCP segment from `src` to `dst` in an IP packet, checksummed.
pub(super) fn tcp_packet(
    src: SocketAddr,
    dst: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u16,
    options: &[u8],
    data: &[u8],
) -> Vec<u8> {
    let repr = TcpRepr {
        seq,
        ack,
        flags,
        window: 8192,
        options,
        ..TcpRepr::new(src.port(), dst.port())
    };
    let mut seg = alloc::vec![0u8; repr.header_len() + data.len()];
    seg[repr.header_len()..].copy_from_slice(data);
    let pseudo = crate::tcp::io::pseudo_header(src.ip(), dst.ip());
    repr.emit(&mut seg, pseudo).unwrap();
    match (src.ip(), dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => ipv4_packet(s, d, IpProto::TCP, &seg),
        (IpAddr::V6(s), IpAddr::V6(d)) => ipv6_packet(s, d, IpProto::TCP, &seg),
        _ => panic!("mixed families"),
    }
}

/// What a sent segment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sent {
    pub(super) src: SocketAddr,
    pub(super) dst: SocketAddr,
    pub(super) seq: u32,
    pub(super) ack: u32,
    pub(super) flags: u16,
    pub(super) window: u16,
    pub(super) mss: Option<u16>,
    pub(super) data: Vec<u8>,
}

/// Parses a transmitted pure-IP frame as TCP (checksums verified).
pub(super) fn parse_tcp(frame: &[u8]) -> Sent {
    let (src, dst, payload): (IpAddr, IpAddr, Vec<u8>) = if frame[0] >> 4 == 4 {
        let ip = Ipv4Packet::parse(frame).unwrap();
        (
            IpAddr::V4(ip.src().into()),
            IpAddr::V4(ip.dst().into()),
            ip.payload().to_vec(),
        )
    } else {
        let ip = Ipv6Packet::parse(frame).unwrap();
        (
            IpAddr::V6(ip.src().into()),
            IpAddr::V6(ip.dst().into()),
            ip.payload().to_vec(),
        )
    };
    let payload = &payload[..];
    let seg = TcpPacket::parse(payload, crate::tcp::io::pseudo_header(src, dst)).unwrap();
    Sent {
        src: SocketAddr::new(src, seg.src_port()),
        dst: SocketAddr::new(dst, seg.dst_port()),
        seq: seg.seq(),
        ack: seg.ack(),
        flags: seg.flags(),
        window: seg.window(),
        mss: seg.mss(),
        data: seg.payload().to_vec(),
    }
}

pub(super) fn sent(bc: &mut crate::testutil::FakeBindings) -> Vec<Sent> {
    bc.take_sent().iter().map(|f| parse_tcp(&f.bytes)).collect()
}

pub(super) const PEER: &str = "10.0.0.1:40000";
pub(super) const US: &str = "10.0.0.2:80";

/// A stack listening on port 80 of every address.
pub(super) fn listening() -> (
    Stack,
    crate::testutil::FakeBindings,
    crate::DeviceId,
    SocketId,
) {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let l = stack.tcp_open().unwrap();
    stack.tcp_bind(l, sa("[::]:80")).unwrap();
    stack.tcp_listen(&mut bc, l, 2).unwrap();
    bc.take_sent();
    (stack, bc, dev, l)
}

#[test]
fn rfc9293_3_10_7_1_syn_to_closed_port_gets_rst_ack() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let rst = &sent(&mut bc)[0];
    assert_eq!(
        (rst.seq, rst.ack, rst.flags),
        (0, 7001, FLAG_RST | FLAG_ACK)
    );
    assert_eq!((rst.src, rst.dst), (sa(US), sa(PEER)));
    assert_eq!(stack.counters().tcp.no_socket, 1);
}

#[test]
fn rfc9293_3_10_7_1_ack_to_closed_port_gets_rst_with_its_ack_and_rst_gets_nothing() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = tcp_packet(
        sa("[2001:db8::1]:5"),
        sa("[2001:db8::2]:6"),
        1,
        4242,
        FLAG_ACK,
        &[],
        b"x",
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    let rst = &sent(&mut bc)[0];
    assert_eq!((rst.seq, rst.flags), (4242, FLAG_RST));
    let mut p = tcp_packet(sa(PEER), sa(US), 1, 0, FLAG_RST, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.take_sent().is_empty(), "never a RST to a RST");
}

#[test]
fn bad_checksum_is_dropped_and_counted() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &[], &[]);
    let last = p.len() - 1;
    p[last - 3] ^= 0xff; // inside the TCP header: the window
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.take_sent().is_empty());
    assert_eq!(stack.counters().tcp.malformed, 1);
}

#[test]
fn rfc9293_3_5_listener_handshake_accept_and_data_both_ways() {
    let (mut stack, mut bc, dev, l) = listening();
    let mss = [2, 4, 0x05, 0xb4];
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &mss, &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let sa_ = sent(&mut bc).remove(0);
    assert_eq!((sa_.ack, sa_.flags), (7001, FLAG_SYN | FLAG_ACK));
    assert_eq!(sa_.mss, Some(1460), "MTU 1500 - 40");
    assert_eq!(stack.tcp_accept(&mut bc, l), Err(SocketError::WouldBlock));
    let iss = sa_.seq;
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1, FLAG_ACK, &[], b"hello");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(
        bc.events.iter().any(|(id, r)| *id == l && r.readable),
        "listener readable"
    );
    let (c, from) = stack.tcp_accept(&mut bc, l).unwrap();
    assert_eq!(from, sa(PEER));
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Established);
    assert_eq!(stack.tcp_local_addr(c).unwrap(), Some(sa(US)));
    let mut buf = [0u8; 16];
    assert_eq!(stack.tcp_recv(&mut bc, c, &mut buf), Ok(5));
    assert_eq!(&buf[..5], b"hello");
    stack.tcp_send(&mut bc, c, b"world").unwrap();
    let out = sent(&mut bc);
    let data = out.iter().find(|s| !s.data.is_empty()).unwrap();
    assert_eq!(
        (data.seq, data.ack, &data.data[..]),
        (iss + 1, 7006, &b"world"[..])
    );
    assert_eq!(stack.counters().tcp.established, 1);
}

#[test]
fn ipv6_listener_announces_mss_1440() {
    let (mut stack, mut bc, dev, _) = listening();
    let mut p = tcp_packet(
        sa("[2001:db8::1]:999"),
        sa("[2001:db8::2]:80"),
        1,
        0,
        FLAG_SYN,
        &[],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(sent(&mut bc)[0].mss, Some(1440), "MTU 1500 - 60");
}

#[test]
fn accept_backlog_full_drops_syns() {
    let (mut stack, mut bc, dev, l) = listening();
    for port in 0..3u16 {
        let peer = SocketAddr::new(ip("10.0.0.1"), 1000 + port);
        let mut p = tcp_packet(peer, sa(US), 100, 0, FLAG_SYN, &[], &[]);
        stack.receive_frame(&mut bc, dev, &mut p);
        if let Some(s) = sent(&mut bc).first() {
            let mut p = tcp_packet(peer, sa(US), 101, s.seq + 1, FLAG_ACK, &[], &[]);
            stack.receive_frame(&mut bc, dev, &mut p);
        }
    }
    assert_eq!(
        stack.counters().tcp.backlog_full,
        1,
        "backlog 2: the third SYN is dropped"
    );
    assert!(stack.tcp_accept(&mut bc, l).is_ok());
    assert!(stack.tcp_accept(&mut bc, l).is_ok());
    assert_eq!(stack.tcp_accept(&mut bc, l), Err(SocketError::WouldBlock));
}

#[test]
fn connect_refused_by_rst_shows_as_error_readiness() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let c = stack.tcp_open().unwrap();
    stack.tcp_connect(&mut bc, c, sa(PEER)).unwrap();
    let syn = sent(&mut bc).remove(0);
    assert_eq!(syn.flags, FLAG_SYN);
    assert_eq!(syn.dst, sa(PEER));
    assert!(syn.src.port() >= 49152);
    assert_eq!(stack.tcp_peer_addr(c).unwrap(), Some(sa(PEER)));
    let mut p = tcp_packet(
        sa(PEER),
        syn.src,
        0,
        syn.seq + 1,
        FLAG_RST | FLAG_ACK,
        &[],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(
        bc.events.last(),
        Some(&(
            c,
            Readiness {
                readable: true,
                writable: true,
                error: true
            }
        ))
    );
    assert_eq!(
        stack.tcp_take_error(c),
        Ok(Some(SocketError::ConnectionRefused))
    );
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Closed);
}

#[test]
fn connect_completion_is_writable_readiness() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let c = stack.tcp_open().unwrap();
    stack.tcp_connect(&mut bc, c, sa(PEER)).unwrap();
    let syn = sent(&mut bc).remove(0);
    assert_eq!(
        stack.tcp_connect(&mut bc, c, sa(PEER)),
        Err(SocketError::AlreadyConnected)
    );
    let mut p = tcp_packet(
        sa(PEER),
        syn.src,
        9000,
        syn.seq + 1,
        FLAG_SYN | FLAG_ACK,
        &[],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(
        bc.events.last(),
        Some(&(
            c,
            Readiness {
                readable: false,
                writable: true,
                error: false
            }
        ))
    );
    let ack = sent(&mut bc).remove(0);
    assert_eq!((ack.seq, ack.ack, ack.flags), (syn.seq + 1, 9001, FLAG_ACK));
    assert_eq!(
        stack.tcp_listen(&mut bc, c, 1),
        Err(SocketError::InvalidState)
    );
}

#[test]
fn rfc1122_4_2_3_9_icmp_port_unreachable_fails_a_connect() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let c = stack.tcp_open().unwrap();
    stack.tcp_connect(&mut bc, c, sa(PEER)).unwrap();
    let syn_frame = bc.take_sent().remove(0).bytes;
    // ICMP 3/3 quoting our SYN.
    let mut msg = alloc::vec![0u8; 8 + syn_frame.len()];
    msg[8..].copy_from_slice(&syn_frame);
    Icmpv4Repr::dest_unreachable(3, 0).emit(&mut msg).unwrap();
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &msg);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(
        stack.tcp_take_error(c),
        Ok(Some(SocketError::ConnectionRefused))
    );
}

#[test]
fn close_finishes_the_fin_handshake_owned_by_the_stack() {
    let (mut stack, mut bc, dev, l) = listening();
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let (c, _) = stack.tcp_accept(&mut bc, l).unwrap();
    stack.tcp_close(&mut bc, c).unwrap();
    assert_eq!(
        stack.tcp_state(c),
        Err(SocketError::InvalidSocket),
        "the id is free at once"
    );
    let fin = sent(&mut bc).remove(0);
    assert_eq!((fin.seq, fin.flags), (iss + 1, FLAG_FIN | FLAG_ACK));
    let mut p = tcp_packet(
        sa(PEER),
        sa(US),
        7001,
        iss + 2,
        FLAG_ACK | FLAG_FIN,
        &[],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    let ack = sent(&mut bc).remove(0);
    assert_eq!(ack.ack, 7002);
    assert_eq!(stack.tcp.len(), 1, "in TIME-WAIT");
    bc.advance(Duration::from_secs(60));
    stack.handle_timers(&mut bc);
    assert_eq!(stack.tcp.len(), 0, "TIME-WAIT over: forgotten");
    assert_eq!(stack.next_deadline(), None);
}

#[test]
fn rfc6191_time_wait_reused_by_a_syn_with_a_higher_sequence_number() {
    let (stack, bc, dev, l) = listening();
    time_wait_then_two_syns(stack, bc, dev, l, sa(US));
}

/// A relay's side of the same: the kernel client reuses a port once it has gone round its
/// range, and the newer SYN must reach the transparent listener rather than meet
/// TIME-WAIT's ACK until the wait ends (a CI run's connect timed out so).
#[test]
fn rfc6191_time_wait_reuse_reaches_the_transparent_listener() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    stack.set_accept_any_destination(dev, true);
    let l = stack.tcp_open().unwrap();
    stack.tcp_listen_transparent(&mut bc, l, 2).unwrap();
    bc.take_sent();
    time_wait_then_two_syns(stack, bc, dev, l, sa("198.51.100.7:443"));
}

/// Accepts a connection from PEER to `us` on listener `l`, closes it first (so TIME-WAIT
/// is on our side), then checks that an older SYN on the same four-tuple gets TIME-WAIT's
/// ACK and a newer one a SYN-ACK of a new connection.
fn time_wait_then_two_syns(
    mut stack: Stack,
    mut bc: crate::testutil::FakeBindings,
    dev: crate::DeviceId,
    l: SocketId,
    us: SocketAddr,
) {
    let mut p = tcp_packet(sa(PEER), us, 7000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(sa(PEER), us, 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let (c, _) = stack.tcp_accept(&mut bc, l).unwrap();
    stack.tcp_close(&mut bc, c).unwrap();
    let mut p = tcp_packet(sa(PEER), us, 7001, iss + 2, FLAG_ACK | FLAG_FIN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    bc.take_sent();
    assert_eq!(stack.tcp.len(), 1, "in TIME-WAIT");
    // An old-numbered SYN is answered by TIME-WAIT (a challenge ACK), a newer one reuses.
    let mut p = tcp_packet(sa(PEER), us, 6000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(sent(&mut bc)[0].flags, FLAG_ACK);
    let mut p = tcp_packet(sa(PEER), us, 90_000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let sa_ = sent(&mut bc).remove(0);
    assert_eq!((sa_.ack, sa_.flags), (90_001, FLAG_SYN | FLAG_ACK));
    assert_eq!(stack.counters().tcp.time_wait_reused, 1);
}

#[test]
fn closing_a_listener_resets_connections_nobody_accepted() {
    let (mut stack, mut bc, dev, l) = listening();
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    stack.tcp_close(&mut bc, l).unwrap();
    let rst = sent(&mut bc).remove(0);
    assert_eq!((rst.seq, rst.flags), (iss + 1, FLAG_RST));
    assert_eq!(stack.tcp.len(), 0);
}

#[test]
fn bind_conflicts_and_ephemeral_ports() {
    let (mut stack, _bc, _) = tun_stack(StackConfig::default());
    let a = stack.tcp_open().unwrap();
    let b = stack.tcp_open().unwrap();
    stack.tcp_bind(a, sa("0.0.0.0:8080")).unwrap();
    assert_eq!(
        stack.tcp_bind(b, sa("10.0.0.2:8080")),
        Err(SocketError::AddressInUse)
    );
    assert_eq!(
        stack.tcp_bind(b, sa("10.9.9.9:1")),
        Err(SocketError::AddressNotAvailable)
    );
    assert_eq!(
        stack.tcp_bind(a, sa("0.0.0.0:1")),
        Err(SocketError::AlreadyBound)
    );
    stack.tcp_bind(b, sa("[2001:db8::2]:0")).unwrap();
    assert!(stack.tcp_local_addr(b).unwrap().unwrap().port() >= 49152);
}

/// A stack on a TUN whose listener on port 80 has a SYN queue of one, so a second
/// half-open connection overflows it: the stack, its bindings, the device and the listener.
fn listener_with_one_syn_slot() -> (Stack, FakeBindings, DeviceId, SocketId) {
    let config = StackConfig {
        tcp: crate::tcp::TcpConfig {
            syn_queue_len: 1,
            ..crate::tcp::TcpConfig::default()
        },
        ..StackConfig::default()
    };
    let (mut stack, mut bc, dev) = tun_stack(config);
    let l = stack.tcp_open().unwrap();
    stack.tcp_bind(l, sa("0.0.0.0:80")).unwrap();
    stack.tcp_listen(&mut bc, l, 8).unwrap();
    (stack, bc, dev, l)
}

/// RFC 4987 3.6: with the SYN queue full, SYNs get a cookie SYN-ACK and no state; a valid
/// returning ACK makes an established connection, a forged one gets a RST.
#[test]
fn rfc4987_syn_cookies_when_the_syn_queue_is_full() {
    let (mut stack, mut bc, dev, l) = listener_with_one_syn_slot();
    let first = sa("10.0.0.1:1001");
    let mut p = tcp_packet(first, sa(US), 100, 0, FLAG_SYN, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.tcp.len(), 1, "half-open: state kept");
    let second = sa("10.0.0.1:1002");
    let mss = [2, 4, 0x05, 0xb4];
    let mut p = tcp_packet(second, sa(US), 500, 0, FLAG_SYN, &mss, &[]);
    bc.take_sent();
    stack.receive_frame(&mut bc, dev, &mut p);
    let cookie = sent(&mut bc).remove(0);
    assert_eq!((cookie.ack, cookie.flags), (501, FLAG_SYN | FLAG_ACK));
    assert_eq!(stack.tcp.len(), 1, "no state for the cookie SYN");
    assert_eq!(stack.counters().tcp.syn_cookies_sent, 1);
    // A forged cookie is refused.
    let mut p = tcp_packet(
        second,
        sa(US),
        501,
        cookie.seq.wrapping_add(7),
        FLAG_ACK,
        &[],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(sent(&mut bc)[0].flags, FLAG_RST);
    // The real one, carrying data, is accepted.
    let mut p = tcp_packet(
        second,
        sa(US),
        501,
        cookie.seq.wrapping_add(1),
        FLAG_ACK,
        &[],
        b"hi",
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().tcp.syn_cookies_accepted, 1);
    let (c, from) = stack.tcp_accept(&mut bc, l).unwrap();
    assert_eq!(from, second);
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Established);
    let mut buf = [0u8; 8];
    assert_eq!(stack.tcp_recv(&mut bc, c, &mut buf), Ok(2));
    stack.tcp_send(&mut bc, c, b"ok").unwrap();
    let out = sent(&mut bc);
    let data = out.iter().find(|s| !s.data.is_empty()).unwrap();
    assert_eq!((data.seq, data.ack), (cookie.seq.wrapping_add(1), 503));
}

/// RFC 1191 6.4: after Fragmentation Needed (next-hop MTU 1000) quoting one of our
/// segments, the connection's segments shrink to 1000 - 40 bytes and are never fragmented.
#[test]
fn rfc1191_frag_needed_shrinks_segments_to_the_path_mtu() {
    let (mut stack, mut bc, dev, l) = listening();
    let mut p = tcp_packet(
        sa(PEER),
        sa(US),
        7000,
        0,
        FLAG_SYN,
        &[2, 4, 0x05, 0xb4],
        &[],
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let (c, _) = stack.tcp_accept(&mut bc, l).unwrap();
    stack.tcp_send(&mut bc, c, &[1u8; 1460]).unwrap();
    let frame = bc.take_sent().remove(0).bytes;
    assert_eq!(parse_tcp(&frame).data.len(), 1460);
    let mut msg = alloc::vec![0u8; 8 + 28];
    msg[8..].copy_from_slice(&frame[..28]);
    let mut repr = Icmpv4Repr::dest_unreachable(4, 0);
    repr.rest = [0, 0, 0x03, 0xe8]; // next-hop MTU 1000
    repr.emit(&mut msg).unwrap();
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &msg);
    stack.receive_frame(&mut bc, dev, &mut p);
    // The dropped segment is resent at once at the new size (tests/tcp_features.rs).
    assert_eq!(bc.take_sent().len(), 2);
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1461, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    stack.tcp_send(&mut bc, c, &[2u8; 3000]).unwrap();
    let lens: Vec<usize> = bc
        .take_sent()
        .iter()
        .map(|f| {
            assert!(
                f.bytes.len() <= 1000,
                "a {}-byte packet on a 1000-byte path",
                f.bytes.len()
            );
            parse_tcp(&f.bytes).data.len()
        })
        .collect();
    assert_eq!(
        lens,
        [960, 960, 960],
        "the 120-byte rest waits for an ACK (Nagle)"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn bulk_transfer_ideal_link_v4() {
    let r = bulk_transfer(
        1,
        LinkConfig::ideal(Duration::from_millis(5)),
        200_000,
        false,
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(r.delivered, 200_000);
}

fn faulty(seed: u64) -> LinkConfig {
    // Loss 0–10 %, reordering, duplication, 1–100 ms one way (2–200 ms RTT), by seed.
    let loss = (seed % 11) as f64 / 100.0;
    LinkConfig {
        latency: Duration::from_millis(1 + (seed * 37) % 100),
        jitter: Duration::from_millis(seed % 3),
        loss,
        duplicate: 0.02,
        reorder: 0.03,
        reorder_delay: Duration::from_millis(7),
        corrupt: 0.0,
    }
}

/// Bulk transfers across seeds on faulty links arrive byte-exact and close cleanly.
#[test]
#[cfg_attr(miri, ignore)]
fn bulk_transfer_survives_loss_reordering_duplication_across_seeds() {
    for seed in 0..12u64 {
        let v6 = seed % 2 == 1;
        let r = bulk_transfer(seed, faulty(seed), 300_000, v6, Duration::from_secs(600));
        let r = r.unwrap();
        assert_eq!(r.delivered, 300_000);
    }
}

/// A few megabytes across seeds: every byte checked, both ends closed. Prints the simulated
/// time per transfer with `--nocapture`.
#[test]
#[cfg_attr(miri, ignore)]
fn bulk_transfer_of_megabytes_across_seeds() {
    for seed in [3u64, 7, 10, 21] {
        let link = faulty(seed);
        let r = bulk_transfer(
            seed,
            link.clone(),
            2_000_000,
            seed % 2 == 0,
            Duration::from_secs(900),
        )
        .unwrap();
        assert_eq!(r.delivered, 2_000_000);
        std::println!(
            "seed {seed}: loss {:.0} %, one-way {:?}: {:?} simulated, {} segments sent",
            link.loss * 100.0,
            link.latency,
            r.elapsed,
            r.client_segments
        );
    }
}

/// A half-open connection reset by its peer leaves the SYN queue: the next SYN is
/// answered normally, not with a cookie (the queue's count must not leak).
#[test]
fn reset_half_open_connection_frees_its_syn_queue_slot() {
    let (mut stack, mut bc, dev, _listener) = listener_with_one_syn_slot();
    for round in 0..3u16 {
        let peer = SocketAddr::new(ip("10.0.0.1"), 2000 + round);
        let mut p = tcp_packet(peer, sa(US), 100, 0, FLAG_SYN, &[], &[]);
        stack.receive_frame(&mut bc, dev, &mut p);
        assert_eq!(sent(&mut bc).len(), 1);
        let mut p = tcp_packet(peer, sa(US), 101, 0, FLAG_RST, &[], &[]);
        stack.receive_frame(&mut bc, dev, &mut p);
        assert_eq!(
            stack.tcp.len(),
            0,
            "round {round}: the half-open connection is gone"
        );
    }
    assert_eq!(stack.counters().tcp.syn_cookies_sent, 0);
}
