//! Where connections meet the stack: received segments in (demultiplexed to a connection or
//! a listener, or answered with a RST), segments out through IP, timers, readiness events.

use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use zerocast_wire::tcp::{TcpPacket, FLAG_ACK, FLAG_RST, FLAG_SYN};
use zerocast_wire::{IpProto, PseudoHeader};

use super::conn::{Conn, ConnCtx, ConnParams};
use super::demux::{local_match, ConnEntry, ConnId, TcpSocketKind};
use super::segment::{OutSegment, Segment};
use super::syn_cookie::CookieOptions;
use super::{SeqNum, TcpState};
use crate::context::{Bindings, SocketId};
use crate::ip::{self, DstKind, IpRx, OutputRoute};
use crate::socket::SocketError;
use crate::stack::TimerId;
use crate::time::Instant;
use crate::Stack;

pub(crate) fn pseudo_header(src: IpAddr, dst: IpAddr) -> Option<PseudoHeader> {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Some(PseudoHeader::V4 {
            src: s.into(),
            dst: d.into(),
        }),
        (IpAddr::V6(s), IpAddr::V6(d)) => Some(PseudoHeader::V6 {
            src: s.into(),
            dst: d.into(),
        }),
        _ => None,
    }
}

/// The MSS we announce on a route: its MTU minus the IP and TCP headers (RFC 9293 3.7.1,
/// RFC 8201 for IPv6).
pub(crate) fn mss_for_route(route: &OutputRoute) -> u16 {
    let headers = if route.dst.is_ipv4() { 40 } else { 60 };
    u16::try_from(route.mtu.saturating_sub(headers))
        .unwrap_or(u16::MAX - 100)
        .max(88)
}

/// Our timestamp clock's offset for a connection (RFC 7323 5.4 wants it random per
/// connection): derived from its ISN, itself keyed-random, so a SYN-cookie connection
/// rebuilt from the ISN finds the same clock its SYN-ACK used.
pub(crate) fn ts_offset_for(iss: SeqNum) -> u32 {
    iss.get().rotate_left(16) ^ 0x5a5a_5a5a
}

/// Receives the TCP segment described by `rx`.
pub(crate) fn receive(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    stack.counters.tcp.rx += 1;
    let Some(bytes) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    if rx.dst_kind != DstKind::Unicast {
        // RFC 9293 3.9.1 / RFC 1122 4.2.3.10: TCP is unicast only.
        stack.counters.tcp.malformed += 1;
        return;
    }
    let Some(pseudo) = pseudo_header(rx.src, rx.dst) else {
        stack.counters.tcp.malformed += 1;
        return;
    };
    // The checksum is verified here rather than by the parser, over the whole segment in
    // one run; the parser still checks the header and its options.
    let mut sum = pseudo.checksum_start(IpProto::TCP, bytes.len());
    sum.add_bytes(bytes);
    if sum.checksum() != 0 {
        stack.counters.tcp.malformed += 1;
        return;
    }
    let Ok(packet) = TcpPacket::parse(bytes, None) else {
        stack.counters.tcp.malformed += 1;
        return;
    };
    let seg = Segment::from_packet(&packet);
    let local = SocketAddr::new(rx.dst, packet.dst_port());
    let remote = SocketAddr::new(rx.src, packet.src_port());
    if let Some(id) = stack.tcp.lookup_cached(local, remote) {
        if !time_wait_reuse(stack, bc, id, &seg) {
            let burst = stack.tcp_ack_burst.active;
            let deferred = run_conn(stack, bc, id, |conn, ctx| {
                let owed_before = conn.ack_deferred;
                conn.in_ack_burst = burst;
                conn.on_segment(&seg, ctx);
                conn.in_ack_burst = false;
                !owed_before && conn.ack_deferred
            });
            if deferred == Some(true) {
                stack.tcp_ack_burst.owed.push(id);
            }
            return;
        }
    }
    if let Some(listener) = find_listener(stack, local) {
        on_listener_segment(stack, bc, listener, local, remote, &seg);
        return;
    }
    if super::transparent::take_segment(stack, bc, local, remote, &seg) {
        return;
    }
    stack.counters.tcp.no_socket += 1;
    send_reset_for(stack, bc, local, remote, &seg);
}

