package dev.directspec.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
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
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "dsIT-" + UUID.randomUUID();
  private static final int EPOCHS = 4;

  @TempDir
  static Path dir;
  static SparkSession spark;
  static String data;
  static StandaloneCluster cluster;
  static Path baseline;

  @BeforeAll
  static void start() throws Exception {
    spark = LocalSpark.start("cluster-it");
    // 8 communities, 240k training rows: epochs of a few seconds on two 1-core executors, so a kill
    // lands inside a running task.
    data = LocalSpark.syntheticDataset(spark, dir, 12_000, 6_000, 300_000);
    cluster = new StandaloneCluster(dir.resolve("cluster"), SECRET);
    System.out.println("cluster: master " + cluster.masterUrl + ", workers " + cluster.masterState().path("aliveworkers"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
    if (spark != null) spark.stop();
  }

  /** A training run through the launcher; the secret goes with --spark-conf or, with secretViaSet, with --set spark.conf.*. */
  private static LauncherProcess train(String run, boolean secretViaSet, String... extra) throws Exception {
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
    env.put("SPARK_MASTER_URL", cluster.masterUrl);
    Path tmp = cluster.dir.resolve("tmp");
    env.put("DIRECTSPEC_JAVA_OPTS", "-Xmx768m -Djava.io.tmpdir=" + tmp + " -Dlog4j2.configurationFile=" + log4j);
    Files.createDirectories(dir.resolve("events"));
    List<String> args = new ArrayList<>(List.of("--profile", "standalone",
        "--spark-conf", "spark.executor.memory=512m", "--spark-conf", "spark.executor.cores=1",
        "--spark-conf", "spark.executor.extraJavaOptions=-Djava.io.tmpdir=" + tmp,
        "--spark-conf", "spark.authenticate=true",
        "--spark-conf", "spark.eventLog.enabled=true",
        // Spark 4 compresses event logs with zstd by default: plain text, so the checks below can read them.
        "--spark-conf", "spark.eventLog.compress=false", "--spark-conf", "spark.eventLog.dir=" + dir.resolve("events")));
    if (!secretViaSet) args.addAll(List.of("--spark-conf", "spark.authenticate.secret=" + SECRET));
    args.addAll(List.of("train", "--data", data, "--output", dir.resolve(run).toString(),
        "--set", "epochs=" + EPOCHS, "--set", "blocks=2", "--set", "seed=11", "--set", "lr=50",
        "--set", "checkpoint_every=1"));
    if (secretViaSet) args.addAll(List.of("--set", "spark.conf.spark.authenticate.secret=" + SECRET));
    args.addAll(List.of(extra));
    return LauncherProcess.start(logs.resolve(run + (List.of(extra).contains("--resume") ? "-resumed" : "") + ".log"),
        env, args);
  }

  private static synchronized Path baseline() throws Exception {
    if (baseline == null) {
      LauncherProcess run = train("uninterrupted", false);
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
    LauncherProcess run = train("executor-killed", false);
    try {
      killAnExecutorAndCompare(run, whole);
    } finally {
      run.kill(); // a no-op after a normal end; frees the cluster's cores after a failure
    }
  }

  private void killAnExecutorAndCompare(LauncherProcess run, Path whole) throws Exception {
    int afterEpoch1 = run.await("^epoch +1/" + EPOCHS + " .*$", 300).end();
    // Wait until the driver log shows a task started and not yet finished, and kill its executor's JVM.
    String[] task = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (task == null && System.nanoTime() < deadline) {
      task = runningTask(run.output().substring(afterEpoch1));
      if (task == null) Thread.sleep(10);
    }
    assertTrue(task != null, "no task started within 120 s after epoch 1:\n" + run.tail());
    String victim = task[3];
    ProcessHandle jvm = cluster.executor(victim).orElseThrow(() -> new AssertionError("no JVM of executor " + victim));
    int epochDone = run.lastEpochDone().orElse(0);
    jvm.destroyForcibly();
    System.out.printf("killed executor %s (pid %d) while it ran task %s in stage %s (TID %s), during epoch %d of %d%n",
        victim, jvm.pid(), task[0], task[1], task[2], epochDone + 1, EPOCHS);

    assertEquals(0, run.waitFor(400), run.tail());
    String log = run.output();
    // The killed attempt is reported lost (or failed with its executor), then the same partition of the
    // same stage (possibly a new attempt of the stage) runs again on another executor and finishes.
    String tid = task[2];
    String stage = task[1].substring(0, task[1].indexOf('.'));
    Matcher lost = Pattern.compile(".*(Lost task \\S+ in stage \\S+ \\(TID " + tid + "\\)|task \\S+ in stage \\S+ \\(TID "
        + tid + "\\) failed because while it was being computed, its executor exited).*").matcher(log);
    assertTrue(lost.find(), "the driver log shows no loss of TID " + tid + ":\n" + run.tail());
    System.out.println("driver log: " + lost.group());
    Matcher killed = Pattern.compile("Starting task \\S+ in stage \\S+ \\(TID " + tid + "\\) \\(127\\.0\\.0\\.1, ?executor \\d+, partition (\\d+),")
        .matcher(log);
    assertTrue(killed.find(), run.tail());
    Matcher again = Pattern.compile(".*Starting task \\S+ in stage " + stage + "\\.\\d+ \\(TID (\\d+)\\) \\(127\\.0\\.0\\.1, ?executor (\\d+), partition "
        + killed.group(1) + ",.*").matcher(log);
    String retryLine = null;
    while (retryLine == null && again.find()) {
      Matcher finished = Pattern.compile(".*Finished task \\S+ in stage " + stage + "\\.\\d+ \\(TID " + again.group(1) + "\\).*")
          .matcher(log);
      if (!again.group(1).equals(tid) && !again.group(2).equals(victim) && finished.find()) {
        retryLine = again.group() + "\ndriver log: " + finished.group();
      }
    }
    assertTrue(retryLine != null, "partition " + killed.group(1) + " of stage " + stage + " was not retried to completion:\n"
        + run.tail());
    System.out.println("driver log: " + retryLine);
    Matcher lostExecutor = Pattern.compile(".*Lost executor " + victim + " on .*").matcher(log);
    assertTrue(lostExecutor.find(), run.tail());
    System.out.println("driver log: " + lostExecutor.group());

    for (String table : List.of("user_factors", "item_factors")) {
      List<Row> expected = factors(whole, table);
      List<Row> actual = factors(dir.resolve("executor-killed"), table);
      assertEquals(expected.size(), actual.size());
      // Row equality compares the float arrays element by element with Float.equals: bit for bit.
      assertEquals(expected, actual, table + " differ from the uninterrupted run");
      System.out.println(table + ": " + actual.size() + " rows identical (bit for bit) to the uninterrupted run");
    }
  }

  @Test
  @Order(2)
  void killingTheDriverAfterACheckpointAndResumingLosesAtMostOneEpoch() throws Exception {
    Path whole = baseline();
    LauncherProcess first = train("driver-killed", true);
    try {
      first.await("^checkpoint written after epoch 2: ", 300);
    } finally {
      first.kill();
    }
    int done = first.lastEpochDone().orElse(0);
    System.out.println("killed the driver (pid " + first.pid() + ") after the checkpoint of epoch 2; epochs done: " + done);
    assertTrue(Files.exists(dir.resolve("driver-killed._incomplete/checkpoints/epoch-00002/_SUCCESS")));
    assertTrue(Files.notExists(dir.resolve("driver-killed")), "a killed run must not publish its output");

    LauncherProcess resumed = train("driver-killed", true, "--resume");
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
    for (String table : List.of("user_factors", "item_factors")) {
      assertEquals(factors(whole, table), factors(dir.resolve("driver-killed"), table), table);
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

  /** The last task of the log that started and has not finished or failed: {task, stage, TID, executor}. */
  private static String[] runningTask(String log) {
    Map<String, String[]> running = new java.util.LinkedHashMap<>();
    Matcher started = Pattern.compile("Starting task (\\S+) in stage (\\S+) \\(TID (\\d+)\\) \\(127\\.0\\.0\\.1, ?executor (\\d+)")
        .matcher(log);
    while (started.find()) {
      running.put(started.group(3), new String[] {started.group(1), started.group(2), started.group(3), started.group(4)});
    }
    Matcher ended = Pattern.compile("(?:Finished|Lost) task \\S+ in stage \\S+ \\(TID (\\d+)\\)").matcher(log);
    while (ended.find()) running.remove(ended.group(1));
    String[] last = null;
    for (String[] t : running.values()) last = t;
    return last;
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
