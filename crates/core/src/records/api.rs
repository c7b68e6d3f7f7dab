//! The shared record features' calls, for any record type: `satchel.records()`. A module's own
//! API may offer them under its names too (`customers().attachments(id)`), calling these.

use super::{attachments, fields, trash, RecordRef};
use crate::error::{CoreError, Result};
use crate::ids::{AttachmentId, FieldId};
use crate::Satchel;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// A record as the window names it: its type's stored name (`"customer"`) and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordKey {
    pub record_type: String,
    pub id: String,
}

impl RecordKey {
    /// The record, when its type is one this build knows and its id could name a record: an
    /// unknown type is a field error; an id that is not a UUID names nothing (`NotFound`).
    pub fn checked(&self) -> Result<RecordRef> {
        let record = RecordRef::named(&self.record_type, self.id.trim())?;
        match uuid::Uuid::parse_str(&record.id) {
            Ok(u) => Ok(RecordRef { id: u.to_string(), ..record }),
            Err(_) => Err(CoreError::NotFound { what: record.kind.name, id: self.id.clone() }),
        }
    }
}

impl Satchel {
    /// What every record type shares: see [`Records`].
    pub fn records(&self) -> Records<'_> {
        Records { app: self }
    }
}

/// Attachments and the trash for a record of any type. Each writing call ends by telling the
/// modules what it touched (`Satchel::settle`).
pub struct Records<'a> {
    app: &'a Satchel,
}

impl Records<'_> {
    /// A record that exists here (live or in the trash), else `NotFound`.
    pub fn require(&self, record: &RecordRef) -> Result<()> {
        let found: Option<i64> = self.app.store().read(|c| {
            Ok(c.prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", record.table().name))?
                .query_row([record.id.as_str()], |r| r.get(0))
                .optional()?)
        })?;
        found.map(|_| ()).ok_or_else(|| CoreError::NotFound { what: record.kind.name, id: record.id.clone() })
    }

    /// A record's live attachments, newest first.
    pub fn attachments(&self, record: &RecordRef) -> Result<Vec<attachments::Attachment>> {
        self.require(record)?;
        attachments::list(self.app.store(), record)
    }

    pub fn add_attachment(&self, record: &RecordRef, name: &str, bytes: &[u8]) -> Result<attachments::Attachment> {
        let added = attachments::add(self.app.store(), record, name, bytes)?;
        self.app.settle()?;
        Ok(added)
    }

    /// The stored file of a live attachment, for the system's viewer: fetched from the sync
    /// server first when its bytes are not on this computer yet (`sync::blobs::open`).
    pub fn attachment_path(&self, id: &AttachmentId) -> Result<std::path::PathBuf> {
        crate::sync::blobs::open(self.app, id)
    }

    pub fn delete_attachment(&self, id: &AttachmentId) -> Result<()> {
        attachments::delete(self.app.store(), id)?;
        self.app.settle()
    }

    pub fn restore_attachment(&self, id: &AttachmentId) -> Result<attachments::Attachment> {
        let restored = attachments::restore(self.app.store(), id)?;
        self.app.settle()?;
        Ok(restored)
    }

    /// What is in a record type's trash, most recently deleted first.
    /// A record's field history, newest first.
    pub fn history(&self, record: &RecordRef, limit: u32) -> Result<Vec<super::history::HistoryEntry>> {
        self.require(record)?;
        super::history::of(self.app.store(), record, None, limit.clamp(1, 1000))
    }

    /// A record type's live custom fields, in order (deals, quotes and contracts have theirs as
    /// customers do).
    pub fn custom_fields(&self, record_type: &str) -> Result<Vec<fields::CustomField>> {
        fields::list(self.app.store(), super::known_type(record_type)?)
    }

    pub fn create_custom_field(&self, record_type: &str, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        let kind = super::known_type(record_type)?;
        let id = fields::create(self.app.store(), kind, input)?;
        self.app.settle()?;
        self.custom_field(&id)
    }

    /// Relabels a field of any type, adds or renames options; the kind cannot change.
    pub fn update_custom_field(&self, id: &FieldId, input: &fields::CustomFieldInput) -> Result<fields::CustomField> {
        fields::update(self.app.store(), id, input)?;
        self.after_field_change(id)?;
        self.custom_field(id)
    }

    /// How many live records hold a value for the field (asked before removing it).
    pub fn custom_field_usage(&self, id: &FieldId) -> Result<u32> {
        fields::usage(self.app.store(), id)
    }

    /// Hides a field; its values stay stored and in history.
    pub fn remove_custom_field(&self, id: &FieldId) -> Result<()> {
        fields::remove(self.app.store(), id)?;
        self.after_field_change(id)
    }

    pub fn restore_custom_field(&self, id: &FieldId) -> Result<fields::CustomField> {
        fields::restore(self.app.store(), id)?;
        self.after_field_change(id)?;
        self.custom_field(id)
    }

    fn custom_field(&self, id: &FieldId) -> Result<fields::CustomField> {
        self.app.store().read(|c| fields::get_in(c, id))?.ok_or_else(|| CoreError::NotFound { what: "custom field", id: id.to_string() })
    }

    /// Customer search reads custom values by their field's scope: a changed customer field
    /// rebuilds it. Other types read their values per record, so only the change is told.
    fn after_field_change(&self, id: &FieldId) -> Result<()> {
        self.app.settle()?;
        if fields::type_of(self.app.store(), id)?.name == crate::customers::CUSTOMER.name {
            self.app.customers().reload()?;
        }
        Ok(())
    }

    pub fn trash(&self, record_type: &str, limit: u32) -> Result<Vec<trash::Trashed>> {
        trash::list(self.app.store(), super::known_type(record_type)?, limit)
    }
}
