//! The protocol hierarchy's path of a frame: the protocols tshark shows at the top level of
//! its tree, which is what `tshark -q -z io,phs` counts. It is the frame's protocol path with
//! tshark's differences applied:
//!
//! - `data` that tshark shows inside its parent's subtree is no step: an ICMP or ICMPv6
//!   echo's payload, an HTTP body or a segment continuing one;
//! - the unclaimed payload of a packet quoted inside an ICMP error is a top-level `data`
//!   after the error (the quoted IP and transport headers are nested in the ICMP subtree);
//! - each further DNS message of a TCP segment is a `dns` of its own;
//! - IGMP carrying PIM version 1 or DVMRP is `pim` or `dvmrp` alone;
//! - tshark names some layers by their variant: `wlan_radio` (the radio information it
//!   derives from radiotap) before `wlan`, `wlan.mgt` after a management frame's header,
//!   `pppoed` and `pppoes` for PPPoE discovery and session;
//! - a protocol whose dissector met the snapshot length's cut before tshark adds its item
//!   (tshark reads some bytes first) is no step;
//! - a frame that a dissector found malformed ends in `_ws.malformed`; one whose capture
//!   was cut by the snapshot length ends in `_ws.short` when a dissector wanted the missing
//!   bytes: every protocol but `data` (which shows what there is), unless its dissector
//!   said it finished before the cut (a message that ended, a payload tshark does not read),
//!   and `data` too when HTTP read it as a message body (tshark's "File Data" reads the
//!   body's whole length);
//! - a whole segment where tshark's read ran past the end (HTTP header lines running into
//!   an unfinished one) ends in `_ws.unreassembled`: tshark cannot ask for the next segment
//!   with reassembly off.
//!
//! Most frames need none of this, and [`tree_path`] says so after looking at the last step
//! and the hints, so counting them stays a compare on the packed path key.

use crate::fields::{FrameFields, Proto};

/// One step of the hierarchy: a protocol, or a name tshark shows that zcdump has no
/// protocol for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Proto(Proto),
    Named(&'static str),
}

impl Step {
    /// tshark's name of the step.
    pub fn name(self) -> &'static str {
        match self {
            Step::Proto(p) => p.name(),
            Step::Named(n) => n,
        }
    }
}

/// What a dissector tells the hierarchy about a frame where tshark's tree differs from
/// what the frame's path and fields say; given to
/// [`FrameFields::note_tree`](crate::fields::FrameFields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TreeNote {
    /// The innermost protocol's dissector read all it wanted before the captured bytes ran
    /// out (its message ended, or tshark reads no further): tshark calls a frame that the
    /// snapshot length cut short only when a read ran past the captured bytes. Entering a
    /// protocol afterwards undoes it.
    FinishedBeforeCut,
    /// The innermost protocol's dissector met the snapshot length's cut before the point
    /// where tshark adds the protocol to its tree (tshark reads some bytes first): the frame
    /// is short in the protocol's parent. Entering a protocol afterwards undoes it.
    CutBeforeItem,
    /// The frame's malformed record (which zcdump's text line and footer show) is an
    /// expert error to tshark, not an exception: the hierarchy has no `_ws.malformed`.
    ExpertNotMalformed,
    /// HTTP read the segment's bytes (also shown as `data`) as a message body over the
    /// segment's whole length, as tshark's "File Data" does: a cut frame is short even
    /// though its innermost protocol is `data`.
    BodyReadPastCut,
    /// The innermost protocol's dissector read past the end of a whole segment (HTTP
    /// header lines running into an unfinished one): tshark's read raises a bounds error
    /// that, with TCP reassembly off, it shows as `_ws.unreassembled`. A cut frame is short
    /// instead (the read met the cut first).
    Unreassembled,
    /// The `data` just entered is a protocol of its own in tshark's tree (an
    /// `application/octet-stream` body, which tshark's `data` dissector takes by media
    /// type), though its parent would show unclaimed bytes inside its own subtree.
    DataStep,
    /// The `data` just entered is shown inside its parent's subtree (the bytes after an
    /// HTTP message's body, inside HTTP's), whatever that parent is.
    DataNested,
    /// Bytes follow an HTTP message's body in its segment (a further message, or `data`):
    /// tshark's tree shows them under an `http` item of their own after the body's
    /// protocols, though its protocol list names `http` once. Entering a protocol
    /// afterwards does not undo it.
    FollowingMessage,
    /// The `data` just entered is a multipart body without its boundary parameter:
    /// tshark's multipart dissector gives up and the tree shows a `text` item with the
    /// `data` under it.
    MultipartWithoutBoundary,
}

