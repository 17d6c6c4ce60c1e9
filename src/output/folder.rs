//! A run folder written as a whole or not at all: files go into a staging
//! folder beside the target, renamed into place once every file is complete.
//! An existing folder is never overwritten unless asked, and never replaced
//! unless foresight wrote it (see [`super::ownership`]). A staging folder
//! that was not committed is removed again, unless it holds a journal of
//! completed blocks (an interrupted run), which `--resume` finishes.

use std::fs;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

use super::ownership::{self, Verdict};
use super::storage::{self, DiskFile};

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
    /// The folder is in the way but foresight did not write it (or not all
    /// of it): it is left as it is. `what` follows the folder's name.
    NotOurs { path: PathBuf, what: String },
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
                match error.kind() {
                    ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                        write!(f, " (the disk is full: free some space)")
                    }
                    ErrorKind::ReadOnlyFilesystem => write!(
                        f,
                        " (the file system is read-only: choose another folder with --out)"
                    ),
                    ErrorKind::PermissionDenied => {
                        write!(f, " (no permission: choose another folder with --out)")
                    }
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
            OutputError::NotOurs { path, what } => write!(
                f,
                "{} {what}. foresight replaces only a folder it wrote, so nothing was changed: \
                 choose another output folder",
                path.display()
            ),
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
/// The lock file of a resumable staging folder (the writing process's id).
pub const LOCK: &str = "lock";
/// What a resumable staging folder records of the run it belongs to.
pub const RUN_FILE: &str = "run.json";

