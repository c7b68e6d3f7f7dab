//! What travels between a laptop and `satchel-server`, as JSON. Both sides use these types, so
//! the protocol has one definition.

use serde::{Deserialize, Serialize};

/// A team member's role: sales see their own and shared records; managers and owners see all of
/// their team's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Sales,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "manager" => Some(Self::Manager),
            "sales" => Some(Self::Sales),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Sales => "sales",
        }
    }

    /// Whether this role sees every record of the team, private ones included.
    pub fn sees_all(self) -> bool {
        matches!(self, Self::Owner | Self::Manager)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub team: String,
}

/// One column change. `hlc` is the packed hybrid logical clock ([`crate::hlc::Hlc::pack`]);
/// `entity` is the root record whose permissions the row falls under (`""` for team-wide rows
/// such as custom fields; see [`crate::schema::file_under`]), so the server can filter without
/// knowing the row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireChange {
    pub hlc: i64,
    pub site: String,
    pub table: String,
    pub row: String,
    pub column: String,
    pub value: serde_json::Value,
    #[serde(default)]
    pub entity: String,
}

impl WireChange {
    /// When this change sets the visibility of the root record it is filed under: whether the
    /// record is shared after it. Read from the table's declared scope, so the server's
    /// permission code names no table or column of its own.
    pub fn sets_shared(&self) -> Option<bool> {
        let t = crate::schema::table(&self.table)?;
        (t.is_visibility(&self.column) && self.row == self.entity).then(|| self.value.as_str() != Some(crate::schema::PRIVATE))
    }

    /// Whether this change sets who may see or who looks after the root record it is filed
    /// under: only its owner, a manager or the team's owner may make it.
    pub fn sets_access(&self) -> bool {
        crate::schema::table(&self.table)
            .is_some_and(|t| (t.is_visibility(&self.column) || t.is_owner(&self.column)) && self.row == self.entity)
    }

    /// Whether the record this change is filed under fits its table's declared scope: a root
    /// record's own changes are filed under itself, team-wide rows under no record. (A child row
    /// names its record through its parents; the server cannot see those from one change.)
    pub fn filing_fits(&self) -> bool {
        match crate::schema::table(&self.table).map(|t| t.scope()) {
            Some(crate::schema::Scope::Root { .. }) => self.entity == self.row,
            Some(crate::schema::Scope::Child { .. } | crate::schema::Scope::Record { .. }) => true,
            Some(crate::schema::Scope::Team) | None => self.entity.is_empty(),
        }
    }
}

/// A change as pulled, with the server's sequence number (the cursor clients page by). On the
/// wire it is one flat object (`seq` beside the change's fields), read through [`PulledFlat`]
/// and written field by field: serde's `flatten` buffers every field and was a tenth of a pull's
/// time, and `into` would copy every change before writing it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "PulledFlat")]
pub struct Pulled {
    pub seq: i64,
    pub change: WireChange,
}

impl Serialize for Pulled {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &self.change;
        let mut o = s.serialize_struct("Pulled", 8)?;
        o.serialize_field("seq", &self.seq)?;
        o.serialize_field("hlc", &c.hlc)?;
        o.serialize_field("site", &c.site)?;
        o.serialize_field("table", &c.table)?;
        o.serialize_field("row", &c.row)?;
        o.serialize_field("column", &c.column)?;
        o.serialize_field("value", &c.value)?;
        o.serialize_field("entity", &c.entity)?;
        o.end()
    }
}

#[derive(Deserialize)]
struct PulledFlat {
    seq: i64,
    hlc: i64,
    site: String,
    table: String,
    row: String,
    column: String,
    value: serde_json::Value,
    #[serde(default)]
    entity: String,
}

impl From<PulledFlat> for Pulled {
    fn from(f: PulledFlat) -> Self {
        Pulled {
            seq: f.seq,
            change: WireChange { hlc: f.hlc, site: f.site, table: f.table, row: f.row, column: f.column, value: f.value, entity: f.entity },
        }
    }
}

