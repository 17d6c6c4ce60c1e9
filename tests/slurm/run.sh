#!/usr/bin/env bash
# A real Slurm run of a sharded experiment (docs/cluster.md). Sets up a
# one-node Slurm cluster on this machine (Debian's slurm-wlm and munge, no
# systemd, no cgroups), submits the documented job scripts (shards.sbatch as
# an array, merge.sbatch after it with --dependency=afterok), and checks that
# the merged output is the single-machine run's byte for byte. Then: an array
# task cancelled part way keeps its completed blocks, merge refuses the
# incomplete set, the documented re-run of that task alone resumes from its
# blocks and the merge matches again; a shard run as Kubernetes pod 2 would
# (JOB_COMPLETION_INDEX, no Kubernetes) gives the same blocks; and a failed
# array cancels its merge job instead of leaving it pending.
# Stops the daemons it started when it ends, even on failure. Runs as root.
#
#   bash tests/slurm/run.sh
#
# FORESIGHT names a binary to use instead of building
# target/release/foresight.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

# The bundled experiment with one replication: 36 cells in 36 blocks, so
# shard 2 of 4 has 9 blocks, enough to be cancelled part way.
experiment=scenarios/experiment.yaml
reps=1
shards=4
node=$(hostname -s)
conf=/etc/slurm/slurm.conf
marker="# Written by foresight's tests/slurm/run.sh; replaced on each run."
# Daemon state, spool, logs and pid files: fresh on each run, removed at the
# end, so a second run starts from nothing (no old jobs, no job-id clash).
base=/run/foresight-slurm
work=""
started_munged=""
started_slurmctld=""
started_slurmd=""

say() { echo "== $*"; }
fail() {
  echo "FAIL: $*"
  exit 1
}

