//! `media`: a message body whose media type no dissector takes (or whose dissector refused
//! it, as a PNG body without the PNG signature), shown by tshark as opaque bytes of that
//! type. Its one field (`media.type`) is not declared here; zcdump records the protocol.

use crate::fields::declare_fields;

declare_fields! {
    proto: Media, name: "media",
}
