//! The log file the app and the CLI share: `<directory of the database>/logs/satchel.log`, one
//! line per record (UTC time, level, target, message), rotated by size (`satchel.log.1` is the
//! newest old one, up to [`KEEP`] of them). The folder is created 0700 and the files 0600: a
//! log names customers' records and the server's address, never a password or a token (no log
//! call is given one).
//!
//! One logger behind the `log` facade per process: [`install`] it first (so that even the
//! opening of the book is logged, to standard error when asked), then [`open`] the file once the
//! database's path is known. [`current`] is the file in use, which the generic error messages
//! name ("Details are in ...", see [`crate::error`]). `SATCHEL_LOG` sets the level (`error`,
//! `warn`, `info` the default, `debug`, `trace`, `off`).

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A log file is rotated when the next line would take it past this size.
pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
/// How many rotated files are kept beside the current one (`satchel.log.1` ... `.3`).
pub const KEEP: usize = 3;
/// The log's name in its folder.
pub const FILE_NAME: &str = "satchel.log";

/// `<directory of the database>/logs`.
pub fn dir_for(db: &Path) -> PathBuf {
    db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("logs")
}

/// `<directory of the database>/logs/satchel.log`.
pub fn path_for(db: &Path) -> PathBuf {
    dir_for(db).join(FILE_NAME)
}

/// The level `SATCHEL_LOG` asks for; `info` when unset or unknown.
pub fn level_from_env() -> LevelFilter {
    std::env::var("SATCHEL_LOG").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(LevelFilter::Info)
}

/// A file that is renamed to `<name>.1` (and `.1` to `.2`, ...) when the next line would take it
/// past `max_bytes`; the oldest beyond `keep` is deleted.
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: File,
    size: u64,
}