impl RunFolder {
    /// Start writing `dir`. Fails at once if it exists and `force` is false,
    /// or if it is not foresight's to replace.
    pub fn create(dir: &Path, force: bool) -> Result<RunFolder, OutputError> {
        let (dir, parent, name) = prepare(dir, force)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        // Left by an earlier process with the same id.
        remove_staging(&staging)?;
        storage::create_dir(&staging).map_err(io(&staging))?;
        Ok(RunFolder {
            dir,
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
        let (dir, parent, name) = prepare(dir, force)?;
        let staging = parent.join(format!(".{name}.partial"));
        let mut resumed = false;
        if fs::symlink_metadata(&staging).is_ok() {
            if let Some(pid) = live_lock(&staging.join(LOCK)) {
                return Err(OutputError::Locked { path: staging, pid });
            }
            if let Verdict::Foreign(what) = ownership::staging_folder(&staging) {
                return Err(OutputError::NotOurs {
                    path: staging,
                    what,
                });
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
            storage::create_dir(&staging).map_err(io(&staging))?;
        }
        let journal = staging.join(JOURNAL);
        storage::create_dir_all(&journal).map_err(io(&journal))?;
        let lock = staging.join(LOCK);
        storage::write(&lock, std::process::id().to_string().as_bytes()).map_err(io(&lock))?;
        Ok((
            RunFolder {
                dir,
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
        OutFile::create(self.staging.join(name))
    }

    /// Move the finished folder into place (a resumable folder's journal
    /// and lock are removed first). An existing folder is replaced only
    /// with `--force` and only if foresight wrote it; it is checked before
    /// the journal goes, so that a refusal keeps an interrupted run's blocks.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let dir = self.dir.clone();
        let replace = replaceable(&dir, self.force)?;
        if self.resumable {
            let journal = self.staging.join(JOURNAL);
            if journal.exists() {
                fs::remove_dir_all(&journal).map_err(io(&journal))?;
            }
            let lock = self.staging.join(LOCK);
            fs::remove_file(&lock).map_err(io(&lock))?;
        }
        if replace {
            // Move the old folder aside first, so that a failure between the
            // two renames never loses both; check it again under its new
            // name, which nothing else writes to, before removing it.
            let old = sibling(&dir, "replaced");
            if fs::symlink_metadata(&old).is_ok() {
                remove_replaced(&old)?;
            }
            fs::rename(&dir, &old).map_err(io(&dir))?;
            if let Verdict::Foreign(what) = ownership::output_folder(&old) {
                fs::rename(&old, &dir).map_err(io(&old))?;
                return Err(OutputError::NotOurs { path: dir, what });
            }
            fs::rename(&self.staging, &dir).map_err(io(&dir))?;
            remove_replaced(&old)?;
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
        // This process created the staging folder, or took it up after
        // checking that foresight wrote everything in it.
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Whether the folder a run goes to is to be replaced (true), or is not
/// there (false); an error if it is there and may not be replaced.
fn replaceable(dir: &Path, force: bool) -> Result<bool, OutputError> {
    match ownership::output_folder(dir) {
        Verdict::Absent => Ok(false),
        Verdict::Foreign(what) => Err(OutputError::NotOurs {
            path: dir.to_path_buf(),
            what,
        }),
        Verdict::Empty | Verdict::Ours if force => Ok(true),
        Verdict::Empty | Verdict::Ours => Err(OutputError::Exists(dir.to_path_buf())),
    }
}

/// Refuse `dir` if it is in the way; create its parent; return the folder
/// (as it will be renamed: `.` and `..` resolved, no trailing `/`), its
/// parent and its name.
fn prepare(dir: &Path, force: bool) -> Result<(PathBuf, PathBuf, String), OutputError> {
    let dir = normalise(dir);
    replaceable(&dir, force)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    storage::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    Ok((dir, parent, name))
}

/// The path without a trailing `/` (which would make a link to a folder
/// look like the folder), and with a last `.` or `..` resolved (a folder's
/// own name is needed to put its staging folder beside it).
fn normalise(dir: &Path) -> PathBuf {
    let dir: PathBuf = dir.components().collect();
    match dir.components().next_back() {
        Some(Component::CurDir | Component::ParentDir) | None => {
            fs::canonicalize(&dir).unwrap_or(dir)
        }
        _ => dir,
    }
}

/// `.NAME.WHAT-PID` beside `dir`.
fn sibling(dir: &Path, what: &str) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Remove a staging folder if it is there and foresight's.
fn remove_staging(staging: &Path) -> Result<(), OutputError> {
    match ownership::staging_folder(staging) {
        Verdict::Absent => Ok(()),
        Verdict::Foreign(what) => Err(OutputError::NotOurs {
            path: staging.to_path_buf(),
            what,
        }),
        Verdict::Empty | Verdict::Ours => fs::remove_dir_all(staging).map_err(io(staging)),
    }
}

/// Remove a replaced output folder if it is foresight's.
fn remove_replaced(old: &Path) -> Result<(), OutputError> {
    match ownership::output_folder(old) {
        Verdict::Absent => Ok(()),
        Verdict::Foreign(what) => Err(OutputError::NotOurs {
            path: old.to_path_buf(),
            what,
        }),
        Verdict::Empty | Verdict::Ours => fs::remove_dir_all(old).map_err(io(old)),
    }
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

/// A buffered output file; counts its bytes.
pub struct OutFile {
    w: BufWriter<DiskFile>,
    path: PathBuf,
    len: u64,
}

impl OutFile {
    /// Create (or empty) a file.
    pub fn create(path: PathBuf) -> Result<OutFile, OutputError> {
        let file = DiskFile::create(&path).map_err(io(&path))?;
        Ok(OutFile {
            w: BufWriter::with_capacity(1 << 20, file),
            path,
            len: 0,
        })
    }

    /// Continue an existing file from byte `len` (what follows is dropped).
    pub fn append(path: PathBuf, len: u64) -> Result<OutFile, OutputError> {
        let file = DiskFile::truncated(&path, len).map_err(io(&path))?;
        let w = BufWriter::with_capacity(1 << 20, file);
        Ok(OutFile { w, path, len })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write bytes as they are.
    pub fn put(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_all(bytes).map_err(io(&self.path))
    }

    /// The bytes written so far (on the disk once flushed).
    pub fn written(&self) -> u64 {
        self.len
    }

    /// Write a JSON value, pretty-printed, as a whole file.
    pub fn json(mut self, value: &serde_json::Value) -> Result<(), OutputError> {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.put(text.as_bytes())?;
        self.put(b"\n")?;
        self.finish()
    }

    /// Flush and sync to disk.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.w.flush().map_err(io(&self.path))?;
        self.w.get_ref().sync_all().map_err(io(&self.path))
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.w.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}
