//! Whole-stack tests of ICMP errors on TCP connections (RFC 5927, RFC 1191 retransmission),
//! lingering close and RFC 6056 ephemeral ports: frames in, frames and events out.

use alloc::vec::Vec;

use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN};

use super::tcp::{listening, parse_tcp, sent, tcp_packet, PEER, US};
use super::*;
use crate::context::Clock;
use crate::tcp::{TcpSocketOptions, TcpState};
use crate::time::Duration;
use crate::{Readiness, SocketError, SocketId};

/// An ICMPv4 Destination Unreachable `code` from the peer quoting the first 28 bytes of
/// our `frame` (IP header and 8 bytes of TCP), with `seq` written over the quoted sequence
/// number when given, and `rest` as the type-specific word.
fn unreachable(frame: &[u8], code: u8, rest: [u8; 4], seq: Option<u32>) -> Vec<u8> {
    let mut msg = alloc::vec![0u8; 8 + 28];
    msg[8..].copy_from_slice(&frame[..28]);
    if let Some(seq) = seq {
        msg[8 + 24..8 + 28].copy_from_slice(&seq.to_be_bytes());
    }
    let mut repr = Icmpv4Repr::dest_unreachable(code, 0);
    repr.rest = rest;
    repr.emit(&mut msg).unwrap();
    ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &msg)
}

/// An established connection accepted from PEER (its SYN offered MSS 1460, nothing else):
/// the stack, bindings, device, socket and our ISS.
fn accepted() -> (Stack, FakeBindings, DeviceId, SocketId, u32) {
    let (mut stack, mut bc, dev, l) = listening();
    let mss = [2, 4, 0x05, 0xb4];
    let mut p = tcp_packet(sa(PEER), sa(US), 7000, 0, FLAG_SYN, &mss, &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let (c, _) = stack.tcp_accept(&mut bc, l).unwrap();
    (stack, bc, dev, c, iss)
}

/// RFC 5927 4.1: an ICMP error quoting a sequence number we did not send is ignored and
/// counted; a soft one (host unreachable) is recorded without ending the connect; a hard
/// one (port unreachable) quoting the SYN ends it.
#[test]
fn rfc5927_icmp_errors_to_a_connecting_socket() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let c = stack.tcp_open().unwrap();
    stack.tcp_connect(&mut bc, c, sa(PEER)).unwrap();
    let syn = bc.take_sent().remove(0).bytes;
    let iss = parse_tcp(&syn).seq;
    let mut p = unreachable(&syn, 3, [0; 4], Some(iss.wrapping_add(1)));
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().tcp.icmp_errors_out_of_window, 1);
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::SynSent);
    let mut p = unreachable(&syn, 1, [0; 4], None);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().tcp.icmp_soft_errors, 1);
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::SynSent);
    // The soft error is pending (Linux's SO_ERROR returns it) and taken once.
    assert_eq!(
        stack.tcp_take_error(c),
        Ok(Some(SocketError::HostUnreachable))
    );
    assert_eq!(stack.tcp_take_error(c), Ok(None));
    let mut p = unreachable(&syn, 3, [0; 4], None);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(
        stack.tcp_take_error(c),
        Ok(Some(SocketError::ConnectionRefused))
    );
}

/// Linux's `SO_ERROR`: with no hard error pending, `tcp_take_error` returns an established
/// connection's pending soft error (Net Unreachable quoting our data) and clears it. The
/// connection goes on; when it later times out, the soft error, already reported, no
/// longer stands in for `TimedOut` (as Linux, whose `SO_ERROR` clears `sk_err_soft`).
#[test]
fn linux_so_error_a_soft_error_is_taken_once_through_tcp_take_error() {
    let (mut stack, mut bc, dev, c, _iss) = accepted();
    stack.tcp_send(&mut bc, c, b"data").unwrap();
    let frame = bc.take_sent().remove(0).bytes;
    let mut p = unreachable(&frame, 0, [0; 4], None);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().tcp.icmp_soft_errors, 1);
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Established);
    assert_eq!(
        stack.tcp_take_error(c),
        Ok(Some(SocketError::NetworkUnreachable))
    );
    assert_eq!(stack.tcp_take_error(c), Ok(None));
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Established);
    for _ in 0..64 {
        let Some(t) = stack.next_deadline() else {
            break;
        };
        bc.set_now(t);
        stack.handle_timers(&mut bc);
        if stack.tcp_state(c).unwrap() == TcpState::Closed {
            break;
        }
    }
    assert_eq!(stack.tcp_state(c).unwrap(), TcpState::Closed);
    assert_eq!(stack.tcp_take_error(c), Ok(Some(SocketError::TimedOut)));
}

