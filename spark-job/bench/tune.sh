#!/usr/bin/env bash
# Runs a dataset's tuning grid on its VALIDATION folder (from carve-validation.sh: the test split there
# is a seeded per-user holdout of the real train split, so the real test split is never looked at) and
# prints one Markdown row per grid point plus the best point per method by validation recall@20
# (ndcg@20 breaks ties). The chosen values are then written by hand into conf/compare/NAME-METHOD.conf.
#
#   spark-job/bench/tune.sh NAME VALIDATION_DIR RUNS_DIR [METHOD ...]
#
# NAME selects spark-job/bench/tuning/NAME.grid and the presets conf/compare/NAME-METHOD.conf; METHODs
# restrict the grid to those methods. Points already finished in RUNS_DIR (a metrics.json) are not
# retrained, so an interrupted tuning resumes. Evaluation runs once, after the last epoch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name="${1:?usage: tune.sh NAME VALIDATION_DIR RUNS_DIR [METHOD ...]}"
val="${2:?usage: tune.sh NAME VALIDATION_DIR RUNS_DIR [METHOD ...]}"
runs="${3:?usage: tune.sh NAME VALIDATION_DIR RUNS_DIR [METHOD ...]}"
shift 3
only=" $* "
grid="$root/spark-job/bench/tuning/$name.grid"
[ -f "$grid" ] || { echo "tune: no grid $grid" >&2; exit 2; }
mkdir -p "$runs"
n=0
while read -r method opts; do
  case "$method" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  [ "$only" = "  " ] || [[ "$only" == *" $method "* ]] || continue
  run="$runs/$n-$method"
  if [ ! -f "$run/metrics.json" ]; then
    echo "tune: point $n: $method $opts -> $run" >&2
    # shellcheck disable=SC2086 # the grid line's options are words by design
    "$root/submit/directspec" train --data "$val" --output "$run" --overwrite \
      --config "$root/conf/compare/$name-$method.conf" --set eval_every=0 $opts > "$run.log" 2>&1 \
      || { echo "tune: point $n failed, see $run.log" >&2; tail -5 "$run.log" >&2; continue; }
  fi
  printf '%s\t%s\t%s\n' "$n" "$method" "$opts" > "$run.point"
done < "$grid"

python3 - "$runs" <<'PY'
import glob, json, os, sys
runs = sys.argv[1]
rows = []
for p in sorted(glob.glob(os.path.join(runs, "*.point")), key=lambda s: int(os.path.basename(s).split("-")[0])):
    n, method, opts = open(p).read().rstrip("\n").split("\t")
    m = os.path.join(p[:-len(".point")], "metrics.json")
    if not os.path.exists(m):
        continue
    f = json.load(open(m))["final"]
    rows.append((method, opts, f))
print("| method | point | epochs | train s | val recall@20 | val ndcg@20 | erank users / items |")
print("|---|---|---|---|---|---|---|")
best = {}
for method, opts, f in rows:
    print(f"| {method} | `{opts}` | {f['epochs']} | {f['train_seconds']:.1f} | {f['recall@20']:.4f} "
          f"| {f['ndcg@20']:.4f} | {f['effective_rank_users']:.2f} / {f['effective_rank_items']:.2f} |")
    key = (f['recall@20'], f['ndcg@20'])
    if method not in best or key > best[method][0]:
        best[method] = (key, opts)
print()
for method, (key, opts) in best.items():
    print(f"best {method}: {opts}  (val recall@20 {key[0]:.4f}, ndcg@20 {key[1]:.4f})")
PY
