//! The service module (tickets, SLAs, the knowledge base), built up in steps. Here so far:
//!
//! - `sla.rs`: business time, pure: a team's hours, holidays and extra working days, a ticket's
//!   first-response and resolution due times with the clock stopped while it waits on the
//!   customer, and where a target stands (met, missed, paused, running, soon).

pub mod sla;
