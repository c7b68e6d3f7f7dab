//! satchel-server: the team's relay and archive for Satchel's change logs.
//!
//! This first slice holds accounts and devices: `init`, `user add`, and `serve` with login (argon2
//! password hashes, throttled after repeated failures) and bearer tokens that every route but
//! login requires. Push and pull of change logs build on it (issue 4).

pub mod backup;
pub mod blobs;
pub mod filing;
pub mod http;
pub mod objects;
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

/// [`verify_password`] in `memory` (grown to the hash's size when smaller, then kept).
fn verify_password_in(password: &str, hash: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(hash) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (argon2::Algorithm::try_from(hash.algorithm), argon2::Params::try_from(&hash)) else { return false };
    let Ok(version) = hash.version.map(argon2::Version::try_from).transpose() else { return false };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else { return false };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), argon2::Block::default());
    }
    let blocks = params.block_count();
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version.unwrap_or_default(), params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        // Output's comparison takes the same time wherever the first difference is.
        && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Password checks on a few threads of their own, each with its own argon2 memory (~19 MiB) made
/// once and reused. Allocated per check, on whichever request thread happened to take it, the
/// memory stayed with the allocator's arenas: a burst of 200 logins from 200 addresses held
/// 1.3 GB (75 checks), then 336 MB on four threads (glibc spreads them over up to 16 arenas).
pub struct Hashers {
    jobs: std::sync::mpsc::Sender<(String, String, std::sync::mpsc::Sender<bool>)>,
}

impl Hashers {
    /// `threads` checking threads; they end when this is dropped.
    pub fn new(threads: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<(String, String, std::sync::mpsc::Sender<bool>)>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("password-check-{i}")).spawn(move || {
                let mut memory = Vec::new();
                loop {
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok((password, hash, reply)) = job else { return };
                    let _ = reply.send(verify_password_in(&password, &hash, &mut memory));
                }
            });
            if let Err(e) = spawned {
                log::error!("cannot start a password-checking thread: {e}");
            }
        }
        Self { jobs }
    }

    /// Whether `password` is the one `hash` was made from, checked on one of the threads (this
    /// one waits). False when no thread runs.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        let (reply, answer) = std::sync::mpsc::channel();
        self.jobs.send((password.to_string(), hash.to_string(), reply)).is_ok() && answer.recv().unwrap_or(false)
    }
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

/// A time as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_password_threads_check_as_argon2_does() {
        let hash = super::hash_password("correct horse").unwrap();
        let hashers = super::Hashers::new(2);
        assert!(hashers.verify("correct horse", &hash));
        assert!(!hashers.verify("correct horsf", &hash));
        assert!(!hashers.verify("correct horse", "not a hash"));
        assert!(hashers.verify("correct horse", &hash), "again, in the memory kept from before");
        // A hash made with other parameters (smaller memory, more passes) is checked by its own.
        let other =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon2::Params::new(8192, 3, 1, None).unwrap());
        let salt = argon2::password_hash::SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
        let small = argon2::PasswordHasher::hash_password(&other, b"battery staple", &salt).unwrap().to_string();
        assert!(hashers.verify("battery staple", &small));
        assert!(!hashers.verify("correct horse", &small));
    }
}
