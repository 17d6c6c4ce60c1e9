//! The journal of completed blocks: one file per block, holding what the
//! summaries need (the block's summary state, its cells' headlines and
//! seeds), so that an interrupted run resumes where it stopped and a shard
//! can be merged on another machine.
//!
//! A block file is written to a temporary name and renamed, so after a kill
//! at any instant a block is either recorded whole or not at all; it ends
//! with a SHA-256 of its contents, so a file torn by a crash of the machine
//! is recognised and its block run again. Each file names the run identity
//! (a digest of the experiment, seed, replications, block plan and version):
//! blocks of another run are refused, never mixed in.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::folder::{OutputError, io};
use super::storage;
use crate::experiment::runner::{BlockResult, Outcome, Plan};
use crate::experiment::stats::{Reader, SeriesAccumulator};
use crate::experiment::{Experiment, runner};

const MAGIC: &[u8; 16] = b"foresight block\n";
/// 2: blocks hold the cohort values (a summary state, and each cell's
/// values when kept).
const FORMAT: u32 = 2;

/// The identity of a run: what must be equal for blocks to be combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunIdentity {
    pub digest: [u8; 32],
}

impl RunIdentity {
    /// Digest of the version, the experiment and world files' SHA-256, the
    /// effective seed and replications, and the block plan.
    pub fn new(
        exp: &Experiment,
        plan: &Plan,
        file_sha256: &str,
        world_sha256: Option<&str>,
    ) -> RunIdentity {
        let text = serde_json::json!({
            "foresight_version": crate::VERSION,
            "block_format": FORMAT,
            "file_sha256": file_sha256,
            "world_sha256": world_sha256,
            "seed": exp.seed,
            "replications": exp.replications,
            "cells": plan.cells(),
            "blocks": plan.blocks(),
            "cells_per_block": plan.cells_per_block,
        })
        .to_string();
        RunIdentity {
            digest: Sha256::digest(text.as_bytes()).into(),
        }
    }

    pub fn hex(&self) -> String {
        self.digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A folder of block files.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    identity: RunIdentity,
    plan: Plan,
    points: usize,
    cohort_points: usize,
}

/// A recorded block: where the series file stood after it (when series are
/// kept), to cut the file back to on resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub series_len: Option<u64>,
}

