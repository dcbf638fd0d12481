//! IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5) fragment reassembly with
//! bounded memory.
//!
//! Both reassemblers share one engine: a table of partly received packets keyed by the
//! protocol's fragment identity, each a buffer plus the byte ranges received so far. Memory is
//! bounded by a byte budget across all buffers and by a packet count; when a new fragment would
//! exceed either, the oldest partial packets are dropped first (they are the likeliest to be
//! lost anyway). Overlapping fragments discard the whole packet (RFC 5722 for IPv6; applied to
//! IPv4 too, as overlaps are only ever an attack or a bug). Packets older than the timeout are
//! dropped by [`Ipv4Reassembler::expire`] / [`Ipv6Reassembler::expire`].

use alloc::vec::Vec;

use crate::addr::{Ipv4Addr, Ipv6Addr};
use crate::error::{ErrorKind, IcmpReply, Layer, ParseError};
use crate::ip::IpProto;
use crate::ipv4::Ipv4Packet;
use crate::ipv6::Ipv6Packet;

/// Limits for a reassembler.
///
/// ```
/// use zerocast_wire::reassembly::ReassemblyLimits;
/// let l = ReassemblyLimits::default();
/// assert_eq!((l.max_bytes, l.max_packets, l.timeout), (1 << 20, 64, 30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblyLimits {
    /// Upper bound on the bytes buffered across all partial packets.
    pub max_bytes: usize,
    /// Upper bound on the number of partial packets.
    pub max_packets: usize,
    /// Age (in the caller's time unit, e.g. seconds) after which a partial packet is dropped.
    pub timeout: u64,
}

impl Default for ReassemblyLimits {
    fn default() -> Self {
        ReassemblyLimits {
            max_bytes: 1 << 20,
            max_packets: 64,
            timeout: 30,
        }
    }
}

/// What happened to a fragment.
///
/// ```
/// use zerocast_wire::reassembly::Reassembled;
/// let r: Reassembled = Reassembled::Pending;
/// assert!(matches!(r, Reassembled::Pending));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reassembled {
    /// Stored; more fragments are needed.
    Pending,
    /// The last missing piece arrived: the whole packet, header included, ready to parse.
    Complete(Vec<u8>),
}

#[derive(Debug)]
struct Partial<K> {
    key: K,
    created: u64,
    /// Header bytes of the reassembled packet (from the fragment at offset 0).
    header: Option<Vec<u8>>,
    data: Vec<u8>,
    /// Received byte ranges of `data`, sorted and disjoint.
    ranges: Vec<(usize, usize)>,
    /// Total data length, once the last fragment arrived.
    total: Option<usize>,
}

impl<K> Partial<K> {
    fn buffered(&self) -> usize {
        self.data.len() + self.header.as_ref().map_or(0, Vec::len)
    }

    fn complete(&self) -> bool {
        self.header.is_some()
            && self
                .total
                .is_some_and(|t| self.ranges.len() == 1 && self.ranges[0] == (0, t))
    }
}

#[derive(Debug)]
struct Engine<K> {
    limits: ReassemblyLimits,
    partials: Vec<Partial<K>>,
    used: usize,
}

/// A fragment overlapped data already received; the partial packet was dropped.
struct Overlap;

impl<K: PartialEq + Copy> Engine<K> {
    fn new(limits: ReassemblyLimits) -> Self {
        Engine {
            limits,
            partials: Vec::new(),
            used: 0,
        }
    }

    fn drop_at(&mut self, i: usize) {
        let p = self.partials.remove(i);
        self.used -= p.buffered();
    }

    fn expire(&mut self, now: u64) -> usize {
        let mut dropped = 0;
        let mut i = 0;
        while i < self.partials.len() {
            if now.saturating_sub(self.partials[i].created) >= self.limits.timeout {
                self.drop_at(i);
                dropped += 1;
            } else {
                i += 1;
            }
        }
        dropped
    }

