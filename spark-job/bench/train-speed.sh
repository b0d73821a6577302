#!/usr/bin/env bash
# Training speed benchmark: per-epoch time, interactions per second and peak memory of one method.
#
#   spark-job/bench/train-speed.sh DATASET_DIR [EPOCHS] [--set key=value ...]
#
# Runs `directspec train` in local mode (bundled jar, local[2] unless --set directspec.spark.master=...), without
# evaluation during training, under /usr/bin/time for the process's peak RSS, then prints the median
# epoch time (epoch 1, which includes JIT warm-up, is reported apart), interactions per second, and the
# JVM's peak heap. Runs whose epochs have separate phases (LightGCN: steps, back-propagation,
# propagation, Gram step, spectrum) also get the median seconds of each phase; add
# `--set eval_at_end=true` to time the final full-ranking evaluation too. Examples:
#   spark-job/bench/train-speed.sh runs/gowalla 6 --config conf/gowalla.conf
#   spark-job/bench/train-speed.sh runs/gowalla 4 --config conf/gowalla-lightgcn.conf --set eval_at_end=true
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:?usage: train-speed.sh DATASET_DIR [EPOCHS] [options...]}"
epochs="${2:-6}"
shift $(( $# >= 2 ? 2 : 1 ))
out="$(mktemp -d)/run"
log="$out.log"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }

/usr/bin/time -v -o "$out.time" "$root/submit/directspec" train --data "$data" --output "$out" \
  --set epochs="$epochs" --set eval_every=0 --set eval_at_end=false "$@" > "$log" 2>&1 || { tail -20 "$log"; exit 1; }

python3 - "$out/metrics.json" "$out.time" "$data" <<'PY'
import json, re, statistics, sys, os, platform, datetime
metrics = json.load(open(sys.argv[1]))
epochs = metrics["epochs"]
run = metrics["run"]
secs = [e["seconds"] for e in epochs]
steady = secs[1:] or secs
median = statistics.median(steady)
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(sys.argv[2]).read()).group(1))
inter = run["interactions"]
print(f"machine: {os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
      f"{platform.processor() or platform.machine()}, {datetime.date.today()}")
print(f"dataset: {sys.argv[3]}  interactions: {inter}  blocks: {run['blocks']}  steps/epoch: {run['steps_per_epoch']}")
print(f"epoch 1 (with JIT warm-up): {secs[0]:.2f} s")
print(f"median epoch (epochs 2..{len(secs)}): {median:.2f} s  (min {min(steady):.2f}, max {max(steady):.2f})")
print(f"interactions per second: {inter / median:,.0f}  ({inter / median / os.cpu_count():,.0f} per core)")
print(f"peak RSS of the process: {rss_kb / 2**20:.2f} GiB   peak JVM heap: {run['peak_heap_bytes'] / 2**30:.2f} GiB")
phases = [e["phase_seconds"] for e in epochs[1:] or epochs if "phase_seconds" in e]
if phases:
    print("median seconds per phase: " + ", ".join(f"{k} {statistics.median(p[k] for p in phases):.2f}" for k in phases[0]))
if epochs[-1].get("eval_seconds") is not None:
    print(f"final evaluation (full ranking, every test user): {epochs[-1]['eval_seconds']:.2f} s")
print(f"final effective rank users/items: {epochs[-1]['effective_rank_users']:.2f} / {epochs[-1]['effective_rank_items']:.2f}")
PY
