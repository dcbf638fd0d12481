//! The request frames both contenders answer, built once with zerocast-wire.

use zerocast_wire::arp::ArpRepr;
use zerocast_wire::ethernet::{EtherType, EthernetRepr};
use zerocast_wire::icmpv4::Icmpv4Repr;
use zerocast_wire::ipv4::Ipv4Repr;
use zerocast_wire::udp::UdpRepr;
use zerocast_wire::{IpProto, Ipv4Addr, MacAddr, PseudoHeader};

/// The stack under test.
pub const STACK_MAC: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 2]);
/// The stack's address.
pub const STACK_IP: Ipv4Addr = Ipv4Addr([10, 99, 0, 2]);
/// The peer sending requests.
pub const PEER_MAC: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 1]);
/// The peer's address.
pub const PEER_IP: Ipv4Addr = Ipv4Addr([10, 99, 0, 1]);
/// The UDP echo port.
pub const ECHO_PORT: u16 = 7;

fn ethernet(dst: MacAddr, ethertype: EtherType, frame: &mut [u8]) {
    EthernetRepr { dst, src: PEER_MAC, ethertype }.emit(frame).expect("room for the header");
}

/// An ARP request from the peer for the stack's address (so both stacks learn the peer's MAC).
#[must_use]
pub fn arp_request() -> Vec<u8> {
    let mut f = vec![0u8; 42];
    ethernet(MacAddr::BROADCAST, EtherType::ARP, &mut f);
    ArpRepr {
        operation: 1,
        sender_hardware_addr: PEER_MAC,
        sender_protocol_addr: PEER_IP,
        target_hardware_addr: MacAddr::UNSPECIFIED,
        target_protocol_addr: STACK_IP,
    }
    .emit(&mut f[14..])
    .expect("room");
    f
}

/// An ICMP echo request with `payload_len` bytes of data.
#[must_use]
pub fn icmp_echo_request(payload_len: usize) -> Vec<u8> {
    let mut f = vec![0u8; 14 + 20 + 8 + payload_len];
    for (i, b) in f[42..].iter_mut().enumerate() {
        *b = i as u8;
    }
    Icmpv4Repr::echo_request(0x4242, 1).emit(&mut f[34..]).expect("room");
    Ipv4Repr::new(PEER_IP, STACK_IP, IpProto::ICMP, 64).emit(&mut f[14..], 8 + payload_len).expect("room");
    ethernet(STACK_MAC, EtherType::IPV4, &mut f);
    f
}

/// A UDP datagram to the echo port with `payload_len` bytes of data.
#[must_use]
pub fn udp_request(payload_len: usize) -> Vec<u8> {
    let mut f = vec![0u8; 14 + 20 + 8 + payload_len];
    for (i, b) in f[42..].iter_mut().enumerate() {
        *b = i as u8;
    }
    let ph = PseudoHeader::V4 { src: PEER_IP, dst: STACK_IP };
    UdpRepr { src_port: 40000, dst_port: ECHO_PORT }.emit(&mut f[34..], Some(ph)).expect("room");
    Ipv4Repr::new(PEER_IP, STACK_IP, IpProto::UDP, 64).emit(&mut f[14..], 8 + payload_len).expect("room");
    ethernet(STACK_MAC, EtherType::IPV4, &mut f);
    f
}
