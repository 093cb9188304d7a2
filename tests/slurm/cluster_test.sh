#!/usr/bin/env bash
# A real SLURM cluster on this machine, for testing `smesim slurm` end to end.
#
#   bash tests/slurm/cluster_test.sh               # the sweep test (needs target/release/smesim)
#   bash tests/slurm/cluster_test.sh --self-test   # only the cluster: a dummy array + dependent job
#
# Installs Debian's slurm-wlm and munge if slurmctld is missing, starts a private
# single-node cluster (munged, slurmctld, slurmd) whose configuration, state, sockets and
# logs all live in one temporary folder, runs the test, and stops the daemons it started
# when it exits, whatever the outcome. The sweep test generates the batch scripts with
# `smesim slurm tests/sweeps/small.toml --shards 3`, submits them (an array job of three
# shards and a merge job that depends on it), waits, and checks that the merged folder is
# byte-identical to `smesim sweep` run in one process (apart from manifest.json).
#
# Environment: SMESIM (binary, default target/release/smesim), SMESIM_SLURM_SWEEP (sweep
# file, default tests/sweeps/small.toml), SMESIM_SLURM_TIMEOUT (seconds to wait for the
# jobs, default 1200), SMESIM_SLURM_KEEP=1 (keep the temporary folder). Runs as root
# (re-runs itself under sudo otherwise): slurmd must be root.
# See docs/cluster.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
export PATH="$PATH:/usr/sbin:/sbin"

MODE=sweep
for arg in "$@"; do
  case "$arg" in
    --self-test) MODE=self-test ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--self-test]" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "== not root: running again under sudo"
  exec sudo --preserve-env=SMESIM,SMESIM_SLURM_SWEEP,SMESIM_SLURM_TIMEOUT,SMESIM_SLURM_KEEP bash "$0" "$@"
fi