/// What the hierarchy needs to know about a frame beyond its path, found by the walk over
/// its fields that also finds its conversations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TreeHints {
    /// A packet quoted inside an ICMP error had a payload no dissector claimed.
    pub quoted_data: bool,
    /// The (outer) 802.11 frame is a management frame.
    pub wlan_mgt: bool,
    /// The (outer) PPPoE header is a session header (code 0), not a discovery one.
    pub pppoe_session: bool,
    /// The capture kept fewer bytes than were on the wire.
    pub snapped: bool,
    /// DNS messages in one TCP segment (tshark shows each as a `dns` of its own).
    pub dns_in_tcp: u8,
    /// The innermost protocol's dissector read all it wanted within the captured bytes: a
    /// cut frame is short to tshark only when a read ran past them.
    pub finished: bool,
    /// The innermost protocol's dissector met the cut before tshark adds the protocol to
    /// its tree: the frame is short in the protocol's parent.
    pub cut_before_item: bool,
    /// See [`TreeNote::ExpertNotMalformed`].
    pub expert_not_malformed: bool,
    /// The last protocol entered is inside a packet quoted by an ICMP error.
    pub in_quote: bool,
    /// See [`TreeNote::BodyReadPastCut`].
    pub body_past_cut: bool,
    /// See [`TreeNote::Unreassembled`].
    pub unreassembled: bool,
    /// See [`TreeNote::DataStep`].
    pub data_step: bool,
    /// See [`TreeNote::DataNested`].
    pub data_nested: bool,
    /// See [`TreeNote::FollowingMessage`].
    pub following_message: bool,
    /// See [`TreeNote::MultipartWithoutBoundary`].
    pub multipart_text: bool,
}

/// Whether tshark shows the unclaimed payload of `proto` inside `proto`'s own subtree.
fn nests_data(proto: Proto) -> bool {
    matches!(
        proto,
        Proto::Icmp | Proto::Icmpv6 | Proto::Http | Proto::MimeMultipart
    )
}

/// Whether the step after `proto` is a name of tshark's own, or `proto` is not shown.
fn renamed(proto: Proto) -> bool {
    matches!(
        proto,
        Proto::Radiotap | Proto::Wlan | Proto::Pppoe | Proto::Pim | Proto::Dvmrp
    )
}

/// Everything besides the protocol path that [`tree_path`] reads of frame `f`, packed in
/// one word: two frames with the same path and the same bits have the same hierarchy path,
/// so the tally can look a frame's up by these without building it.
#[inline]
pub(crate) fn tree_bits(f: &FrameFields, hints: &TreeHints) -> u64 {
    u64::from(hints.quoted_data)
        | u64::from(hints.wlan_mgt) << 1
        | u64::from(hints.pppoe_session) << 2
        | u64::from(hints.snapped) << 3
        | u64::from(malformed(f, hints)) << 4
        | u64::from(hints.finished) << 5
        | u64::from(hints.cut_before_item) << 6
        | u64::from(hints.dns_in_tcp) << 8
        | u64::from(hints.body_past_cut) << 16
        | u64::from(hints.unreassembled) << 17
        | u64::from(hints.data_step) << 18
        | u64::from(hints.data_nested) << 19
        | u64::from(hints.following_message) << 20
        | u64::from(hints.multipart_text) << 21
}