/// RFC 1191 6.4 on an established connection: Fragmentation Needed (MTU 1000) quoting
/// our 1460-byte segment at ISS+1 makes the connection resend it at once as 960 + 500
/// bytes, each packet within 1000 bytes, without waiting for the RTO.
#[test]
fn rfc1191_frag_needed_resends_the_dropped_segment_at_the_new_size_at_once() {
    let (mut stack, mut bc, dev, c, iss) = accepted();
    stack.tcp_send(&mut bc, c, &[7u8; 1460]).unwrap();
    let frame = bc.take_sent().remove(0).bytes;
    assert_eq!(parse_tcp(&frame).data.len(), 1460);
    let mut p = unreachable(&frame, 4, [0, 0, 0x03, 0xe8], None);
    stack.receive_frame(&mut bc, dev, &mut p);
    let resent: Vec<(u32, usize)> = bc
        .take_sent()
        .iter()
        .map(|f| {
            assert!(f.bytes.len() <= 1000, "{} bytes", f.bytes.len());
            let s = parse_tcp(&f.bytes);
            (s.seq, s.data.len())
        })
        .collect();
    assert_eq!(resent, [(iss + 1, 960), (iss + 961, 500)]);
    assert_eq!(stack.counters().tcp.icmp_errors_out_of_window, 0);
}

/// A Fragmentation Needed whose MTU (1500) does not lower the connection's MSS is no
/// reason to resend anything.
#[test]
fn rfc1191_frag_needed_that_changes_nothing_resends_nothing() {
    let (mut stack, mut bc, dev, c, _) = accepted();
    stack.tcp_send(&mut bc, c, &[7u8; 1460]).unwrap();
    let frame = bc.take_sent().remove(0).bytes;
    let mut p = unreachable(&frame, 4, [0, 0, 0x05, 0xdc], None);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.take_sent().is_empty());
}

/// The socket a lingering close ends with: accepted, linger 1 s, "bye" sent and closed
/// (FIN at ISS+4). Returns the stack, bindings, device, socket and ISS.
fn lingering() -> (Stack, FakeBindings, DeviceId, SocketId, u32) {
    let (mut stack, mut bc, dev, c, iss) = accepted();
    let options = TcpSocketOptions {
        linger: Some(Duration::from_secs(1)),
        ..TcpSocketOptions::default()
    };
    stack.tcp_set_options(c, options).unwrap();
    stack.tcp_send(&mut bc, c, b"bye").unwrap();
    stack.tcp_close(&mut bc, c).unwrap();
    let out = sent(&mut bc);
    let fin = out.last().unwrap();
    assert_eq!((fin.seq, fin.flags), (iss + 4, FLAG_ACK | FLAG_FIN));
    assert_eq!(
        stack.tcp_state(c).unwrap(),
        TcpState::FinWait1,
        "still held"
    );
    bc.events.clear();
    (stack, bc, dev, c, iss)
}

