//! A run folder written as a whole or not at all: files go into a staging
//! folder beside the target, renamed into place once every file is complete.
//! An existing folder is never overwritten unless asked. A staging folder
//! that was not committed is removed again, unless it holds a journal of
//! completed blocks (an interrupted run), which `--resume` finishes.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why a run folder could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// The folder exists and `--force` was not given.
    Exists(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// An interrupted run's staging folder is in the way.
    Interrupted(PathBuf),
    /// Another process is writing the same folder.
    Locked { path: PathBuf, pid: u32 },
    /// A file the run needs is not what it should be.
    Invalid { path: PathBuf, message: String },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Exists(p) => write!(
                f,
                "{} already exists; choose another folder with --out, or pass --force to replace it",
                p.display()
            ),
            OutputError::Io { path, error } => {
                write!(f, "cannot write {}: {error}", path.display())?;
                match error.raw_os_error() {
                    Some(28) => write!(f, " (the disk is full: free some space)"),
                    Some(30) => write!(
                        f,
                        " (the file system is read-only: choose another folder with --out)"
                    ),
                    Some(13) => write!(f, " (no permission: choose another folder with --out)"),
                    _ => Ok(()),
                }
            }
            OutputError::Interrupted(p) => write!(
                f,
                "an interrupted run left its completed cells in {}; pass --resume to finish it, \
                 or --force to discard it and start again",
                p.display()
            ),
            OutputError::Locked { path, pid } => write!(
                f,
                "another foresight process (pid {pid}) is writing {}; wait for it to finish or stop it",
                path.display()
            ),
            OutputError::Invalid { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

/// Attach a path to an I/O error.
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A run folder being written.
#[derive(Debug)]
pub struct RunFolder {
    dir: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
    /// Resumable: the staging folder is kept if its journal holds blocks.
    resumable: bool,
}

/// The journal's folder inside a resumable staging folder.
pub const JOURNAL: &str = "journal";
const LOCK: &str = "lock";

impl RunFolder {
    /// Start writing `dir`. Fails at once if it exists and `force` is false.
    pub fn create(dir: &Path, force: bool) -> Result<RunFolder, OutputError> {
        let (parent, name) = prepare(dir, force)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        fs::create_dir(&staging).map_err(io(&staging))?;
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            staging,
            force,
            committed: false,
            resumable: false,
        })
    }

    /// Start or resume writing `dir` through a staging folder whose name
    /// depends on `dir` alone (`.NAME.partial` beside it), so that a run
    /// killed at any instant can be found and finished. Returns the folder
    /// and whether an interrupted run's staging folder was taken up.
    pub fn resumable(
        dir: &Path,
        force: bool,
        resume: bool,
    ) -> Result<(RunFolder, bool), OutputError> {
        let (parent, name) = prepare(dir, force)?;
        let staging = parent.join(format!(".{name}.partial"));
        let mut resumed = false;
        if staging.exists() {
            if let Some(pid) = live_lock(&staging.join(LOCK)) {
                return Err(OutputError::Locked { path: staging, pid });
            }
            if !has_recorded(&staging) {
                // Killed before any block was complete: nothing to keep.
                fs::remove_dir_all(&staging).map_err(io(&staging))?;
            } else if resume {
                resumed = true;
            } else if force {
                fs::remove_dir_all(&staging).map_err(io(&staging))?;
            } else {
                return Err(OutputError::Interrupted(staging));
            }
        }
        if !resumed {
            fs::create_dir(&staging).map_err(io(&staging))?;
        }
        let journal = staging.join(JOURNAL);
        fs::create_dir_all(&journal).map_err(io(&journal))?;
        let lock = staging.join(LOCK);
        fs::write(&lock, std::process::id().to_string()).map_err(io(&lock))?;
        Ok((
            RunFolder {
                dir: dir.to_path_buf(),
                staging,
                force,
                committed: false,
                resumable: true,
            },
            resumed,
        ))
    }

    /// The staging folder (where an interrupted run's state is kept).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder the run is written to.
    pub fn target(&self) -> &Path {
        &self.dir
    }

    /// A path inside the staging folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Create a file in the staging folder.
    pub fn file(&self, name: &str) -> Result<OutFile, OutputError> {
        let path = self.staging.join(name);
        let file = File::create(&path).map_err(io(&path))?;
        Ok(OutFile {
            w: BufWriter::with_capacity(1 << 20, file),
            path,
            len: 0,
        })
    }

    /// Move the finished folder into place (a resumable folder's journal
    /// and lock are removed first).
    pub fn commit(mut self) -> Result<(), OutputError> {
        if self.resumable {
            let journal = self.staging.join(JOURNAL);
            if journal.exists() {
                fs::remove_dir_all(&journal).map_err(io(&journal))?;
            }
            let lock = self.staging.join(LOCK);
            fs::remove_file(&lock).map_err(io(&lock))?;
        }
        let dir = self.dir.clone();
        if dir.exists() {
            if !self.force {
                return Err(OutputError::Exists(dir));
            }
            // Move the old folder aside first, so that a failure between the
            // two renames never loses both.
            let old = self.staging.with_extension("replaced");
            fs::rename(&dir, &old).map_err(io(&dir))?;
            fs::rename(&self.staging, &dir).map_err(io(&dir))?;
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            fs::rename(&self.staging, &dir).map_err(io(&dir))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for RunFolder {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if self.resumable {
            let _ = fs::remove_file(self.staging.join(LOCK));
            if has_recorded(&self.staging) {
                return;
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Refuse an existing `dir` unless forced; create its parent; return the
/// parent and the folder's name.
fn prepare(dir: &Path, force: bool) -> Result<(PathBuf, String), OutputError> {
    if dir.exists() && !force {
        return Err(OutputError::Exists(dir.to_path_buf()));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    Ok((parent, name))
}

/// Whether a staging folder's journal holds anything.
fn has_recorded(staging: &Path) -> bool {
    fs::read_dir(staging.join(JOURNAL)).is_ok_and(|mut d| d.next().is_some())
}

/// The pid in a lock file, if that process is still running.
fn live_lock(lock: &Path) -> Option<u32> {
    let pid: u32 = fs::read_to_string(lock).ok()?.trim().parse().ok()?;
    let alive = pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists();
    alive.then_some(pid)
}

/// A buffered output file.
pub struct OutFile {
    w: BufWriter<File>,
    path: PathBuf,
    len: u64,
}

impl OutFile {
    /// Continue an existing file from byte `len` (what follows is dropped).
    pub fn append(path: PathBuf, len: u64) -> Result<OutFile, OutputError> {
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        file.set_len(len).map_err(io(&path))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        use std::io::Seek;
        w.seek(std::io::SeekFrom::Start(len)).map_err(io(&path))?;
        Ok(OutFile { w, path, len })
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.len += bytes.len() as u64;
        self.w.write_all(bytes).map_err(io(&self.path))
    }

    /// Hand everything written to the operating system; returns the length.
    pub fn flush(&mut self) -> Result<u64, OutputError> {
        self.w.flush().map_err(io(&self.path))?;
        Ok(self.len)
    }

    /// Write a JSON value, pretty-printed, as a whole file.
    pub fn json(mut self, value: &serde_json::Value) -> Result<(), OutputError> {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.write(text.as_bytes())?;
        self.write(b"\n")?;
        self.finish()
    }

    /// Flush and sync to disk.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.w.flush().map_err(io(&self.path))?;
        self.w.get_ref().sync_all().map_err(io(&self.path))
    }
}
