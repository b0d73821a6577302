#!/usr/bin/env bash
# A model larger than any one executor trains: a Spark standalone cluster on 127.0.0.1 (one master, one
# worker, EXECUTORS executors of EXECUTOR_MEMORY heap and one core each, all started from the bundled jar's
# classpath, no Spark installation), a synthetic dataset whose factor tables (|U| + |I|) x d x 4 bytes are
# at least twice one executor's heap, 3 epochs of MF directspec+ with the model written, then the figures.
#
#   tests/bench/model-larger-than-executor.sh WORKDIR
#
# Needs submit/target/directspec-bundled.jar (./mvnw -B -o -q -DskipTests -pl submit -am package).
# Sizes can be changed through the environment (defaults in brackets): USERS [9000000], ITEMS [200000],
# INTERACTIONS [9000000: at least one per user, about 1.3 on average], DIM [64], BLOCKS [16],
# EXECUTORS [4], EXECUTOR_MEMORY [1g], MEMORY_FRACTION [0.3: spark.memory.fraction; the rest of the heap
# above Spark's reserved 300 MiB is for the running task's blocks, see docs/sizing.md], EPOCHS [3].
# Every stratum moves the whole model through the executors' memory stores and local disks, so the time
# grows with BLOCKS (strata per epoch); with 12 blocks two executors ran out of heap here (181 MB arrays).
#
# Peak executor heap is read from the executors' own GC logs (-Xlog:gc): the largest heap occupancy right
# after a collecting pause (young, mixed or full), an upper bound of what the executor really held (a young
# pause leaves the old generation's garbage in place).
# Spark's JVMHeapMemory peak (REST API / event log) samples used heap including garbage not yet collected,
# which on a busy JVM climbs towards -Xmx whatever the live data are, so it does not show what must fit.
# Shuffle bytes per epoch are the shuffle writes of the stages named "epoch N/..." in the event log.
# The last line gives table bytes, executor heap, peak executor heap and shuffle bytes per epoch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: model-larger-than-executor.sh WORKDIR}"
users="${USERS:-9000000}"; items="${ITEMS:-200000}"; interactions="${INTERACTIONS:-9000000}"
dim="${DIM:-64}"; blocks="${BLOCKS:-16}"; executors="${EXECUTORS:-4}"; executor_memory="${EXECUTOR_MEMORY:-1g}"
memory_fraction="${MEMORY_FRACTION:-0.3}"; epochs="${EPOCHS:-3}"
jar="${DIRECTSPEC_JAR:-$root/submit/target/directspec-bundled.jar}"
[ -f "$jar" ] || { echo "no bundled jar at $jar: ./mvnw -B -o -q -DskipTests -pl submit -am package" >&2; exit 2; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
started=$(date +%s)
mkdir -p "$work"
work="$(cd "$work" && pwd)"
cluster="$work/cluster"
rm -rf "$cluster" "$work/run" "$work/run._incomplete"
mkdir -p "$cluster/spark-home/jars" "$cluster/logs" "$cluster/tmp" "$cluster/gc" "$cluster/events" "$cluster/worker"
# A Worker builds its executors' classpath from SPARK_HOME/jars; SPARK_SCALA_VERSION names the Scala build.
ln -s "$jar" "$cluster/spark-home/jars/directspec-bundled.jar"
# Only the daemons see this SPARK_HOME: with one set, the launcher would look for its bin/spark-submit.
unset SPARK_HOME
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$cluster/tmp" SPARK_SCALA_VERSION=2.13
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
stop_cluster() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_cluster EXIT
daemon() {  # name main-class args...
  local name="$1"; shift
  SPARK_HOME="$cluster/spark-home" "$java" -Xmx256m -Djava.io.tmpdir="$cluster/tmp" "${opens[@]}" -cp "$jar" "$@" > "$cluster/logs/$name.log" 2>&1 &
  pids+=($!)
}

port=$(free_port); ui=$(free_port)
master="spark://127.0.0.1:$port"
daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui"
heap_mb=$(( $(numfmt --from=iec "${executor_memory^^}") / 1048576 ))
daemon worker org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$executors" \
  --memory "$(( executors * heap_mb ))m" --work-dir "$cluster/worker" --webui-port 0 "$master"
for _ in $(seq 1 90); do
  alive=$(curl -sf "http://127.0.0.1:$ui/json/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["aliveworkers"])' 2>/dev/null || echo 0)
  [ "$alive" = 1 ] && break
  sleep 1
done
[ "$alive" = 1 ] || { echo "the worker did not register with $master; see $cluster/logs" >&2; exit 4; }
echo "cluster: $master, 1 worker, $executors executors x $executor_memory heap, 1 core each"

ds="$root/submit/directspec"
export DIRECTSPEC_JAR="$jar"
# generate and prep run in local mode (the bundled jar with plain java); only training runs on the cluster.
# A user whose only interaction went to the test split has test rows that prep rejects (unknown user):
# about 6% of the rows here, above the default 5% limit. The benchmark does not evaluate, so they may go.
if [ ! -f "$work/data/_SUCCESS" ]; then
  [ -f "$work/synthetic/_SUCCESS" ] || DIRECTSPEC_JAVA_OPTS="-Xmx6g -Djava.io.tmpdir=$cluster/tmp" "$ds" generate \
    --interactions "$interactions" --users "$users" --items "$items" --test-ratio 0.1 --output "$work/synthetic" \
    --overwrite > "$work/generate.log" 2>&1 || { echo "generate failed; see $work/generate.log" >&2; exit 4; }
  DIRECTSPEC_JAVA_OPTS="-Xmx6g -Djava.io.tmpdir=$cluster/tmp" "$ds" prep --input "$work/synthetic/train" \
    --test "$work/synthetic/test" --output "$work/data" --overwrite --set prep.max_rejected_share=0.2 \
    > "$work/prep.log" 2>&1 || { echo "prep failed; see $work/prep.log" >&2; exit 4; }
  rm -rf "$work/synthetic"
fi
echo "data prepared after $(( $(date +%s) - started )) s"

SPARK_MASTER_URL="$master" DIRECTSPEC_JAVA_OPTS="-Djava.io.tmpdir=$cluster/tmp" "$ds" --profile standalone \
  --driver-memory 2g \
  --spark-conf spark.executor.memory="$executor_memory" --spark-conf spark.executor.cores=1 \
  --spark-conf spark.cores.max="$executors" --spark-conf spark.memory.fraction="$memory_fraction" \
  --spark-conf "spark.executor.extraJavaOptions=-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=$cluster/tmp -Xlog:gc:file=$cluster/gc/executor-%p.log" \
  --spark-conf spark.eventLog.enabled=true --spark-conf spark.eventLog.dir="$cluster/events" \
  --spark-conf spark.eventLog.compress=false \
  train --data "$work/data" --output "$work/run" --set epochs="$epochs" --set dim="$dim" --set blocks="$blocks" \
  --set eval_every=0 --set eval_at_end=false > "$work/train.log" 2>&1 \
  || { echo "training failed; see $work/train.log" >&2; tail -20 "$work/train.log" >&2; exit 4; }
[ -f "$work/run/_SUCCESS" ] && [ -d "$work/run/model" ] || { echo "no model written in $work/run" >&2; exit 4; }
grep -E "^(layout|epoch )" "$work/train.log" || true

python3 - "$work" "$cluster" "$executor_memory" "$blocks" "$executors" "$dim" "$started" <<'PY'
import glob, json, os, re, sys, time
work, cluster, mem, blocks, executors, dim, started = sys.argv[1:8]
blocks, executors, dim = int(blocks), int(executors), int(dim)
units = {"K": 2**10, "M": 2**20, "G": 2**30, "B": 1}
def size(text):
    return float(text[:-1]) * units[text[-1]]
heap = size(mem.upper() if mem[-1].isalpha() else mem + "B")
log = open(f"{work}/train.log").read()
m = re.search(r"layout: (\d+) users, (\d+) items, (\d+) interactions", log)
n_users, n_items, n_inter = map(int, m.groups())
table = (n_users + n_items) * dim * 4
# GC log lines: "[...][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 610M->402M(1024M) 12.3ms". Only
# pauses that collect count (young, mixed, full): a concurrent cycle's Remark and Cleanup pauses free nothing
# and report the occupancy with the garbage still in it.
peaks = []
for f in glob.glob(f"{cluster}/gc/executor-*.log"):
    after = [size(a) for a in re.findall(r"Pause (?:Young|Full)[^\n]*? \d+[KMG]->(\d+[KMG])\(\d+[KMG]\)",
                                         open(f).read())]
    if after:
        peaks.append(max(after))
if not peaks:
    sys.exit("no executor GC log under " + cluster + "/gc")
shuffle = {}
failed = []
# Spark 4 writes each application's event log as a folder of rolled files (events_N_app-...).
for f in glob.glob(f"{cluster}/events/**/events_*", recursive=True):
    for line in open(f):
        e = json.loads(line)
        if e.get("Event") == "SparkListenerTaskEnd" and e["Task End Reason"]["Reason"] != "Success":
            failed.append(e["Task End Reason"].get("Reason"))
        if e.get("Event") != "SparkListenerStageCompleted":
            continue
        info = e["Stage Info"]
        name = re.match(r"epoch (\d+)/", info.get("Stage Name", ""))
        if not name:
            continue
        written = sum(int(a.get("Value", 0)) for a in info.get("Accumulables", [])
                      if a.get("Name") == "internal.metrics.shuffle.write.bytesWritten")
        shuffle[int(name.group(1))] = shuffle.get(int(name.group(1)), 0) + written
epochs = sorted(shuffle)
per_epoch = sum(shuffle.values()) / max(1, len(epochs))
gib = lambda b: f"{b / 2**30:.2f} GiB"
mib = lambda b: f"{b / 2**20:.0f} MiB"
print(f"{n_users:,} users + {n_items:,} items, d = {dim}, {n_inter:,} interactions, P = {blocks} blocks, "
      f"{executors} executors; tables / executor heap = {table / heap:.2f}; model / P = {mib(table / blocks)}, "
      f"model / executors = {mib(table / executors)}")
print("peak heap after GC per executor: " + ", ".join(mib(p) for p in sorted(peaks)))
print("shuffle bytes written per epoch: " + ", ".join(f"epoch {e} {gib(shuffle[e])}" for e in epochs))
print(f"wall {time.time() - float(started):.0f} s")
if failed:
    # An executor that ran out of heap exits (-XX:+ExitOnOutOfMemoryError) and its tasks are retried: the
    # run would still end well, but it would not show that the model trains within these executors.
    sys.exit(f"{len(failed)} tasks failed ({', '.join(sorted(set(failed)))}): see the event log in {cluster}/events")
print(f"table bytes {table} ({gib(table)}), executor heap {int(heap)} ({gib(heap)}), peak executor heap "
      f"{int(max(peaks))} ({mib(max(peaks))}), shuffle bytes per epoch {int(per_epoch)} ({gib(per_epoch)})")
PY
