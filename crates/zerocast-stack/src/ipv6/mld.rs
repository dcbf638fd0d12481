//! MLDv2 for hosts (RFC 9777): the wire side of [`Membership`] over IPv6.
//!
//! The group state machine is shared with IGMPv3 in [`membership`](crate::membership);
//! this module decodes queries from the wire crate's parsed ICMPv6 messages and builds
//! Version 2 Multicast Listener Reports with [`MldBuilder`], inside an IPv6 header with
//! hop limit 1 and a Hop-by-Hop Router Alert (RFC 9777 section 5), sent to ff02::16.
//! The solicited-node groups DAD joins go through here like any other group, so a
//! snooping switch forwards our neighbour solicitations.

use alloc::vec::Vec;

use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::icmpv6::Icmpv6Message;
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::mld::{MldBuilder, MldMessage, MldV1, MldV2RecordRepr};
use zerocast_wire::{IpProto, Ipv6Addr, PseudoHeader};

use super::ALL_MLDV2_ROUTERS;
use crate::membership::{GroupRecord, Membership, Query};
use crate::time::Duration;

/// The MLD listener state of one interface.
pub type MldState = Membership<Ipv6Addr>;

/// RFC 9777 section 5.1.15 (and RFC 2711): the Hop-by-Hop header MLD messages carry,
/// announcing ICMPv6 next, with a Router Alert option (value 0: MLD) and a 2-byte PadN.
pub const ROUTER_ALERT_HOP_BY_HOP: [u8; 8] = [58, 0, 5, 2, 0, 0, 1, 0];
/// RFC 9777 section 5: MLD messages are sent with hop limit 1.
pub const MLD_HOP_LIMIT: u8 = 1;
/// Records per report, so a report of 20-byte records stays within the 1280-byte IPv6
/// minimum MTU (40 + 8 + 8 + 60 × 20 = 1256).
pub const MAX_RECORDS_PER_REPORT: usize = 60;
/// Record bytes per report (20 per record plus 16 per source): with the IPv6 header, the
/// Hop-by-Hop header and the 8-byte report header a report stays within 1280 bytes.
pub const MAX_RECORD_BYTES_PER_REPORT: usize = 1280 - 40 - 8 - 8;

/// Decodes an MLDv2 Maximum Response Code into a time (RFC 9777 section 5.1.3): below
/// 32768 it is milliseconds; above, a floating-point value `(mant | 0x1000) << (exp + 3)`.
///
/// ```
/// use zerocast_stack::ipv6::mld::max_response_delay;
/// use zerocast_stack::time::Duration;
/// assert_eq!(max_response_delay(10_000), Duration::from_secs(10));
/// // 0x8000: exp 0, mant 0 -> 0x1000 << 3 = 32768 ms.
/// assert_eq!(max_response_delay(0x8000), Duration::from_millis(32_768));
/// ```
#[must_use]
pub fn max_response_delay(code: u16) -> Duration {
    let ms = if code < 0x8000 {
        u64::from(code)
    } else {
        let exp = (code >> 12) & 0x7;
        let mant = code & 0x0fff;
        u64::from(mant | 0x1000) << (exp + 3)
    };
    Duration::from_millis(ms)
}

