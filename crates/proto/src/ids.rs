//! Record ids: UUIDv7 newtypes, generated on the device that creates the record.
//!
//! UUIDv7 sorts by creation time, so ids double as a creation clock and keep SQLite's primary-key
//! B-tree appends local. Each record kind has its own type so that the compiler refuses a phone id
//! where a customer id is expected. Across IPC and in SQLite they are plain strings.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// An id that cannot name a record (not a UUID): `what` kind of record, and the id as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownId {
    pub what: &'static str,
    pub id: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new() -> Self {
                Self(Uuid::now_v7().to_string())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Accepts only a well-formed UUID, so an unknown id from the UI is a clean
            /// "not found" and never a SQL surprise.
            pub fn parse(s: &str) -> Option<Self> {
                Uuid::parse_str(s).ok().map(|u| Self(u.to_string()))
            }
            /// The id as given, or `NotFound` when it is not even a UUID: an id from the UI that
            /// cannot name a record is simply a record that does not exist.
            pub fn checked(&self) -> Result<Self, UnknownId> {
                Self::parse(self.as_str()).ok_or_else(|| UnknownId { what: $what, id: self.0.clone() })
            }
            /// Creation time in milliseconds, read back from the UUIDv7 timestamp.
            pub fn created_ms(&self) -> Option<u64> {
                let u = Uuid::parse_str(&self.0).ok()?;
                let (secs, nanos) = u.get_timestamp()?.to_unix();
                Some(secs * 1000 + u64::from(nanos) / 1_000_000)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A company or a person.
    CustomerId,
    "customer"
);
id_type!(
    /// A phone, email or address row of a customer.
    ContactPointId,
    "contact point"
);
id_type!(
    /// A custom field the user defined.
    FieldId,
    "custom field"
);
id_type!(
    /// A saved customer filter.
    SegmentId,
    "segment"
);
id_type!(
    /// A file attached to a customer.
    AttachmentId,
    "attachment"
);

id_type!(
    /// A call, visit, meeting, email or note logged against a customer.
    ActivityId,
    "activity"
);

/// The random id this database was born with; it tells devices apart in clocks and history.
pub fn new_site_id() -> String {
    // 64 random bits are plenty to tell a team's devices apart and keep the change log compact.
    Uuid::new_v4().simple().to_string()[..16].to_string()
}

id_type!(
    /// A calendar event, or a whole recurring series.
    EventId,
    "event"
);
id_type!(
    /// Someone invited to an event.
    AttendeeId,
    "attendee"
);
id_type!(
    /// A to-do with a due date.
    TaskId,
    "task"
);

id_type!(
    /// A sales opportunity (a deal).
    OpportunityId,
    "opportunity"
);
id_type!(
    /// A product or service in the catalogue.
    ProductId,
    "product"
);
id_type!(
    /// One version of a quote.
    QuoteId,
    "quote"
);
id_type!(
    /// A line of a quote.
    QuoteLineId,
    "quote line"
);
id_type!(
    /// A contract.
    ContractId,
    "contract"
);
id_type!(
    /// One instalment of a contract's payment schedule.
    InstalmentId,
    "instalment"
);

id_type!(
    /// A service ticket.
    TicketId,
    "ticket"
);
id_type!(
    /// A time a ticket waited on the customer.
    TicketPauseId,
    "ticket pause"
);
id_type!(
    /// A knowledge-base article.
    ArticleId,
    "article"
);
id_type!(
    /// A comment on a ticket.
    TicketCommentId,
    "ticket comment"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_uuid_v7_and_sort_by_creation() {
        let a = CustomerId::new();
        let b = CustomerId::new();
        assert_eq!(Uuid::parse_str(a.as_str()).unwrap().get_version_num(), 7);
        assert!(a < b);
        assert!(a.created_ms().unwrap() > 1_700_000_000_000);
    }

    #[test]
    fn parsing_refuses_anything_but_a_uuid() {
        assert!(CustomerId::parse("x'; drop table customers; --").is_none());
        assert!(CustomerId::parse("").is_none());
        let id = CustomerId::new();
        assert_eq!(CustomerId::parse(id.as_str()), Some(id));
    }
}
