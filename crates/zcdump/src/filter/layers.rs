//! Where each outer protocol's bytes sit in a frame, for the filter terms that read bytes
//! rather than values: `frame contains "GET"`, `ip[9] == 6`, `len(tcp)`, `tcp.payload`,
//! `udp.payload`, `data.data`.
//!
//! The dissector records values, not offsets, so this walks the headers once more, only
//! for frames whose filter reads bytes, and only as far as the fixed header lengths say:
//! link header (Ethernet with its tags, Linux cooked v1/v2, raw IP), IPv4/IPv6 (with
//! extension headers), then TCP/UDP/ICMP. Every read is bounds-checked; a frame cut short
//! simply has fewer layers. As in tshark, a protocol's *value* runs from its first byte
//! to the end of its packet, while `len()` of it is its header's length.

use crate::capture::LinkType;
use crate::fields::Proto;

/// One protocol's place: `start..end` is its value, `start..start + header` its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: usize,
    pub header: usize,
    pub end: usize,
}

/// The outer protocols found in one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layers {
    pub eth: Option<Span>,
    pub ip: Option<Span>,
    pub ipv6: Option<Span>,
    pub tcp: Option<Span>,
    pub udp: Option<Span>,
    pub icmp: Option<Span>,
    pub icmpv6: Option<Span>,
    /// The payload above the last layer found (`data` when no dissector claims it).
    pub payload: Option<(usize, usize)>,
}

