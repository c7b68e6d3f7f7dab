//! Integration tests of satchel-core on real SQLite files in temp dirs, one module per area.

mod activities;
mod attachments;
mod backup;
mod calendar;
mod customers;
mod fields;
mod fixtures;
mod fuzz;
mod ics;
mod lean;
mod merge;
mod reminders;
mod replay;
mod sales;
mod search;
mod segments;
mod service;
mod snapshot;
mod store;
mod sync;
mod transfer;
mod upgrade;
