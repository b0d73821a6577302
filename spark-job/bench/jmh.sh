#!/usr/bin/env bash
# JMH microbenchmarks of the kernels (product backends, a DirectSpec+ step, Gram, top-K, metrics).
#
#   spark-job/bench/jmh.sh [REGEX]        e.g. spark-job/bench/jmh.sh 'Gemm|Step'
#
# Builds the `bench` profile's jar (spark-job/bench/jmh/target/benchmarks.jar) and runs the
# benchmarks matching REGEX (all by default) with short settings: one fork, 3 x 1 s warm-up,
# 5 x 1 s measurement. JMH_OPTS replaces those settings, e.g. JMH_OPTS='-f 3 -wi 5 -i 10'.
# OpenBLAS runs on one thread, as on the executors (spark.executorEnv.OPENBLAS_NUM_THREADS=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
regex="${1:-.}"
opts="${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"

# Offline once JMH is in the local repository; the first build has to fetch it.
offline=()
[ -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-core/1.37" ] && offline=(-o)
"$root/mvnw" -B -q "${offline[@]}" -Pbench -pl spark-job/bench/jmh -am -DskipTests package

export OPENBLAS_NUM_THREADS=1
# The Vector API module lets netlib's Java BLAS run as VectorBLAS, as in the launcher; the forks inherit
# this JVM's options. JMH_JAVA_OPTS='' measures without it (netlib's Java BLAS is then Java11BLAS).
# shellcheck disable=SC2086 # opts and JMH_JAVA_OPTS are lists of options
java ${JMH_JAVA_OPTS---add-modules jdk.incubator.vector} -jar "$root/spark-job/bench/jmh/target/benchmarks.jar" $opts "$regex"
