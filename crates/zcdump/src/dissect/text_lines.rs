//! `data-text-lines`: a message body of a text media type (`text/plain`, `text/html`, ...),
//! which tshark shows line by line; also what follows a JSON body that is not JSON. Its
//! lines are not fields, so zcdump records the protocol alone.

use crate::fields::declare_fields;

declare_fields! {
    proto: DataTextLines, name: "data-text-lines",
}