    /// Like `expire`, returning for each dropped packet whose first fragment had arrived its
    /// stored header followed by the data received contiguously from offset 0, cut to
    /// `quote_len` bytes.
    fn expire_quoting(&mut self, now: u64, quote_len: usize) -> Vec<Vec<u8>> {
        let mut quotes = Vec::new();
        let mut i = 0;
        while i < self.partials.len() {
            let p = &self.partials[i];
            if now.saturating_sub(p.created) < self.limits.timeout {
                i += 1;
                continue;
            }
            if let Some(header) = &p.header {
                let mut q = header.clone();
                let contiguous = p.ranges.first().filter(|r| r.0 == 0).map_or(0, |r| r.1);
                let room = quote_len.saturating_sub(q.len());
                q.extend_from_slice(&p.data[..contiguous.min(room)]);
                q.truncate(quote_len);
                quotes.push(q);
            }
            self.drop_at(i);
        }
        quotes
    }

    /// Makes room for `extra` bytes (and one more packet if `new_packet`), dropping the
    /// oldest partial packets other than `keep`. Returns false if it cannot.
    fn make_room(&mut self, extra: usize, new_packet: bool, keep: Option<K>) -> bool {
        if extra > self.limits.max_bytes {
            return false;
        }
        loop {
            let count_ok = !new_packet || self.partials.len() < self.limits.max_packets;
            if count_ok && self.used + extra <= self.limits.max_bytes {
                return true;
            }
            let oldest = self
                .partials
                .iter()
                .enumerate()
                .filter(|(_, p)| Some(p.key) != keep)
                .min_by_key(|(_, p)| p.created)
                .map(|(i, _)| i);
            match oldest {
                Some(i) => self.drop_at(i),
                None => return false,
            }
        }
    }

    /// Adds a fragment's data at byte `offset`; `header` is the reassembled header if this is
    /// the first fragment; `last` says whether more fragments follow.
    fn insert(
        &mut self,
        key: K,
        now: u64,
        offset: usize,
        data: &[u8],
        last: bool,
        header: Option<&[u8]>,
    ) -> Result<Option<Vec<u8>>, Overlap> {
        let idx = match self.partials.iter().position(|p| p.key == key) {
            Some(i) => i,
            None => {
                if !self.make_room(0, true, None) {
                    return Ok(None);
                }
                self.partials.push(Partial {
                    key,
                    created: now,
                    header: None,
                    data: Vec::new(),
                    ranges: Vec::new(),
                    total: None,
                });
                self.partials.len() - 1
            }
        };
        let end = offset + data.len();
        let p = &self.partials[idx];
        let overlaps = p.ranges.iter().any(|&(s, e)| offset < e && s < end);
        let beyond_total = p.total.is_some_and(|t| end > t || (last && end != t));
        let before_known_data = last && p.ranges.last().is_some_and(|&(_, e)| e > end);
        if overlaps || beyond_total || before_known_data {
            self.drop_at(idx);
            return Err(Overlap);
        }
        let grow = end.saturating_sub(p.data.len()) + header.map_or(0, <[u8]>::len);
        if !self.make_room(grow, false, Some(key)) {
            if let Some(i) = self.partials.iter().position(|p| p.key == key) {
                self.drop_at(i);
            }
            return Ok(None);
        }
        // `make_room` may have removed earlier entries; find ours again.
        let Some(idx) = self.partials.iter().position(|p| p.key == key) else {
            return Ok(None);
        };
        let p = &mut self.partials[idx];
        if p.data.len() < end {
            p.data.resize(end, 0);
        }
        p.data[offset..end].copy_from_slice(data);
        if let Some(h) = header {
            p.header = Some(h.to_vec());
        }
        if last {
            p.total = Some(end);
        }
        // Insert the range keeping the list sorted, then merge neighbours.
        let at = p.ranges.partition_point(|&(s, _)| s < offset);
        p.ranges.insert(at, (offset, end));
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(p.ranges.len());
        for &(s, e) in &p.ranges {
            match merged.last_mut() {
                Some(last) if last.1 == s => last.1 = e,
                _ => merged.push((s, e)),
            }
        }
        p.ranges = merged;
        self.used += grow;
        if self.partials[idx].complete() {
            let p = self.partials.remove(idx);
            self.used -= p.buffered();
            let mut out = p.header.unwrap_or_default();
            out.extend_from_slice(&p.data);
            return Ok(Some(out));
        }
        Ok(None)
    }
}

