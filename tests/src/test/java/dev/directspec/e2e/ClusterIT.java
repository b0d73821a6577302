package dev.directspec.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real multi-process cluster: a Spark standalone master and two workers on loopback (see
 * {@link StandaloneCluster}), training runs submitted through submit/directspec with the standalone
 * profile and spark.authenticate on. (1) One executor JVM is killed while it runs a task: the job
 * finishes with a model identical bit for bit to an uninterrupted run with the same seed. (2) The
 * driver is killed after a checkpoint and the run restarted with --resume: at most one epoch is lost and
 * the final metrics equal the uninterrupted run's. (3) The secret is in no file any process wrote.
 * One uninterrupted run is the reference of (1) and (2). A test hook (directspec.inject.hold) holds one
 * cell task for a minute, so each kill lands while that task certainly runs, on a fast machine too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "dsIT-" + UUID.randomUUID();
  private static final int EPOCHS = 4;
  // Long enough for the test to find the held task and kill under any load; only a failed kill waits it out.
  private static final int HOLD_MILLIS = 60_000;

  @TempDir
  static Path dir;
  static SparkSession spark;
  static String data;
  static StandaloneCluster cluster;
  static Path baseline;

  @BeforeAll
  static void start() throws Exception {
    StandaloneCluster.whyProcessesCannotStart().ifPresent(why -> Assumptions.abort(
        "ClusterIT skipped: this machine cannot start the cluster's processes (" + why + ")"));
    spark = LocalSpark.start("cluster-it");
    // 8 planted communities, 32k training rows: 4 epochs take seconds and learn (recall@20 ~0.1 against
    // 0.02 for a random ranking), so equal final metrics say something.
    data = LocalSpark.syntheticDataset(spark, dir, 2_000, 1_000, 40_000);
    cluster = new StandaloneCluster(dir.resolve("cluster"), SECRET);
    System.out.println("cluster: master " + cluster.masterUrl + ", workers " + cluster.masterState().path("aliveworkers"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
    if (spark != null) spark.stop();
  }

  /**
   * A training run through the launcher; the secret goes with --spark-conf or, with secretViaSet, with
   * --set directspec.spark.conf.*. hold ("epoch:stratum:block", or null) names the cell task the executors hold.
   */
  private static LauncherProcess train(String run, boolean secretViaSet, String hold, String... extra) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path log4j = dir.resolve("log4j2.properties");
    if (!Files.exists(log4j)) {
      // WARN as usual, plus the TaskSetManager's task start/finish lines that show a task's retry.
      Files.writeString(log4j, String.join("\n", "rootLogger.level = warn", "rootLogger.appenderRef.out.ref = out",
          "appender.out.type = Console", "appender.out.name = out", "appender.out.target = SYSTEM_ERR",
          "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
          "logger.tasks.name = org.apache.spark.scheduler.TaskSetManager", "logger.tasks.level = info", ""));
    }
    Map<String, String> env = new HashMap<>(cluster.env());
    Path tmp = cluster.dir.resolve("tmp");
    env.put("DIRECTSPEC_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + tmp + " -Dlog4j2.configurationFile=" + log4j);
    Files.createDirectories(dir.resolve("events"));
    String executorOpts = JvmArgs.VECTOR_API + " -Djava.io.tmpdir=" + tmp + (hold == null ? "" : " -Ddirectspec.inject.hold=" + hold + ":" + HOLD_MILLIS);
    List<String> args = new ArrayList<>(List.of("--profile", "standalone", "--master", cluster.masterUrl,
        "--spark-conf", "spark.executor.memory=512m", "--spark-conf", "spark.executor.cores=1",
        "--spark-conf", "spark.executor.extraJavaOptions=" + executorOpts,
        "--spark-conf", "spark.authenticate=true",
        "--spark-conf", "spark.eventLog.enabled=true",
        // Spark 4 compresses event logs with zstd by default: plain text, so the checks below can read them.
        "--spark-conf", "spark.eventLog.compress=false", "--spark-conf", "spark.eventLog.dir=" + dir.resolve("events")));
    if (!secretViaSet) args.addAll(List.of("--spark-conf", "spark.authenticate.secret=" + SECRET));
    args.addAll(List.of("train", "--data", data, "--output", dir.resolve(run).toString(),
        "--set", "epochs=" + EPOCHS, "--set", "blocks=2", "--set", "seed=11", "--set", "lr=30",
        "--set", "shrink_norm=0", "--set", "checkpoint_every=1"));
    if (secretViaSet) args.addAll(List.of("--set", "directspec.spark.conf.spark.authenticate.secret=" + SECRET));
    args.addAll(List.of(extra));
    return LauncherProcess.start(logs.resolve(run + (List.of(extra).contains("--resume") ? "-resumed" : "") + ".log"),
        env, args);
  }

  private static synchronized Path baseline() throws Exception {
    if (baseline == null) {
      LauncherProcess run = train("uninterrupted", false, null);
      try {
        assertEquals(0, run.waitFor(400), run.tail());
      } finally {
        run.kill();
      }
      baseline = dir.resolve("uninterrupted");
      System.out.println("uninterrupted run: final " + finalMetrics(baseline));
    }
    return baseline;
  }

  @Test
  @Order(1)
  void killingAnExecutorMidEpochGivesTheSameModel() throws Exception {
    Path whole = baseline();
    // Epoch 2, stratum 0, user block 0: the first cell task of epoch 2 waits on its executor.
    LauncherProcess run = train("executor-killed", false, "2:0:0");
    try {
      killAnExecutorAndCompare(run, whole);
    } finally {
      run.kill(); // a no-op after a normal end; frees the cluster's cores after a failure
    }
  }

  private void killAnExecutorAndCompare(LauncherProcess run, Path whole) throws Exception {
    Held held = awaitHeld(run, "2:0:0");
    String victim = held.executor();
    ProcessHandle jvm = cluster.executor(victim).orElseThrow(() -> new AssertionError("no JVM of executor " + victim));
    Matcher started = Pattern.compile("Starting task (\\S+) in stage (\\S+) \\(TID " + held.tid()
        + "\\) \\(127\\.0\\.0\\.1, ?executor " + victim + ", partition (\\d+),").matcher(run.output());
    assertTrue(started.find(), "the driver log shows no start of TID " + held.tid() + " on executor " + victim + ":\n" + run.tail());
    String tid = held.tid();
    String stage = started.group(2).substring(0, started.group(2).indexOf('.'));
    String partition = started.group(3);
    int epochDone = run.lastEpochDone().orElse(0);
    jvm.destroyForcibly();
    System.out.printf("killed executor %s (pid %d) while it ran task %s in stage %s (TID %s), during epoch %d of %d%n",
        victim, jvm.pid(), started.group(1), started.group(2), tid, epochDone + 1, EPOCHS);
    System.out.println("executor " + victim + " stderr: " + held.line());

    assertEquals(0, run.waitFor(400), run.tail());
    String log = run.output();
    // In the order Spark logs them: the executor lost, its running task lost, the partition run again.
    Matcher lostExecutor = Pattern.compile(".*Lost executor " + victim + " on .*").matcher(log);
    assertTrue(lostExecutor.find(), run.tail());
    System.out.println("driver log: " + lostExecutor.group());
    Matcher lost = Pattern.compile(".*(Lost task \\S+ in stage \\S+ \\(TID " + tid + "\\)|task \\S+ in stage \\S+ \\(TID "
        + tid + "\\) failed because while it was being computed, its executor exited).*").matcher(log);
    assertTrue(lost.find(), "the driver log shows no loss of TID " + tid + ":\n" + run.tail());
    System.out.println("driver log: " + lost.group());
    Matcher again = Pattern.compile(".*Starting task \\S+ in stage " + stage + "\\.\\d+ \\(TID (\\d+)\\) \\(127\\.0\\.0\\.1, ?executor (\\d+), partition "
        + partition + ",.*").matcher(log);
    String retryLine = null;
    while (retryLine == null && again.find()) {
      Matcher finished = Pattern.compile(".*Finished task \\S+ in stage " + stage + "\\.\\d+ \\(TID " + again.group(1) + "\\).*")
          .matcher(log);
      if (!again.group(1).equals(tid) && !again.group(2).equals(victim) && finished.find()) {
        retryLine = again.group() + "\ndriver log: " + finished.group();
      }
    }
    assertTrue(retryLine != null, "partition " + partition + " of stage " + stage + " was not retried to completion:\n"
        + run.tail());
    System.out.println("driver log: " + retryLine);

    for (String table : List.of("user_factors", "item_factors")) {
      System.out.println(table + ": " + assertBitForBit(whole, dir.resolve("executor-killed"), table));
    }
  }

  @Test
  @Order(2)
  void killingTheDriverAfterACheckpointAndResumingLosesAtMostOneEpoch() throws Exception {
    Path whole = baseline();
    // The first cell task of epoch 3 waits: the driver is killed after epoch 2's checkpoint, inside epoch 3.
    LauncherProcess first = train("driver-killed", true, "3:0:0");
    try {
      first.await("^checkpoint written after epoch 2: ", 300);
      awaitHeld(first, "3:0:0");
    } finally {
      first.kill();
    }
    int done = first.lastEpochDone().orElse(0);
    System.out.println("killed the driver (pid " + first.pid() + ") during epoch 3, after the checkpoint of epoch 2;"
        + " epochs done: " + done);
    assertEquals(2, done, first.tail());
    assertTrue(Files.exists(dir.resolve("driver-killed._incomplete/checkpoints/epoch-00002/_SUCCESS")));
    assertTrue(Files.notExists(dir.resolve("driver-killed")), "a killed run must not publish its output");

    LauncherProcess resumed = train("driver-killed", true, null, "--resume");
    try {
      assertEquals(0, resumed.waitFor(400), resumed.tail());
    } finally {
      resumed.kill();
    }
    Matcher from = Pattern.compile("resumed from the checkpoint after epoch (\\d+)").matcher(resumed.output());
    assertTrue(from.find(), resumed.tail());
    int resumedFrom = Integer.parseInt(from.group(1));
    System.out.println("resumed from epoch " + resumedFrom + " (" + (done - resumedFrom) + " finished epoch(s) redone)");
    assertTrue(done - resumedFrom <= 1, "lost " + (done - resumedFrom) + " epochs");
    assertEquals(resumedFrom, metrics(dir.resolve("driver-killed")).path("run").path("resumed_from_epoch").asInt());

    ObjectNode expected = finalMetrics(whole);
    ObjectNode actual = finalMetrics(dir.resolve("driver-killed"));
    System.out.println("final metrics, uninterrupted: " + expected);
    System.out.println("final metrics, resumed:       " + actual);
    assertEquals(expected, actual, "final metrics of the resumed run differ from the uninterrupted run");
    // A model that learned: recall@20 of a random ranking of 1,000 items is about 0.02.
    assertTrue(actual.path("recall@20").asDouble() > 0.05, "the runs learned nothing: " + actual);
    for (String table : List.of("user_factors", "item_factors")) {
      System.out.println(table + ": " + assertBitForBit(whole, dir.resolve("driver-killed"), table));
    }
  }

  @Test
  @Order(3)
  void theSecretIsInNoFileTheRunsWrote() throws Exception {
    baseline();
    // Authentication was on: every run's event log records it, with the secret's value redacted.
    List<Path> events;
    try (var files = Files.walk(dir.resolve("events"))) {
      // Spark 4 writes rolling event logs: a folder per application with events_N_* files.
      events = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().startsWith("events_")).toList();
    }
    assertTrue(!events.isEmpty(), "no event logs in " + dir.resolve("events"));
    for (Path e : events) {
      String text = Files.readString(e, StandardCharsets.ISO_8859_1);
      assertTrue(text.contains("\"spark.authenticate\":\"true\""), e + " does not record spark.authenticate=true");
      assertTrue(text.contains("\"spark.authenticate.secret\":\"*********(redacted)\""), e + " shows no redacted secret");
    }
    // The launcher printed the command with the secret masked (shell-quoted: \*\*\*\*\*), both ways of passing it.
    Pattern masked = Pattern.compile("(?m)^directspec: running: .*spark\\.authenticate\\.secret=(\\\\\\*){5}( |$)");
    for (String log : List.of("uninterrupted.log", "driver-killed-resumed.log")) {
      String out = Files.readString(dir.resolve("logs").resolve(log), StandardCharsets.ISO_8859_1);
      assertTrue(masked.matcher(out).find(), log + " shows no masked secret in the printed command");
    }
    // The one file the test itself wrote with the secret (the cluster's properties) proves grep finds it.
    assertEquals(0, grep("-c", SECRET, cluster.secretFile.toString()).code(), "grep cannot find the secret at all");
    Grep all = grep("-r", "-a", "-l", "-F", "--exclude=" + cluster.secretFile.getFileName(), SECRET, dir.toString());
    long files;
    try (var walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).count();
    }
    System.out.println("grep -r -l for the secret over " + files + " files under " + dir + " (run folders, checkpoints,"
        + " driver, master, worker and executor logs, event logs, scratch dirs), the cluster's secret file excluded:"
        + " exit " + all.code() + (all.output().isEmpty() ? ", no file" : ":\n" + all.output()));
    assertEquals(1, all.code(), "grep found the secret in:\n" + all.output());
  }

  /** The executor's stderr line of a held cell task: its executor id and task id. */
  record Held(String executor, String tid, String line) {}

  /**
   * Waits until an executor announces the held cell task: a line in its stderr file, which a worker
   * keeps in its work dir under a folder per application (app-...) and one per executor id. Fails if
   * the run ends first.
   */
  private static Held awaitHeld(LauncherProcess run, String cell) throws Exception {
    Pattern line = Pattern.compile("directspec: holding cell task " + cell + " \\(stage \\S+, TID (\\d+)\\).*");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      List<Path> stderrs;
      try (var files = Files.walk(cluster.dir)) {
        stderrs = files.filter(f -> f.getFileName().toString().equals("stderr") && f.getParent().getParent()
            .getFileName().toString().startsWith("app-")).toList();
      }
      for (Path f : stderrs) {
        Matcher m = line.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
        if (m.find()) return new Held(f.getParent().getFileName().toString(), m.group(1), m.group());
      }
      if (run.exited()) throw new AssertionError("run ended before cell task " + cell + " was held:\n" + run.tail());
      Thread.sleep(100);
    }
    throw new AssertionError("no executor held cell task " + cell + " within 300 s:\n" + run.tail());
  }

  /**
   * Compares a factor table of two runs float by float on the raw bits; returns a summary, and on a
   * difference fails with the number of differing rows and the largest difference.
   */
  private static String assertBitForBit(Path expectedRun, Path actualRun, String table) {
    List<Row> expected = factors(expectedRun, table);
    List<Row> actual = factors(actualRun, table);
    assertEquals(expected.size(), actual.size(), table + " row count");
    int differing = 0;
    double largest = 0;
    for (int r = 0; r < expected.size(); r++) {
      Row e = expected.get(r);
      Row a = actual.get(r);
      String key = table.startsWith("user") ? "user" : "item";
      assertEquals(e.<Object>getAs(key), a.<Object>getAs(key), table + " ids");
      List<Float> ef = e.getList(e.fieldIndex("features"));
      List<Float> af = a.getList(a.fieldIndex("features"));
      boolean same = ef.size() == af.size();
      for (int k = 0; same && k < ef.size(); k++) {
        same = Float.floatToRawIntBits(ef.get(k)) == Float.floatToRawIntBits(af.get(k));
      }
      for (int k = 0; k < Math.min(ef.size(), af.size()); k++) largest = Math.max(largest, Math.abs(ef.get(k) - af.get(k)));
      if (!same) differing++;
    }
    assertEquals(0, differing, table + " of " + actualRun.getFileName() + ": " + differing + " of " + expected.size()
        + " rows differ from the uninterrupted run (largest difference " + largest + ")");
    return expected.size() + " rows of " + actualRun.getFileName() + " identical bit for bit to the uninterrupted run";
  }

  record Grep(int code, String output) {}

  private static Grep grep(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("grep"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Grep(p.exitValue(), out.trim());
  }

  private static com.fasterxml.jackson.databind.JsonNode metrics(Path run) throws Exception {
    return JSON.readTree(run.resolve("metrics.json").toFile());
  }

  /** metrics.json's final record without train_seconds (wall time, which differs between any two runs). */
  private static ObjectNode finalMetrics(Path run) throws Exception {
    ObjectNode fin = (ObjectNode) metrics(run).path("final");
    fin.remove("train_seconds");
    return fin;
  }

  private static List<Row> factors(Path run, String table) {
    return spark.read().parquet(run.resolve("model").resolve(table).toString())
        .orderBy(table.startsWith("user") ? "user" : "item").collectAsList();
  }
}