/// The query in an ICMPv6 message, if it is one worth answering: from a link-local source
/// (RFC 9777 section 6.2: other queries are ignored). A Multicast Address and Source
/// Specific Query keeps its sources; one whose Number of Sources overruns the message is
/// ignored. An MLDv1 query (RFC 2710) is marked
/// [`older_version`](Query::older_version): the interface answers in MLDv1 for a while
/// (RFC 9777 section 8.2.1, [`build_v1_message`]).
///
/// ```
/// use zerocast_stack::ipv6::mld::query_of;
/// use zerocast_wire::{icmpv6::Icmpv6Message, mld::MldV1, Ipv6Addr};
/// let src: Ipv6Addr = "fe80::1".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let general = MldV1::new(1000, Ipv6Addr::UNSPECIFIED);
/// let q = query_of(src, &Icmpv6Message::MldV1Query(&general)).unwrap();
/// assert_eq!((q.group, q.max_response.as_millis()), (None, 1000));
/// ```
#[must_use]
pub fn query_of(src: Ipv6Addr, message: &Icmpv6Message<'_>) -> Option<Query<Ipv6Addr>> {
    if !src.is_unicast_link_local() {
        return None;
    }
    let (v1, robustness, older_version) = match message {
        Icmpv6Message::MldV2Query(v1, tail, _) => (*v1, tail.qrv(), false),
        Icmpv6Message::MldV1Query(v1) => (*v1, 0, true),
        _ => return None,
    };
    let group = (!v1.group.is_unspecified()).then_some(v1.group);
    if group.is_some_and(|g| !g.is_multicast()) {
        return None;
    }
    let mut sources = Vec::new();
    if let Icmpv6Message::MldV2Query(_, tail, bytes) = message {
        let bytes = bytes.get(..usize::from(tail.num_sources.get()) * 16)?;
        // A General Query names no sources (section 5.1.10); any are ignored.
        if group.is_some() {
            sources = bytes
                .chunks_exact(16)
                .filter_map(|a| <[u8; 16]>::try_from(a).ok().map(Ipv6Addr))
                .collect();
        }
    }
    Some(Query {
        group,
        sources,
        max_response: max_response_delay(v1.max_response.get()),
        robustness,
        older_version,
    })
}

/// Builds the MLDv1 (RFC 2710 section 3) message for `record` while an MLDv1 querier is
/// present: a Multicast Listener Report sent to the group itself for a join or a current
/// state, a Done sent to all-routers (ff02::2) for a leave. Hop limit 1 and the Router
/// Alert, as for MLDv2.
///
/// ```
/// use zerocast_stack::ipv6::mld::build_v1_message;
/// use zerocast_stack::membership::{GroupRecord, CHANGE_TO_INCLUDE_MODE};
/// use zerocast_wire::{ipv6::Ipv6Packet, Ipv6Addr};
/// let group: Ipv6Addr = "ff05::7".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let done = build_v1_message(Ipv6Addr::UNSPECIFIED, &GroupRecord::new(CHANGE_TO_INCLUDE_MODE, group)).unwrap();
/// assert_eq!(Ipv6Packet::parse(&done[..]).unwrap().dst().to_string(), "ff02::2");
/// ```
#[must_use]
pub fn build_v1_message(src: Ipv6Addr, record: &GroupRecord<Ipv6Addr>) -> Option<Vec<u8>> {
    let body = MldV1::new(0, record.group);
    let (message, dst) = if record.record_type == crate::membership::CHANGE_TO_INCLUDE_MODE {
        (MldMessage::Done(body), super::ALL_ROUTERS)
    } else {
        (MldMessage::V1Report(body), record.group)
    };
    let pseudo = PseudoHeader::V6 { src, dst };
    let builder = MldBuilder::new(message, pseudo).ok()?;
    let ip = Ipv6Repr {
        extensions: &ROUTER_ALERT_HOP_BY_HOP,
        ..Ipv6Repr::new(src, dst, IpProto::HOP_BY_HOP, MLD_HOP_LIMIT)
    };
    let packet = builder
        .into_serializer()
        .wrap_in(ip.builder().ok()?)
        .serialize_vec_outer()
        .ok()?;
    Some(packet.as_ref().to_vec())
}

/// Builds the IPv6 packets of the report for `records`, from `src` (an assigned link-local
/// address, or `::` before one exists, RFC 9777 section 5.2.13) to ff02::16, at most
/// [`MAX_RECORDS_PER_REPORT`] records and [`MAX_RECORD_BYTES_PER_REPORT`] bytes of records
/// per packet (a record never spans two; its sources are bounded by
/// [`MAX_QUERY_SOURCES`](crate::membership::MAX_QUERY_SOURCES) and
/// [`MAX_SOURCES`](crate::membership::MAX_SOURCES), so it fits one).
///
/// ```
/// use zerocast_stack::ipv6::mld::build_reports;
/// use zerocast_stack::membership::{GroupRecord, CHANGE_TO_EXCLUDE_MODE};
/// use zerocast_wire::{ipv6::Ipv6Packet, Ipv6Addr};
/// let group: Ipv6Addr = "ff02::fb".parse::<core::net::Ipv6Addr>().unwrap().into();
/// let packets = build_reports(Ipv6Addr::UNSPECIFIED, &[GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, group)]);
/// let ip = Ipv6Packet::parse(&packets[0][..]).unwrap();
/// assert_eq!((ip.hop_limit(), ip.dst().to_string()), (1, "ff02::16".to_string()));
/// ```
#[must_use]
pub fn build_reports(src: Ipv6Addr, records: &[GroupRecord<Ipv6Addr>]) -> Vec<Vec<u8>> {
    crate::membership::chunk_records(
        records,
        MAX_RECORDS_PER_REPORT,
        |r| 20 + 16 * r.sources.len(),
        MAX_RECORD_BYTES_PER_REPORT,
    )
    .filter_map(|chunk| build_report(src, chunk))
    .collect()
}