/// Reassembles IPv4 fragments, keyed by (source, destination, protocol, identification).
///
/// ```
/// use zerocast_wire::{ipv4::Ipv4Packet, reassembly::{Ipv4Reassembler, Reassembled}};
/// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
/// let mut r = Ipv4Reassembler::new(Default::default());
/// assert_eq!(r.insert(&Ipv4Packet::parse(&second[..])?, 0)?, Reassembled::Pending);
/// let Reassembled::Complete(whole) = r.insert(&Ipv4Packet::parse(&first[..])?, 1)?
///     else { panic!() };
/// let ip = Ipv4Packet::parse(&whole[..])?;
/// assert_eq!((ip.total_len(), ip.is_fragment()), (20 + 24, false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Ipv4Reassembler {
    engine: Engine<(Ipv4Addr, Ipv4Addr, u8, u16)>,
}

impl Ipv4Reassembler {
    /// A reassembler with the given limits.
    ///
    /// ```
    /// use zerocast_wire::reassembly::{Ipv4Reassembler, ReassemblyLimits};
    /// let limits = ReassemblyLimits { max_bytes: 64 * 1024, max_packets: 8, timeout: 30 };
    /// let r = Ipv4Reassembler::new(limits);
    /// assert_eq!((r.pending(), r.buffered_bytes()), (0, 0));
    /// ```
    #[must_use]
    pub fn new(limits: ReassemblyLimits) -> Self {
        Ipv4Reassembler {
            engine: Engine::new(limits),
        }
    }