/// RFC 6191-style TIME-WAIT reuse: a SYN with a higher sequence number (or, with
/// timestamps, a higher TSval) than the old connection's ends its TIME-WAIT so a listener
/// (or the transparent listener) can take it. Returns whether the old connection was ended.
fn time_wait_reuse(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    id: ConnId,
    seg: &Segment<'_>,
) -> bool {
    let Some(entry) = stack.tcp.get(id) else {
        return false;
    };
    let c = &entry.conn;
    if c.state != TcpState::TimeWait || !seg.has(FLAG_SYN) || seg.has(FLAG_ACK) || seg.has(FLAG_RST)
    {
        return false;
    }
    let newer = match (c.ts, seg.options.timestamp) {
        (Some(ts), Some((tsval, _))) => SeqNum::new(tsval) > SeqNum::new(ts.recent),
        _ => seg.seq > c.rcv_nxt,
    };
    // A relay's transparent listener takes the new SYN just as a listener on the port
    // would; without it the SYN would meet TIME-WAIT's ACK until the wait ended.
    let listened = find_listener(stack, c.local).is_some()
        || super::transparent::would_take(stack, c.local.ip());
    if !newer || !listened {
        return false;
    }
    stack.counters.tcp.time_wait_reused += 1;
    remove_conn(stack, bc, id);
    true
}

/// The listener for a segment to `local`: a specific address beats a wildcard.
fn find_listener(stack: &Stack, local: SocketAddr) -> Option<SocketId> {
    let mut best: Option<(SocketId, u8)> = None;
    for &id in stack.tcp.bound_on(local.port()) {
        let Ok(s) = stack.sockets.tcp(id) else {
            continue;
        };
        if !matches!(s.kind, TcpSocketKind::Listener(_)) {
            continue;
        }
        let Some(bound) = s.local else { continue };
        if let Some(score) = local_match(bound.ip(), local.ip()) {
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((id, score));
            }
        }
    }
    best.map(|(id, _)| id)
}

/// RFC 9293 3.10.7.2: a segment to a listener.
pub(crate) fn on_listener_segment(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    listener: SocketId,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &Segment<'_>,
) {
    if seg.has(FLAG_RST) {
        return;
    }
    if seg.has(FLAG_ACK) {
        if !seg.has(FLAG_SYN) && accept_cookie(stack, bc, listener, local, remote, seg) {
            return;
        }
        stack.counters.tcp.no_socket += 1;
        send_reset_for(stack, bc, local, remote, seg);
        return;
    }
    if !seg.has(FLAG_SYN) {
        return;
    }
    let syn_queue_len = stack.config.tcp.syn_queue_len;
    let Ok(sock) = stack.sockets.tcp(listener) else {
        return;
    };
    let options = sock.options;
    let TcpSocketKind::Listener(l) = &sock.kind else {
        return;
    };
    if l.accept_queue.len() >= l.backlog {
        stack.counters.tcp.backlog_full += 1;
        return;
    }
    if l.half_open >= syn_queue_len {
        // RFC 4987 3.6: the SYN queue is full: answer statelessly with a cookie.
        stack.counters.tcp.syn_queue_full += 1;
        send_cookie_syn_ack(stack, bc, listener, local, remote, seg);
        return;
    }
    let Ok(route) = ip::route_output(stack, bc.now(), remote.ip(), Some(local.ip()), None) else {
        return;
    };
    let iss = stack.tcp.secrets(bc).isn.isn(local, remote, bc.now());
    let params = ConnParams {
        local,
        remote,
        iss,
        our_mss: mss_for_route(&route),
        ts_offset: ts_offset_for(iss),
        options,
    };
    let mut out = Vec::new();
    let config = stack.config.tcp.clone();
    let mut ctx = ConnCtx {
        now: bc.now(),
        config: &config,
        challenge: &mut stack.tcp.challenge,
        out: &mut out,
    };
    let conn = Conn::accept_syn(&params, seg, &mut ctx);
    let id = stack.tcp.insert(ConnEntry {
        conn: alloc::boxed::Box::new(conn),
        socket: None,
        listener: Some(listener),
        indexed: true,
        half_open: true,
        deadline: None,
        heap_at: None,
    });
    if let Ok(sock) = stack.sockets.tcp_mut(listener) {
        if let TcpSocketKind::Listener(l) = &mut sock.kind {
            l.half_open += 1;
        }
    }
    stack.counters.tcp.passive_opens += 1;
    let Some(entry) = stack.tcp.take(id) else {
        return;
    };
    emit_all(stack, bc, &entry.conn, &out);
    stack.tcp.put_back(id, entry);
    sync_timer(stack, id);
}

