//! satchel-proto: what a Satchel laptop and `satchel-server` must agree on, and nothing else.
//!
//! - [`ids`]: record ids (UUIDv7 newtypes) and site ids;
//! - [`hlc`]: the hybrid logical clock every change is stamped with;
//! - [`schema`]: the synced tables, their columns, and the scope each table declares (a root
//!   record with an owner and a visibility, a child of another table, or team-wide), with the
//!   definitions themselves in [`tables`], one file per module;
//! - [`records`]: the record types (a customer, later an event or a quote) the shared record
//!   features serve, and the parts each record has;
//! - [`wire`]: the JSON the two sides exchange.
//!
//! The core (domain and local store) and the server both build on this crate; the server does
//! not build the core, so what a module adds there (PDF, money, calendar crates) stays out of it.

pub mod hlc;
pub mod ids;
pub mod records;
mod registry;
pub mod schema;
pub mod tables;
pub mod wire;
