//! `Stack::receive_burst`: segments that arrive together are acknowledged together
//! (GRO-style), while frame-by-frame arrival keeps RFC 9293 3.8.6.3's ACK per two full
//! segments.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::tcp::{TcpPacket, FLAG_ACK};

use crate::context::DeviceId;
use crate::testutil::FakeBindings;
use crate::{SocketId, Stack, StackConfig};

pub(super) struct Host {
    pub(super) stack: Stack,
    pub(super) bc: FakeBindings,
    dev: DeviceId,
}

fn host(last: u8) -> Host {
    let mut bc = FakeBindings::new(u64::from(last));
    let mut stack = Stack::new(StackConfig::default());
    let dev = stack.add_pure_ip_device(1500);
    stack
        .add_address(&mut bc, dev, IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)), 24)
        .unwrap();
    Host { stack, bc, dev }
}

/// Moves every frame `from` sent into `to`, one by one.
pub(super) fn deliver(from: &mut Host, to: &mut Host) -> usize {
    let frames = from.bc.take_sent();
    for mut f in frames.iter().map(|f| f.bytes.clone()) {
        to.stack.receive_frame(&mut to.bc, to.dev, &mut f);
    }
    frames.len()
}

/// A connection from a (10.0.0.1) to b (10.0.0.2), established, and the accepted socket.
pub(super) fn connected() -> (Host, Host, SocketId, SocketId) {
    let (mut a, mut b) = (host(1), host(2));
    let listener = b.stack.tcp_open().unwrap();
    b.stack
        .tcp_bind(listener, SocketAddr::from(([0, 0, 0, 0], 80)))
        .unwrap();
    b.stack.tcp_listen(&mut b.bc, listener, 4).unwrap();
    let client = a.stack.tcp_open().unwrap();
    a.stack
        .tcp_connect(&mut a.bc, client, SocketAddr::from(([10, 0, 0, 2], 80)))
        .unwrap();
    while deliver(&mut a, &mut b) + deliver(&mut b, &mut a) > 0 {}
    let (server, _) = b.stack.tcp_accept(&mut b.bc, listener).unwrap();
    (a, b, client, server)
}

/// The ACK numbers of the pure ACKs `h` sent.
fn acks_sent(h: &mut Host) -> Vec<u32> {
    h.bc.take_sent()
        .iter()
        .filter_map(|f| {
            let ip = Ipv4Packet::parse(&f.bytes[..]).ok()?;
            let tcp = TcpPacket::parse(ip.payload(), None).ok()?;
            (tcp.payload().is_empty() && tcp.flags() & FLAG_ACK != 0).then(|| tcp.ack())
        })
        .collect()
}

/// Ten full segments from a, and the sequence number after them.
fn ten_segments(a: &mut Host, client: SocketId) -> (Vec<Vec<u8>>, u32) {
    let data = alloc::vec![0x5a; 10 * 1460];
    assert_eq!(a.stack.tcp_send(&mut a.bc, client, &data), Ok(data.len()));
    let frames: Vec<Vec<u8>> = a.bc.take_sent().into_iter().map(|f| f.bytes).collect();
    assert_eq!(frames.len(), 10, "IW10: ten segments at once");
    let end = {
        let last = Ipv4Packet::parse(&frames[9][..]).unwrap();
        let tcp = TcpPacket::parse(last.payload(), None).unwrap();
        tcp.seq().wrapping_add(tcp.payload().len() as u32)
    };
    (frames, end)
}

#[test]
fn a_burst_of_ten_segments_gets_one_ack_for_all_of_them() {
    let (mut a, mut b, client, _) = connected();
    let (mut frames, end) = ten_segments(&mut a, client);
    b.stack
        .receive_burst(&mut b.bc, b.dev, frames.iter_mut().map(Vec::as_mut_slice));
    assert_eq!(acks_sent(&mut b), [end]);
}

#[test]
fn rfc9293_3_8_6_3_frame_by_frame_every_second_segment_is_acknowledged() {
    let (mut a, mut b, client, _) = connected();
    let (frames, end) = ten_segments(&mut a, client);
    for mut f in frames {
        b.stack.receive_frame(&mut b.bc, b.dev, &mut f);
    }
    let acks = acks_sent(&mut b);
    assert_eq!(acks.len(), 5);
    assert_eq!(acks.last(), Some(&end));
}
