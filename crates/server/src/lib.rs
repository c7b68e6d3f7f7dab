//! satchel-server: the team's relay and archive for Satchel's change logs.
//!
//! This first slice holds accounts and devices: `init`, `user add`, and `serve` with login (argon2
//! password hashes, throttled after repeated failures) and bearer tokens that every route but
//! login requires. Push and pull of change logs build on it (issue 4).

pub mod http;
pub mod postgres;
pub mod sqlite;
pub mod storage;
pub mod tls;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Tokens are kept hashed; the client holds the only copy of the token itself.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A new token, prefixed with the server's id so a token shown to another server is recognised
/// as such (and refused with that reason, not as a bad token).
pub fn new_token(server_id: &str) -> String {
    format!("{server_id}.{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