impl Journal {
    pub fn new(dir: &Path, exp: &Experiment, plan: &Plan, identity: RunIdentity) -> Journal {
        Journal {
            dir: dir.to_path_buf(),
            identity,
            plan: *plan,
            points: runner::points(exp),
            cohort_points: runner::cohort_points(exp),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn block_path(&self, b: u64) -> PathBuf {
        self.dir.join(format!("block-{b:08}.bin"))
    }

    /// Record a block (atomically: written aside, then renamed).
    pub fn record(&self, block: &BlockResult, series_len: Option<u64>) -> Result<(), OutputError> {
        let mut out = Vec::with_capacity(64 + block.outcomes.len() * 200);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&self.identity.digest);
        out.extend_from_slice(&block.index.to_le_bytes());
        out.extend_from_slice(&series_len.unwrap_or(u64::MAX).to_le_bytes());
        out.extend_from_slice(&block.person_weeks.to_le_bytes());
        out.extend_from_slice(&(block.outcomes.len() as u64).to_le_bytes());
        for o in &block.outcomes {
            out.extend_from_slice(&o.seed.to_le_bytes());
            out.extend_from_slice(&(o.headline.len() as u32).to_le_bytes());
            for v in &o.headline {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&(o.cohorts.len() as u32).to_le_bytes());
            for v in &o.cohorts {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        block.series.encode(&mut out);
        block.cohorts.encode(&mut out);
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        let path = self.block_path(block.index);
        let tmp = path.with_extension("tmp");
        storage::write(&tmp, &out).map_err(io(&tmp))?;
        fs::rename(&tmp, &path).map_err(io(&path))
    }

    /// Read a recorded block, checking that it is whole and of this run.
    pub fn load(&self, b: u64) -> Result<(BlockResult, Recorded), OutputError> {
        let path = self.block_path(b);
        let bytes = fs::read(&path).map_err(io(&path))?;
        self.decode(&bytes, b)
            .map_err(|message| OutputError::Invalid {
                path: path.clone(),
                message,
            })
    }

    fn decode(&self, bytes: &[u8], b: u64) -> Result<(BlockResult, Recorded), String> {
        let torn = || "the block file is incomplete or damaged".to_string();
        if bytes.len() < MAGIC.len() + 32 || &bytes[..MAGIC.len()] != MAGIC {
            return Err("not a foresight block file".into());
        }
        let (body, sum) = bytes.split_at(bytes.len() - 32);
        if Sha256::digest(body).as_slice() != sum {
            return Err(torn());
        }
        let mut r = Reader(&body[MAGIC.len()..]);
        if r.u32() != Some(FORMAT) {
            return Err("the block file was written by another version of foresight".into());
        }
        if r.bytes(32).ok_or_else(torn)? != self.identity.digest {
            return Err(
                "the block belongs to another run (a different experiment file, \
                 seed, number of replications or foresight version)"
                    .into(),
            );
        }
        if r.u64() != Some(b) {
            return Err(format!("expected block {b}"));
        }
        let series_len = r.u64().ok_or_else(torn)?;
        let person_weeks = r.f64().ok_or_else(torn)?;
        let cells = self.plan.block_cells(b);
        if r.u64() != Some(cells.end - cells.start) {
            return Err(torn());
        }
        let mut outcomes = Vec::with_capacity((cells.end - cells.start) as usize);
        for i in cells {
            let seed = r.u64().ok_or_else(torn)?;
            let n = r.u32().ok_or_else(torn)? as usize;
            if n != crate::model::HEADLINES.len() {
                return Err(torn());
            }
            let headline = (0..n)
                .map(|_| r.f64())
                .collect::<Option<Vec<f64>>>()
                .ok_or_else(torn)?;
            // A cell's cohort values are all there or not kept.
            let n = r.u32().ok_or_else(torn)? as usize;
            if n != 0 && n != self.cohort_points {
                return Err(torn());
            }
            let cohorts = (0..n)
                .map(|_| r.f64())
                .collect::<Option<Vec<f64>>>()
                .ok_or_else(torn)?;
            outcomes.push(Outcome {
                cell: self.plan.cell(i),
                seed,
                headline,
                cohorts,
            });
        }
        let (series, rest) = SeriesAccumulator::decode(r.0, self.points).ok_or_else(torn)?;
        let (cohorts, rest) =
            SeriesAccumulator::decode(rest, self.cohort_points).ok_or_else(torn)?;
        if !rest.is_empty() {
            return Err(torn());
        }
        Ok((
            BlockResult {
                index: b,
                series,
                cohorts,
                outcomes,
                person_weeks,
            },
            Recorded {
                series_len: (series_len != u64::MAX).then_some(series_len),
            },
        ))
    }

    /// The blocks recorded whole for this run, with what they say about the
    /// series file. Block files that are torn, left half-written (`.tmp`)
    /// or of another run are reported in `discarded` and removed; anything
    /// else is not foresight's and is refused, never removed.
    pub fn scan(&self) -> Result<Scan, OutputError> {
        let mut scan = Scan::default();
        let entries = fs::read_dir(&self.dir).map_err(io(&self.dir))?;
        for entry in entries {
            let entry = entry.map_err(io(&self.dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let index = name
                .strip_prefix("block-")
                .and_then(|n| n.strip_suffix(".bin"))
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|&b| b < self.plan.blocks());
            let path = entry.path();
            let verdict = match index {
                Some(b) => match self.load(b) {
                    Ok((_, recorded)) => {
                        scan.blocks.insert(b, recorded);
                        continue;
                    }
                    Err(e) => e.to_string(),
                },
                None if !is_block_file(&name) => {
                    return Err(OutputError::NotOurs {
                        path: self.dir.clone(),
                        what: format!("holds {name}, which is not a block file of foresight"),
                    });
                }
                None if name.ends_with(".tmp") => "half-written".into(),
                None => "not a block of this run".into(),
            };
            fs::remove_file(&path).map_err(io(&path))?;
            scan.discarded
                .push(format!("{}: {verdict}", path.display()));
        }
        Ok(scan)
    }
}

/// Whether a file name is that of a block file (`block-NNNNNNNN.bin`, or
/// `.tmp` while it is written).
pub fn is_block_file(name: &str) -> bool {
    name.strip_prefix("block-")
        .and_then(|n| n.strip_suffix(".bin").or_else(|| n.strip_suffix(".tmp")))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// What a journal holds.
#[derive(Debug, Default)]
pub struct Scan {
    pub blocks: BTreeMap<u64, Recorded>,
    pub discarded: Vec<String>,
}