    /// Adds a fragment received at time `now`. A packet that is not a fragment comes back
    /// complete at once.
    ///
    /// # Errors
    /// `BadLength` for a non-last fragment whose length is not a multiple of 8 or a fragment
    /// reaching past 65535 bytes; `BadField` for a fragment overlapping one already received
    /// (the whole packet is dropped); `Truncated` for a truncated capture.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, reassembly::{Ipv4Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
    /// # let (first, second) = (Ipv4Packet::parse(&first[..])?, Ipv4Packet::parse(&second[..])?);
    /// let mut r = Ipv4Reassembler::new(Default::default());
    /// assert_eq!(r.insert(&second, 0)?, Reassembled::Pending);
    /// // The same fragment again overlaps what is held: the whole packet is dropped.
    /// assert!(r.insert(&second, 1).is_err());
    /// assert_eq!(r.pending(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn insert<B: zerocast::SplitByteSlice>(
        &mut self,
        packet: &Ipv4Packet<B>,
        now: u64,
    ) -> Result<Reassembled, ParseError> {
        if packet.is_truncated() {
            let needed = usize::from(packet.total_len());
            return Err(ParseError::truncated(Layer::Ipv4, needed, needed - 1));
        }
        let header_len = packet.header_len();
        if !packet.is_fragment() {
            let mut whole = Vec::with_capacity(usize::from(packet.total_len()));
            whole.extend_from_slice(zerocast::IntoBytes::as_bytes(packet.header()));
            whole.extend_from_slice(packet.options_bytes());
            whole.extend_from_slice(packet.payload());
            return Ok(Reassembled::Complete(whole));
        }
        let offset = packet.fragment_offset_bytes();
        let data = packet.payload();
        let more = packet.more_fragments();
        if more && !data.len().is_multiple_of(8) {
            return Err(ParseError::new(
                Layer::Ipv4,
                ErrorKind::BadLength(data.len()),
                2,
            ));
        }
        if header_len + offset + data.len() > usize::from(u16::MAX) {
            return Err(ParseError::new(
                Layer::Ipv4,
                ErrorKind::BadLength(offset + data.len()),
                6,
            ));
        }
        let key = (
            packet.src(),
            packet.dst(),
            packet.protocol().0,
            packet.ident(),
        );
        let mut header = Vec::new();
        if offset == 0 {
            header.extend_from_slice(zerocast::IntoBytes::as_bytes(packet.header()));
            header.extend_from_slice(packet.options_bytes());
        }
        let first = (offset == 0).then_some(&header[..]);
        match self.engine.insert(key, now, offset, data, !more, first) {
            Err(Overlap) => Err(ParseError::new(Layer::Ipv4, ErrorKind::BadField, 6)),
            Ok(None) => Ok(Reassembled::Pending),
            Ok(Some(mut whole)) => {
                finish_ipv4(&mut whole);
                Ok(Reassembled::Complete(whole))
            }
        }
    }

    /// Drops partial packets whose age has reached the timeout (age `>=` timeout); returns
    /// how many.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, reassembly::{Ipv4Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
    /// # let (first, second) = (Ipv4Packet::parse(&first[..])?, Ipv4Packet::parse(&second[..])?);
    /// let mut r = Ipv4Reassembler::new(Default::default());
    /// r.insert(&second, 0)?;
    /// assert_eq!(r.expire(10), 0); // younger than the 30-unit default timeout
    /// assert_eq!(r.expire(60), 1);
    /// assert_eq!(r.pending(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn expire(&mut self, now: u64) -> usize {
        self.engine.expire(now)
    }

    /// Like [`Ipv4Reassembler::expire`], returning for each dropped packet whose first
    /// fragment had arrived the start of that fragment (header, then the data received from
    /// offset 0), cut to `quote_len` bytes: what an ICMP Time Exceeded (code 1, "fragment
    /// reassembly time exceeded", RFC 792) quotes. Packets whose first fragment never came
    /// are dropped without a quote, since RFC 792 sends no error for them.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, reassembly::Ipv4Reassembler};
    /// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
    /// let mut r = Ipv4Reassembler::new(Default::default());
    /// r.insert(&Ipv4Packet::parse(&first[..])?, 0)?;
    /// r.insert(&Ipv4Packet::parse(&second[..])?, 0)?; // completes, nothing pending
    /// r.insert(&Ipv4Packet::parse(&first[..])?, 5)?;
    /// let quotes = r.expire_quoting(40, 28);
    /// assert_eq!(quotes, vec![first[..28].to_vec()]);
    /// assert_eq!(r.pending(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn expire_quoting(&mut self, now: u64, quote_len: usize) -> Vec<Vec<u8>> {
        self.engine.expire_quoting(now, quote_len)
    }

    /// Number of partial packets held.
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, reassembly::{Ipv4Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
    /// # let (first, second) = (Ipv4Packet::parse(&first[..])?, Ipv4Packet::parse(&second[..])?);
    /// let mut r = Ipv4Reassembler::new(Default::default());
    /// r.insert(&second, 0)?;
    /// assert_eq!(r.pending(), 1);
    /// r.insert(&first, 0)?; // completes the packet, which leaves the table
    /// assert_eq!(r.pending(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn pending(&self) -> usize {
        self.engine.partials.len()
    }

    /// Bytes buffered across partial packets (never above the limit).
    ///
    /// ```
    /// # use zerocast_wire::{ipv4::Ipv4Packet, reassembly::{Ipv4Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv4_fragments_example();
    /// # let (first, second) = (Ipv4Packet::parse(&first[..])?, Ipv4Packet::parse(&second[..])?);
    /// let mut r = Ipv4Reassembler::new(Default::default());
    /// r.insert(&second, 0)?;
    /// assert_eq!(r.buffered_bytes(), 24); // room for offsets 0..24, only 16..24 received
    /// r.insert(&first, 0)?;
    /// assert_eq!(r.buffered_bytes(), 0);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn buffered_bytes(&self) -> usize {
        self.engine.used
    }
}

