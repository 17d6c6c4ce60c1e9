//! Where the output layer's bytes reach the file system: every file and
//! folder a run, a merge or a report creates goes through here, so that a
//! full or read-only disk can be reproduced without root.
//!
//! **Test hook.** `FORESIGHT_TEST_FAIL_WRITE_AT=BYTES:full` (or
//! `BYTES:read-only`) makes this process behave as if the disk filled up (or
//! turned read-only) once `BYTES` bytes have been written through this
//! module: the write that would pass that byte is cut short there, and it
//! and every later write or folder creation fail with
//! [`ErrorKind::StorageFull`] (or [`ErrorKind::ReadOnlyFilesystem`]). It is
//! read once, costs one atomic add per buffer flush when unset, and exists
//! for the tests (`tests/resume.rs`); it is not an option for users.

use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The name of the test hook's environment variable.
pub const FAIL_WRITE_AT: &str = "FORESIGHT_TEST_FAIL_WRITE_AT";

/// Bytes written through this module by this process.
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// The test hook's setting: fail with `kind` past `limit` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Failure {
    limit: u64,
    kind: ErrorKind,
}

fn parse(text: &str) -> Result<Failure, String> {
    let bad = || format!("{FAIL_WRITE_AT} is '{text}', expected BYTES:full or BYTES:read-only");
    let (bytes, kind) = text.split_once(':').ok_or_else(bad)?;
    let limit = bytes.trim().parse().map_err(|_| bad())?;
    let kind = match kind.trim() {
        "full" => ErrorKind::StorageFull,
        "read-only" => ErrorKind::ReadOnlyFilesystem,
        _ => return Err(bad()),
    };
    Ok(Failure { limit, kind })
}

fn hook() -> &'static Option<Result<Failure, String>> {
    static HOOK: OnceLock<Option<Result<Failure, String>>> = OnceLock::new();
    HOOK.get_or_init(|| std::env::var(FAIL_WRITE_AT).ok().map(|v| parse(&v)))
}

/// The error a failing write reports (worded as the operating system's).
fn failure(kind: ErrorKind) -> io::Error {
    let what = match kind {
        ErrorKind::StorageFull => "No space left on device",
        _ => "Read-only file system",
    };
    io::Error::new(kind, format!("{what} (simulated by {FAIL_WRITE_AT})"))
}

/// How many of `len` bytes may be written now.
fn allowed(len: usize) -> io::Result<usize> {
    match hook() {
        None => Ok(len),
        Some(Err(message)) => Err(io::Error::new(ErrorKind::InvalidInput, message.clone())),
        Some(Ok(f)) => {
            let left = f.limit.saturating_sub(WRITTEN.load(Ordering::Relaxed));
            if left == 0 {
                Err(failure(f.kind))
            } else {
                Ok(len.min(usize::try_from(left).unwrap_or(usize::MAX)))
            }
        }
    }
}

/// Whether something that takes space (a folder) may be created now.
fn may_create() -> io::Result<()> {
    allowed(1).map(|_| ())
}

/// A file being written; counts its bytes against the test hook.
#[derive(Debug)]
pub struct DiskFile(File);

impl DiskFile {
    /// Create (or truncate) a file.
    pub fn create(path: &Path) -> io::Result<DiskFile> {
        may_create()?;
        File::create(path).map(DiskFile)
    }

    /// Create a file that must not exist yet.
    pub fn create_new(path: &Path) -> io::Result<DiskFile> {
        may_create()?;
        File::create_new(path).map(DiskFile)
    }

    /// Open an existing file to write at byte `len`, dropping what follows.
    pub fn truncated(path: &Path, len: u64) -> io::Result<DiskFile> {
        use std::io::{Seek, SeekFrom};
        let mut file = fs::OpenOptions::new().write(true).open(path)?;
        file.set_len(len)?;
        file.seek(SeekFrom::Start(len))?;
        Ok(DiskFile(file))
    }

    /// Wait until the file's bytes are on the disk.
    pub fn sync_all(&self) -> io::Result<()> {
        self.0.sync_all()
    }
}

impl Write for DiskFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = allowed(buf.len())?;
        let written = self.0.write(&buf[..n])?;
        WRITTEN.fetch_add(written as u64, Ordering::Relaxed);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Write a whole file (as [`fs::write`]).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    DiskFile::create(path)?.write_all(bytes)
}

/// Copy a file (as [`fs::copy`], without its permissions).
pub fn copy(from: &Path, to: &Path) -> io::Result<()> {
    let bytes = fs::read(from)?;
    write(to, &bytes)
}

/// Create a folder (as [`fs::create_dir`]).
pub fn create_dir(path: &Path) -> io::Result<()> {
    may_create()?;
    fs::create_dir(path)
}

/// Create a folder and its parents (as [`fs::create_dir_all`]); nothing is
/// written if it exists.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    may_create()?;
    fs::create_dir_all(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_setting_is_read_in_bytes_and_kind() {
        assert_eq!(
            parse("4096:full"),
            Ok(Failure {
                limit: 4096,
                kind: ErrorKind::StorageFull
            })
        );
        assert_eq!(
            parse("0:read-only"),
            Ok(Failure {
                limit: 0,
                kind: ErrorKind::ReadOnlyFilesystem
            })
        );
        for bad in ["", "12", "x:full", "12:gone"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("expected BYTES:full or BYTES:read-only"), "{e}");
        }
    }

    #[test]
    fn a_simulated_failure_reads_like_the_system_error() {
        let e = failure(ErrorKind::StorageFull);
        assert_eq!(e.kind(), ErrorKind::StorageFull);
        assert!(e.to_string().starts_with("No space left on device"));
        let e = failure(ErrorKind::ReadOnlyFilesystem);
        assert_eq!(e.kind(), ErrorKind::ReadOnlyFilesystem);
        assert!(e.to_string().starts_with("Read-only file system"));
    }
}
