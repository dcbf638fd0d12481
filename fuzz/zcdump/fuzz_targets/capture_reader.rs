//! Any byte string as a capture file: the reader must return packets or a typed error,
//! never panic, and never hand out a packet larger than the record limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcdump::capture::{CaptureReader, MAX_CAPLEN};
use zcdump::dissect::dissect;
use zcdump::fields::FrameFields;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = CaptureReader::open(data) else {
        return;
    };
    let mut fields = FrameFields::default();
    let mut n = 0;
    while let Ok(Some(packet)) = reader.next_packet() {
        assert!(packet.data.len() <= MAX_CAPLEN as usize);
        assert!(packet.ts_nsec < 1_000_000_000);
        n += 1;
        fields.clear();
        dissect(&packet, n, &mut fields);
    }
});