/// Rewrites the first fragment's header into the reassembled packet's: Total Length, no
/// fragment fields, fresh checksum.
fn finish_ipv4(whole: &mut [u8]) {
    let total = u16::try_from(whole.len()).unwrap_or(u16::MAX);
    if let Ok(mut ip) = Ipv4Packet::parse_with(&mut whole[..], crate::ParseOptions::LENIENT) {
        let h = ip.header_mut();
        h.total_len.set(total);
        h.flags_frag.set(h.flags_frag.get() & 0x4000);
        ip.update_checksum();
    }
}

/// Reassembles IPv6 fragments, keyed by (source, destination, identification).
///
/// ```
/// use zerocast_wire::{ipv6::Ipv6Packet, reassembly::{Ipv6Reassembler, Reassembled}, IpProto};
/// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
/// let mut r = Ipv6Reassembler::new(Default::default());
/// assert_eq!(r.insert(&Ipv6Packet::parse(&first[..])?, 0)?, Reassembled::Pending);
/// let Reassembled::Complete(whole) = r.insert(&Ipv6Packet::parse(&second[..])?, 0)?
///     else { panic!() };
/// let ip = Ipv6Packet::parse(&whole[..])?;
/// assert_eq!((ip.upper_protocol(), ip.payload().len(), ip.fragment()), (IpProto::UDP, 24, None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Ipv6Reassembler {
    engine: Engine<(Ipv6Addr, Ipv6Addr, u32)>,
}

impl Ipv6Reassembler {
    /// A reassembler with the given limits.
    ///
    /// ```
    /// use zerocast_wire::reassembly::{Ipv6Reassembler, ReassemblyLimits};
    /// let limits = ReassemblyLimits { max_bytes: 64 * 1024, max_packets: 8, timeout: 60 };
    /// let r = Ipv6Reassembler::new(limits);
    /// assert_eq!((r.pending(), r.buffered_bytes()), (0, 0));
    /// ```
    #[must_use]
    pub fn new(limits: ReassemblyLimits) -> Self {
        Ipv6Reassembler {
            engine: Engine::new(limits),
        }
    }

