//! zerocast-stack driven like `smol.rs` drives smoltcp: the received frame is copied into a
//! reusable receive buffer (a driver's ring slot), handed to `Stack::receive_frame`, and
//! the reply is copied out of `DeviceTx::transmit` into a reusable transmit buffer, or, for
//! frames the stack builds in its own buffer (the UDP reply), taken by swapping buffers
//! with `DeviceTx::transmit_vec`.

use zerocast_stack::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
use zerocast_stack::time::Instant;
use zerocast_stack::{Stack, StackConfig};

use crate::frames::{ECHO_PORT, STACK_IP, STACK_MAC};

/// The embedder: a fixed clock, a counter RNG, one transmit buffer.
#[derive(Default)]
pub struct BenchBindings {
    rng: u64,
    /// The last frame the stack transmitted.
    pub tx: Vec<u8>,
    /// How many frames were transmitted.
    pub tx_count: usize,
}

impl Clock for BenchBindings {
    fn now(&self) -> Instant {
        Instant::ZERO
    }
}

impl Rng for BenchBindings {
    fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.rng
    }
}

impl DeviceTx for BenchBindings {
    fn transmit(&mut self, _: DeviceId, frame: &[u8]) {
        self.tx.clear();
        self.tx.extend_from_slice(frame);
        self.tx_count += 1;
    }

    // A driver that owns its transmit buffers takes the stack's frame instead of copying it,
    // as smoltcp's TxToken has it build the reply in the driver's buffer: the stack gets the
    // previous buffer back and builds its next frame in it. Copying the frame instead cost
    // zerocast-stack about 15 ns a UDP echo here (the copy's 32-byte loads span the header's
    // narrow stores, which store-to-load forwarding cannot serve).
    fn transmit_vec(&mut self, _: DeviceId, frame: &mut Vec<u8>) {
        core::mem::swap(&mut self.tx, frame);
        self.tx_count += 1;
    }
}

impl SocketEvents for BenchBindings {
    fn socket_ready(&mut self, _: SocketId, _: Readiness) {}
}

/// A stack with the benchmark's address and a UDP socket bound to the echo port.
pub struct ZcHost {
    stack: Stack,
    dev: DeviceId,
    udp: SocketId,
    /// The embedder; `tx` holds the last reply.
    pub bindings: BenchBindings,
    rx: Vec<u8>,
    scratch: Vec<u8>,
}

impl ZcHost {
    /// A host that has already answered the peer's ARP request.
    #[must_use]
    pub fn new(arp_request: &[u8]) -> ZcHost {
        let mut bindings = BenchBindings::default();
        let mut stack = Stack::new(StackConfig::default());
        let dev = stack.add_ethernet_device(STACK_MAC, 1500);
        stack.add_address(&mut bindings, dev, STACK_IP.to_std().into(), 24).unwrap();
        let udp = stack.udp_open().unwrap();
        stack.udp_bind(&mut bindings, udp, core::net::SocketAddr::from(([0, 0, 0, 0], ECHO_PORT))).unwrap();
        let mut host = ZcHost { stack, dev, udp, bindings, rx: Vec::with_capacity(2048), scratch: vec![0; 65536] };
        let before = host.bindings.tx_count;
        host.receive(arp_request);
        assert_eq!(host.bindings.tx_count, before + 1, "zerocast-stack answered the ARP request");
        host
    }

    fn receive(&mut self, frame: &[u8]) {
        self.rx.clear();
        self.rx.extend_from_slice(frame);
        self.stack.receive_frame(&mut self.bindings, self.dev, &mut self.rx);
    }

    /// Feeds one ICMP echo request; the reply is in `bindings.tx`.
    pub fn icmp_echo(&mut self, request: &[u8]) -> usize {
        self.receive(request);
        self.bindings.tx.len()
    }

    /// Feeds one UDP datagram, echoes it from the application; the reply is in `bindings.tx`.
    pub fn udp_echo(&mut self, request: &[u8]) -> usize {
        self.receive(request);
        if let Ok((n, from)) = self.stack.udp_recv_from(self.udp, &mut self.scratch) {
            self.stack.udp_send_to(&mut self.bindings, self.udp, &self.scratch[..n], from).unwrap();
        }
        self.bindings.tx.len()
    }
}