/// Who a site (a device's database) belongs to, so history can say who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub site: String,
    pub author: String,
    pub device: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// A name for the device, shown in other devices' history.
    pub device: String,
    /// The book has no number series yet (quote and contract numbers): hand it one.
    #[serde(default)]
    pub wants_series: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub user: User,
    /// Which server this is: cursors kept for one server mean nothing to another.
    pub server_id: String,
    /// The server's epoch (see [`PullResponse::epoch`]); empty from servers before it was sent.
    #[serde(default)]
    pub epoch: String,
    /// The number series handed to the book (1, 2, ...: A, B, ... in its numbers), never the same
    /// twice on this server; 0 when none was asked for (or from servers before series existed).
    #[serde(default)]
    pub series: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<WireChange>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PushResponse {
    /// Changes stored now; the rest were already there (a repeated batch).
    pub stored: usize,
    pub duplicates: usize,
    /// The team's last sequence number before and after this push: every number between was
    /// taken by this batch's own changes, so a device that had pulled up to the first has all
    /// up to the second and need not pull its own changes back. Absent from older servers, and
    /// when the push renumbered others' changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seqs: Option<(i64, i64)>,
    /// The server's epoch (see [`PullResponse::epoch`]); empty from servers before it was sent.
    #[serde(default)]
    pub epoch: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Pulled>,
    /// Pass as `after` for the next page.
    pub next: i64,
    pub has_more: bool,
    /// The authors of the sites in `changes`.
    #[serde(default)]
    pub sites: Vec<SiteInfo>,
    /// The newest sequence number on the server, for a progress bar.
    #[serde(default)]
    pub last: i64,
    /// Records this user may no longer see: made private by their owner since `after` (up to
    /// `next` when `has_more`). The laptop forgets its copy of each (nothing is lost: the owner
    /// and the managers keep theirs, and sharing it again sends it all again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked: Vec<String>,
    /// The server's clock (ms since 1970) when it answered: laptops judge stamps, and their own
    /// clock, against it (0 from servers before it was sent).
    #[serde(default)]
    pub now_ms: i64,
    /// The server's epoch: a random id that changes when its database is restored from a backup
    /// (issue 14). Sequence numbers and acknowledgements of one epoch mean nothing in another:
    /// a laptop that sees a new one pushes all its own changes again (the server keeps each once)
    /// and pulls everything again. Empty from servers before it was sent.
    #[serde(default)]
    pub epoch: String,
}

/// One export made on a laptop (a file of customers written out, say), reported to the server
/// so that its audit trail shows who took which part of the book out of Satchel, and when
/// (issue 14). The server writes one `export` line per report; the laptop keeps a report until
/// the server has answered for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReport {
    /// When the export was made, by the laptop's clock (ms since 1970): it may be long before
    /// the report reaches the server (made offline, reported at the next sync).
    pub at_ms: i64,
    /// What was exported: `customers.csv`, `customers.vcf`, ... (lowercase letters, digits, `.`,
    /// `_` and `-`; at most [`EXPORT_KIND_MAX`] characters).
    pub kind: String,
    /// How many records the file held.
    pub records: i64,
}

/// `POST /api/v1/exports`: exports made on the laptop, at most [`EXPORTS_MAX`] per request. The
/// server checks them all first and writes them all or refuses the request (400, naming the
/// report); it answers 204 with no body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportsRequest {
    pub reports: Vec<ExportReport>,
}

/// Export reports in one request, at most.
pub const EXPORTS_MAX: usize = 500;
/// The longest [`ExportReport::kind`], in characters.
pub const EXPORT_KIND_MAX: usize = 64;