    /// Adds a packet received at time `now`; one without a Fragment header (or an atomic
    /// fragment, RFC 6946) comes back complete at once.
    ///
    /// # Errors
    /// `BadLength` for a non-last fragment whose length is not a multiple of 8 or a packet
    /// reaching past 65535 bytes; `BadField` for overlapping fragments (RFC 5722: the whole
    /// packet is dropped); `Truncated` for a truncated capture.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, reassembly::{Ipv6Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
    /// # let (first, second) = (Ipv6Packet::parse(&first[..])?, Ipv6Packet::parse(&second[..])?);
    /// let mut r = Ipv6Reassembler::new(Default::default());
    /// assert_eq!(r.insert(&first, 0)?, Reassembled::Pending);
    /// let Reassembled::Complete(whole) = r.insert(&second, 0)? else { panic!("incomplete") };
    /// assert_eq!(whole.len(), 40 + 24); // the Fragment header is gone
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn insert<B: zerocast::SplitByteSlice>(
        &mut self,
        packet: &Ipv6Packet<B>,
        now: u64,
    ) -> Result<Reassembled, ParseError> {
        if packet.is_truncated() {
            let needed = 40 + usize::from(packet.payload_len());
            return Err(ParseError::truncated(Layer::Ipv6, needed, needed - 1));
        }
        let ext = packet.extensions_bytes();
        let Some(frag) = packet.fragment().filter(|f| f.offset != 0 || f.more) else {
            let mut whole = Vec::new();
            whole.extend_from_slice(zerocast::IntoBytes::as_bytes(packet.header()));
            whole.extend_from_slice(ext);
            whole.extend_from_slice(packet.payload());
            return Ok(Reassembled::Complete(whole));
        };
        // The unfragmentable part is everything before the Fragment header.
        let mut frag_at = 0;
        let mut prev_next_header_at = 6; // in the fixed header
        for h in packet.extension_headers().flatten() {
            if h.kind() == IpProto::FRAGMENT {
                frag_at = h.offset();
                break;
            }
            prev_next_header_at = 40 + h.offset();
        }
        let next = ext.get(frag_at).copied().unwrap_or(59);
        let data = packet.payload();
        let offset = frag.offset_bytes();
        if frag.more && !data.len().is_multiple_of(8) {
            // RFC 8200 section 4.5: Parameter Problem, code 0, pointing at Payload Length.
            let err = ParseError::new(Layer::Ipv6Ext, ErrorKind::BadLength(data.len()), 4);
            return Err(err.with_icmp(IcmpReply::Ipv6ParameterProblem {
                code: 0,
                pointer: 4,
            }));
        }
        if frag_at + offset + data.len() > usize::from(u16::MAX) {
            // RFC 8200 section 4.5: Parameter Problem, code 0, pointing at the offset field.
            let pointer = u32::try_from(40 + frag_at + 2).unwrap_or(u32::MAX);
            let err = ParseError::new(
                Layer::Ipv6Ext,
                ErrorKind::BadLength(offset + data.len()),
                42,
            );
            return Err(err.with_icmp(IcmpReply::Ipv6ParameterProblem { code: 0, pointer }));
        }
        let mut header = Vec::new();
        if offset == 0 {
            header.extend_from_slice(zerocast::IntoBytes::as_bytes(packet.header()));
            header.extend_from_slice(ext.get(..frag_at).unwrap_or(&[]));
            if let Some(b) = header.get_mut(prev_next_header_at) {
                *b = next;
            }
        }
        let key = (packet.src(), packet.dst(), frag.ident);
        let first = (offset == 0).then_some(&header[..]);
        match self
            .engine
            .insert(key, now, offset, data, !frag.more, first)
        {
            Err(Overlap) => Err(ParseError::new(Layer::Ipv6Ext, ErrorKind::BadField, 42)),
            Ok(None) => Ok(Reassembled::Pending),
            Ok(Some(mut whole)) => {
                let plen = u16::try_from(whole.len() - 40).unwrap_or(u16::MAX);
                if let Some(b) = whole.get_mut(4..6) {
                    b.copy_from_slice(&plen.to_be_bytes());
                }
                Ok(Reassembled::Complete(whole))
            }
        }
    }