fn build_report(src: Ipv6Addr, records: &[GroupRecord<Ipv6Addr>]) -> Option<Vec<u8>> {
    let reprs: Vec<MldV2RecordRepr<'_>> = records
        .iter()
        .map(|r| MldV2RecordRepr {
            record_type: r.record_type,
            group: r.group,
            sources: &r.sources,
            aux: &[],
        })
        .collect();
    let pseudo = PseudoHeader::V6 {
        src,
        dst: ALL_MLDV2_ROUTERS,
    };
    let report = MldBuilder::new(MldMessage::V2Report { records: &reprs }, pseudo).ok()?;
    let ip = Ipv6Repr {
        extensions: &ROUTER_ALERT_HOP_BY_HOP,
        ..Ipv6Repr::new(src, ALL_MLDV2_ROUTERS, IpProto::HOP_BY_HOP, MLD_HOP_LIMIT)
    };
    let packet = report
        .into_serializer()
        .wrap_in(ip.builder().ok()?)
        .serialize_vec_outer()
        .ok()?;
    Some(packet.as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::{CHANGE_TO_EXCLUDE_MODE, MODE_IS_EXCLUDE};
    use zerocast_wire::icmpv6::Icmpv6Packet;
    use zerocast_wire::ipv6::Ipv6Packet;
    use zerocast_wire::mld::MldV2QueryTail;
    use zerocast_wire::zerocast::byteorder::network_endian::U16;

    fn ip(s: &str) -> Ipv6Addr {
        s.parse::<core::net::Ipv6Addr>().unwrap().into()
    }

    #[test]
    fn report_goes_to_all_mldv2_routers_with_hop_limit_1_and_router_alert_9777_5() {
        let g = ip("ff02::1:ff00:1");
        let packets = build_reports(
            ip("fe80::1"),
            &[GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, g)],
        );
        assert_eq!(packets.len(), 1);
        let p = Ipv6Packet::parse(&packets[0][..]).unwrap();
        assert_eq!(p.hop_limit(), 1);
        assert_eq!(p.dst(), ALL_MLDV2_ROUTERS);
        let hbh = p.extension_headers().next().unwrap().unwrap();
        assert_eq!(
            hbh.options().next().unwrap().unwrap().router_alert(),
            Some(0)
        );
        let icmp = Icmpv6Packet::parse(p.payload(), p.pseudo_header()).unwrap();
        let Icmpv6Message::MldV2Report(_, mut records) = icmp.message() else {
            panic!("{:?}", icmp.message());
        };
        let r = records.next().unwrap().unwrap();
        assert_eq!(
            (r.header.record_type, r.header.group),
            (CHANGE_TO_EXCLUDE_MODE, g)
        );
        assert!(records.next().is_none());
    }

    #[test]
    fn many_records_are_split_to_fit_the_minimum_mtu_9777_5_2_15() {
        let records: Vec<_> = (0..130u16)
            .map(|i| {
                let mut g = ip("ff05::").0;
                g[14..].copy_from_slice(&i.to_be_bytes());
                GroupRecord::new(MODE_IS_EXCLUDE, Ipv6Addr(g))
            })
            .collect();
        let packets = build_reports(ip("fe80::1"), &records);
        assert_eq!(packets.len(), 3);
        assert!(packets.iter().all(|p| p.len() <= 1280));
    }

    #[test]
    fn max_response_code_float_format_9777_5_1_3() {
        assert_eq!(max_response_delay(0), Duration::ZERO);
        assert_eq!(max_response_delay(0x7fff), Duration::from_millis(32_767));
        // exp 7, mant 0xfff: 0x1fff << 10.
        assert_eq!(
            max_response_delay(0xffff),
            Duration::from_millis(0x1fff << 10)
        );
    }

    #[test]
    fn queries_from_non_link_local_sources_are_ignored_9777_6_2() {
        let q = MldV1::new(1000, Ipv6Addr::UNSPECIFIED);
        assert!(query_of(ip("2001:db8::1"), &Icmpv6Message::MldV1Query(&q)).is_none());
        assert!(query_of(ip("fe80::1"), &Icmpv6Message::MldV1Query(&q)).is_some());
    }

    #[test]
    fn v2_query_carries_group_and_robustness_9777_5_1() {
        let group = ip("ff05::2");
        let q = MldV1::new(2000, group);
        let tail = MldV2QueryTail {
            s_qrv: 3,
            qqic: 125,
            num_sources: U16::new(0),
        };
        let got = query_of(ip("fe80::1"), &Icmpv6Message::MldV2Query(&q, &tail, &[])).unwrap();
        assert_eq!(
            got,
            Query {
                group: Some(group),
                sources: Vec::new(),
                max_response: Duration::from_secs(2),
                robustness: 3,
                older_version: false
            }
        );
        let unicast_group = MldV1::new(2000, ip("2001:db8::1"));
        assert!(query_of(
            ip("fe80::1"),
            &Icmpv6Message::MldV2Query(&unicast_group, &tail, &[])
        )
        .is_none());
    }

    #[test]
    fn source_specific_query_keeps_its_sources_and_an_overrun_count_is_ignored_9777_5_1_10() {
        let group = ip("ff05::2");
        let q = MldV1::new(2000, group);
        let (s1, s2) = (ip("2001:db8::9"), ip("2001:db8::7"));
        let mut bytes = alloc::vec::Vec::new();
        bytes.extend_from_slice(&s1.0);
        bytes.extend_from_slice(&s2.0);
        let tail = |n: u16| MldV2QueryTail {
            s_qrv: 2,
            qqic: 125,
            num_sources: U16::new(n),
        };
        let got = query_of(
            ip("fe80::1"),
            &Icmpv6Message::MldV2Query(&q, &tail(2), &bytes),
        )
        .unwrap();
        assert_eq!((got.group, got.sources), (Some(group), alloc::vec![s1, s2]));
        assert!(query_of(
            ip("fe80::1"),
            &Icmpv6Message::MldV2Query(&q, &tail(3), &bytes)
        )
        .is_none());
        let general = MldV1::new(2000, Ipv6Addr::UNSPECIFIED);
        let got = query_of(
            ip("fe80::1"),
            &Icmpv6Message::MldV2Query(&general, &tail(1), &bytes),
        )
        .unwrap();
        assert_eq!((got.group, got.sources.len()), (None, 0));
    }

    #[test]
    fn is_include_records_carry_their_sources_and_reports_split_by_bytes_9777_5_2() {
        let g = ip("ff05::2");
        let s = ip("2001:db8::7");
        let full = GroupRecord {
            record_type: crate::membership::MODE_IS_INCLUDE,
            group: g,
            sources: alloc::vec![s; crate::membership::MAX_QUERY_SOURCES],
        };
        // 20 + 64 × 16 = 1044 bytes: one such record per report.
        let packets = build_reports(ip("fe80::1"), &[full.clone(), full]);
        assert_eq!(packets.len(), 2);
        assert!(packets.iter().all(|p| p.len() <= 1280));
        let p = Ipv6Packet::parse(&packets[0][..]).unwrap();
        let icmp = Icmpv6Packet::parse(p.payload(), p.pseudo_header()).unwrap();
        let Icmpv6Message::MldV2Report(_, mut records) = icmp.message() else {
            panic!("{:?}", icmp.message());
        };
        let r = records.next().unwrap().unwrap().repr();
        assert_eq!((r.record_type, r.group, r.sources.len()), (1, g, 64));
        assert!(r.sources.iter().all(|a| *a == s));
    }
}
