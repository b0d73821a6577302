#!/usr/bin/env bash
# Carves a validation dataset out of a dataset folder's TRAIN table, for tuning (the test table is
# never read): `prep` re-reads DATASET_DIR/train (Parquet: dense user/item ids, weight) and splits it per
# user at random, seeded, so the validation folder's "test" is a per-user random holdout of train.
#
#   spark-job/bench/carve-validation.sh DATASET_DIR OUTPUT_DIR [--set key=value ...]
#
# Defaults: holdout share 0.2 (the share of test rows in the CiteULike and Gowalla splits), seed 2024,
# duplicates kept as they are (train rows are already the method's training rows), and up to 10% of rows
# rejected (held-out rows whose item has no other training row cannot be ranked and go to rejected/);
# the train table's ts column is empty for these datasets, so it is not read (prep.time_col = "").
# Extra options go to prep after these (e.g. --set seed=7). Ids in OUTPUT_DIR are prep's dense ids of
# DATASET_DIR's dense ids; tuning only reads metrics, so the double mapping does not matter.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:?usage: carve-validation.sh DATASET_DIR OUTPUT_DIR [--set key=value ...]}"
out="${2:?usage: carve-validation.sh DATASET_DIR OUTPUT_DIR [--set key=value ...]}"
shift 2
[ -f "$data/_SUCCESS" ] || { echo "carve-validation: $data is not a complete dataset folder (no _SUCCESS)" >&2; exit 3; }
exec "$root/submit/directspec" prep --input "$data/train" --format parquet \
  --set directspec.prep.split=random --set directspec.prep.test_ratio=0.2 --set seed=2024 --set directspec.prep.duplicates=keep \
  --set directspec.prep.max_rejected_share=0.1 --set directspec.prep.time_col="" --output "$out" "$@"
