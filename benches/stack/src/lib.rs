//! The receive→reply path of zerocast-stack and smoltcp 0.14, driven the same way: one
//! Ethernet frame in, the reply out, with the application's read and write for UDP echo.
pub mod frames;
pub mod smol;
pub mod zc;

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
