//! `xml`: a message body of an XML media type. tshark's XML dissector takes any bytes it is
//! handed (a body that is not XML at all is still `xml`), so zcdump records the protocol
//! without reading the document; its tags and attributes are not declared as fields.

use crate::fields::declare_fields;

declare_fields! {
    proto: Xml, name: "xml",
}
