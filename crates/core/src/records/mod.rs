//! What every record type shares, keyed by record type rather than by customer. Today: the import
//! plumbing (`import`: encodings, CSV tables, refused rows). Attachments, custom fields, saved
//! views, the timeline with field history and lost values, and trash move here from
//! `customers/` next (see docs/architecture.md).

pub mod import;
