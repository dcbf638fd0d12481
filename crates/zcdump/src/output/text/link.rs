//! The link layers' summaries (`tcpdump -n` prints no link header without `-e`, so most
//! write nothing and hand on), VLAN tags (which zcdump does print, issue 7) and ARP.

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// The frame itself: an undecoded link type, or the link layer's summary.
pub(super) const FRAME: TextSummary = TextSummary {
    proto: Proto::Frame,
    fields: &[Field::FrameLen, Field::FrameCapLen],
    write: frame,
};

fn frame(line: &mut Line<'_>) {
    if let Some(n) = line.fields().link_not_decoded() {
        line.put(b"[link type ");
        line.dec(u64::from(n));
        line.put(b" not decoded]");
    } else if !line.next() {
        fallback(line);
    }
}

/// What a line says when no network layer summary follows the link layer: the Ethernet
/// addresses and EtherType when there are some.
fn fallback(line: &mut Line<'_>) {
    let f = line.fields();
    if let (Some(Value::Mac(src)), Some(Value::Mac(dst))) =
        (f.first(Field::EthSrc), f.first(Field::EthDst))
    {
        line.value(Value::Mac(src));
        line.put(b" > ");
        line.value(Value::Mac(dst));
        if let Some(t) = f.uint(Field::EthType) {
            line.put(b", ethertype ");
            line.hex(t, 4);
        }
    } else {
        line.put(b"unknown link-layer payload");
    }
}

/// A link layer that prints nothing itself.
fn pass(line: &mut Line<'_>) {
    if !line.next() {
        fallback(line);
    }
}

/// Ethernet (its fallback reads the addresses and type).
pub(super) const ETH: TextSummary = TextSummary {
    proto: Proto::Eth,
    fields: &[Field::EthSrc, Field::EthDst, Field::EthType],
    write: pass,
};

/// BSD loopback.
pub(super) const NULL: TextSummary = TextSummary {
    proto: Proto::Null,
    fields: &[],
    write: pass,
};

/// Raw IP link types' `raw` layer (tcpdump prints the IP packet alone).
pub(super) const RAW: TextSummary = TextSummary {
    proto: Proto::Raw,
    fields: &[],
    write: pass,
};

/// PPP.
pub(super) const PPP: TextSummary = TextSummary {
    proto: Proto::Ppp,
    fields: &[],
    write: pass,
};

/// Cisco HDLC.
pub(super) const CHDLC: TextSummary = TextSummary {
    proto: Proto::Chdlc,
    fields: &[],
    write: pass,
};

/// Linux cooked capture (tcpdump's direction and interface prefix is not imitated).
pub(super) const SLL: TextSummary = TextSummary {
    proto: Proto::Sll,
    fields: &[],
    write: pass,
};

/// The radiotap header (tcpdump's rate, channel and signal words are not imitated).
pub(super) const RADIOTAP: TextSummary = TextSummary {
    proto: Proto::Radiotap,
    fields: &[],
    write: pass,
};

/// IEEE 802.11 (tcpdump's words for management and control frames are not imitated).
pub(super) const WLAN: TextSummary = TextSummary {
    proto: Proto::Wlan,
    fields: &[],
    write: pass,
};

/// 802.2 LLC and SNAP.
pub(super) const LLC: TextSummary = TextSummary {
    proto: Proto::Llc,
    fields: &[],
    write: pass,
};

/// An 802.1Q tag: `vlan N, p P, `.
pub(super) const VLAN: TextSummary = TextSummary {
    proto: Proto::Vlan,
    fields: &[Field::VlanId, Field::VlanPriority],
    write: vlan,
};

fn vlan(line: &mut Line<'_>) {
    if let Some(id) = line.uint(Field::VlanId) {
        line.put(b"vlan ");
        line.dec(id);
        if let Some(p) = line.uint(Field::VlanPriority) {
            line.put(b", p ");
            line.dec(p);
        }
        line.put(b", ");
    }
    pass(line);
}

/// An 802.1ad tag: `802.1ad N, `.
pub(super) const DOT1AD: TextSummary = TextSummary {
    proto: Proto::Ieee8021ad,
    fields: &[Field::Ieee8021adId],
    write: dot1ad,
};

fn dot1ad(line: &mut Line<'_>) {
    if let Some(id) = line.uint(Field::Ieee8021adId) {
        line.put(b"802.1ad ");
        line.dec(id);
        line.put(b", ");
    }
    pass(line);
}

/// ARP: `ARP, Request who-has A tell B, length 28`.
pub(super) const ARP: TextSummary = TextSummary {
    proto: Proto::Arp,
    fields: &[
        Field::ArpOpcode,
        Field::ArpSrcHwMac,
        Field::ArpSrcProtoIpv4,
        Field::ArpDstProtoIpv4,
    ],
    write: arp,
};

fn arp(line: &mut Line<'_>) {
    let tpa = line.get(Field::ArpDstProtoIpv4);
    let spa = line.get(Field::ArpSrcProtoIpv4);
    match line.uint(Field::ArpOpcode) {
        Some(1) => {
            line.put(b"ARP, Request who-has ");
            if let Some(v) = tpa {
                line.value(v);
            }
            line.put(b" tell ");
            if let Some(v) = spa {
                line.value(v);
            }
        }
        Some(2) => {
            line.put(b"ARP, Reply ");
            if let Some(v) = spa {
                line.value(v);
            }
            line.put(b" is-at ");
            if let Some(v) = line.get(Field::ArpSrcHwMac) {
                line.value(v);
            }
        }
        other => {
            line.put(b"ARP, opcode ");
            line.dec(other.unwrap_or(0));
        }
    }
    line.put(b", length ");
    line.dec(zerocast_wire::arp::PACKET_LEN as u64);
}
