//! Offload on and off give the same bytes (issue 13): the stack, in this process on a TUN and
//! on a TAP whose kernel end is in a namespace, sends 4 MB to a kernel `socat` echo and reads
//! them back, once opened plainly and once with the virtio-net header. With offload the
//! stack must really hand the kernel GSO frames (counted), and the kernel's coalesced
//! segments must come back through it intact. Runs with `ZC_KERNEL_TESTS=1` (root,
//! /dev/net/tun, `ip`, `ss`, `socat`); a few seconds.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use zerocast_tap::device::LinkKind;
use zerocast_tap::netstack::{NetStack, NetStackConfig};
use zerocast_tap::tcp::TcpStream;

use support::Namespace;

const LEN: usize = 4_000_000;

fn pattern() -> Vec<u8> {
    (0..LEN).map(|i| (i * 31 + i / 4093) as u8).collect()
}

/// One echo round trip; returns the bytes that came back and the stack's binding counters.
fn echo_through(kind: LinkKind, offload: bool, tag: &str) -> (Vec<u8>, u64, (u64, u64)) {
    let tag = format!("{tag}{}", std::process::id() % 100_000);
    let ifname = format!("zcof{tag}");
    let mut ns = Namespace::new(format!("zcoffl-{tag}"));
    let mut config = NetStackConfig::new(&ifname, kind);
    config.mtu = Some(1500);
    config.offload = offload;
    config.addresses = vec![("10.96.0.2".parse().unwrap(), 24)];
    let stack = NetStack::start(&config).expect("start the stack");
    assert_eq!(
        stack.device().offload(),
        offload,
        "offload granted as asked"
    );
    ns.take_interface(&ifname, &["10.96.0.1/24"]);
    ns.spawn(&["socat", "TCP-LISTEN:7100,fork,reuseaddr", "EXEC:cat"]);
    ns.wait_listening(7100);
    let to: SocketAddr = "10.96.0.1:7100".parse().unwrap();
    let stream = TcpStream::connect_timeout(&stack, to, Duration::from_secs(5)).expect("connect");
    let data = pattern();
    let received = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut got = Vec::new();
            (&stream).read_to_end(&mut got).map(|_| got)
        });
        (&stream).write_all(&data).expect("write");
        stream.shutdown(Shutdown::Write).expect("half-close");
        reader.join().expect("reader").expect("read")
    });
    let gso = stack.counters().gso_frames_sent;
    let id = stack.device_id();
    let rx = stack.with_stack(|s, _| {
        let c = &s.device(id).expect("device").counters;
        (c.rx_frames, c.rx_bytes)
    });
    stack.shutdown().expect("stop the stack");
    (received, gso, rx)
}

fn check(kind: LinkKind, name: &str) {
    if support::skip(&["ip", "ss", "socat"]) {
        return;
    }
    let data = pattern();
    let (plain, plain_gso, plain_rx) = echo_through(kind, false, &format!("{name}p"));
    let (offloaded, gso, rx) = echo_through(kind, true, &format!("{name}o"));
    eprintln!(
        "{name}: without offload {} GSO frames sent, {} frames / {} bytes received; \
         with offload {gso} GSO frames sent, {} frames / {} bytes received",
        plain_gso, plain_rx.0, plain_rx.1, rx.0, rx.1
    );
    assert_eq!(plain.len(), LEN, "{name} without offload: all bytes back");
    assert!(plain == data, "{name} without offload: echo differs");
    assert_eq!(offloaded.len(), LEN, "{name} with offload: all bytes back");
    assert!(offloaded == data, "{name} with offload: echo differs");
    assert_eq!(plain_gso, 0, "no GSO frames without offload");
    assert!(
        gso > 0,
        "{name}: the stack sent no GSO frame with offload on"
    );
    // The kernel coalesces what it sends us: fewer, larger frames for the same bytes.
    let frame_bytes = |(frames, bytes): (u64, u64)| bytes / frames.max(1);
    assert!(
        frame_bytes(rx) > frame_bytes(plain_rx),
        "{name}: received frames not larger with offload ({} vs {} bytes on average)",
        frame_bytes(rx),
        frame_bytes(plain_rx)
    );
}

#[test]
fn tun_echo_is_byte_exact_with_offload_on_and_off() {
    check(LinkKind::Tun, "tun");
}

#[test]
fn tap_echo_is_byte_exact_with_offload_on_and_off() {
    check(LinkKind::Tap, "tap");
}