SMESIM="${SMESIM:-target/release/smesim}"
case "$SMESIM" in /*) ;; *) SMESIM="$ROOT/$SMESIM" ;; esac
SWEEP="${SMESIM_SLURM_SWEEP:-tests/sweeps/small.toml}"
case "$SWEEP" in /*) ;; *) SWEEP="$ROOT/$SWEEP" ;; esac
TIMEOUT="${SMESIM_SLURM_TIMEOUT:-1200}"
KEEP="${SMESIM_SLURM_KEEP:-0}"

T=""             # the private folder: slurm.conf, state, spool, sockets, logs, job outputs
CONF=""          # $T/slurm.conf
MUNGED_PID=""    # the daemons this script started (children of this shell)
SLURMCTLD_PID=""
SLURMD_PID=""
LOGS_SHOWN=0
POLICY_RC=""     # a policy-rc.d this script wrote for the installation, removed on exit

step() { echo "== $*"; }
fail() { echo "error: $*" >&2; exit 1; }

# --- installation ----------------------------------------------------------------------

install() {
  if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 &&
     command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
    step "slurm-wlm $(dpkg-query -W -f='${Version}' slurm-wlm 2>/dev/null || echo '?') and munge already installed"
    return
  fi
  step "installing Debian's slurm-wlm and munge"
  local sudo="" rc=0
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # No daemon may start from the packages' scripts: this test starts its own, privately.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    POLICY_RC=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$POLICY_RC" >/dev/null
    $sudo chmod 755 "$POLICY_RC"
  fi
  {
    $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge
  } >"$T/apt.log" 2>&1 || rc=$?
  remove_policy_rc
  if [ "$rc" -ne 0 ]; then cat "$T/apt.log" >&2; fail "apt-get install slurm-wlm munge failed"; fi
  command -v slurmctld >/dev/null || fail "slurmctld not found after installing slurm-wlm"
}

remove_policy_rc() {
  if [ -n "$POLICY_RC" ]; then rm -f "$POLICY_RC"; POLICY_RC=""; fi
}

# --- the cluster -----------------------------------------------------------------------

# True if something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Wait up to $2 seconds for the command "$3..." to succeed; fail if daemon $1 (a pid) died.
wait_until() {
  local pid="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.5
  done
}

munge_works() { munge -n -S "$T/munge/munge.socket" | unmunge -S "$T/munge/munge.socket"; }
node_idle() { [ "$(sinfo -h -N -o %T 2>/dev/null)" = "idle" ]; }
queue_empty() { [ -z "$(squeue -h -o %A 2>/dev/null)" ]; }

start_cluster() {
  local node cpus_line ctld_port
  node="$(hostname -s 2>/dev/null || true)"
  node="${node:-localhost}"
  # slurmd's own view of the hardware (CPUs, sockets, cores, threads, RealMemory), so that
  # the node is never drained for having less than configured.
  cpus_line="$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')"
  [ -n "$cpus_line" ] || cpus_line="CPUs=$(nproc)"
  ctld_port=6817
  while port_in_use "$ctld_port" || port_in_use $((ctld_port + 1)); do
    ctld_port=$((ctld_port + 10))
    [ "$ctld_port" -lt 7817 ] || fail "no free pair of ports for slurmctld and slurmd"
  done

  step "starting munged (private key and socket in $T/munge)"
  # munged insists that every folder above its socket is executable by all.
  chmod 755 "$T"
  mkdir -m 755 "$T/munge"
  if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile="$T/munge/munge.key"
  else
    dd if=/dev/urandom of="$T/munge/munge.key" bs=128 count=1 status=none
  fi
  chmod 400 "$T/munge/munge.key"
  munged --foreground --socket="$T/munge/munge.socket" --key-file="$T/munge/munge.key" \
    --log-file="$T/log/munged.log" --pid-file="$T/munge/munged.pid" \
    --seed-file="$T/munge/munged.seed" </dev/null >"$T/log/munged.out" 2>&1 &
  MUNGED_PID=$!
  wait_until "$MUNGED_PID" 20 munge_works || fail "munged did not start"

  step "writing $CONF (node $node: $cpus_line; ports $ctld_port, $((ctld_port + 1)))"
  mkdir -p "$T/state" "$T/spool"
  cat >"$CONF" <<CONF
# A private single-node cluster for tests/slurm/cluster_test.sh.
ClusterName=smesimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (containers rarely have them) and no accounting database.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
# Keep finished jobs visible to scontrol, which is how the test learns their exit state.
MinJobAge=86400
NodeName=$node NodeAddr=127.0.0.1 $cpus_line State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

  step "starting slurmctld and slurmd"
  slurmctld -D -f "$CONF" </dev/null >"$T/log/slurmctld.out" 2>&1 &
  SLURMCTLD_PID=$!
  wait_until "$SLURMCTLD_PID" 60 scontrol ping || fail "slurmctld did not start"
  slurmd -D -f "$CONF" -N "$node" </dev/null >"$T/log/slurmd.out" 2>&1 &
  SLURMD_PID=$!
  wait_until "$SLURMD_PID" 60 node_idle || fail "node $node is not idle: $(sinfo -h -N -o '%T %E' 2>&1)"
  sinfo
}

# Kill a daemon this script started: TERM, then KILL after 10 seconds.
stop_pid() {
  local pid="$1" name="$2" i
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "   $name ($pid) ignored TERM: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

# Processes of this cluster's jobs that outlived slurmd: slurmstepd and the jobs carry
# SLURM_CONF=$CONF in their environment (as do this script and the daemons it started,
# which are neither slurmstepd nor hold SLURM_JOB_ID).
leftover_job_processes() {
  local p env
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != "$$" ] || continue
    env="$(tr '\0' '\n' 2>/dev/null <"$p/environ")" || continue
    grep -qxF "SLURM_CONF=$CONF" <<<"$env" || continue
    if grep -q '^SLURM_JOB_ID=' <<<"$env" || [ "$(cat "$p/comm" 2>/dev/null)" = slurmstepd ]; then
      echo "${p#/proc/}"
    fi
  done
}

stop_cluster() {
  set +e
  remove_policy_rc
  if [ -n "$SLURMCTLD_PID" ] && kill -0 "$SLURMCTLD_PID" 2>/dev/null; then
    local jobs
    jobs="$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')"
    if [ -n "${jobs// /}" ]; then
      step "cancelling jobs still queued: $jobs"
      scancel $jobs 2>/dev/null
      wait_until "" 30 queue_empty
    fi
  fi
  if [ -n "$MUNGED_PID$SLURMCTLD_PID$SLURMD_PID" ]; then step "stopping the daemons this script started"; fi
  stop_pid "$SLURMD_PID" slurmd
  stop_pid "$SLURMCTLD_PID" slurmctld
  if [ -n "$CONF" ]; then
    local left
    left="$(leftover_job_processes | tr '\n' ' ')"
    if [ -n "${left// /}" ]; then echo "   killing leftover job processes: $left"; kill -KILL $left 2>/dev/null; fi
  fi
  stop_pid "$MUNGED_PID" munged
  MUNGED_PID="" SLURMCTLD_PID="" SLURMD_PID=""
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$KEEP" = 1 ]; then echo "   kept $T"; else rm -rf "$T"; fi
  fi
}

show_logs() {
  [ "$LOGS_SHOWN" = 0 ] && [ -n "$T" ] && [ -d "$T" ] || return 0
  LOGS_SHOWN=1
  echo "== logs for debugging" >&2
  if [ -n "$SLURMCTLD_PID" ] && kill -0 "$SLURMCTLD_PID" 2>/dev/null; then
    echo "--- squeue" >&2; squeue >&2 2>&1 || true
    echo "--- every job: id [array task] state reason" >&2; job_states 0 >&2 || true
  fi
  local f
  for f in "$T"/log/* "$T"/selftest/*.out "$T"/cluster/logs/* "$T"/*.log; do
    [ -s "$f" ] || continue
    # A daemon's .out (its stderr under -D) repeats its .log; it matters only without one.
    case "$f" in *.out) [ ! -s "${f%.out}.log" ] || continue ;; esac
    echo "--- $f (last 60 lines)" >&2
    tail -n 60 "$f" >&2
  done
}

on_exit() {
  local rc=$?
  trap - EXIT
  # Clean up even if the output went to a pipe that has closed (`... | head`).
  trap '' PIPE
  set +e
  if [ "$rc" -ne 0 ]; then show_logs; fi
  stop_cluster
  if [ "$rc" -ne 0 ]; then echo "== FAILED (exit code $rc)" >&2; fi
  exit "$rc"
}

# --- jobs ------------------------------------------------------------------------------

# The state of every job with (array) job id >= $1, one "ID [task N] STATE REASON" line per
# job record.
job_states() {
  local since="$1" line id base task state reason
  local re_id='^JobId=([0-9]+)' re_base=' ArrayJobId=([0-9]+)' re_task=' ArrayTaskId=([^ ]+)'
  local re_state=' JobState=([A-Z_]+)' re_reason=' Reason=([^ ]+)'
  while read -r line; do
    [[ $line =~ $re_id ]] || continue
    id="${BASH_REMATCH[1]}" base="${BASH_REMATCH[1]}" task="" state="?" reason=""
    if [[ $line =~ $re_base ]]; then base="${BASH_REMATCH[1]}"; fi
    if [[ $line =~ $re_task ]]; then task=" task ${BASH_REMATCH[1]}"; fi
    if [[ $line =~ $re_state ]]; then state="${BASH_REMATCH[1]}"; fi
    if [[ $line =~ $re_reason ]]; then reason="${BASH_REMATCH[1]}"; fi
    if [ "$base" -ge "$since" ]; then echo "$id$task $state $reason"; fi
  done < <(scontrol show job -o 2>/dev/null || true)
}

# Wait until every job with id >= $1 (default: all) has completed. Returns 1 as soon as one
# failed, was cancelled or timed out, or waits on a dependency that can never be satisfied,
# and fails after $TIMEOUT seconds.
wait_for_jobs() {
  local since="${1:-0}" deadline=$((SECONDS + TIMEOUT)) next_report=$((SECONDS + 60)) states
  while true; do
    states="$(job_states "$since")"
    [ -n "$states" ] || fail "no jobs found in the cluster"
    if grep -Eq ' (FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED) |DependencyNeverSatisfied' <<<"$states"; then
      echo "   a job failed:"; sed 's/^/     /' <<<"$states"
      return 1
    fi
    if ! grep -vq ' COMPLETED ' <<<"$states"; then
      sed 's/^/     /' <<<"$states"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "   still running after $TIMEOUT s:"; sed 's/^/     /' <<<"$states"
      fail "timed out waiting for the jobs (SMESIM_SLURM_TIMEOUT=$TIMEOUT)"
    fi
    if [ "$SECONDS" -ge "$next_report" ]; then
      echo "   waiting ($((SECONDS - deadline + TIMEOUT)) s): $(squeue -h -o '%i %T %r' | tr '\n' ';')"
      next_report=$((SECONDS + 60))
    fi
    sleep 1
  done
}

# The next job id the controller will hand out, at least (so a test waits for its own jobs).
next_job_id() {
  local line last=0 re_id='^JobId=([0-9]+)'
  while read -r line; do
    if [[ $line =~ $re_id ]] && [ "${BASH_REMATCH[1]}" -gt "$last" ]; then last="${BASH_REMATCH[1]}"; fi
  done < <(scontrol show job -o 2>/dev/null || true)
  echo $((last + 1))
}

self_test() {
  local out="$T/selftest" array dependent since expected
  mkdir -p "$out"
  step "self-test: an array job of 3 tasks and a job that depends on it"
  since="$(next_job_id)"
  array="$(sbatch --parsable --job-name=selftest --array=1-3 --chdir="$out" \
    --output="$out/array-%A_%a.out" \
    --wrap 'echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $SLURM_ARRAY_TASK_MIN" > task.$SLURM_ARRAY_TASK_ID')"
  dependent="$(sbatch --parsable --job-name=selftest-merge --dependency="afterok:$array" \
    --chdir="$out" --output="$out/merge-%j.out" --wrap 'cat task.1 task.2 task.3 > merged.txt')"
  echo "   array job $array, dependent job $dependent"
  wait_for_jobs "$since" || fail "the self-test jobs failed"
  expected="$(printf '1 3 1\n2 3 1\n3 3 1')"
  [ "$(cat "$out/merged.txt")" = "$expected" ] ||
    fail "merged.txt is not the three tasks' lines: $(cat "$out/merged.txt")"
  echo "   the dependent job ran after all three tasks and saw their outputs"

  step "self-test: a failing array job is reported, and its dependent job never runs"
  since="$(next_job_id)"
  array="$(sbatch --parsable --job-name=selftest-fail --array=1-2 --chdir="$out" \
    --output="$out/fail-%A_%a.out" --wrap 'exit 3')"
  sbatch --parsable --job-name=selftest-fail-merge --dependency="afterok:$array" \
    --chdir="$out" --output="$out/fail-merge-%j.out" --wrap 'touch never' >/dev/null
  if wait_for_jobs "$since"; then fail "a failing array job went unnoticed"; fi
  [ ! -e "$out/never" ] || fail "the dependent job ran although the array job failed"
  scancel $(squeue -h -o %A | sort -u)
  wait_until "" 30 queue_empty || fail "could not cancel the pending job"
  echo "   detected, as it should be"
}

# The same listing of a result folder, whatever its location (manifest.json left out).
listing() { (cd "$1" && find . -mindepth 1 ! -name manifest.json | LC_ALL=C sort); }

sweep_test() {
  local sweep="$SWEEP" dir="$T/cluster" i f
  [ -x "$SMESIM" ] || fail "no smesim binary at $SMESIM (run cargo build --release first)"
  [ -f "$sweep" ] || fail "no sweep file $sweep"

  step "smesim slurm: batch scripts for 3 shards of ${sweep#"$ROOT"/} into $dir"
  "$SMESIM" slurm "$sweep" --shards 3 --cpus-per-task 1 --out "$dir"
  for f in sweep.resolved.toml sweep.sbatch merge.sbatch submit.sh; do
    [ -s "$dir/$f" ] || fail "smesim slurm did not write $dir/$f"
  done

  step "submitting (bash $dir/submit.sh)"
  local since
  since="$(next_job_id)"
  bash "$dir/submit.sh"
  step "waiting for the array job and the merge job (at most $TIMEOUT s)"
  wait_for_jobs "$since" || fail "a job failed"
  for i in 1 2 3; do
    [ -d "$dir/shards/shard-$i-of-3" ] || fail "no shard folder $dir/shards/shard-$i-of-3"
  done
  [ -s "$dir/merged/manifest.json" ] || fail "the merge job wrote no $dir/merged/manifest.json"

  step "the same sweep in one process (smesim sweep)"
  "$SMESIM" sweep "$sweep" --out "$T/single" --quiet

  step "comparing $dir/merged with $T/single byte for byte (apart from manifest.json)"
  [ -s "$T/single/manifest.json" ] || fail "the single-process run wrote no manifest.json"
  if ! diff <(listing "$T/single") <(listing "$dir/merged"); then
    fail "the merged folder and the single-process folder hold different files"
  fi
  diff -r -x manifest.json "$T/single" "$dir/merged" ||
    fail "the merged result differs from the single-process result"
  echo "   identical: $(listing "$T/single" | wc -l) files and folders"
}

run_test() {
  if [ "$MODE" = self-test ]; then self_test; else sweep_test; fi
}

# --- main ------------------------------------------------------------------------------

main() {
  local t0=$SECONDS t1 t2 t3
  T="$(mktemp -d /tmp/smesim-slurm.XXXXXX)"
  CONF="$T/slurm.conf"
  export SLURM_CONF="$CONF"   # sbatch, squeue, scontrol and the jobs find the cluster here
  mkdir -p "$T/log"
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  trap 'exit 141' PIPE
  install
  t1=$SECONDS
  start_cluster
  t2=$SECONDS
  run_test
  t3=$SECONDS
  stop_cluster
  step "passed ($MODE) in $((SECONDS - t0)) s: install $((t1 - t0)) s, start $((t2 - t1)) s, test $((t3 - t2)) s, stop $((SECONDS - t3)) s"
}

main
