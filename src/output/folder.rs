//! A run folder written as a whole or not at all: files go into a staging
//! folder beside the target, renamed into place once every file is complete.
//! An existing folder is never overwritten unless asked; a folder that was
//! not committed is removed again.

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
                write!(f, "cannot write {}: {error}", path.display())
            }
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
}

impl RunFolder {
    /// Start writing `dir`. Fails at once if it exists and `force` is false.
    pub fn create(dir: &Path, force: bool) -> Result<RunFolder, OutputError> {
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
        })
    }

    /// Create a file in the staging folder.
    pub fn file(&self, name: &str) -> Result<OutFile, OutputError> {
        let path = self.staging.join(name);
        let file = File::create(&path).map_err(io(&path))?;
        Ok(OutFile {
            w: BufWriter::with_capacity(1 << 20, file),
            path,
        })
    }

    /// Move the finished folder into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
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
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A buffered output file.
pub struct OutFile {
    w: BufWriter<File>,
    path: PathBuf,
}

impl OutFile {
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.w.write_all(bytes).map_err(io(&self.path))
    }

    /// Flush and sync to disk.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.w.flush().map_err(io(&self.path))?;
        self.w.get_ref().sync_all().map_err(io(&self.path))
    }
}
