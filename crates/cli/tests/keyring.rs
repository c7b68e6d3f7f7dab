//! The device token in the OS secret store, for real: a private D-Bus session bus, GNOME Keyring's
//! Secret Service on it with an unlocked login keyring, and `secret-tool` (libsecret, not our
//! code) reading what `satchel sync` stored. Without a Secret Service on the bus the token falls
//! back to a file only the user can read.

mod common;

use common::{count, satchel_with, server};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A session bus of our own (no service activation, so nothing from the machine starts on it),
/// optionally with gnome-keyring-daemon serving org.freedesktop.secrets. Killed when dropped.
struct Session {
    dir: PathBuf,
    address: String,
    children: Vec<Child>,
}

impl Session {
    fn new(dir: &Path) -> Session {
        std::fs::create_dir_all(dir).unwrap();
        let config = dir.join("bus.conf");
        let socket = dir.join("bus");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>"#,
                socket.display()
            ),
        )
        .unwrap();
        let bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .arg("--nofork")
            .arg("--nopidfile")
            .stdout(Stdio::null())
            .spawn()
            .expect("dbus-daemon (apt package dbus; make test installs it)");
        let session = Session { dir: dir.to_path_buf(), address: format!("unix:path={}", socket.display()), children: vec![bus] };
        session.wait_for("the bus socket", || socket.exists());
        session
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("XDG_DATA_HOME", self.dir.join("data").display().to_string()),
            ("XDG_RUNTIME_DIR", self.dir.join("run").display().to_string()),
            ("HOME", self.dir.join("home").display().to_string()),
        ]
    }

    /// Starts GNOME Keyring's Secret Service; the password on standard input creates and unlocks
    /// the login keyring (as PAM does at a desktop login), which becomes the default collection.
    fn start_keyring(&mut self) {
        for sub in ["data", "home", "run"] {
            std::fs::create_dir_all(self.dir.join(sub)).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.dir.join("run"), std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(self.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (apt package gnome-keyring; make test installs it)");
        use std::io::Write;
        daemon.stdin.take().unwrap().write_all(b"login keyring password").unwrap();
        self.children.push(daemon);
        self.wait_for("the login keyring as the default collection", || {
            let out = self.run(
                "dbus-send",
                &[
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.secrets",
                    "/org/freedesktop/secrets",
                    "org.freedesktop.Secret.Service.ReadAlias",
                    "string:default",
                ],
            );
            String::from_utf8_lossy(&out.stdout).contains("/collection/login")
        });
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program).args(args).envs(self.env()).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{program}: {e}"))
    }

    /// What the Secret Service holds for a database, read by libsecret's `secret-tool`.
    fn stored_token(&self, db: &Path) -> Option<String> {
        let account = std::fs::canonicalize(db).unwrap().display().to_string();
        let out = self.run("secret-tool", &["lookup", "service", "Satchel sync", "username", &account]);
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !token.is_empty()).then_some(token)
    }

    fn wait_for(&self, what: &str, mut ready: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !ready() {
            assert!(Instant::now() < deadline, "waited 15 s for {what}, in vain");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn the_device_token_goes_to_the_secret_service_and_to_a_file_only_when_there_is_none() {
    let srv = server();
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::new(&dir.path().join("session"));
    let env: Vec<(&str, String)> = session.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).chain([("SATCHEL_TOKEN_STORE", "auto")]).collect();
    let login = ["sync", "--server", &srv.base, "--email", "ana@example.cn", "--password-stdin"];

    // A session bus with no Secret Service on it: the token goes to the file, and the user is told.
    let a = dir.path().join("a.db");
    let (code, _, err) = satchel_with(&a, &login, "long enough\n", &env);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("a.db.sync-token (only you can read it)"), "{err}");
    assert!(dir.path().join("a.db.sync-token").exists());

    // With GNOME Keyring on the bus it goes there, and no copy is left in a file.
    session.start_keyring();
    let b = dir.path().join("b.db");
    let (code, _, err) = satchel_with(&b, &login, "long enough\n", &env);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("kept in the OS secret store"), "{err}");
    assert!(!dir.path().join("b.db.sync-token").exists(), "no file copy beside the database");
    let token = session.stored_token(&b).expect("secret-tool finds the token under the database's path");
    assert!(token.len() >= 32, "a real token, not a placeholder: {token:?}");
    assert_eq!(count(&b, "SELECT count(*) FROM meta WHERE key = 'sync.token_place' AND value = 'keyring'"), 1);

    // A later run (a new process, nothing in memory) finds it there without a password.
    let (code, out, err) = satchel_with(&b, &["sync"], "", &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("synced with"), "{out}");
    // And really from there: once the keyring forgets it, the run asks to log in again.
    let account = std::fs::canonicalize(&b).unwrap().display().to_string();
    assert!(session.run("secret-tool", &["clear", "service", "Satchel sync", "username", &account]).status.success());
    assert_eq!(session.stored_token(&b), None);
    let (code, _, err) = satchel_with(&b, &["sync"], "", &env);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Log in"), "{err}");

    // The database that fell back to a file keeps working now that a keyring is there.
    let (code, out, err) = satchel_with(&a, &["sync"], "", &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("synced with"), "{out}");
}

/// `satchel encrypt` (issue 14) keeps the database key in the Secret Service (read back here by
/// `secret-tool`), never in a file; a later run opens the book with it; once the keyring forgets
/// it the book cannot be opened. Without a Secret Service the book is left plain and no key made.
#[test]
fn the_database_key_goes_to_the_secret_service_and_without_one_nothing_is_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::new(&dir.path().join("session"));
    let env: Vec<(&str, String)> = session.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).chain([("SATCHEL_TOKEN_STORE", "auto")]).collect();
    let db = dir.path().join("book.db");
    assert_eq!(satchel_with(&db, &["demo-data", "--customers", "7"], "", &env).0, 0);

    // No Secret Service on the bus: refused, the book as it was, no key file.
    let (code, _, err) = satchel_with(&db, &["encrypt"], "", &env);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no OS secret store here to keep the key of"), "{err}");
    assert_eq!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");
    assert!(!dir.path().join("book.db.key").exists());

    session.start_keyring();
    let (code, out, err) = satchel_with(&db, &["encrypt"], "", &env);
    assert_eq!(code, 0, "{err}");
    let account = std::fs::canonicalize(&db).unwrap().display().to_string();
    assert!(out.contains(&format!("its key is in the OS secret store (service \"satchel-db\", account {account})")), "{out}");
    assert!(!dir.path().join("book.db.key").exists(), "no key file beside the book");
    assert_ne!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");
    let stored = session.run("secret-tool", &["lookup", "service", "satchel-db", "username", &account]);
    let key = String::from_utf8_lossy(&stored.stdout).trim().to_string();
    assert!(key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{key:?}");

    // A new process finds the key there.
    let (code, out, err) = satchel_with(&db, &["customers", "count"], "", &env);
    assert_eq!((code, out.trim()), (0, "7"), "{err}");
    // Gone from the keyring: the book cannot be opened, and says why.
    assert!(session.run("secret-tool", &["clear", "service", "satchel-db", "username", &account]).status.success());
    let (code, _, err) = satchel_with(&db, &["customers", "count"], "", &env);
    assert_eq!(code, 1);
    assert!(err.contains("is encrypted and its key is not on this computer"), "{err}");
}