/// Whether tshark shows frame `f` as malformed (not merely short).
fn malformed(f: &FrameFields, hints: &TreeHints) -> bool {
    // A header the snapshot length cut short is malformed to zerocast-wire ("truncated") but
    // short to tshark, whose reads ran past the captured bytes, not past the frame.
    !hints.expert_not_malformed
        && f.malformed()
            .is_some_and(|m| !(hints.snapped && m.reason.starts_with("truncated")))
}

/// Whether tshark's hierarchy leaves frame `f` out altogether: a frame the snapshot length
/// cut inside a packet quoted by an ICMP error. tshark marks what it dissects inside the
/// quote as part of an error packet, and the exception at the cut skips the unmarking, so
/// the frame's tap record is flagged as an error packet, which the hierarchy does not count
/// (its conversations, recorded before the quote, still count).
pub(crate) fn uncounted(f: &FrameFields, hints: &TreeHints) -> bool {
    hints.snapped
        && hints.in_quote
        && !hints.finished
        && !malformed(f, hints)
        && f.path().last() != Some(&Proto::Data)
}

/// Writes into `tree` the hierarchy path of frame `f` and returns true, or returns false
/// when it is the frame's protocol path itself (then `tree` is not touched).
pub(crate) fn tree_path(f: &FrameFields, hints: &TreeHints, tree: &mut Vec<Step>) -> bool {
    let path = f.path();
    let last_nests = match path {
        [.., Proto::Data] if hints.multipart_text => false,
        [.., parent, Proto::Data] => (nests_data(*parent) || hints.data_nested) && !hints.data_step,
        _ => false,
    };
    let malformed = malformed(f, hints);
    let short = hints.snapped
        && !malformed
        && !hints.finished
        && (path.last() != Some(&Proto::Data) || hints.body_past_cut);
    let unreassembled = hints.unreassembled && !hints.snapped && !malformed;
    // Only a cut frame can have been cut before an item.
    let hidden = hints.cut_before_item && hints.snapped && !malformed;
    let multipart_parts_at = path
        .iter()
        .position(|p| *p == Proto::MimeMultipart)
        .filter(|_| !hints.multipart_text)
        .map(|at| at + 1)
        .filter(|at| *at < path.len());
    let differs = multipart_parts_at.is_some()
        || last_nests
        || short
        || unreassembled
        || hidden
        || hints.quoted_data
        || malformed
        || hints.dns_in_tcp > 1
        || hints.following_message
        || hints.multipart_text
        || path.iter().any(|&p| renamed(p));
    if !differs {
        return false;
    }
    tree.clear();
    let steps = if last_nests || hidden {
        &path[..path.len().saturating_sub(1)]
    } else {
        path
    };
    // A multipart body's parts are items inside its own subtree, whatever they are.
    let steps = match multipart_parts_at {
        Some(at) if at < steps.len() => &steps[..at],
        _ => steps,
    };
    for (i, &p) in steps.iter().enumerate() {
        match p {
            // An IGMP message of PIM version 1 or DVMRP is PIM's or DVMRP's alone in
            // tshark's tree.
            Proto::Igmp if matches!(steps.get(i + 1), Some(&(Proto::Pim | Proto::Dvmrp))) => {}
            Proto::Pppoe if hints.pppoe_session => tree.push(Step::Named("pppoes")),
            Proto::Pppoe => tree.push(Step::Named("pppoed")),
            Proto::Data if hints.multipart_text && i + 1 == steps.len() => {
                tree.push(Step::Named("text"));
                tree.push(Step::Proto(p));
            }
            _ => tree.push(Step::Proto(p)),
        }
        match p {
            Proto::Radiotap if path.contains(&Proto::Wlan) => {
                tree.push(Step::Named("wlan_radio"));
            }
            Proto::Wlan if hints.wlan_mgt => tree.push(Step::Named("wlan.mgt")),
            Proto::Dns => {
                for _ in 1..hints.dns_in_tcp {
                    tree.push(Step::Proto(Proto::Dns));
                }
            }
            _ => {}
        }
    }
    if hints.quoted_data {
        tree.push(Step::Proto(Proto::Data));
    }
    if hints.following_message {
        tree.push(Step::Proto(Proto::Http));
    }
    if malformed {
        tree.push(Step::Named("_ws.malformed"));
    } else if short {
        tree.push(Step::Named("_ws.short"));
    } else if unreassembled {
        tree.push(Step::Named("_ws.unreassembled"));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_of(path: &[Proto], hints: TreeHints) -> Vec<&'static str> {
        let mut f = FrameFields::default();
        for &p in path {
            f.enter(p);
        }
        let mut tree = Vec::new();
        if tree_path(&f, &hints, &mut tree) {
            tree.iter().map(|s| s.name()).collect()
        } else {
            path.iter().map(|p| p.name()).collect()
        }
    }

    #[test]
    fn nested_data_is_no_step_and_quoted_data_is_one() {
        let none = TreeHints::default();
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Icmp, Proto::Data], none),
            ["eth", "ip", "icmp"]
        );
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Data], none),
            ["eth", "ip", "udp", "data"]
        );
        let quoted = TreeHints {
            quoted_data: true,
            ..none
        };
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Icmp], quoted),
            ["eth", "ip", "icmp", "data"]
        );
    }

    #[test]
    fn an_http_body_read_past_the_cut_is_short_and_an_unfinished_header_unreassembled() {
        let http_data = [Proto::Eth, Proto::Ip, Proto::Tcp, Proto::Http, Proto::Data];
        let body = TreeHints {
            body_past_cut: true,
            snapped: true,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&http_data, body),
            ["eth", "ip", "tcp", "http", "_ws.short"]
        );
        // The body note alone, on a whole frame, changes nothing.
        let whole_body = TreeHints {
            snapped: false,
            ..body
        };
        assert_eq!(
            tree_of(&http_data, whole_body),
            ["eth", "ip", "tcp", "http"]
        );
        let http = [Proto::Eth, Proto::Ip, Proto::Tcp, Proto::Http];
        let unfinished = TreeHints {
            unreassembled: true,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&http, unfinished),
            ["eth", "ip", "tcp", "http", "_ws.unreassembled"]
        );
        // Cut: the read met the cut first.
        let cut = TreeHints {
            snapped: true,
            ..unfinished
        };
        assert_eq!(
            tree_of(&http, cut),
            ["eth", "ip", "tcp", "http", "_ws.short"]
        );
        // The bits tell the tally the hierarchy differs.
        let f = FrameFields::default();
        assert_ne!(
            tree_bits(&f, &body),
            tree_bits(
                &f,
                &TreeHints {
                    body_past_cut: false,
                    ..body
                }
            )
        );
        assert_ne!(
            tree_bits(&f, &unfinished),
            tree_bits(&f, &TreeHints::default())
        );
    }

    /// Answered by tshark 4.0.17 (app-http-bodies.pcap's hierarchy).
    #[test]
    fn http_bodies_place_their_data_and_parts_as_tshark_does() {
        let none = TreeHints::default();
        let http = [Proto::Eth, Proto::Ip, Proto::Tcp, Proto::Http];
        let with = |more: &[Proto]| [&http[..], more].concat();
        // An untyped body's data is inside HTTP; an octet-stream one a layer of its own.
        assert_eq!(tree_of(&with(&[Proto::Data]), none).len(), 4);
        let step = TreeHints {
            data_step: true,
            ..none
        };
        assert_eq!(tree_of(&with(&[Proto::Data]), step)[4], "data");
        // Bytes after a body: an http of their own, their data inside it.
        let following = TreeHints {
            following_message: true,
            data_nested: true,
            ..none
        };
        assert_eq!(
            tree_of(&with(&[Proto::DataTextLines, Proto::Data]), following)[4..],
            ["data-text-lines", "http"]
        );
        // A multipart body's parts stay inside it; without a boundary it is text and data.
        assert_eq!(
            tree_of(&with(&[Proto::MimeMultipart, Proto::DataTextLines]), none)[4..],
            ["mime_multipart"]
        );
        let text = TreeHints {
            multipart_text: true,
            ..none
        };
        assert_eq!(tree_of(&with(&[Proto::Data]), text)[4..], ["text", "data"]);
    }

    #[test]
    fn cut_frames_end_short_unless_only_data_was_cut() {
        let snapped = TreeHints {
            snapped: true,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Dns], snapped),
            ["eth", "ip", "udp", "dns", "_ws.short"]
        );
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Data], snapped),
            ["eth", "ip", "udp", "data"]
        );
        let finished = TreeHints {
            finished: true,
            ..snapped
        };
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Find], finished),
            ["eth", "ip", "udp", "find"]
        );
        let before_item = TreeHints {
            cut_before_item: true,
            ..snapped
        };
        assert_eq!(
            tree_of(
                &[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Dhcp],
                before_item
            ),
            ["eth", "ip", "udp", "_ws.short"]
        );
        // Not cut: the hint cannot apply.
        let whole = TreeHints {
            snapped: false,
            ..before_item
        };
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Ip, Proto::Udp, Proto::Dhcp], whole),
            ["eth", "ip", "udp", "dhcp"]
        );
    }

    #[test]
    fn a_frame_cut_inside_a_quoted_packet_is_not_counted() {
        let mut f = FrameFields::default();
        for p in [Proto::Eth, Proto::Ipv6, Proto::Icmpv6] {
            f.enter(p);
        }
        let cut = TreeHints {
            snapped: true,
            in_quote: true,
            ..TreeHints::default()
        };
        f.enter(Proto::Ipv6);
        assert!(uncounted(&f, &cut));
        // Not cut, or cut outside the quote: counted.
        assert!(!uncounted(
            &f,
            &TreeHints {
                snapped: false,
                ..cut
            }
        ));
        assert!(!uncounted(
            &f,
            &TreeHints {
                in_quote: false,
                ..cut
            }
        ));
        // The quoted packet's unclaimed payload is shown as it is: not short, counted.
        f.enter(Proto::Data);
        assert!(!uncounted(&f, &cut));
    }

    #[test]
    fn radio_and_pppoe_steps_take_tsharks_names() {
        let mgt = TreeHints {
            wlan_mgt: true,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&[Proto::Radiotap, Proto::Wlan], mgt),
            ["radiotap", "wlan_radio", "wlan", "wlan.mgt"]
        );
        let session = TreeHints {
            pppoe_session: true,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Pppoe], session),
            ["eth", "pppoes"]
        );
        assert_eq!(
            tree_of(&[Proto::Eth, Proto::Pppoe], TreeHints::default()),
            ["eth", "pppoed"]
        );
        let two = TreeHints {
            dns_in_tcp: 2,
            ..TreeHints::default()
        };
        assert_eq!(
            tree_of(&[Proto::Ip, Proto::Tcp, Proto::Dns], two),
            ["ip", "tcp", "dns", "dns"]
        );
    }

    #[test]
    fn igmp_carrying_pim_version_1_or_dvmrp_is_that_alone() {
        assert_eq!(
            tree_of(&[Proto::Ip, Proto::Igmp, Proto::Pim], TreeHints::default()),
            ["ip", "pim"]
        );
        assert_eq!(
            tree_of(
                &[Proto::Ip, Proto::Igmp, Proto::Dvmrp],
                TreeHints::default()
            ),
            ["ip", "dvmrp"]
        );
    }
}
