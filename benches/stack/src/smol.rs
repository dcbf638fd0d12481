//! smoltcp 0.14 driven the way an embedder drives it: a device holding one received frame,
//! `Interface::poll`, and for UDP an application that reads the datagram and sends it back.

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::socket::udp;
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr};

use crate::frames::{ECHO_PORT, STACK_IP, STACK_MAC};

/// A device with at most one pending received frame and one transmitted frame. Both
/// buffers are allocated once, as a driver's rings would be.
#[derive(Default)]
pub struct OneFrame {
    rx: Vec<u8>,
    rx_pending: bool,
    /// The last frame the interface transmitted.
    pub tx: Vec<u8>,
    /// How many frames were transmitted.
    pub tx_count: usize,
}

impl OneFrame {
    /// Makes `frame` the next received frame (copied into the receive buffer).
    pub fn put_rx(&mut self, frame: &[u8]) {
        self.rx.clear();
        self.rx.extend_from_slice(frame);
        self.rx_pending = true;
    }
}

pub struct Rx<'a>(&'a [u8]);
pub struct Tx<'a> {
    tx: &'a mut Vec<u8>,
    count: &'a mut usize,
}

impl RxToken for Rx<'_> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(self.0)
    }
}

impl TxToken for Tx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        self.tx.clear();
        self.tx.resize(len, 0);
        *self.count += 1;
        f(self.tx)
    }
}

impl Device for OneFrame {
    type RxToken<'a> = Rx<'a>;
    type TxToken<'a> = Tx<'a>;
    fn receive(&mut self, _: Instant) -> Option<(Rx<'_>, Tx<'_>)> {
        if !core::mem::take(&mut self.rx_pending) {
            return None;
        }
        Some((Rx(&self.rx), Tx { tx: &mut self.tx, count: &mut self.tx_count }))
    }
    fn transmit(&mut self, _: Instant) -> Option<Tx<'_>> {
        Some(Tx { tx: &mut self.tx, count: &mut self.tx_count })
    }
    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ethernet;
        caps.max_transmission_unit = 1514;
        caps
    }
}

/// An interface with the stack's address and a UDP socket bound to the echo port.
pub struct SmolHost {
    iface: Interface,
    sockets: SocketSet<'static>,
    udp: SocketHandle,
    /// The device; `tx` holds the last reply.
    pub device: OneFrame,
    scratch: Vec<u8>,
}

impl SmolHost {
    /// A host that has already answered the peer's ARP request (so it knows the peer's MAC).
    #[must_use]
    pub fn new(arp_request: &[u8]) -> SmolHost {
        let mut device = OneFrame::default();
        let mac = EthernetAddress(STACK_MAC.0);
        let mut iface = Interface::new(Config::new(HardwareAddress::Ethernet(mac)), &mut device, Instant::ZERO);
        iface.update_ip_addrs(|addrs| {
            addrs.push(IpCidr::new(IpAddress::v4(STACK_IP.0[0], STACK_IP.0[1], STACK_IP.0[2], STACK_IP.0[3]), 24)).unwrap();
        });
        let rx = udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 16], vec![0; 65536]);
        let tx = udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 16], vec![0; 65536]);
        let mut socket = udp::Socket::new(rx, tx);
        socket.bind(ECHO_PORT).unwrap();
        let mut sockets = SocketSet::new(vec![]);
        let udp = sockets.add(socket);
        let mut host = SmolHost { iface, sockets, udp, device, scratch: vec![0; 65536] };
        host.device.put_rx(arp_request);
        host.iface.poll(Instant::ZERO, &mut host.device, &mut host.sockets);
        assert_eq!(host.device.tx_count, 1, "smoltcp answered the ARP request");
        host
    }

    /// Feeds one ICMP echo request; the reply is in `device.tx`.
    pub fn icmp_echo(&mut self, request: &[u8]) -> usize {
        self.device.put_rx(request);
        self.iface.poll(Instant::ZERO, &mut self.device, &mut self.sockets);
        self.device.tx.len()
    }

    /// Feeds one UDP datagram, echoes it from the application, and polls the reply out.
    pub fn udp_echo(&mut self, request: &[u8]) -> usize {
        self.device.put_rx(request);
        self.iface.poll(Instant::ZERO, &mut self.device, &mut self.sockets);
        let socket = self.sockets.get_mut::<udp::Socket>(self.udp);
        if let Ok((n, meta)) = socket.recv_slice(&mut self.scratch) {
            socket.send_slice(&self.scratch[..n], meta.endpoint).unwrap();
        }
        self.iface.poll(Instant::ZERO, &mut self.device, &mut self.sockets);
        self.device.tx.len()
    }
}
