#!/usr/bin/env bash
# Benchmark: prep of the Gowalla given split (810,128 train + 217,242 test rows) in local mode.
# Builds nothing: run `mvn -B -o -pl data-prep compile` first. Reads ../shared/data/gowalla (never
# copied into the repo; or $DIRECTSPEC_DATA/gowalla); replaces OUTPUT_DIR; prints wall seconds.
# Usage: data-prep/bench/prep-gowalla.sh [OUTPUT_DIR] [extra key=value settings...]
# BENCH_JAVA_OPTS adds JVM options (e.g. -Dbench.master=local[4], or a log4j2 configuration file).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
data="${DIRECTSPEC_DATA:-$root/../shared/data}/gowalla"
out="${1:-${TMPDIR:-/tmp}/prep-gowalla-bench}"
shift || true
[[ -f "$data/train.txt" ]] || { echo "Gowalla data not found at $data (set DIRECTSPEC_DATA)" >&2; exit 2; }
[[ -d "$module/target/classes/dev" ]] || { echo "build first: mvn -B -o -pl data-prep compile" >&2; exit 2; }
cpfile="$module/target/bench.classpath"
# Compile classpath (Spark is 'provided' but on it), taken from the compiler's debug output because the
# cached maven-dependency-plugin versions cannot resolve offline. maven.main.skip: print, do not compile.
(cd "$root" && mvn -B -o -X -pl data-prep compiler:compile -Dmaven.main.skip=true 2>/dev/null) \
  | sed -n 's/^\[DEBUG\]   (f) compilePath = \[\(.*\)\]$/\1/p' | head -1 | sed 's/, /:/g' > "$cpfile"
[[ -s "$cpfile" ]] || { echo "could not get the classpath from maven" >&2; exit 2; }
cp="$(cat "$cpfile")"
opens="$(sed -n 's:.*<spark.test.jvm.args>\(.*\)</spark.test.jvm.args>.*:\1:p' "$root/pom.xml")"
start=$(date +%s.%N)
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} $opens -cp "$cp" "$here/PrepBench.java" "$out" "$data/test.txt" "$data/train.txt" "$@"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "total wall seconds (JVM + Spark + prep): %.1f\n", e - s }'
