//! Which dissector tshark 4.0 hands an HTTP message body to, by the message's media type
//! (RFC 9110 8.3.1: `type/subtype` compared without regard to case, parameters after `;`
//! left out). The table holds the types whose answer was checked on tshark 4.0.17; a type
//! it does not hold is `media`, as it is to tshark unless one of its many other
//! dissectors claims the type (those zcdump does not decode are listed in
//! [`NOT_DECODED`]).

/// What a body of some media type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyKind {
    /// No `Content-Type`: HTTP shows the body as `data` inside its own tree.
    Untyped,
    /// `application/octet-stream`: tshark's `data` dissector, registered for the type, so a
    /// layer of its own in the protocol hierarchy.
    OctetStream,
    /// `data-text-lines`.
    TextLines,
    /// `xml`.
    Xml,
    /// `json` (then `data-text-lines` when the body is not JSON).
    Json,
    /// `mime_multipart`.
    Multipart,
    /// `png` when the body has the PNG signature, else `media`.
    Png,
    /// `urlencoded-form`.
    Form,
    /// `media`: no dissector takes the type.
    Media,
    /// A dissector of tshark's that zcdump does not have: the body is not decoded.
    NotDecoded,
}

/// Text types tshark shows line by line.
const TEXT_LINES: &[&str] = &[
    "text/plain",
    "text/html",
    "text/css",
    "text/javascript",
    "application/x-javascript",
    "text/richtext",
    "text/enriched",
    "text/vnd.sun.j2me.app-descriptor",
];

/// XML types tshark's XML dissector registers (those checked; an XML type it does not
/// register, such as `application/xhtml+xml`, is `media`).
const XML: &[&str] = &[
    "application/xml",
    "text/xml",
    "image/svg+xml",
    "application/soap+xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml-dtd",
    "application/rdf+xml",
    "application/xslt+xml",
    "application/mathml+xml",
    "application/vnd.wv.csp+xml",
    "application/pidf+xml",
    "application/reginfo+xml",
    "application/cpim-pidf+xml",
    "application/conference-info+xml",
    "application/resource-lists+xml",
    "application/watcherinfo+xml",
    "application/rlmi+xml",
    "application/vnd.3gpp.sms+xml",
    "application/xcap-error+xml",
    "application/xcap-caps+xml",
    "application/auth-policy+xml",
];

/// JSON types tshark's JSON dissector registers (`application/ld+json` and most other
/// `+json` types are `media`).
const JSON: &[&str] = &[
    "application/json",
    "application/senml+json",
    "application/sensml+json",
    "application/json-rpc",
    "application/jsonrequest",
    "application/dds-web+json",
    "application/vnd.oma.lwm2m+json",
    "application/problem+json",
    "application/merge-patch+json",
    "application/json-patch+json",
    "application/x-ndjson",
];

/// Multipart types tshark's MIME multipart dissector registers (those checked).
const MULTIPART: &[&str] = &[
    "multipart/mixed",
    "multipart/form-data",
    "multipart/related",
    "multipart/alternative",
    "multipart/byteranges",
    "multipart/signed",
];

/// Types another tshark dissector takes, which zcdump does not decode: the body shows
/// nothing past `http` in zcdump, where tshark names that dissector's protocol.
pub(super) const NOT_DECODED: &[&str] = &[
    "message/http",
    "application/dns-message",
    "application/ocsp-request",
    "application/ocsp-response",
    "application/pkix-cert",
    "application/pkix-crl",
    "application/pkcs7-mime",
    "application/sdp",
    "application/grpc",
    "application/x-amf",
    "application/mikey",
];

/// Image types whose tshark dissector takes a valid image (`image-jfif`, `image-gif`) and
/// refuses anything else, which is then `media`. zcdump does not check the images: a
/// body with the format's signature is not decoded, one without it is `media`.
const IMAGES: &[(&str, &[u8])] = &[
    ("image/jpeg", b"\xff\xd8\xff"),
    ("image/jpg", b"\xff\xd8\xff"),
    ("image/pjpeg", b"\xff\xd8\xff"),
    ("image/jfif", b"\xff\xd8\xff"),
    ("image/gif", b"GIF8"),
];

/// The `type/subtype` of a `Content-Type` value: what comes before its parameters,
/// without blanks around it.
fn media_type(value: &[u8]) -> &[u8] {
    value
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii()
}

