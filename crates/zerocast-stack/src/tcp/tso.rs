//! TCP segmentation offload: a run of full-sized data segments the state machine just
//! produced leaves as one GSO frame on a device with TSO (see [`crate::device::gso`]).
//!
//! The state machine keeps deciding segment by segment (MSS, congestion and receive
//! windows, Nagle, SWS avoidance, loss recovery's quota), so its accounting is what it is
//! without offload; here consecutive segments that a TSO device would have produced from
//! one large segment — contiguous sequence numbers, identical headers and options, every
//! one but the last exactly one segment size, SYN and RST never, FIN only on the last — are
//! written once, behind one set of headers, up to the device's GSO limit. The payload is
//! copied once, from the send buffer into the frame, as without offload.
//!
//! A run goes out this way only on a pure-IP device or on Ethernet with the next hop's MAC
//! known; otherwise (loopback, VLAN, neighbour being resolved) the segments go one by one.

use core::net::SocketAddr;

use zerocast_wire::ipv4::Ipv4Repr;
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::tcp::{FLAG_FIN, FLAG_RST, FLAG_SYN};
use zerocast_wire::IpProto;

use super::conn::Conn;
use super::segment::OutSegment;
use crate::context::Bindings;
use crate::device::gso::{partial_checksum, GsoKind, GsoMeta};
use crate::device::link;
use crate::device::DeviceKind;
use crate::ip::{self, LinkDst};
use crate::Stack;

