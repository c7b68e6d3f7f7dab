//! Attachments' files in an S3-compatible object store (`satchel-server serve --object-store
//! URL`), for teams that run several servers: the pieces of an upload still arrive in the database
//! the servers share (an upload cut off on one server goes on through another), and a complete
//! file, once checked against its hash, moves to the store; downloads read it from there by range.
//!
//! The URL names the endpoint and the bucket, path-style (`https://s3.example.com/satchel`,
//! `http://127.0.0.1:9000/satchel` for a store on the same machine) with the region as a query
//! (`?region=eu-west-1`, default `us-east-1`); the keys come from `AWS_ACCESS_KEY_ID` and
//! `AWS_SECRET_ACCESS_KEY`. Objects are named `satchel/<team>/<sha256>`, the team hashed (a team's
//! name is free text), so teams never share a file.

use rusty_s3::actions::{CreateBucket, GetObject, HeadBucket, PutObject, S3Action};
use rusty_s3::{Bucket, Credentials, UrlStyle};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a signed request stays valid: it is sent at once.
const SIGNED_FOR: Duration = Duration::from_secs(300);

pub struct ObjectStore {
    bucket: Bucket,
    credentials: Credentials,
    agent: ureq::Agent,
    /// The URL as given, without its query: for messages.
    shown: String,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectStore({})", self.shown)
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> String {
    format!("object store: {what}: {e}")
}

impl ObjectStore {
    /// The store a URL names, with the keys from the environment. Nothing is sent yet
    /// ([`ObjectStore::check`] does).
    pub fn from_url(url: &str) -> Result<Self, String> {
        let credentials = match (std::env::var("AWS_ACCESS_KEY_ID"), std::env::var("AWS_SECRET_ACCESS_KEY")) {
            (Ok(key), Ok(secret)) if !key.is_empty() && !secret.is_empty() => Credentials::new(key, secret),
            _ => return Err("object store: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".into()),
        };
        Self::with_credentials(url, credentials)
    }

    pub fn with_credentials(url: &str, credentials: Credentials) -> Result<Self, String> {
        let parsed: url::Url = url.parse().map_err(|e| failed(&format!("{url} is not a URL"), e))?;
        let region = parsed.query_pairs().find(|(k, _)| k == "region").map_or_else(|| "us-east-1".to_string(), |(_, v)| v.into_owned());
        let name = parsed.path().trim_matches('/').to_string();
        if name.is_empty() || name.contains('/') {
            return Err(format!("object store: {url} names no bucket (https://HOST/BUCKET)"));
        }
        let mut endpoint = parsed.clone();
        endpoint.set_path("/");
        endpoint.set_query(None);
        let shown = format!("{}{name}", endpoint);
        let bucket = Bucket::new(endpoint, UrlStyle::Path, name, region).map_err(|e| failed(url, e))?;
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(300)))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(Self { bucket, credentials, agent, shown })
    }

    /// Whether the bucket answers with these keys: `serve` refuses to start otherwise, rather than
    /// refusing every finished upload later.
    pub fn check(&self) -> Result<(), String> {
        let url = HeadBucket::new(&self.bucket, Some(&self.credentials)).sign(SIGNED_FOR);
        let r = self.agent.head(url.as_str()).call().map_err(|e| failed(&self.shown, e))?;
        match r.status().as_u16() {
            200..=299 => Ok(()),
            404 => Err(format!("object store: there is no bucket {}", self.shown)),
            403 => Err(format!("object store: the keys may not use {}", self.shown)),
            s => Err(format!("object store: {} answered HTTP {s}", self.shown)),
        }
    }

    /// Makes the bucket (for tests and first set-up).
    pub fn create_bucket(&self) -> Result<(), String> {
        let url = CreateBucket::new(&self.bucket, &self.credentials).sign(SIGNED_FOR);
        let r = self.agent.put(url.as_str()).send_empty().map_err(|e| failed(&self.shown, e))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(format!("object store: cannot make {}: HTTP {}", self.shown, r.status()))
        }
    }

    /// The object name of a team's file.
    pub fn key(team: &str, sha256: &str) -> String {
        let team = format!("{:x}", Sha256::digest(team.as_bytes()));
        format!("satchel/{}/{sha256}", &team[..16])
    }

    pub fn put(&self, key: &str, bytes: &[u8]) -> Result<(), String> {
        let url = PutObject::new(&self.bucket, Some(&self.credentials), key).sign(SIGNED_FOR);
        let r = self.agent.put(url.as_str()).content_type("application/octet-stream").send(bytes).map_err(|e| failed(key, e))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(format!("object store: storing {key} answered HTTP {}", r.status()))
        }
    }

    /// Up to `len` bytes of an object from `offset`.
    pub fn get(&self, key: &str, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let url = GetObject::new(&self.bucket, Some(&self.credentials), key).sign(SIGNED_FOR);
        let range = format!("bytes={offset}-{}", offset + len as u64 - 1);
        let mut r = self.agent.get(url.as_str()).header("Range", &range).call().map_err(|e| failed(key, e))?;
        match r.status().as_u16() {
            200 | 206 => {}
            416 => return Ok(Vec::new()),
            s => return Err(format!("object store: reading {key} answered HTTP {s}")),
        }
        let whole = r.status().as_u16() == 200;
        let bytes =
            r.body_mut().with_config().limit(if whole { u64::MAX } else { len as u64 + 1 }).read_to_vec().map_err(|e| failed(key, e))?;
        // A store that ignores ranges sends the whole object.
        Ok(if whole { bytes.into_iter().skip(offset as usize).take(len).collect() } else { bytes })
    }
}
