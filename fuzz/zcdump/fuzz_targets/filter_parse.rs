//! Fuzzes the `-Y` filter parser: any text must parse or give a positioned error (never a
//! panic or a stack overflow); an accepted filter must print as text that parses back to the
//! same filter, and must evaluate without panicking on a frame made of the same bytes.
#![no_main]

use zcdump::capture::{LinkType, Packet};
use zcdump::dissect::dissect;
use zcdump::fields::FrameFields;
use zcdump::filter::Filter;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let filter = match Filter::parse(&text) {
        Ok(filter) => filter,
        Err(e) => {
            assert!(e.position() <= text.len());
            let _ = e.to_string();
            return;
        }
    };
    let printed = filter.to_string();
    let again = Filter::parse(&printed).expect("a printed filter parses");
    assert_eq!(again.to_string(), printed);
    let packet = Packet {
        ts_sec: 0,
        ts_nsec: 0,
        orig_len: data.len() as u32,
        link_type: LinkType::Ethernet,
        data,
    };
    let mut fields = FrameFields::default();
    dissect(&packet, 1, &mut fields);
    assert_eq!(
        filter.matches_packet(&fields, &packet),
        again.matches_packet(&fields, &packet)
    );
});