/// The image signature a body of `Content-Type` value `value` needs to be decoded as an
/// image by tshark (see [`IMAGES`]), if its type is one of those.
pub(super) fn image_signature(value: &[u8]) -> Option<&'static [u8]> {
    let media = media_type(value);
    IMAGES
        .iter()
        .find(|(t, _)| media.eq_ignore_ascii_case(t.as_bytes()))
        .map(|(_, signature)| *signature)
}

/// The kind of body a message with `Content-Type` value `value` has (`None`: no such
/// header).
pub(super) fn body_kind(value: Option<&[u8]>) -> BodyKind {
    let Some(value) = value else {
        return BodyKind::Untyped;
    };
    let media = media_type(value);
    let is = |list: &[&str]| {
        list.iter()
            .any(|t| media.eq_ignore_ascii_case(t.as_bytes()))
    };
    if is(MULTIPART) {
        BodyKind::Multipart
    } else if media.eq_ignore_ascii_case(b"application/octet-stream") {
        BodyKind::OctetStream
    } else if media.eq_ignore_ascii_case(b"application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if media.eq_ignore_ascii_case(b"image/png") {
        BodyKind::Png
    } else if is(TEXT_LINES) {
        BodyKind::TextLines
    } else if is(XML) {
        BodyKind::Xml
    } else if is(JSON) {
        BodyKind::Json
    } else if is(NOT_DECODED) {
        BodyKind::NotDecoded
    } else {
        BodyKind::Media
    }
}

/// The value of parameter `name` (RFC 9110 5.6.6: `;` separated, name without regard to
/// case, the value a token or a quoted string) in a `Content-Type` value.
pub(super) fn parameter<'a>(value: &'a [u8], name: &str) -> Option<&'a [u8]> {
    value.split(|b| *b == b';').skip(1).find_map(|p| {
        let eq = p.iter().position(|b| *b == b'=')?;
        let (key, v) = (p[..eq].trim_ascii(), p[eq + 1..].trim_ascii());
        key.eq_ignore_ascii_case(name.as_bytes()).then(|| {
            v.strip_prefix(b"\"")
                .and_then(|q| q.strip_suffix(b"\""))
                .unwrap_or(v)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answered by tshark 4.0.17 (frame.protocols of a response with each type).
    #[test]
    fn types_go_where_tshark_sends_them() {
        use BodyKind::*;
        for (value, kind) in [
            (&b"text/plain"[..], TextLines),
            (b"Text/Plain", TextLines),
            (b"text/html; charset=utf-8", TextLines),
            (b"text/csv", Media),
            (b"application/javascript", Media),
            (b"application/x-javascript", TextLines),
            (b"image/svg+xml", Xml),
            (b"application/xhtml+xml", Media),
            (b"application/json;charset=utf-8", Json),
            (b"application/ld+json", Media),
            (b"multipart/form-data; boundary=XX", Multipart),
            (b"Multipart/Mixed", Multipart),
            (b"image/png", Png),
            (b"application/octet-stream", OctetStream),
            (b"application/x-www-form-urlencoded", Form),
            (b"application/unknown-thing", Media),
            (b"", Media),
            (b"text/", Media),
            (b"message/http", NotDecoded),
        ] {
            assert_eq!(
                body_kind(Some(value)),
                kind,
                "{}",
                String::from_utf8_lossy(value)
            );
        }
        assert_eq!(body_kind(None), Untyped);
    }

    /// tshark 4.0.17: `\xff\xd8abc` as image/jpeg and `zq{x}` as image/gif are `media`.
    #[test]
    fn images_without_their_signature_are_media() {
        assert_eq!(body_kind(Some(b"image/jpeg")), BodyKind::Media);
        assert_eq!(
            image_signature(b"Image/JPEG; q=1"),
            Some(&b"\xff\xd8\xff"[..])
        );
        assert!(!b"\xff\xd8abc".starts_with(image_signature(b"image/jpeg").unwrap()));
        assert_eq!(image_signature(b"image/gif"), Some(&b"GIF8"[..]));
        assert_eq!(image_signature(b"image/webp"), None);
    }

    #[test]
    fn parameters_are_found_by_name_and_unquoted() {
        let v = b"multipart/mixed; charset=x; Boundary=\"a b\"";
        assert_eq!(parameter(v, "boundary"), Some(&b"a b"[..]));
        assert_eq!(
            parameter(b"multipart/mixed;boundary=XX", "boundary"),
            Some(&b"XX"[..])
        );
        assert_eq!(parameter(b"multipart/mixed", "boundary"), None);
        assert_eq!(parameter(b"multipart/mixed; boundary", "boundary"), None);
    }
}