    /// Drops partial packets whose age has reached the timeout (age `>=` timeout); returns
    /// how many.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, reassembly::{Ipv6Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
    /// # let (first, second) = (Ipv6Packet::parse(&first[..])?, Ipv6Packet::parse(&second[..])?);
    /// let mut r = Ipv6Reassembler::new(Default::default());
    /// r.insert(&first, 0)?;
    /// assert_eq!(r.expire(10), 0); // younger than the 30-unit default timeout
    /// assert_eq!(r.expire(60), 1);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn expire(&mut self, now: u64) -> usize {
        self.engine.expire(now)
    }

    /// Like [`Ipv6Reassembler::expire`], returning for each dropped packet whose first
    /// fragment had arrived its unfragmentable part (Fragment header removed) followed by
    /// the data received from offset 0, cut to `quote_len` bytes: what an ICMPv6 Time
    /// Exceeded (code 1) quotes (RFC 8200 section 4.5: sent only if the first fragment was
    /// received).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, reassembly::Ipv6Reassembler};
    /// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
    /// let mut r = Ipv6Reassembler::new(Default::default());
    /// r.insert(&Ipv6Packet::parse(&second[..])?, 0)?;
    /// assert!(r.expire_quoting(30, 1232).is_empty()); // no first fragment: no quote
    /// r.insert(&Ipv6Packet::parse(&first[..])?, 40)?;
    /// let quotes = r.expire_quoting(70, 1232);
    /// assert_eq!(quotes.len(), 1);
    /// assert_eq!(quotes[0][..6], first[..6]); // the fixed header as received,
    /// assert_eq!(quotes[0][6], 17); // except Next Header, now the Fragment header's (UDP)
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    pub fn expire_quoting(&mut self, now: u64, quote_len: usize) -> Vec<Vec<u8>> {
        self.engine.expire_quoting(now, quote_len)
    }

    /// Number of partial packets held.
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, reassembly::{Ipv6Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
    /// # let (first, second) = (Ipv6Packet::parse(&first[..])?, Ipv6Packet::parse(&second[..])?);
    /// let mut r = Ipv6Reassembler::new(Default::default());
    /// r.insert(&first, 0)?;
    /// assert_eq!(r.pending(), 1);
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn pending(&self) -> usize {
        self.engine.partials.len()
    }

    /// Bytes buffered across partial packets (never above the limit).
    ///
    /// ```
    /// # use zerocast_wire::{ipv6::Ipv6Packet, reassembly::{Ipv6Reassembler, Reassembled}};
    /// # // a 24-byte UDP datagram in two fragments: 16 bytes at offset 0, then 8 bytes at 16
    /// # let (first, second) = zerocast_wire::reassembly::__ipv6_fragments_example();
    /// # let (first, second) = (Ipv6Packet::parse(&first[..])?, Ipv6Packet::parse(&second[..])?);
    /// let mut r = Ipv6Reassembler::new(Default::default());
    /// r.insert(&first, 0)?;
    /// assert_eq!(r.buffered_bytes(), 40 + 16); // the header to rebuild, and the data so far
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn buffered_bytes(&self) -> usize {
        self.engine.used
    }
}

/// Two IPv4 fragments of a 24-byte UDP datagram (16 + 8 bytes), for examples.
#[doc(hidden)]
#[must_use]
pub fn __ipv4_fragments_example() -> ([u8; 36], [u8; 28]) {
    let src = Ipv4Addr([10, 0, 0, 1]);
    let dst = Ipv4Addr([10, 0, 0, 2]);
    let mut first = [0u8; 36];
    let mut second = [0u8; 28];
    let repr = crate::ipv4::Ipv4Repr {
        ident: 9,
        flags: 1,
        ..crate::ipv4::Ipv4Repr::new(src, dst, IpProto::UDP, 64)
    };
    let emitted = repr.emit(&mut first, 16);
    debug_assert!(emitted.is_ok(), "first fragment header: {emitted:?}");
    first[20..36].copy_from_slice(&[7; 16]);
    let repr = crate::ipv4::Ipv4Repr {
        flags: 0,
        fragment_offset: 2,
        ..repr
    };
    let emitted = repr.emit(&mut second, 8);
    debug_assert!(emitted.is_ok(), "second fragment header: {emitted:?}");
    second[20..28].copy_from_slice(&[8; 8]);
    (first, second)
}