impl Layers {
    /// The span of `proto`, if it is one this walk finds.
    pub(crate) fn span(&self, proto: Proto, frame_len: usize) -> Option<Span> {
        match proto {
            Proto::Frame => Some(Span {
                start: 0,
                header: frame_len,
                end: frame_len,
            }),
            Proto::Eth => self.eth,
            Proto::Ip => self.ip,
            Proto::Ipv6 => self.ipv6,
            Proto::Tcp => self.tcp,
            Proto::Udp => self.udp,
            Proto::Icmp => self.icmp,
            Proto::Icmpv6 => self.icmpv6,
            Proto::Data => self.payload.map(|(start, end)| Span {
                start,
                header: end.saturating_sub(start),
                end,
            }),
            _ => None,
        }
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<usize> {
    let b = data.get(at..at + 2)?;
    Some(usize::from(u16::from_be_bytes([b[0], b[1]])))
}

/// Walks the outer headers of `data`.
pub(crate) fn locate(data: &[u8], link: LinkType) -> Layers {
    let mut layers = Layers::default();
    // Link types added later have no known header here: no byte terms for their frames.
    #[allow(unreachable_patterns)]
    let (mut ethertype, mut at) = match link {
        LinkType::Ethernet => {
            let Some(t) = u16_at(data, 12) else {
                return layers;
            };
            layers.eth = Some(Span {
                start: 0,
                header: 14,
                end: data.len(),
            });
            (t, 14)
        }
        LinkType::LinuxSll => match u16_at(data, 14) {
            Some(t) => (t, 16),
            None => return layers,
        },
        LinkType::LinuxSll2 => match u16_at(data, 0) {
            Some(t) if data.len() >= 20 => (t, 20),
            _ => return layers,
        },
        LinkType::RawIp => match data.first().map(|b| b >> 4) {
            Some(4) => (0x0800, 0),
            Some(6) => (0x86dd, 0),
            _ => return layers,
        },
        _ => return layers,
    };
    // 802.1Q / 802.1ad tags, at most as many as the dissector follows.
    for _ in 0..8 {
        if !matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) {
            break;
        }
        let Some(t) = u16_at(data, at + 2) else {
            return layers;
        };
        ethertype = t;
        at += 4;
    }
    let upper = match ethertype {
        0x0800 => ipv4(data, at, &mut layers),
        0x86dd => ipv6(data, at, &mut layers),
        _ => None,
    };
    if let Some(packet) = upper {
        transport(data, packet, &mut layers, true);
    }
    layers
}

/// The packet an ICMP or ICMPv6 error quotes at `at`: its transport header and payload
/// stand in where the outer packet has none (tshark dissects the quote as UDP/TCP/data).
fn quoted(data: &[u8], at: usize, layers: &mut Layers) {
    let mut inner = Layers::default();
    let upper = match data.get(at).map(|b| b >> 4) {
        Some(4) => ipv4(data, at, &mut inner),
        Some(6) => ipv6(data, at, &mut inner),
        _ => None,
    };
    if let Some(packet) = upper {
        transport(data, packet, &mut inner, false);
    }
    layers.tcp = layers.tcp.or(inner.tcp);
    layers.udp = layers.udp.or(inner.udp);
    layers.payload = inner.payload;
}

/// An IP packet's payload: its protocol, where it starts, where it ends in the captured
/// bytes, and where the IP header says it ends (past the capture when the capture was
/// cut).
#[derive(Debug, Clone, Copy)]
struct IpPayload {
    proto: u8,
    start: usize,
    end: usize,
    reported_end: usize,
}

/// The IPv4 header at `at`: records it and returns its payload unless the packet is a
/// later fragment (whose payload no upper dissector reads).
fn ipv4(data: &[u8], at: usize, layers: &mut Layers) -> Option<IpPayload> {
    let first = *data.get(at)?;
    let header = usize::from(first & 0x0f) * 4;
    let total = u16_at(data, at + 2)?;
    let end = (at + total.max(header)).min(data.len());
    layers.ip = Some(Span {
        start: at,
        header,
        end,
    });
    let fragment = u16_at(data, at + 6)?;
    let proto = *data.get(at + 9)?;
    if fragment & 0x1fff != 0 || at + header > end {
        layers.payload = Some((at + header, end.max(at + header).min(data.len())));
        return None;
    }
    Some(IpPayload {
        proto,
        start: at + header,
        end,
        reported_end: at + total.max(header),
    })
}

fn ipv6(data: &[u8], at: usize, layers: &mut Layers) -> Option<IpPayload> {
    let payload_len = u16_at(data, at + 4)?;
    let mut next = *data.get(at + 6)?;
    let end = (at + 40 + payload_len).min(data.len());
    let mut cursor = at + 40;
    // Extension headers; a bounded number, as a crafted chain could be long.
    for _ in 0..16 {
        let len = match next {
            0 | 43 | 60 => (usize::from(*data.get(cursor + 1)?) + 1) * 8,
            44 => {
                let offset = u16_at(data, cursor + 2)? >> 3;
                if offset != 0 {
                    layers.ipv6 = Some(Span {
                        start: at,
                        header: 40,
                        end,
                    });
                    layers.payload = Some((cursor + 8, end.max(cursor + 8)));
                    return None;
                }
                8
            }
            _ => break,
        };
        next = *data.get(cursor)?;
        cursor += len;
    }
    layers.ipv6 = Some(Span {
        start: at,
        header: 40,
        end,
    });
    (cursor <= end).then_some(IpPayload {
        proto: next,
        start: cursor,
        end,
        reported_end: at + 40 + payload_len,
    })
}

fn transport(data: &[u8], packet: IpPayload, layers: &mut Layers, outer: bool) {
    let IpPayload {
        proto,
        start,
        end,
        reported_end,
    } = packet;
    // `len()` of a transport protocol is its header's length, as far as the capture kept
    // it; UDP's is 8 within the packet the IP header describes, however much of it the
    // capture kept (tshark gives UDP's item its length before reading it; a cut TCP
    // header's item ends with the capture: kernel-mix-snap80, claimed-layer-edges-snap40).
    let span = |header: usize| Span {
        start,
        header: header.min(end - start),
        end,
    };
    match proto {
        6 => {
            let Some(offset) = data.get(start + 12) else {
                return;
            };
            let header = usize::from(offset >> 4) * 4;
            layers.tcp = Some(span(header));
            if start + header <= end {
                layers.payload = Some((start + header, end));
            }
        }
        17 => {
            layers.udp = Some(Span {
                start,
                header: 8.min(reported_end.saturating_sub(start)),
                end,
            });
            let length = u16_at(data, start + 4).unwrap_or(0);
            let stop = (start + length.max(8)).min(end);
            if start + 8 <= stop {
                layers.payload = Some((start + 8, stop));
            }
        }
        1 | 58 => {
            let whole = span(end - start);
            if proto == 1 {
                layers.icmp = Some(whole);
            } else {
                layers.icmpv6 = Some(whole);
            }
            if start + 8 <= end {
                layers.payload = Some((start + 8, end));
            }
            let kind = data.get(start).copied().unwrap_or(0);
            let error = if proto == 1 {
                matches!(kind, 3 | 4 | 5 | 11 | 12)
            } else {
                (1..=4).contains(&kind)
            };
            if outer && error {
                quoted(data, start + 8, layers);
            }
        }
        _ => layers.payload = Some((start, end)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tcp_payload_after_ethernet_and_ipv4() {
        let mut frame = vec![0u8; 14 + 20 + 20 + 3];
        frame[12..14].copy_from_slice(&[0x08, 0x00]);
        frame[14] = 0x45;
        frame[16..18].copy_from_slice(&(43u16).to_be_bytes());
        frame[23] = 6;
        frame[14 + 20 + 12] = 5 << 4;
        let layers = locate(&frame, LinkType::Ethernet);
        assert_eq!(
            layers.ip.map(|s| (s.start, s.header, s.end)),
            Some((14, 20, 57))
        );
        assert_eq!(layers.tcp.map(|s| (s.start, s.header)), Some((34, 20)));
        assert_eq!(layers.payload, Some((54, 57)));
    }

    #[test]
    fn short_or_garbage_frames_give_fewer_layers_without_panicking() {
        for len in 0..80 {
            for fill in [0u8, 0x45, 0xff, 0x60] {
                let frame = vec![fill; len];
                for link in [
                    LinkType::Ethernet,
                    LinkType::RawIp,
                    LinkType::LinuxSll,
                    LinkType::LinuxSll2,
                ] {
                    let _ = locate(&frame, link);
                }
            }
        }
        assert_eq!(locate(&[], LinkType::Ethernet), Layers::default());
    }
}
