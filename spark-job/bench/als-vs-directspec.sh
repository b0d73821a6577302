#!/usr/bin/env bash
# Spark MLlib ALS (implicit) against our MF DirectSpec+ on one dataset folder, as a Markdown table.
#
#   spark-job/bench/als-vs-directspec.sh DATASET_DIR [--set key=value | --config FILE ...]
#
# Both runs go through `directspec train` (bundled jar, local mode unless --set directspec.spark.master=...):
#   ALS:         --set method=als --set directspec.als.max_iter=10          (rank = train.dim = 64; ALS_ARGS replaces)
#   DirectSpec+: --config conf/gowalla.conf --set epochs=40      (DIRECTSPEC_ARGS replaces)
# Extra options go to both runs, after those defaults (e.g. --set seed=7, --set dim=32). Train seconds
# are the fit (ALS) or the sum of epoch times (DirectSpec+), evaluation excluded; metrics are the final
# full-ranking ones of each run's metrics.json. Gowalla takes about 10 minutes on 2 cores: run it on an
# otherwise idle machine. Runs are kept under a fresh temporary folder (printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:?usage: als-vs-directspec.sh DATASET_DIR [--set key=value ...]}"
shift
read -r -a als_args <<< "${ALS_ARGS:---set method=als --set directspec.als.max_iter=10}"
read -r -a ds_args <<< "${DIRECTSPEC_ARGS:---config $root/conf/gowalla.conf --set epochs=40}"
runs="$(mktemp -d)"

train() { # name, then train options
  local name="$1"
  shift
  echo "training $name -> $runs/$name (log $runs/$name.log)" >&2
  "$root/submit/directspec" train --data "$data" --output "$runs/$name" "$@" > "$runs/$name.log" 2>&1 \
    || { tail -20 "$runs/$name.log" >&2; exit 1; }
}

train als "${als_args[@]}" "$@"
train directspec+ "${ds_args[@]}" "$@"

python3 - "$data" "$runs" <<'PY'
import datetime, json, os, platform, sys
data, runs = sys.argv[1], sys.argv[2]
mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
print(f"dataset: {data}  runs: {runs}")
print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, {platform.processor() or platform.machine()}, "
      f"{datetime.date.today()}\n")
print("| method | epochs / iterations | train s | recall@20 | ndcg@20 | recall_capped@20 | effective rank users / items |")
print("|---|---|---|---|---|---|---|")
for name in ("als", "directspec+"):
    f = json.load(open(os.path.join(runs, name, "metrics.json")))["final"]
    print(f"| {name} | {f['epochs']} | {f['train_seconds']:.1f} | {f['recall@20']:.4f} | {f['ndcg@20']:.4f} "
          f"| {f['recall_capped@20']:.4f} | {f['effective_rank_users']:.2f} / {f['effective_rank_items']:.2f} |")
PY
