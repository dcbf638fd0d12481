//! `urlencoded-form`: an HTML form's fields sent as the body of an HTTP message whose
//! `Content-Type` is `application/x-www-form-urlencoded` (the media type's name compared
//! without case and without its parameters, as tshark looks it up). tshark hands such a
//! body to its form dissector, which shows each `key=value` pair; zcdump shows the protocol
//! (its fields are not declared).
//!
//! The body is found and handed on by `http_body`; an empty body is no form.

use crate::fields::declare_fields;

declare_fields! {
    proto: UrlencodedForm, name: "urlencoded-form",
}

#[cfg(test)]
mod tests {
    use crate::fields::{FrameFields, Proto};

    /// Ethernet + IPv4 + TCP to port 8080 around `payload`.
    fn decode(payload: &[u8]) -> FrameFields {
        let mut frame = vec![2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 8, 0];
        let total = (40 + payload.len()) as u16;
        frame.extend_from_slice(&[0x45, 0]);
        frame.extend_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&[0, 1, 0, 0, 64, 6, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2]);
        frame.extend_from_slice(&[0xc3, 0x50, 0x1f, 0x90, 0, 0, 0, 1, 0, 0, 0, 1]);
        frame.extend_from_slice(&[0x50, 0x18, 0x20, 0, 0, 0, 0, 0]);
        frame.extend_from_slice(payload);
        crate::dissect::ethernet_frame(&frame, frame.len() as u32)
    }

    const HEAD: &[u8] = b"POST /f HTTP/1.1\r\nHost: h\r\n";

    fn request(headers: &[u8], body: &[u8]) -> FrameFields {
        decode(&[HEAD, headers, b"\r\n", body].concat())
    }

    #[test]
    fn a_form_body_follows_http_whatever_the_case_and_parameters() {
        let f = request(
            b"Content-Type: Application/X-WWW-Form-Urlencoded; charset=utf-8\r\n",
            b"a=1&b=2",
        );
        assert_eq!(f.path().last(), Some(&Proto::UrlencodedForm));
        assert_eq!(f.path()[f.path().len() - 2], Proto::Http);
    }

    #[test]
    fn no_form_without_the_type_or_without_a_body() {
        let other = request(b"Content-Type: text/plain\r\n", b"a=1");
        assert_eq!(other.path().last(), Some(&Proto::DataTextLines));
        let empty = request(b"Content-Type: application/x-www-form-urlencoded\r\n", b"");
        assert_eq!(empty.path().last(), Some(&Proto::Http));
        let zero = request(
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n",
            b"GET / HTTP/1.1\r\n",
        );
        assert!(!zero.path().contains(&Proto::UrlencodedForm));
    }
}
