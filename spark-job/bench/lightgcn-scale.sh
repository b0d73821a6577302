#!/usr/bin/env bash
# LightGCN at scale: a synthetic graph of 2M users, 1M items and ~20M training edges, trained in local
# mode on this machine; prints time per epoch (with its phases) and peak RSS via train-speed.sh.
#
#   spark-job/bench/lightgcn-scale.sh WORKDIR [EPOCHS] [--set key=value ...]
#
# WORKDIR receives raw-20m/ (generate, 22.2M rows with a 10% test split) and ds-20m/ (prep); both are
# reused when present. Evaluation is off (ranking 1M items for 2M users is a separate job: `evaluate`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:?usage: lightgcn-scale.sh WORKDIR [EPOCHS] [options...]}"
epochs="${2:-3}"
shift $(( $# >= 2 ? 2 : 1 ))
export DIRECTSPEC_JAVA_OPTS="${DIRECTSPEC_JAVA_OPTS:--Xmx14g}"
if [ ! -f "$work/raw-20m/_SUCCESS" ]; then
  "$root/submit/directspec" generate --interactions 22200000 --users 2000000 --items 1000000 --test-ratio 0.1 \
    --output "$work/raw-20m" --overwrite
fi
if [ ! -f "$work/ds-20m/_SUCCESS" ]; then
  "$root/submit/directspec" prep --input "$work/raw-20m/train" --test "$work/raw-20m/test" --output "$work/ds-20m" \
    --overwrite
fi
"$here/train-speed.sh" "$work/ds-20m" "$epochs" --config "$root/conf/gowalla-lightgcn.conf" "$@"