// Segment pairs `run_len` compared on this thread: lets the tests check that a walk over
// a segment list stays linear (the run search once rescanned the rest of the list for
// every segment whose route had no GSO path).
#[cfg(test)]
std::thread_local! {
    static PAIRS_COMPARED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// How many segments from the start of `out` form one GSO run: segments of `out[0]`'s
/// payload size (the last may be shorter), contiguous, with the same ACK, window and
/// options, no SYN or RST, a FIN only on the last, at most `max_payload` bytes of payload
/// in all. Returns 1 when no run starts there.
pub(crate) fn run_len(out: &[OutSegment], max_payload: usize) -> usize {
    let Some(first) = out.first() else {
        return 0;
    };
    let size = first.payload_len;
    if size == 0 || first.flags & (FLAG_SYN | FLAG_RST | FLAG_FIN) != 0 || first.mss.is_some() {
        return 1;
    }
    let mut total = size;
    let mut n = 1;
    for (prev, next) in out.iter().zip(&out[1..]) {
        #[cfg(test)]
        PAIRS_COMPARED.with(|c| c.set(c.get() + 1));
        let same_header = next.ack == first.ack
            && next.window == first.window
            && next.timestamp == first.timestamp
            && next.sack_len == first.sack_len
            && next.sack == first.sack
            && next.mss.is_none()
            && next.window_scale.is_none()
            && (next.flags & !FLAG_FIN) == first.flags;
        // `payload_len` is at most the MSS: the sum fits u32 sequence arithmetic.
        let contiguous = next.seq == prev.seq + prev.payload_len as u32;
        if !same_header
            || !contiguous
            || prev.payload_len != size
            || next.payload_len == 0
            || next.payload_len > size
            || total + next.payload_len > max_payload
        {
            break;
        }
        total += next.payload_len;
        n += 1;
        if next.flags & FLAG_FIN != 0 {
            break;
        }
    }
    n
}

/// Where a connection's GSO frames go: its route on a device with TSO, the device's GSO
/// limit, the next hop's MAC and the pseudo-header. Found once for all the segments one
/// call of the state machine produced (they share the route), so looking for runs costs
/// one pass over them instead of a route lookup and a rescan per segment.
pub(crate) struct TsoPath {
    route: ip::OutputRoute,
    kind: DeviceKind,
    max_gso: usize,
    mac: Option<zerocast_wire::MacAddr>,
    pseudo: zerocast_wire::PseudoHeader,
}

/// The GSO path for `conn`'s segments, or `None` when its route cannot take GSO frames
/// (no TSO on its device, loopback, VLAN, the neighbour being resolved).
pub(crate) fn path(stack: &mut Stack, bc: &mut impl Bindings, conn: &Conn) -> Option<TsoPath> {
    let route = tso_route(stack, bc, conn.local, conn.remote)?;
    let device = stack.devices.get(route.dev.index())?;
    let (kind, max_gso) = (device.kind, device.offload.max_gso_bytes as usize);
    let mac = match (kind, route.link_dst) {
        (DeviceKind::PureIp, _) => None,
        (DeviceKind::Ethernet { .. }, LinkDst::Neighbor) => Some(crate::neighbor::steady_mac(
            stack,
            route.dev,
            route.next_hop,
            bc.now(),
        )?),
        _ => return None,
    };
    let pseudo = super::io::pseudo_header(route.src, route.dst)?;
    Some(TsoPath {
        route,
        kind,
        max_gso,
        mac,
        pseudo,
    })
}

/// Sends the run of [`run_len`] segments starting at `out[0]` as one GSO frame on `path`.
/// Returns how many segments it sent (0: the caller sends `out[0]` on its own). A call
/// that finds no run looks at `out[0]` and `out[1]` only, and a run's segments are not
/// looked at again, so a caller walking its list through this is linear in its length.
pub(crate) fn send_run(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    conn: &Conn,
    path: &TsoPath,
    out: &[OutSegment],
) -> usize {
    let Some(&first) = out.first() else {
        return 0;
    };
    let (local, remote) = (conn.local, conn.remote);
    let TsoPath {
        ref route,
        kind,
        max_gso,
        mac,
        pseudo,
    } = *path;
    let v4 = route.dst.is_ipv4();
    let ip_len = if v4 { 20 } else { 40 };
    let tcp_header = first.wire_len() - first.payload_len;
    let n = run_len(out, max_gso.saturating_sub(ip_len + tcp_header));
    if n < 2 {
        return 0;
    }
    let last = out[n - 1];
    let payload_len: usize = out[..n].iter().map(|s| s.payload_len).sum();
    let mut seg = first;
    seg.payload_len = payload_len;
    seg.flags |= last.flags & FLAG_FIN;
    let link_len = route.link_len();
    let tcp_len = tcp_header + payload_len;
    let ident = if v4 {
        let id = ip::next_ipv4_ident(stack, bc);
        // The device numbers the other segments id + 1, id + 2, ...: keep ours clear of them.
        for _ in 1..n {
            let _ = ip::next_ipv4_ident(stack, bc);
        }
        id
    } else {
        0
    };
    let mut frame = core::mem::take(&mut stack.tx_scratch);
    frame.clear();
    frame.resize(link_len + ip_len + tcp_len, 0);
    let offset = seg.seq.saturating_since(conn.buf_seq) as usize;
    let payload = conn.send_buf.range(offset, payload_len);
    let ports = (local.port(), remote.port());
    let hop_limit = if v4 {
        stack.config.default_ttl
    } else {
        stack.config.default_hop_limit
    };
    let tcp_at = link_len + ip_len;
    let ip_ok = match (route.src, route.dst) {
        (core::net::IpAddr::V4(s), core::net::IpAddr::V4(d)) => {
            let mut repr = Ipv4Repr::new(s.into(), d.into(), IpProto::TCP, hop_limit);
            repr.ident = ident;
            repr.emit(&mut frame[link_len..], tcp_len).is_ok()
        }
        (core::net::IpAddr::V6(s), core::net::IpAddr::V6(d)) => {
            Ipv6Repr::new(s.into(), d.into(), IpProto::TCP, hop_limit)
                .emit(&mut frame[link_len..], tcp_len)
                .is_ok()
        }
        _ => false,
    };
    // No full checksum: the device sums each segment it cuts from the frame.
    if !ip_ok || !seg.emit(ports, payload, &mut frame[tcp_at..], None) {
        stack.tx_scratch = frame;
        return 0;
    }
    // The device finishes the checksum per segment from the pseudo-header's partial sum.
    let partial = partial_checksum(pseudo, tcp_len);
    frame[tcp_at + 16..tcp_at + 18].copy_from_slice(&partial.to_be_bytes());
    if let Some(mac) = mac {
        link::write_header(&kind, &mut frame, mac, link::ethertype_for(&route.dst));
    }
    // Header lengths are below 200 bytes and the segment size below the MTU.
    let meta = GsoMeta {
        kind: if v4 { GsoKind::TcpV4 } else { GsoKind::TcpV6 },
        segment_size: first.payload_len as u16,
        header_len: (tcp_at + tcp_header) as u16,
        ip_start: link_len as u16,
        csum_start: tcp_at as u16,
        csum_offset: 16,
    };
    count_run(stack, route.dev, v4, n, frame.len());
    bc.transmit_gso(route.dev, &mut frame, &meta);
    stack.tx_scratch = frame;
    n
}

/// The route for `remote` when its device has TSO and is not local.
fn tso_route(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    local: SocketAddr,
    remote: SocketAddr,
) -> Option<ip::OutputRoute> {
    let route = ip::route_output(stack, bc.now(), remote.ip(), Some(local.ip()), None).ok()?;
    let tso = stack
        .devices
        .get(route.dev.index())
        .is_some_and(|d| d.offload.tso);
    (tso && !route.local).then_some(route)
}

/// Counts a run of `n` segments as the segments they become on the wire (IP and TCP
/// counters) and as one frame handed to the device.
fn count_run(stack: &mut Stack, dev: crate::context::DeviceId, v4: bool, n: usize, bytes: usize) {
    if v4 {
        stack.counters.ipv4.tx += n as u64;
    } else {
        stack.counters.ipv6.tx += n as u64;
    }
    stack.counters.tcp.tx += n as u64;
    if let Some(d) = stack.devices.get_mut(dev.index()) {
        d.counters.tx_frames += 1;
        d.counters.tx_bytes += bytes as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcp::SeqNum;
    use zerocast_wire::tcp::{FLAG_ACK, FLAG_SYN};
    use zerocast_wire::IpProto;

    fn data(seq: u32, len: usize) -> OutSegment {
        OutSegment {
            seq: SeqNum::new(seq),
            ack: SeqNum::new(9),
            flags: FLAG_ACK,
            window: 100,
            timestamp: Some((1, 2)),
            payload_len: len,
            ..OutSegment::default()
        }
    }

    #[test]
    fn contiguous_full_segments_form_one_run_ending_at_a_short_one() {
        let out = [
            data(0, 1000),
            data(1000, 1000),
            data(2000, 400),
            data(2400, 1000),
        ];
        assert_eq!(
            run_len(&out, usize::MAX),
            3,
            "the short segment ends the run"
        );
    }

    #[test]
    fn a_run_stops_at_a_gap_a_header_change_or_the_size_limit() {
        let gap = [data(0, 1000), data(1500, 1000)];
        assert_eq!(run_len(&gap, usize::MAX), 1);
        let mut other_window = data(1000, 1000);
        other_window.window = 99;
        assert_eq!(run_len(&[data(0, 1000), other_window], usize::MAX), 1);
        let four = [
            data(0, 1000),
            data(1000, 1000),
            data(2000, 1000),
            data(3000, 1000),
        ];
        assert_eq!(run_len(&four, 2999), 2, "limit in payload bytes");
    }

    #[test]
    fn fin_only_on_the_last_of_a_run_and_never_syn() {
        let mut fin = data(1000, 500);
        fin.flags |= FLAG_FIN;
        assert_eq!(
            run_len(&[data(0, 1000), fin, data(1501, 10)], usize::MAX),
            2
        );
        let mut syn = data(0, 1000);
        syn.flags |= FLAG_SYN;
        assert_eq!(run_len(&[syn, data(1001, 1000)], usize::MAX), 1);
        let mut early_fin = data(0, 1000);
        early_fin.flags |= FLAG_FIN;
        assert_eq!(run_len(&[early_fin, data(1001, 1000)], usize::MAX), 1);
    }

    /// A peer's segment to the stack at 10.0.0.2:80 from 10.0.0.1:40000 (window 65535).
    fn to_stack(seq: u32, ack: u32, flags: u16, options: &[u8]) -> alloc::vec::Vec<u8> {
        use zerocast_wire::ipv4::Ipv4Repr;
        use zerocast_wire::tcp::TcpRepr;
        let repr = TcpRepr {
            seq,
            ack,
            flags,
            window: 65535,
            options,
            ..TcpRepr::new(40000, 80)
        };
        let (src, dst) = (
            zerocast_wire::Ipv4Addr([10, 0, 0, 1]),
            zerocast_wire::Ipv4Addr([10, 0, 0, 2]),
        );
        let tcp_len = repr.header_len();
        let mut p = alloc::vec![0u8; 20 + tcp_len];
        Ipv4Repr::new(src, dst, IpProto::TCP, 64)
            .emit(&mut p, tcp_len)
            .unwrap();
        let pseudo = zerocast_wire::PseudoHeader::V4 { src, dst };
        repr.emit(&mut p[20..], Some(pseudo)).unwrap();
        p
    }

    /// Listens on port 80 of `dev` and completes a handshake from the test's peer (MSS
    /// 1460, no other option); returns the accepted connection and its initial sequence
    /// number.
    fn accept_one(
        stack: &mut crate::Stack,
        bc: &mut crate::testutil::FakeBindings,
        dev: crate::context::DeviceId,
    ) -> (crate::context::SocketId, u32) {
        let l = stack.tcp_open().unwrap();
        stack.tcp_bind(l, crate::tests::sa("0.0.0.0:80")).unwrap();
        stack.tcp_listen(bc, l, 2).unwrap();
        stack.receive_frame(
            bc,
            dev,
            &mut to_stack(7000, 0, FLAG_SYN, &[2, 4, 0x05, 0xb4]),
        );
        let syn_ack = bc.take_sent().remove(0).bytes;
        let iss = u32::from_be_bytes([syn_ack[24], syn_ack[25], syn_ack[26], syn_ack[27]]);
        stack.receive_frame(bc, dev, &mut to_stack(7001, iss + 1, FLAG_ACK, &[]));
        (stack.tcp_accept(bc, l).unwrap().0, iss)
    }

    /// TSO on another device only: the connection's route has no GSO path, so its
    /// initial window leaves as ten frames of one segment each, without any run search.
    #[test]
    fn a_route_without_tso_sends_segment_by_segment_when_another_device_has_it() {
        use crate::device::offload::DeviceOffload;
        let (mut stack, mut bc, dev) = crate::tests::tun_stack(crate::StackConfig::default());
        let other = stack.add_pure_ip_device(1500);
        assert!(stack.set_device_offload(other, DeviceOffload::tso_64k()));
        let (c, _) = accept_one(&mut stack, &mut bc, dev);
        let frames_before = stack.device(dev).unwrap().counters.tx_frames;
        let compared_before = PAIRS_COMPARED.with(core::cell::Cell::get);
        stack.tcp_send(&mut bc, c, &[3u8; 20_000]).unwrap();
        let compared = PAIRS_COMPARED.with(core::cell::Cell::get) - compared_before;
        assert_eq!(compared, 0, "no GSO path: no run search");
        let frames = bc.take_sent();
        assert_eq!(frames.len(), 10, "IW10 at MSS 1460");
        assert!(frames.iter().all(|f| f.bytes.len() == 1500));
        assert_eq!(
            stack.device(dev).unwrap().counters.tx_frames - frames_before,
            10,
            "ten frames handed to the device, no GSO frame"
        );
        assert_eq!(stack.device(other).unwrap().counters.tx_frames, 0);
    }

    /// With TSO on its device, the stack's initial window leaves as one GSO frame (one
    /// frame counted on the device) that the default `transmit_gso` cuts into ten valid
    /// MSS segments: checksums verify, sequence numbers run on, PSH only on the last, IPv4
    /// identifications consecutive, the bytes those that were written.
    #[test]
    fn the_initial_window_leaves_as_one_gso_frame_cut_into_valid_segments() {
        use crate::device::offload::DeviceOffload;
        use zerocast_wire::ipv4::Ipv4Packet;
        use zerocast_wire::tcp::{TcpPacket, FLAG_PSH};
        let (mut stack, mut bc, dev) = crate::tests::tun_stack(crate::StackConfig::default());
        assert!(stack.set_device_offload(dev, DeviceOffload::tso_64k()));
        let (c, iss) = accept_one(&mut stack, &mut bc, dev);
        let frames_before = stack.device(dev).unwrap().counters.tx_frames;
        let data: alloc::vec::Vec<u8> = (0..30_000u32).map(|i| (i * 7) as u8).collect();
        let compared_before = PAIRS_COMPARED.with(core::cell::Cell::get);
        let sums_before = super::super::segment::FULL_CHECKSUMS.with(core::cell::Cell::get);
        stack.tcp_send(&mut bc, c, &data).unwrap();
        // One pass over the ten segments: nine pairs in the run.
        let compared = PAIRS_COMPARED.with(core::cell::Cell::get) - compared_before;
        assert_eq!(compared, 9, "segment pairs compared");
        // The GSO frame carries the partial sum only: no full sum over its 14,600 bytes.
        let sums = super::super::segment::FULL_CHECKSUMS.with(core::cell::Cell::get) - sums_before;
        assert_eq!(sums, 0, "full TCP checksums computed for the GSO frame");
        let frames = bc.take_sent();
        assert_eq!(frames.len(), 10, "IW10 at MSS 1460");
        assert_eq!(
            stack.device(dev).unwrap().counters.tx_frames - frames_before,
            1,
            "one GSO frame handed to the device"
        );
        let pseudo = zerocast_wire::PseudoHeader::V4 {
            src: zerocast_wire::Ipv4Addr([10, 0, 0, 2]),
            dst: zerocast_wire::Ipv4Addr([10, 0, 0, 1]),
        };
        let mut joined = alloc::vec::Vec::new();
        let mut first_ident = None;
        for (i, f) in frames.iter().enumerate() {
            assert!(f.bytes.len() <= 1500);
            let ip = Ipv4Packet::parse(&f.bytes[..]).expect("valid IPv4");
            let ident = *first_ident.get_or_insert(ip.ident());
            assert_eq!(ip.ident(), ident.wrapping_add(i as u16));
            let tcp = TcpPacket::parse(ip.payload(), Some(pseudo)).expect("valid checksum");
            assert_eq!(tcp.seq(), iss + 1 + 1460 * i as u32);
            assert_eq!(tcp.flags() & FLAG_PSH != 0, i == 9, "PSH on the last only");
            joined.extend_from_slice(tcp.payload());
        }
        assert_eq!(joined, data[..14_600]);
    }
}