#[test]
fn linger_reports_the_acknowledged_fin_as_writable_and_frees_the_socket() {
    let (mut stack, mut bc, dev, c, iss) = lingering();
    let mut p = tcp_packet(sa(PEER), sa(US), 7001, iss + 5, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let done = Readiness {
        readable: false,
        writable: true,
        error: false,
    };
    assert_eq!(bc.events.last(), Some(&(c, done)));
    assert_eq!(stack.tcp_state(c), Err(SocketError::InvalidSocket));
}

/// No ACK: retransmissions at 200, 600 ms, then at 1 s a RST (SEQ = ISS+5) and an error
/// event; the socket is gone and so is the connection.
#[test]
fn linger_resets_after_the_linger_time_and_reports_an_error() {
    let (mut stack, mut bc, _dev, c, iss) = lingering();
    let start = bc.now();
    let mut rst_at = None;
    while let Some(t) = stack
        .next_deadline()
        .filter(|t| *t <= start + Duration::from_secs(2))
    {
        bc.set_now(t);
        stack.handle_timers(&mut bc);
        for s in sent(&mut bc) {
            if s.flags & FLAG_RST != 0 {
                assert_eq!(s.seq, iss + 5);
                rst_at = Some(t.saturating_duration_since(start).as_millis());
            }
        }
    }
    assert_eq!(rst_at, Some(1000));
    let failed = Readiness {
        readable: false,
        writable: false,
        error: true,
    };
    assert_eq!(bc.events.last(), Some(&(c, failed)));
    assert_eq!(stack.tcp_state(c), Err(SocketError::InvalidSocket));
    assert_eq!(stack.tcp.len(), 0);
}

/// The local ports of connections to four peers, on a stack whose RNG has `seed`.
fn ephemeral_ports(seed: u64) -> Vec<u16> {
    let (mut stack, _, _) = tun_stack(StackConfig::default());
    let mut bc = FakeBindings::new(seed);
    (1..=4)
        .map(|i| {
            let c = stack.tcp_open().unwrap();
            let peer = SocketAddr::new(ip("10.0.0.1"), 8000 + i);
            stack.tcp_connect(&mut bc, c, peer).unwrap();
            stack.tcp_local_addr(c).unwrap().unwrap().port()
        })
        .collect()
}

/// RFC 6056 Algorithm 4: the ports follow from the RNG's seed (the same seed, the same
/// ports; another seed, others), and are not a fixed sequence.
#[test]
fn rfc6056_ephemeral_ports_are_keyed_from_the_rng() {
    let a = ephemeral_ports(1);
    assert_eq!(a, ephemeral_ports(1));
    assert_ne!(a, ephemeral_ports(2));
    assert!(a.iter().all(|p| *p >= 49152));
}

/// With a four-port range and three ports bound, a connect gets the fourth; then none.
#[test]
fn rfc6056_ephemeral_ports_skip_bound_ports() {
    let (mut stack, mut bc, _) = tun_stack(StackConfig {
        ephemeral_ports: (50000, 50003),
        ..StackConfig::default()
    });
    for port in [50000, 50001, 50003] {
        let s = stack.tcp_open().unwrap();
        stack
            .tcp_bind(s, SocketAddr::new(ip("0.0.0.0"), port))
            .unwrap();
    }
    let c = stack.tcp_open().unwrap();
    stack.tcp_connect(&mut bc, c, sa(PEER)).unwrap();
    assert_eq!(stack.tcp_local_addr(c).unwrap().unwrap().port(), 50002);
    let d = stack.tcp_open().unwrap();
    assert_eq!(
        stack.tcp_connect(&mut bc, d, sa(PEER)),
        Err(SocketError::NoFreePorts)
    );
}

/// RFC 8201 on an established IPv6 connection: Packet Too Big (MTU 1280) quoting our
/// 1440-byte segment makes the connection resend it at once as 1220 + 220 bytes.
#[test]
fn rfc8201_packet_too_big_resends_the_dropped_segment_at_the_new_size_at_once() {
    let (mut stack, mut bc, dev, l) = listening();
    let (peer, us) = (sa("[2001:db8::1]:40000"), sa("[2001:db8::2]:80"));
    let mss = [2, 4, 0x05, 0xa0];
    let mut p = tcp_packet(peer, us, 7000, 0, FLAG_SYN, &mss, &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let iss = sent(&mut bc)[0].seq;
    let mut p = tcp_packet(peer, us, 7001, iss + 1, FLAG_ACK, &[], &[]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let (c, _) = stack.tcp_accept(&mut bc, l).unwrap();
    stack.tcp_send(&mut bc, c, &[7u8; 1440]).unwrap();
    let frame = bc.take_sent().remove(0).bytes;
    assert_eq!(parse_tcp(&frame).data.len(), 1440);
    let (src, dst) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let mut msg = alloc::vec![0u8; 8 + 48];
    msg[4..8].copy_from_slice(&1280u32.to_be_bytes());
    msg[8..].copy_from_slice(&frame[..48]);
    let ph = PseudoHeader::V6 {
        src: src.into(),
        dst: dst.into(),
    };
    Icmpv6Repr {
        msg_type: 2,
        code: 0,
    }
    .emit(&mut msg, ph)
    .unwrap();
    let mut p = ipv6_packet(src, dst, IpProto::ICMPV6, &msg);
    stack.receive_frame(&mut bc, dev, &mut p);
    let resent: Vec<(u32, usize)> = bc
        .take_sent()
        .iter()
        .map(|f| {
            assert!(f.bytes.len() <= 1280, "{} bytes", f.bytes.len());
            let s = parse_tcp(&f.bytes);
            (s.seq, s.data.len())
        })
        .collect();
    assert_eq!(resent, [(iss + 1, 1220), (iss + 1221, 220)]);
}
