//! The receive→reply path of zerocast-stack and smoltcp 0.14, driven the same way: one
//! Ethernet frame in, the reply out, with the application's read and write for UDP echo.
pub mod frames;
pub mod goodput;
pub mod smol;
pub mod tcp_bulk;
pub mod tcp_conn;
pub mod zc;

#[cfg(test)]
mod tcp_tests {
    use super::goodput::{transfer, Contender};
    use super::tcp_bulk::{smol::SmolPair, ZcPair};
    use zerocast_stack::tcp::CongestionAlgorithm;
    use zerocast_stack::time::Duration;

    /// Every contender completes a 1 MB transfer over 50 ms RTT with 1 % loss on the
    /// FakeNetwork (the goodput harness checks the bytes it reads).
    #[test]
    fn goodput_harness_runs_every_contender() {
        for who in [
            Contender::Zerocast(CongestionAlgorithm::Cubic),
            Contender::Zerocast(CongestionAlgorithm::NewReno),
            Contender::Smoltcp { cubic: true },
            Contender::Smoltcp { cubic: false },
        ] {
            let g = transfer(who, Duration::from_millis(25), 0.01, 1 << 20, 1, Duration::from_secs(600));
            let g = g.unwrap_or_else(|| panic!("{} did not finish", who.name()));
            assert_eq!(g.bytes, 1 << 20);
            assert!(g.mbit_s() > 0.1, "{} {}", who.name(), g.mbit_s());
        }
    }

    /// Both pairs move 4 MB byte-exact (the pairs check every byte they read).
    #[test]
    fn both_pairs_transfer_byte_exact() {
        for alg in [CongestionAlgorithm::Cubic, CongestionAlgorithm::NewReno] {
            let mut zc = ZcPair::new(alg);
            zc.transfer(4 << 20);
            assert!(zc.read >= 4 << 20);
        }
        for cc in [smoltcp::socket::tcp::CongestionControl::Cubic, smoltcp::socket::tcp::CongestionControl::Reno] {
            let mut smol = SmolPair::new(cc);
            smol.transfer(4 << 20);
            assert!(smol.read >= 4 << 20);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoltcp_answers_both_requests_with_full_length_replies() {
        let mut smol = smol::SmolHost::new(&frames::arp_request());
        let icmp = frames::icmp_echo_request(56);
        let n = smol.icmp_echo(&icmp);
        assert_eq!(n, icmp.len(), "{:02x?} req {:02x?}", smol.device.tx, icmp);
        let udp = frames::udp_request(64);
        assert_eq!(smol.udp_echo(&udp), udp.len());
    }

    /// Both contenders must produce the same replies (modulo the IPv4 identification and
    /// checksum, which each stack chooses), or the benchmark compares different work.
    #[test]
    fn both_stacks_give_equivalent_replies() {
        let arp = frames::arp_request();
        let (mut smol, mut zc) = (smol::SmolHost::new(&arp), zc::ZcHost::new(&arp));
        for request in [frames::icmp_echo_request(56), frames::udp_request(64)] {
            let is_udp = request[23] == 17;
            let (a, b) = if is_udp {
                (smol.udp_echo(&request), zc.udp_echo(&request))
            } else {
                (smol.icmp_echo(&request), zc.icmp_echo(&request))
            };
            assert_eq!((a, b), (request.len(), request.len()));
            let (s, z) = (&smol.device.tx, &zc.bindings.tx);
            // Ethernet header, IPv4 addresses and everything above IP are identical.
            assert_eq!(s[..14], z[..14]);
            assert_eq!(s[26..34], z[26..34]);
            assert_eq!(s[34..], z[34..], "udp={is_udp}");
        }
    }
}
