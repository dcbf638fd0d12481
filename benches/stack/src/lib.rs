//! The receive→reply path of zerocast-stack and smoltcp 0.14, driven the same way: one
//! Ethernet frame in, the reply out, with the application's read and write for UDP echo.
pub mod frames;
pub mod smol;

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
}