/// Every refusal's body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// What the server holds of an attachment's bytes (`GET /api/v1/blobs/{sha256}/status`, and the
/// reply to each uploaded piece). Bytes are stored by content hash, once per team, and go up
/// and down in pieces of at most [`BLOB_PIECE`]: an upload or a download cut off carries on
/// from `received` (or from what the laptop already has) instead of starting over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatus {
    /// The whole file's size.
    pub size: u64,
    /// Bytes the server has, from the start.
    pub received: u64,
    /// All of them arrived and matched the hash: teammates can fetch it.
    pub complete: bool,
}

/// The largest piece of an attachment in one request, up or down: well under the server's
/// request limit, and small enough to arrive within a request's time limit on a slow mobile
/// connection (1 MiB at 0.5 Mbit/s is 17 s).
pub const BLOB_PIECE: usize = 1024 * 1024;

/// Whether a text is a SHA-256 as attachment rows name their bytes (64 lowercase hex digits).
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Changes pushed in one request, at most.
pub const PUSH_MAX: usize = 10_000;
/// About how many bytes of changes go in one push or one pulled page, at most (the first change
/// always goes, however large). Well under the server's request limit and the laptops' reply
/// limit (8 and 10 MB): 600 customers with long notes once made an 11 MB push the server refused
/// (413) and a page no fresh laptop could read.
pub const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// Where a page of `items` cut before index `cut` should end so that it does not split a write
/// (one row's columns under one stamp): a laptop that stopped between two pages would otherwise
/// hold half a row (a phone without its number, which no form then saves) until its next sync.
/// Backs off to the start of the write that `cut` falls in, unless that write fills the page.
pub fn whole_writes<T>(items: &[T], cut: usize, change: impl Fn(&T) -> &WireChange) -> usize {
    let Some(next) = items.get(cut).map(&change) else { return cut };
    let same = |c: &WireChange| c.hlc == next.hlc && c.row == next.row && c.table == next.table && c.site == next.site;
    let mut end = cut;
    while end > 0 && same(change(&items[end - 1])) {
        end -= 1;
    }
    if end == 0 {
        cut
    } else {
        end
    }
}

/// About how many bytes a change takes in a batch: its value and its names, plus the JSON around
/// them. An estimate for cutting batches, not an exact count.
pub fn change_bytes(c: &WireChange) -> usize {
    let value = match &c.value {
        serde_json::Value::String(s) => s.len() + 2,
        serde_json::Value::Null => 4,
        _ => 24,
    };
    value + c.table.len() + c.row.len() + c.column.len() + c.site.len() + c.entity.len() + 96
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pulled_change_is_one_flat_object_that_reads_back_the_same() {
        let p = Pulled {
            seq: 42,
            change: WireChange {
                hlc: 7,
                site: "s".into(),
                table: "customers".into(),
                row: "r".into(),
                column: "name".into(),
                value: serde_json::json!("王小明"),
                entity: "r".into(),
            },
        };
        let text = serde_json::to_value(&p).unwrap();
        assert_eq!(
            text,
            serde_json::json!({"seq": 42, "hlc": 7, "site": "s", "table": "customers", "row": "r", "column": "name", "value": "王小明", "entity": "r"})
        );
        assert_eq!(serde_json::from_value::<Pulled>(text).unwrap(), p);
    }

    /// A login from a laptop of the release before number series, and a reply from a server of
    /// that release, still read: the new fields are optional both ways.
    #[test]
    fn logins_of_the_release_before_number_series_still_read() {
        let old_request = serde_json::json!({"email": "ana@example.cn", "password": "long enough", "device": "ana-laptop"});
        let req: LoginRequest = serde_json::from_value(old_request).unwrap();
        assert!(!req.wants_series);
        let old_reply = serde_json::json!({
            "token": "t", "server_id": "s", "epoch": "e",
            "user": {"id": "u1", "email": "ana@example.cn", "role": "sales", "team": "East"}
        });
        match serde_json::from_value::<LoginResponse>(old_reply) {
            Ok(res) => assert_eq!(res.series, 0, "no series from an older server"),
            Err(e) => panic!("an older server's login reply must read: {e}"),
        }
    }
}
