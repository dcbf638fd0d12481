//! One direction of a followed TCP stream put back in sequence order, as tshark's follow
//! does it: the first segment (its SYN counts one) fixes where the data starts; bytes
//! already delivered are dropped (a retransmission delivers only what is new), and a
//! segment beyond the next expected number waits until the gap before it is filled.
//! Sequence numbers compare modulo 2^32.

/// Segments waiting for a gap to close are kept up to this many bytes per direction; past
/// it the oldest waiting segment is dropped, so a capture that never fills a gap costs
/// bounded memory.
const MAX_WAITING_BYTES: usize = 16 << 20;

fn after(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

/// One direction's state.
#[derive(Debug, Default)]
pub(super) struct Reassembly {
    /// The next sequence number to deliver (`None` before the first segment).
    next: Option<u32>,
    /// Segments beyond a gap: sequence number, length on the wire, captured bytes.
    waiting: Vec<(u32, u32, Vec<u8>)>,
    waiting_bytes: usize,
}

impl Reassembly {
    /// Takes one segment of `len` bytes on the wire, `payload` of them captured (a
    /// snapshot length may cut it), and calls `deliver` with each piece now in order.
    pub(super) fn segment(
        &mut self,
        seq: u32,
        flags: u16,
        len: u32,
        payload: &[u8],
        deliver: &mut dyn FnMut(&[u8]),
    ) {
        let syn = flags & 0x02 != 0;
        let start = if syn { seq.wrapping_add(1) } else { seq };
        let next = *self.next.get_or_insert(start);
        if len == 0 {
            return;
        }
        if after(start, next) {
            self.wait(start, len, payload);
            return;
        }
        self.take(start, len, payload, deliver);
        self.drain(deliver);
    }

    /// Delivers the captured part of the segment at `start` (not after the next expected
    /// number) that is new, and moves past its `len` bytes.
    fn take(&mut self, start: u32, len: u32, payload: &[u8], deliver: &mut dyn FnMut(&[u8])) {
        let Some(next) = self.next else { return };
        let seen = next.wrapping_sub(start);
        if seen >= len {
            return;
        }
        if let Some(new) = payload.get(seen as usize..).filter(|n| !n.is_empty()) {
            deliver(new);
        }
        self.next = Some(start.wrapping_add(len));
    }

    /// Delivers waiting segments that the delivered bytes reached, in sequence order.
    fn drain(&mut self, deliver: &mut dyn FnMut(&[u8])) {
        loop {
            let Some(next) = self.next else { return };
            let Some(i) = self
                .waiting
                .iter()
                .enumerate()
                .filter(|(_, (s, _, _))| !after(*s, next))
                .min_by_key(|(_, (s, _, _))| next.wrapping_sub(*s))
                .map(|(i, _)| i)
            else {
                return;
            };
            let (start, len, bytes) = self.waiting.remove(i);
            self.waiting_bytes -= bytes.len();
            self.take(start, len, &bytes, deliver);
        }
    }

    fn wait(&mut self, start: u32, len: u32, payload: &[u8]) {
        self.waiting.push((start, len, payload.to_vec()));
        self.waiting_bytes += payload.len();
        while self.waiting_bytes > MAX_WAITING_BYTES && !self.waiting.is_empty() {
            let (_, _, dropped) = self.waiting.remove(0);
            self.waiting_bytes -= dropped.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(segments: &[(u32, u16, &[u8])]) -> Vec<Vec<u8>> {
        let mut r = Reassembly::default();
        let mut out = Vec::new();
        for (seq, flags, payload) in segments {
            let len = payload.len() as u32;
            r.segment(*seq, *flags, len, payload, &mut |b| out.push(b.to_vec()));
        }
        out
    }

    #[test]
    fn retransmissions_deliver_only_new_bytes_and_gaps_wait() {
        let got = run(&[
            (100, 0x02, b""),
            (101, 0x18, b"ab"),
            (101, 0x18, b"abcd"), // overlaps: "cd" is new
            (107, 0x18, b"gh"),   // beyond a gap: waits
            (105, 0x18, b"ef"),   // fills it: "ef" then "gh"
            (105, 0x18, b"ef"),   // old: nothing
        ]);
        assert_eq!(
            got,
            vec![
                b"ab".to_vec(),
                b"cd".to_vec(),
                b"ef".to_vec(),
                b"gh".to_vec()
            ]
        );
    }

    #[test]
    fn a_cut_segment_delivers_its_captured_bytes_and_moves_past_all_of_them() {
        let mut r = Reassembly::default();
        let mut out = Vec::new();
        r.segment(1, 0x18, 10, b"abc", &mut |b| out.push(b.to_vec()));
        r.segment(11, 0x18, 2, b"kl", &mut |b| out.push(b.to_vec()));
        assert_eq!(out, vec![b"abc".to_vec(), b"kl".to_vec()]);
    }

    #[test]
    fn numbers_wrap_around() {
        let got = run(&[(u32::MAX - 1, 0x10, b"ab"), (0, 0x10, b"cd")]);
        assert_eq!(got, vec![b"ab".to_vec(), b"cd".to_vec()]);
    }
}