/// RFC 4987 3.6: a SYN-ACK whose ISN encodes the connection (MSS, window scale, SACK,
/// timestamps) under a keyed MAC, so no state is kept until the ACK returns.
fn send_cookie_syn_ack(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    listener: SocketId,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &Segment<'_>,
) {
    let now = bc.now();
    let Ok(route) = ip::route_output(stack, now, remote.ip(), Some(local.ip()), None) else {
        return;
    };
    let our_mss = mss_for_route(&route);
    let peer_mss = seg
        .options
        .mss
        .unwrap_or(if remote.is_ipv4() { 536 } else { 1220 });
    let opts = CookieOptions {
        mss: peer_mss.min(our_mss),
        window_scale: seg.options.window_scale,
        sack_permitted: seg.options.sack_permitted,
        timestamps: seg.options.timestamp.is_some(),
    };
    let iss = stack
        .tcp
        .secrets(bc)
        .cookies
        .make(local, remote, seg.seq, opts, now);
    let config = &stack.config.tcp;
    let our_shift = super::rules::window_scale_for(config.recv_buffer_max.max(config.recv_buffer));
    let ts_now = ((now.as_nanos() / 1_000_000) as u32).wrapping_add(ts_offset_for(iss));
    let syn_ack = OutSegment {
        seq: iss,
        ack: seg.seq + 1,
        flags: FLAG_SYN | FLAG_ACK,
        window: u16::try_from(config.recv_buffer).unwrap_or(u16::MAX),
        mss: Some(our_mss),
        window_scale: opts.window_scale.map(|_| our_shift),
        sack_permitted: opts.sack_permitted,
        timestamp: seg.options.timestamp.map(|(tsval, _)| (ts_now, tsval)),
        ..OutSegment::default()
    };
    if send_segment(stack, bc, local, remote, &syn_ack, (&[], &[])).is_ok() {
        stack.counters.tcp.syn_cookies_sent += 1;
    }
    if let Ok(sock) = stack.sockets.tcp_mut(listener) {
        if let TcpSocketKind::Listener(l) = &mut sock.kind {
            l.cookies_sent_at = Some(now);
        }
    }
}

/// An ACK to a listener that sent cookies recently: if it returns a valid cookie, the
/// connection is rebuilt from it, established, and queued for accept (RFC 4987 3.6).
fn accept_cookie(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    listener: SocketId,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &Segment<'_>,
) -> bool {
    let now = bc.now();
    let Ok(sock) = stack.sockets.tcp(listener) else {
        return false;
    };
    let options = sock.options;
    let TcpSocketKind::Listener(l) = &sock.kind else {
        return false;
    };
    let recent = l.cookies_sent_at.is_some_and(|t| {
        now.saturating_duration_since(t).as_nanos()
            < 2 * u128::from(super::syn_cookie::COUNTER_PERIOD_NANOS)
    });
    if !recent || l.accept_queue.len() >= l.backlog {
        return false;
    }
    let Some(opts) = stack
        .tcp
        .secrets(bc)
        .cookies
        .check(local, remote, seg.seq, seg.ack, now)
    else {
        return false;
    };
    let Ok(route) = ip::route_output(stack, now, remote.ip(), Some(local.ip()), None) else {
        return false;
    };
    let iss = seg.ack + u32::MAX;
    let params = ConnParams {
        local,
        remote,
        iss,
        our_mss: mss_for_route(&route),
        ts_offset: ts_offset_for(iss),
        options,
    };
    let config = stack.config.tcp.clone();
    let mut out = Vec::new();
    let conn = {
        let mut ctx = ConnCtx {
            now,
            config: &config,
            challenge: &mut stack.tcp.challenge,
            out: &mut out,
        };
        Conn::from_cookie(&params, &opts, seg, &mut ctx)
    };
    stack.counters.tcp.syn_cookies_accepted += 1;
    stack.counters.tcp.passive_opens += 1;
    let id = stack.tcp.insert(ConnEntry {
        conn: alloc::boxed::Box::new(conn),
        socket: None,
        listener: Some(listener),
        indexed: true,
        half_open: false,
        deadline: None,
        heap_at: None,
    });
    on_state_change(
        stack,
        bc,
        id,
        TcpState::SynReceived,
        TcpState::Established,
        Some(listener),
    );
    // The ACK may carry data or a FIN: process it as the established connection.
    run_conn(stack, bc, id, |conn, ctx| {
        if !seg.payload.is_empty() || seg.has(zerocast_wire::tcp::FLAG_FIN) {
            conn.on_segment(seg, ctx);
        }
    });
    true
}