/// Two IPv6 fragments of a 24-byte UDP datagram (16 + 8 bytes), for examples.
#[doc(hidden)]
#[must_use]
pub fn __ipv6_fragments_example() -> ([u8; 64], [u8; 56]) {
    let fragment = |offset: u16, more: bool, data: &[u8], out: &mut [u8]| {
        let ext = [
            17,
            0,
            (offset << 3 | u16::from(more)).to_be_bytes()[0],
            (offset << 3 | u16::from(more)).to_be_bytes()[1],
            0,
            0,
            0,
            5,
        ];
        let repr = crate::ipv6::Ipv6Repr {
            extensions: &ext,
            ..crate::ipv6::Ipv6Repr::new(
                Ipv6Addr::UNSPECIFIED,
                Ipv6Addr::UNSPECIFIED,
                IpProto::FRAGMENT,
                64,
            )
        };
        let emitted = repr.emit(out, data.len());
        debug_assert!(emitted.is_ok(), "fragment header: {emitted:?}");
        out[48..].copy_from_slice(data);
    };
    let mut first = [0u8; 64];
    let mut second = [0u8; 56];
    fragment(0, true, &[1; 16], &mut first);
    fragment(2, false, &[2; 8], &mut second);
    (first, second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipv4::Ipv4Repr;

    fn frag4(ident: u16, offset_units: u16, more: bool, data: &[u8]) -> Vec<u8> {
        let repr = Ipv4Repr {
            ident,
            flags: u8::from(more),
            fragment_offset: offset_units,
            ..Ipv4Repr::new(
                Ipv4Addr([10, 0, 0, 1]),
                Ipv4Addr([10, 0, 0, 2]),
                IpProto::UDP,
                64,
            )
        };
        let mut b = alloc::vec![0u8; 20 + data.len()];
        repr.emit(&mut b, data.len()).unwrap();
        b[20..].copy_from_slice(data);
        b
    }

    fn insert(r: &mut Ipv4Reassembler, b: &[u8], now: u64) -> Result<Reassembled, ParseError> {
        r.insert(&Ipv4Packet::parse(b).unwrap(), now)
    }

    #[test]
    fn reassembles_out_of_order_fragments_into_a_valid_packet() {
        let payload: Vec<u8> = (0..40u8).collect();
        let mut r = Ipv4Reassembler::new(ReassemblyLimits::default());
        assert_eq!(
            insert(&mut r, &frag4(1, 4, false, &payload[32..]), 0).unwrap(),
            Reassembled::Pending
        );
        assert_eq!(
            insert(&mut r, &frag4(1, 0, true, &payload[..16]), 0).unwrap(),
            Reassembled::Pending
        );
        let Reassembled::Complete(whole) =
            insert(&mut r, &frag4(1, 2, true, &payload[16..32]), 0).unwrap()
        else {
            panic!("incomplete")
        };
        let ip = Ipv4Packet::parse(&whole[..]).unwrap();
        assert_eq!(ip.payload(), &payload[..]);
        assert!(!ip.is_fragment());
        assert_eq!((r.pending(), r.buffered_bytes()), (0, 0));
    }

    #[test]
    fn overlapping_fragment_drops_the_packet() {
        let mut r = Ipv4Reassembler::new(ReassemblyLimits::default());
        insert(&mut r, &frag4(2, 0, true, &[0; 16]), 0).unwrap();
        assert!(insert(&mut r, &frag4(2, 1, false, &[0; 16]), 0).is_err());
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn memory_stays_within_budget_by_evicting_oldest() {
        let limits = ReassemblyLimits {
            max_bytes: 200,
            max_packets: 64,
            timeout: 30,
        };
        let mut r = Ipv4Reassembler::new(limits);
        for ident in 0..50u16 {
            insert(&mut r, &frag4(ident, 0, true, &[1; 64]), u64::from(ident)).unwrap();
            assert!(r.buffered_bytes() <= 200, "{} bytes", r.buffered_bytes());
        }
        assert!(r.pending() >= 1 && r.pending() <= 2);
    }

    #[test]
    fn packet_count_is_bounded_and_expiry_drops_old_packets() {
        let limits = ReassemblyLimits {
            max_bytes: 1 << 20,
            max_packets: 4,
            timeout: 10,
        };
        let mut r = Ipv4Reassembler::new(limits);
        for ident in 0..10u16 {
            insert(&mut r, &frag4(ident, 0, true, &[1; 8]), 0).unwrap();
        }
        assert_eq!(r.pending(), 4);
        assert_eq!(r.expire(9), 0);
        assert_eq!(r.expire(10), 4);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn unaligned_middle_fragment_is_rejected() {
        let mut r = Ipv4Reassembler::new(ReassemblyLimits::default());
        assert!(insert(&mut r, &frag4(3, 0, true, &[0; 12]), 0).is_err());
    }
}
