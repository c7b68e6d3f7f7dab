//! Record ids: UUIDv7 newtypes, generated on the device that creates the record. They are defined
//! in the protocol crate (the server reads them too); this module lets the core's code name them
//! as before and turns an id that names nothing into a plain "not found".

pub use satchel_proto::ids::*;

impl From<UnknownId> for crate::error::CoreError {
    fn from(e: UnknownId) -> Self {
        crate::error::CoreError::NotFound { what: e.what, id: e.id }
    }
}