impl RotatingFile {
    /// Opens (appends to) `path`, creating its folder 0700 and the file 0600. Its path is kept
    /// absolute, as a message names it, whatever the working directory.
    pub fn open(path: &Path, max_bytes: u64, keep: usize) -> io::Result<Self> {
        let path = std::path::absolute(path)?;
        if let Some(dir) = path.parent() {
            private_dir(dir)?;
        }
        let file = private_file(&path)?;
        let size = file.metadata()?.len();
        Ok(RotatingFile { path, max_bytes, keep, file, size })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line (which ends in `\n`), rotating first when it would not fit.
    pub fn write_line(&mut self, line: &str) -> io::Result<()> {
        if self.size > 0 && self.size + line.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        // One write per line: another process appending to the same file (the app and a
        // `satchel backup` beside it) interleaves whole lines.
        self.file.write_all(line.as_bytes())?;
        self.size += line.len() as u64;
        Ok(())
    }

    fn rotated(&self, n: usize) -> PathBuf {
        let mut s = self.path.as_os_str().to_owned();
        s.push(format!(".{n}"));
        PathBuf::from(s)
    }

    fn rotate(&mut self) -> io::Result<()> {
        if self.keep == 0 {
            std::fs::remove_file(&self.path).or_else(missing_is_fine)?;
        } else {
            std::fs::remove_file(self.rotated(self.keep)).or_else(missing_is_fine)?;
            for n in (1..self.keep).rev() {
                std::fs::rename(self.rotated(n), self.rotated(n + 1)).or_else(missing_is_fine)?;
            }
            std::fs::rename(&self.path, self.rotated(1)).or_else(missing_is_fine)?;
        }
        self.file = private_file(&self.path)?;
        self.size = self.file.metadata()?.len();
        Ok(())
    }
}

fn missing_is_fine(e: io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

fn private_dir(dir: &Path) -> io::Result<()> {
    if let Some(parent) = dir.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    match b.create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {
            // Made by someone else (or by hand): still only ours to read.
            #[cfg(unix)]
            std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn private_file(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let file = o.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// One record as a line: `2025-05-01T08:30:00.123Z WARN  satchel_core::sync: message`. A message
/// over several lines is kept on one (its line breaks written `\n`).
pub fn format_line(level: Level, target: &str, message: &str) -> String {
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let message = message.replace('\r', "\\r").replace('\n', "\\n");
    format!("{time} {level:<5} {target}: {message}\n")
}

struct FileLogger {
    level: AtomicUsize,
    stderr: AtomicBool,
    file: Mutex<Option<RotatingFile>>,
}

static LOGGER: FileLogger = FileLogger { level: AtomicUsize::new(3), stderr: AtomicBool::new(false), file: Mutex::new(None) };
static CURRENT: Mutex<Option<PathBuf>> = Mutex::new(None);
static INSTALLED: AtomicBool = AtomicBool::new(false);

fn filter_from(n: usize) -> LevelFilter {
    LevelFilter::iter().nth(n).unwrap_or(LevelFilter::Info)
}

impl Log for FileLogger {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        // Satchel's own records at the chosen level; the libraries' (ureq, rustls, tao) only
        // when they warn.
        m.level() <= filter_from(self.level.load(Ordering::Relaxed)) && (m.target().starts_with("satchel") || m.level() <= Level::Warn)
    }

    fn log(&self, r: &Record<'_>) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let line = format_line(r.level(), r.target(), &r.args().to_string());
        if self.stderr.load(Ordering::Relaxed) {
            let _ = io::stderr().lock().write_all(line.as_bytes());
        }
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = file.as_mut() {
            if let Err(e) = f.write_line(&line) {
                // A full disk or a folder gone: say so once where someone may see it, then
                // carry on without the file rather than fail the work being logged.
                eprintln!("satchel: cannot write the log {}: {e}", f.path().display());
                *file = None;
            }
        }
    }

    fn flush(&self) {}
}

/// Makes the shared logger the process's `log` logger, at the level `SATCHEL_LOG` asks for,
/// also writing each line to standard error when `to_stderr`. Called again it only changes that.
pub fn install(to_stderr: bool) {
    let level = level_from_env();
    LOGGER.level.store(LevelFilter::iter().position(|l| l == level).unwrap_or(3), Ordering::Relaxed);
    LOGGER.stderr.store(to_stderr, Ordering::Relaxed);
    if log::set_logger(&LOGGER).is_ok() {
        INSTALLED.store(true, Ordering::Relaxed);
    }
    // Another logger already in place (a test harness's) keeps its own level.
    if INSTALLED.load(Ordering::Relaxed) {
        log::set_max_level(level);
    }
}

/// Starts writing the log to [`path_for`]`(db)` (in place of any file before). Without it the
/// logger writes nowhere but standard error.
pub fn open(db: &Path) -> io::Result<PathBuf> {
    open_with(&path_for(db), MAX_BYTES, KEEP)
}

/// [`open`] with a file and limits of one's own (tests).
pub fn open_with(path: &Path, max_bytes: u64, keep: usize) -> io::Result<PathBuf> {
    let file = RotatingFile::open(path, max_bytes, keep)?;
    let path = file.path().to_path_buf();
    *LOGGER.file.lock().unwrap_or_else(|p| p.into_inner()) = Some(file);
    *CURRENT.lock().unwrap_or_else(|p| p.into_inner()) = Some(path.clone());
    Ok(path)
}

/// [`install`] then [`open`]: the logger of a process that knows its database.
pub fn init(db: &Path, to_stderr: bool) -> io::Result<PathBuf> {
    install(to_stderr);
    open(db)
}

/// The log file being written, if any.
pub fn current() -> Option<PathBuf> {
    CURRENT.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_log_rotates_past_its_size_and_keeps_a_capped_number_of_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs").join(FILE_NAME);
        let mut log = RotatingFile::open(&path, 200, 3).unwrap();
        log.write_line("first\n").unwrap();
        assert_eq!(files(&dir.path().join("logs")), ["satchel.log"]);
        for i in 0..8 {
            log.write_line(&format!("{i:0>49}\n")).unwrap(); // 50 bytes a line
        }
        // 6 + 3 * 50 fit; the fourth line moved them to .1.
        assert!(path.with_extension("log.1").exists(), "{:?}", files(&dir.path().join("logs")));
        for i in 8..100 {
            log.write_line(&format!("{i:0>49}\n")).unwrap();
        }
        assert_eq!(files(&dir.path().join("logs")), ["satchel.log", "satchel.log.1", "satchel.log.2", "satchel.log.3"]);
        for name in files(&dir.path().join("logs")) {
            let len = std::fs::metadata(dir.path().join("logs").join(&name)).unwrap().len();
            assert!(len > 0 && len <= 200, "{name}: {len} bytes");
        }
        // The newest line is in the current file, the one before the rotation in .1.
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(now.ends_with(&format!("{:0>49}\n", 99)), "{now}");
        let older = std::fs::read_to_string(path.with_extension("log.1")).unwrap();
        assert!(older.lines().last().unwrap() < now.lines().next().unwrap());
        // Reopened (the next run), it goes on from the size on disk.
        drop(log);
        let mut again = RotatingFile::open(&path, 200, 3).unwrap();
        for i in 100..104 {
            again.write_line(&format!("{i:0>49}\n")).unwrap();
        }
        assert_eq!(files(&dir.path().join("logs")).len(), 4);
        assert!(std::fs::metadata(&path).unwrap().len() <= 200);
    }

    #[cfg(unix)]
    #[test]
    fn the_log_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("book").join("satchel.db");
        let path = path_for(&db);
        assert_eq!(path, dir.path().join("book").join("logs").join("satchel.log"));
        let mut log = RotatingFile::open(&path, 10, 2).unwrap();
        log.write_line("a line of more than ten bytes\n").unwrap();
        log.write_line("another one, which rotates\n").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir_for(&db)), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&path.with_extension("log.1")), 0o600);
        // A folder and file left open to others are closed again.
        drop(log);
        std::fs::set_permissions(dir_for(&db), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        RotatingFile::open(&path, 10, 2).unwrap();
        assert_eq!((mode(&dir_for(&db)), mode(&path)), (0o700, 0o600));
    }

    #[test]
    fn a_record_is_one_line_with_time_level_and_target() {
        let line = format_line(Level::Warn, "satchel_core::sync", "sync failed:\nserver unreachable");
        assert!(line.ends_with(" WARN  satchel_core::sync: sync failed:\\nserver unreachable\n"), "{line}");
        assert_eq!(line.matches('\n').count(), 1);
        assert!(line[..24].ends_with('Z') && line.as_bytes()[10] == b'T', "{line}");
    }
}