/// RFC 9293 3.10.7.1: a RST answering a segment that belongs to no connection (never a
/// RST to a RST).
pub(crate) fn send_reset_for(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &Segment<'_>,
) {
    if seg.has(FLAG_RST) {
        return;
    }
    let rst = if seg.has(FLAG_ACK) {
        OutSegment::rst(seg.ack, None)
    } else {
        OutSegment::rst(SeqNum::new(0), Some(seg.seq + seg.len()))
    };
    if send_segment(stack, bc, local, remote, &rst, (&[], &[])).is_ok() {
        stack.counters.tcp.resets_sent += 1;
    }
}

/// Sends one segment from `local` to `remote`.
fn send_segment(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &OutSegment,
    payload: (&[u8], &[u8]),
) -> Result<(), SocketError> {
    let route = ip::route_output(stack, bc.now(), remote.ip(), Some(local.ip()), None)?;
    let pseudo = pseudo_header(route.src, route.dst).ok_or(SocketError::InvalidInput)?;
    let len = seg.wire_len() - seg.payload_len + payload.0.len() + payload.1.len();
    let ports = (local.port(), remote.port());
    ip::send_ip_filled(stack, bc, &route, IpProto::TCP, len, |out| {
        if seg.emit(ports, payload, out, Some(pseudo)) {
            Ok(())
        } else {
            Err(SocketError::MessageTooLong)
        }
    })?;
    stack.counters.tcp.tx += 1;
    Ok(())
}

/// Sends a connection's segments, each payload read from its send buffer.
fn emit_all(stack: &mut Stack, bc: &mut impl Bindings, conn: &Conn, out: &[OutSegment]) {
    // Runs of full segments leave as GSO frames when the connection's route goes out on a
    // device with TSO; the route is looked up once for all of `out`.
    let tso = if out.len() > 1 && stack.devices.iter().any(|d| d.offload.tso) {
        super::tso::path(stack, bc, conn)
    } else {
        None
    };
    let mut i = 0;
    while let Some(seg) = out.get(i) {
        if let Some(path) = &tso {
            let run = super::tso::send_run(stack, bc, conn, path, &out[i..]);
            if run > 0 {
                i += run;
                continue;
            }
        }
        i += 1;
        let offset = seg.seq.saturating_since(conn.buf_seq) as usize;
        let payload = if seg.payload_len > 0 {
            conn.send_buf.range(offset, seg.payload_len)
        } else {
            (&[][..], &[][..])
        };
        let _ = send_segment(stack, bc, conn.local, conn.remote, seg, payload);
        if seg.has(FLAG_RST) {
            stack.counters.tcp.resets_sent += 1;
        }
    }
}

