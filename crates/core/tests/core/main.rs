//! Integration tests of satchel-core on real SQLite files in temp dirs, one module per area.

mod activities;
mod customers;
mod fixtures;
mod merge;
mod replay;
mod store;
mod transfer;