# Stop one process this script started: TERM, then KILL after 15 s.
stop_pid() {
  local pid=$1 name=$2
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name ($pid) did not stop on TERM: KILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT
  set +e
  if [ -n "$started_slurmctld" ] && kill -0 "$started_slurmctld" 2>/dev/null; then
    # Every job on this cluster is this run's: cancel what is left, so that
    # no job step outlives the daemons.
    if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
      echo "cancelling the jobs still queued or running"
      scancel --user="$(id -un)" 2>/dev/null
      for _ in $(seq 1 30); do
        [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
        sleep 1
      done
    fi
  fi
  if [ "$rc" -ne 0 ]; then
    for f in "$base"/log/*.log "$base"/*.out ${work:+"$work"/*.out}; do
      [ -s "$f" ] || continue
      echo "---- last lines of $f"
      tail -n 25 "$f"
    done
  fi
  [ -n "$started_slurmd$started_slurmctld$started_munged" ] && say "stopping the daemons this script started"
  stop_pid "$started_slurmd" slurmd
  stop_pid "$started_slurmctld" slurmctld
  stop_pid "$started_munged" munged
  [ -n "$work" ] && rm -rf "$work"
  rm -rf "$base"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The job scripts are the documented example: the docs must show them as
# they are.
for f in tests/slurm/shards.sbatch tests/slurm/merge.sbatch; do
  [[ "$(cat docs/cluster.md)" == *"$(cat "$f")"* ]] ||
    fail "docs/cluster.md does not show $f as it is: copy it there"
done

if [ "$(id -u)" -ne 0 ]; then
  fail "run as root: this script installs packages and starts the Slurm and munge daemons"
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  say "installing Debian's slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi
slurmctld -V

# A run of this script that was killed before its trap ran leaves its
# daemons behind, with their pids in $base: stop those (and only those).
for name in slurmd slurmctld munged; do
  f=$base/$name.started
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    echo "stopping $name ($pid) left by an earlier run"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
# ... and its work folder.
if [ -f "$base/work.path" ]; then
  old_work=$(cat "$base/work.path")
  case $old_work in /tmp/foresight-slurm.*) rm -rf "$old_work" ;; esac
fi
rm -rf "$base"
mkdir -p "$base/state" "$base/spool" "$base/log"

say "munge"
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  echo "a munged is already running: using it"
else
  key=/etc/munge/munge.key
  # Debian's package makes a 128-byte key; Slurm's docs ask for 1 KiB.
  if [ ! -f "$key" ] || [ "$(stat -c %s "$key")" -ne 1024 ]; then
    dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
  fi
  chown munge:munge "$key"
  chmod 0400 "$key"
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  # A socket left by a munged that was killed would make the new one refuse.
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  setpriv --reuid=munge --regid=munge --init-groups munged --foreground \
    >"$base/munged.out" 2>&1 &
  started_munged=$!
  echo "$started_munged" >"$base/munged.started"
  for _ in $(seq 1 20); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.5
  done
  munge -n | unmunge >/dev/null || fail "munged did not start"
  echo "munged started (pid $started_munged)"
fi

say "slurm.conf for a one-node cluster on $node"
if [ -f "$conf" ] && ! grep -qxF "$marker" "$conf"; then
  fail "$conf exists and was not written by this script: not replacing a real cluster's configuration"
fi
cpus=$(nproc)
# The job scripts ask for memory (--mem), so the node must declare some.
memory_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 9 / 10240))
cat >"$conf" <<EOF
$marker
# A one-node cluster for tests/slurm/run.sh: controller and compute node are
# this machine, reached on the loopback address only.
ClusterName=foresight
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
# No cgroups, no systemd on this machine: track job processes through /proc
# and do no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
cat "$conf"

say "starting slurmctld and slurmd"
if scontrol ping 2>/dev/null | grep -q 'is UP'; then
  fail "a slurmctld not started by this script answers: stop it first"
fi
slurmctld -D >"$base/slurmctld.out" 2>&1 &
started_slurmctld=$!
echo "$started_slurmctld" >"$base/slurmctld.started"
# Job steps inherit slurmd's nice value (PropagatePrioProcess=0, the
# default), so the shards yield the shared cores as other heavy jobs should.
nice -n 10 slurmd -D >"$base/slurmd.out" 2>&1 &
started_slurmd=$!
echo "$started_slurmd" >"$base/slurmd.started"
state=""
for _ in $(seq 1 60); do
  kill -0 "$started_slurmctld" 2>/dev/null || fail "slurmctld exited"
  kill -0 "$started_slurmd" 2>/dev/null || fail "slurmd exited"
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || fail "node $node is '$state', not idle, after 60 s"
sinfo

if [ -z "${FORESIGHT:-}" ]; then
  say "building foresight (release)"
  cargo build --release -q
  FORESIGHT=$repo/target/release/foresight
fi
export FORESIGHT
"$FORESIGHT" merge --help >/dev/null 2>&1 || fail "$FORESIGHT has no merge command"

work=$(mktemp -d /tmp/foresight-slurm.XXXXXX)
echo "$work" >"$base/work.path"
shards_dir=$work/experiment.shards
last=$((shards - 1))

say "single machine: foresight run $experiment -n $reps"
start=$SECONDS
# Without the array variables, should this script itself run inside a job.
nice -n 10 env -u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_COUNT -u SLURM_ARRAY_TASK_MIN \
  -u JOB_COMPLETION_INDEX -u FORESIGHT_SHARD_COUNT \
  "$FORESIGHT" run "$experiment" -n "$reps" --out "$work/single" >"$work/single.txt"
echo "single machine: $((SECONDS - start)) s"

# Compare every results table of two output folders byte for byte: CSV and
# Parquet (an experiment writes Parquet by default).
compare() {
  local a=$1 b=$2 f names_a names_b
  mapfile -t names_a < <(cd "$a" && ls -- *.csv *.parquet 2>/dev/null)
  mapfile -t names_b < <(cd "$b" && ls -- *.csv *.parquet 2>/dev/null)
  [ "${#names_a[@]}" -gt 0 ] || fail "$a has no tables"
  [ "${names_a[*]}" = "${names_b[*]}" ] ||
    fail "different tables: $a has [${names_a[*]}], $b has [${names_b[*]}]"
  for f in "${names_a[@]}"; do
    cmp "$a/$f" "$b/$f" || fail "$f differs between $a and $b"
  done
  for f in summary experiments outcomes robustness satisficing failures; do
    [ -f "$b/$f.csv" ] || [ -f "$b/$f.parquet" ] || fail "$b has no $f table"
  done
  test -s "$b/manifest.json" || fail "$b has no manifest.json"
  echo "identical: ${#names_a[@]} tables (${names_a[*]})"
}

# The end states of a job (every task of an array), e.g. "COMPLETED": sbatch
# --wait's exit status is 0 for a job cancelled before it ran, so the states
# are what tells success. Slurm keeps finished jobs for MinJobAge (300 s).
job_states() {
  scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' ' | sed 's/ $//'
}
expect_completed() {
  local states
  states=$(job_states "$1")
  [ "$states" = COMPLETED ] || fail "job $1 ended as: $states"
}

say "Slurm: sbatch --array=0-$last shards.sbatch, then merge.sbatch with --dependency=afterok"
start=$SECONDS
jid=$(sbatch --parsable --chdir="$work" --array="0-$last" tests/slurm/shards.sbatch \
  "$repo/$experiment" "$shards_dir" -n "$reps")
jid=${jid%%;*}
echo "array job $jid submitted"
squeue
mid=$(timeout 1800 sbatch --parsable --wait --chdir="$work" --dependency="afterok:$jid" \
  tests/slurm/merge.sbatch "$work/merged" "$shards_dir") ||
  fail "the merge job (after array job $jid) did not succeed"
mid=${mid%%;*}
expect_completed "$jid"
expect_completed "$mid"
echo "array job $jid and merge job $mid: COMPLETED"
echo "array and merge: $((SECONDS - start)) s"
for k in $(seq 0 "$last"); do
  [ -d "$shards_dir/shard-$k-of-$shards" ] || fail "no $shards_dir/shard-$k-of-$shards"
  [ -f "$work/foresight-shards-${jid}_$k.out" ] || fail "no log of array task $k"
done
ls "$shards_dir"

say "merged output against the single-machine run"
compare "$work/single" "$work/merged"

say "an array task cancelled part way (scancel, as at a time limit)"
# Run shard 2 again on its own and cancel it once it has recorded two
# blocks: foresight stops on SIGTERM and keeps them beside the shard folder.
victim=$shards_dir/shard-2-of-$shards
staging=$shards_dir/.shard-2-of-$shards.partial
rm -rf "$victim"
rid=$(sbatch --parsable --chdir="$work" --array=2 tests/slurm/shards.sbatch \
  "$repo/$experiment" "$shards_dir" -n "$reps" --shard "2/$shards")
rid=${rid%%;*}
recorded=0
for _ in $(seq 1 1500); do
  recorded=$(find "$staging/journal" -name 'block-*.bin' 2>/dev/null | wc -l || true)
  [ "$recorded" -ge 2 ] && break
  [ -d "$victim" ] && fail "shard 2 finished before it could be cancelled"
  sleep 0.2
done
[ "$recorded" -ge 2 ] || fail "shard 2 recorded no blocks in 300 s"
scancel "$rid"
for _ in $(seq 1 120); do
  [ -z "$(squeue -h -j "$rid" 2>/dev/null)" ] && break
  sleep 0.5
done
[ "$(job_states "$rid")" = CANCELLED ] || fail "job $rid ended as: $(job_states "$rid")"
[ ! -e "$victim" ] || fail "a cancelled shard left a shard folder"
recorded=$(find "$staging/journal" -name 'block-*.bin' | wc -l)
echo "array task ${rid}_2 cancelled with $recorded blocks recorded in $staging"
tail -n 3 "$work/foresight-shards-${rid}_2.out"

say "merge refuses the incomplete set of shards"
if "$FORESIGHT" merge "$work/incomplete" "$shards_dir" >"$work/incomplete.txt" 2>&1; then
  fail "merge succeeded with shard 2 missing"
fi
cat "$work/incomplete.txt"
grep -q 'missing shards' "$work/incomplete.txt" || fail "merge did not say which shards are missing"
[ ! -e "$work/incomplete" ] || fail "merge wrote a folder from an incomplete set"

say "re-run array task 2 alone (docs/cluster.md): it resumes; then merge again"
rid=$(timeout 1200 sbatch --parsable --wait --chdir="$work" --array=2 tests/slurm/shards.sbatch \
  "$repo/$experiment" "$shards_dir" -n "$reps" --shard "2/$shards") ||
  fail "the re-run of array task 2 failed"
rid=${rid%%;*}
expect_completed "$rid"
tail -n 2 "$work/foresight-shards-${rid}_2.out"
grep -q 'taken from the interrupted run' "$work/foresight-shards-${rid}_2.out" ||
  fail "the re-run did not resume from the recorded blocks"
[ -d "$victim" ] || fail "the re-run wrote no $victim"
mid=$(timeout 600 sbatch --parsable --wait --chdir="$work" tests/slurm/merge.sbatch \
  "$work/remerged" "$shards_dir") || fail "the merge after the re-run failed"
expect_completed "${mid%%;*}"
compare "$work/single" "$work/remerged"

say "a Kubernetes Indexed Job's environment, without Kubernetes: JOB_COMPLETION_INDEX=2, --shard-count $shards"
# Kubernetes is not run here; this checks foresight's side of the manifest
# in docs/cluster.md: the same shard from the pod's variables, merged with
# the Slurm tasks' other shards, given one by one.
k8s_dir=$work/k8s.shards
env -u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_COUNT -u SLURM_ARRAY_TASK_MIN \
  JOB_COMPLETION_INDEX=2 nice -n 10 "$FORESIGHT" run "$experiment" -n "$reps" \
  --shard-count "$shards" --out "$k8s_dir" --resume >"$work/k8s.txt" 2>&1 ||
  { cat "$work/k8s.txt"; fail "the run as pod 2 failed"; }
[ -d "$k8s_dir/shard-2-of-$shards" ] || fail "the run as pod 2 wrote no $k8s_dir/shard-2-of-$shards"
diff -r "$victim/blocks" "$k8s_dir/shard-2-of-$shards/blocks" ||
  fail "shard 2's blocks differ between the Slurm task and the run as pod 2"
echo "shard 2's blocks are the same from Slurm (resumed) and from JOB_COMPLETION_INDEX"
others=()
for k in $(seq 0 "$last"); do
  if [ "$k" -eq 2 ]; then others+=("$k8s_dir/shard-2-of-$shards"); else others+=("$shards_dir/shard-$k-of-$shards"); fi
done
"$FORESIGHT" merge "$work/mixed" "${others[@]}" >"$work/mixed.txt" 2>&1 ||
  { cat "$work/mixed.txt"; fail "merging shard folders given one by one failed"; }
compare "$work/single" "$work/mixed"

say "a failed array cancels its merge job (--kill-on-invalid-dep) instead of leaving it pending"
bad=$(sbatch --parsable --chdir="$work" --array="0-$last" tests/slurm/shards.sbatch \
  "$work/no-such-experiment.yaml" "$work/bad.shards")
bad=${bad%%;*}
rc=0
mid=$(timeout 300 sbatch --parsable --wait --chdir="$work" --dependency="afterok:$bad" \
  tests/slurm/merge.sbatch "$work/bad-merged" "$work/bad.shards") || rc=$?
mid=${mid%%;*}
[ "$rc" -ne 124 ] || fail "the merge job after failed array job $bad was still pending after 300 s"
[ "$(job_states "$bad")" = FAILED ] || fail "array job $bad ended as: $(job_states "$bad")"
[ "$(job_states "$mid")" = CANCELLED ] || fail "merge job $mid ended as: $(job_states "$mid")"
[ ! -e "$work/bad-merged" ] || fail "the merge job wrote $work/bad-merged"
echo "array job $bad: FAILED; its merge job $mid: CANCELLED"

say "slurm test passed"