/// Runs `f` on connection `id` with a context, then sends what it produced, re-arms its
/// timer, reports readiness changes and handles it becoming established or closed.
pub(crate) fn run_conn<R>(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    id: ConnId,
    f: impl FnOnce(&mut Conn, &mut ConnCtx<'_>) -> R,
) -> Option<R> {
    let mut entry = stack.tcp.take(id)?;
    let before = entry.conn.readiness();
    let state_before = entry.conn.state;
    let mut out = core::mem::take(&mut stack.tcp.out_scratch);
    out.clear();
    let result = {
        let mut ctx = ConnCtx {
            now: bc.now(),
            config: &stack.config.tcp,
            challenge: &mut stack.tcp.challenge,
            out: &mut out,
        };
        f(&mut entry.conn, &mut ctx)
    };
    emit_all(stack, bc, &entry.conn, &out);
    out.clear();
    // A nested call (loopback) may have left its own list: keep the larger.
    if out.capacity() > stack.tcp.out_scratch.capacity() {
        stack.tcp.out_scratch = out;
    }
    let after = entry.conn.readiness();
    let state_after = entry.conn.state;
    let socket = entry.socket;
    let listener = entry.listener;
    // Only an orphan still holding its socket is lingering (see `linger::report`).
    let lingering = entry.conn.orphan && socket.is_some();
    stack.tcp.put_back(id, entry);
    if state_before != state_after {
        on_state_change(stack, bc, id, state_before, state_after, listener);
    }
    if let Some(s) = socket {
        if before != after {
            bc.socket_ready(s, after);
        }
    }
    if lingering {
        super::linger::report(stack, bc, id);
    }
    // Most calls move no timer (a read; in a round trip, the peer's reply replaced the
    // delayed ACK by the RTO in the same call): the earliest deadline is recomputed only
    // when a deadline was written or the state changed (recovery timers count only once
    // synchronized), and the heap is touched only when that deadline moved.
    let timer = stack.tcp.get_mut(id).map(|e| {
        if e.conn.is_closed() {
            return TimerSync::Closed;
        }
        if e.conn.take_timers_changed() || state_before != state_after {
            let deadline = e.conn.next_deadline();
            if deadline != e.deadline {
                return TimerSync::Moved(deadline);
            }
        } else {
            debug_assert_eq!(
                e.deadline,
                e.conn.next_deadline(),
                "a deadline moved without setting its changed flag"
            );
        }
        TimerSync::Unchanged
    });
    match timer {
        Some(TimerSync::Closed) => on_closed(stack, bc, id),
        Some(TimerSync::Moved(deadline)) => sync_timer_to(stack, id, deadline),
        Some(TimerSync::Unchanged) => {}
        // Freed (a lingering close released it): no timer may outlive it.
        None => {
            stack.timers.cancel(&TimerId::Tcp(id.0));
        }
    }
    stack.run_loopback(bc);
    Some(result)
}

/// What `run_conn` does with a connection's timer-heap entry after a call.
enum TimerSync {
    Closed,
    Moved(Option<Instant>),
    Unchanged,
}

/// Bookkeeping of transitions the stack cares about.
fn on_state_change(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    id: ConnId,
    from: TcpState,
    to: TcpState,
    listener: Option<SocketId>,
) {
    if from == TcpState::SynReceived && to.is_synchronized() {
        stack.counters.tcp.established += 1;
        leave_syn_queue(stack, id);
        if let Some(lid) = listener {
            // Half-open → ready to accept.
            if let Ok(sock) = stack.sockets.tcp_mut(lid) {
                if let TcpSocketKind::Listener(l) = &mut sock.kind {
                    l.accept_queue.push_back(id);
                    let ready = crate::Readiness {
                        readable: true,
                        writable: false,
                        error: false,
                    };
                    bc.socket_ready(lid, ready);
                }
            }
        }
    } else if from == TcpState::SynSent && to.is_synchronized() {
        stack.counters.tcp.established += 1;
    }
}

/// A connection leaves its listener's SYN queue (established, reset or timed out).
fn leave_syn_queue(stack: &mut Stack, id: ConnId) {
    let Some(entry) = stack.tcp.get_mut(id) else {
        return;
    };
    if !core::mem::take(&mut entry.half_open) {
        return;
    }
    let Some(lid) = entry.listener else { return };
    if let Ok(sock) = stack.sockets.tcp_mut(lid) {
        if let TcpSocketKind::Listener(l) = &mut sock.kind {
            l.half_open = l.half_open.saturating_sub(1);
        }
    }
}

/// A connection reached CLOSED: forget it unless a socket still holds it.
fn on_closed(stack: &mut Stack, bc: &mut impl Bindings, id: ConnId) {
    stack.timers.cancel(&TimerId::Tcp(id.0));
    if let Some(e) = stack.tcp.get_mut(id) {
        e.heap_at = None;
    }
    leave_syn_queue(stack, id);
    let Some(entry) = stack.tcp.get(id) else {
        return;
    };
    let key = (entry.conn.local, entry.conn.remote);
    let socket = entry.socket;
    let listener = entry.listener;
    if let Some(lid) = listener {
        if let Ok(sock) = stack.sockets.tcp_mut(lid) {
            if let TcpSocketKind::Listener(l) = &mut sock.kind {
                l.accept_queue.retain(|c| *c != id);
            }
        }
    }
    if socket.is_some() {
        stack.tcp.unindex(id, key);
        if let Some(e) = stack.tcp.get_mut(id) {
            e.indexed = false;
        }
    } else {
        stack.tcp.free_slot(id);
    }
    let _ = bc;
}

/// Removes a connection whatever its state (TIME-WAIT reuse, listener closing).
pub(crate) fn remove_conn(stack: &mut Stack, bc: &mut impl Bindings, id: ConnId) {
    if let Some(e) = stack.tcp.get_mut(id) {
        e.conn.enter_closed();
        e.socket = None;
    }
    on_closed(stack, bc, id);
}

/// Keeps the connection's heap entry at or before its earliest deadline.
///
/// A deadline that moved later leaves the entry where it is, as Linux does with its TCP
/// timers: the entry fires early, [`handle_timer`] finds nothing due and re-arms it at the
/// real deadline. Most segments push a timer later (the RTO restarts on every ACK of new
/// data, a reply replaces the delayed ACK by the RTO), so this saves a `BTreeMap` remove
/// and insert per segment for one spurious wake-up per pending period. An earlier deadline
/// moves the entry at once, and no deadline at all disarms it, so nothing fires late and
/// an idle connection leaves no timer.
pub(crate) fn sync_timer(stack: &mut Stack, id: ConnId) {
    let deadline = stack.tcp.get_mut(id).and_then(|e| {
        e.conn.take_timers_changed();
        e.conn.next_deadline()
    });
    sync_timer_to(stack, id, deadline);
}

/// [`sync_timer`] with the connection's `next_deadline` already computed.
fn sync_timer_to(stack: &mut Stack, id: ConnId, deadline: Option<Instant>) {
    let key = TimerId::Tcp(id.0);
    let Some(e) = stack.tcp.get_mut(id) else {
        stack.timers.cancel(&key);
        return;
    };
    e.deadline = deadline;
    let pending = e.heap_at;
    debug_assert_eq!(pending, stack.timers.deadline(&key), "heap_at is stale");
    match deadline {
        Some(t) if pending.is_none_or(|p| p > t) => {
            e.heap_at = Some(t);
            stack.timers.schedule(key, t);
        }
        Some(_) => {}
        None if pending.is_some() => {
            e.heap_at = None;
            stack.timers.cancel(&key);
        }
        None => {}
    }
}

/// The heap entry of connection `raw` fired.
pub(crate) fn handle_timer(stack: &mut Stack, bc: &mut impl Bindings, raw: u32) {
    // The heap popped the entry.
    if let Some(e) = stack.tcp.get_mut(ConnId(raw)) {
        e.heap_at = None;
    }
    run_conn(stack, bc, ConnId(raw), |conn, ctx| conn.on_timer(ctx));
    // The heap entry that fired is gone even when the deadline did not move.
    if stack.tcp.get(ConnId(raw)).is_some() {
        sync_timer(stack, ConnId(raw));
    }
}

/// Which connections owe an ACK deferred to the end of the current receive burst
/// (`Stack::receive_burst`), GRO-style: segments that arrive together are acknowledged
/// together.
#[derive(Debug, Default)]
pub(crate) struct AckBurst {
    /// A burst is being received.
    pub(crate) active: bool,
    /// Connections that deferred an ACK, each once.
    owed: Vec<ConnId>,
}

/// A receive burst ended: every ACK it deferred goes out.
pub(crate) fn end_ack_burst(stack: &mut Stack, bc: &mut impl Bindings) {
    stack.tcp_ack_burst.active = false;
    let mut owed = core::mem::take(&mut stack.tcp_ack_burst.owed);
    for &id in &owed {
        run_conn(stack, bc, id, |conn, ctx| conn.send_deferred_ack(ctx));
    }
    owed.clear();
    // Keep the list's allocation for the next burst.
    stack.tcp_ack_burst.owed = owed;
}

/// The path MTU towards `dst` fell (ICMP Fragmentation Needed / Packet Too Big):
/// connections to it send smaller segments from now on (RFC 1191 section 6.4, RFC 8201).
pub(crate) fn on_pmtu_change(stack: &mut Stack, now: crate::time::Instant, dst: IpAddr) {
    if !stack.tcp.iter().any(|(_, e)| e.conn.remote.ip() == dst) {
        return;
    }
    let Ok(dev) = ip::route_output(stack, now, dst, None, None).map(|r| r.dev) else {
        return;
    };
    let mtu = stack.path_mtu(dev, dst, now);
    let headers = if dst.is_ipv4() { 40 } else { 60 };
    let mss = mtu.saturating_sub(headers).max(88);
    let ids: Vec<ConnId> = stack
        .tcp
        .iter()
        .filter(|(_, e)| e.conn.remote.ip() == dst)
        .map(|(id, _)| id)
        .collect();
    for id in ids {
        if let Some(e) = stack.tcp.get_mut(id) {
            e.conn.clamp_mss(mss);
        }
    }
}

#[cfg(test)]
#[path = "burst_tests.rs"]
mod burst_tests;
#[cfg(test)]
#[path = "timer_sync_tests.rs"]
mod timer_sync_tests;
