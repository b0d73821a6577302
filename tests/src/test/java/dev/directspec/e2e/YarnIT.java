package dev.directspec.e2e;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs submitted with --master yarn through submit/directspec (Spark's submit entry point in the bundled
 * jar, no Spark distribution) to an in-process MiniYARNCluster (ResourceManager and one NodeManager on
 * loopback, from hadoop-client-minicluster), as Spark's own YARN tests do: the ApplicationMaster and two
 * executors run as YARN containers. Training in client and in cluster deploy mode, and a failing prep in
 * cluster deploy mode (its exit code in the ApplicationMaster's log).
 */
@Tag("cluster")
class YarnIT {
  @TempDir
  static Path dir;
  static MiniYARNCluster yarn;
  static Path hadoopConf;
  static String data;

  @BeforeAll
  static void start() throws Exception {
    SparkSession spark = LocalSpark.start("yarn-it");
    try {
      data = LocalSpark.syntheticDataset(spark, dir, 600, 400, 12_000);
    } finally {
      spark.stop();
    }
    YarnConfiguration conf = new YarnConfiguration();
    // FIFO: the capacity scheduler's default AM share (10% of a small node) would never start the AM.
    conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // A nearly full disk must not mark the only node unhealthy (Spark's YARN tests do the same).
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    // MiniYARNCluster puts its work dirs (NodeManager local and container log dirs) under the system
    // property test.build.data (default target/test/data): here, inside this test's temp dir.
    String buildData = System.getProperty("test.build.data");
    System.setProperty("test.build.data", dir.resolve("yarn").toString());
    try {
      yarn = new MiniYARNCluster("directspec-yarn", 1, 1, 1);
    } finally {
      if (buildData == null) System.clearProperty("test.build.data");
      else System.setProperty("test.build.data", buildData);
    }
    yarn.init(conf);
    yarn.start();
    // The cluster's client configuration (ResourceManager address with its real port) for spark-submit.
    hadoopConf = Files.createDirectories(dir.resolve("hadoop-conf"));
    long deadline = System.currentTimeMillis() + 30_000;
    while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0") && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
      yarn.getConfig().writeXml(out);
    }
    System.out.println("mini YARN: ResourceManager at " + yarn.getConfig().get(YarnConfiguration.RM_ADDRESS));
  }

  @AfterAll
  static void stop() {
    if (yarn != null) yarn.stop();
  }

  /** submit/directspec with --master yarn and what every run here needs on a one-node loopback cluster. */
  private static LauncherProcess launch(String name, String deployMode, String... command) throws Exception {
    String java = System.getProperty("java.home");
    Map<String, String> env = new HashMap<>();
    env.put("HADOOP_CONF_DIR", hadoopConf.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("DIRECTSPEC_JAVA_OPTS", "-Xmx512m");
    List<String> args = new ArrayList<>(List.of(
        "--master", "yarn", "--deploy-mode", deployMode,
        "--spark-conf", "spark.executor.instances=2", "--spark-conf", "spark.executor.cores=1",
        "--spark-conf", "spark.executor.memory=512m", "--spark-conf", "spark.yarn.am.memory=256m",
        // Cluster mode: the driver is the ApplicationMaster's container.
        "--spark-conf", "spark.driver.memory=512m", "--spark-conf", "spark.driver.host=127.0.0.1",
        // One attempt, as the yarn profile: a failed application must not be run again by YARN.
        "--spark-conf", "spark.yarn.maxAppAttempts=1",
        // Containers start java from $JAVA_HOME, which the test JVM's environment may not set.
        "--spark-conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + java, "--spark-conf", "spark.executorEnv.JAVA_HOME=" + java,
        // Loopback everywhere: the containers would otherwise pick the machine's outside address.
        "--spark-conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "--spark-conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        // No driver web UI: in client mode Spark 4.2 can fail the driver's start with a
        // ConcurrentModificationException in Jetty's ServletHandler.initialize when the AM registers its UI
        // filter while the UI's handlers are still being attached (a race inside Spark, seen once on a loaded
        // machine); this test is about the job on YARN, not Spark's UI (docs/cluster.md).
        "--spark-conf", "spark.ui.enabled=false"));
    args.addAll(List.of(command));
    return LauncherProcess.start(dir.resolve(name + ".log"), env, args);
  }

  private static List<String> train(Path run) {
    return List.of("train", "--data", data, "--output", run.toString(), "--set", "epochs=2", "--set", "blocks=2",
        "--set", "seed=11", "--set", "lr=30", "--set", "shrink_norm=0");
  }

  private static Set<ApplicationId> appIds() {
    return new HashSet<>(yarn.getResourceManager().getRMContext().getRMApps().keySet());
  }

  /**
   * The one application the ResourceManager got since {@code before}, once it has ended. In client mode
   * the ApplicationMaster unregisters only after the driver has gone, so spark-submit can exit first.
   */
  private static RMApp newApp(Set<ApplicationId> before) throws InterruptedException {
    List<RMApp> apps = yarn.getResourceManager().getRMContext().getRMApps().values().stream()
        .filter(a -> !before.contains(a.getApplicationId())).toList();
    assertEquals(1, apps.size(), "new applications seen by the ResourceManager: " + apps);
    RMApp app = apps.get(0);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Set.of(RMAppState.FINISHED, RMAppState.FAILED, RMAppState.KILLED).contains(app.getState())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    System.out.println("YARN application " + app.getApplicationId() + " '" + app.getName() + "': "
        + app.getState() + ", final status " + app.getFinalApplicationStatus());
    return app;
  }

  /**
   * The NodeManager's log dirs keep a folder per container (the AM is container ..._000001); its local
   * dirs are deleted as the application ends, so only the log dirs are walked.
   */
  private static List<Path> containerDirs(ApplicationId app) throws Exception {
    List<Path> found = new ArrayList<>();
    try (var dirs = Files.walk(dir.resolve("yarn"))) {
      dirs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("container_")
          && p.getParent().getFileName().toString().equals(app.toString())).forEach(found::add);
    }
    return found;
  }

  private static String amLog(ApplicationId app) throws Exception {
    StringBuilder log = new StringBuilder();
    for (Path container : containerDirs(app)) {
      if (!container.getFileName().toString().endsWith("_000001")) continue;
      try (var files = Files.list(container)) {
        for (Path f : files.sorted().toList()) log.append(Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    return log.toString();
  }

  private static void assertTwoExecutors(ApplicationId app) throws Exception {
    List<String> containers = containerDirs(app).stream().map(p -> p.getFileName().toString()).distinct().sorted().toList();
    long executorContainers = containers.stream().filter(n -> !n.endsWith("_000001")).count();
    System.out.println("containers: " + containers + "; executor containers: " + executorContainers);
    assertTrue(executorContainers >= 2, "expected 2 executor containers, found " + executorContainers);
  }

  /**
   * Both deploy modes train the same run. In cluster deploy mode the driver is a thread of the
   * ApplicationMaster, which reports an exit from user code as FAILED (exit 16): a good run must end
   * FINISHED / SUCCEEDED, spark-submit must exit 0, and the driver's own lines are in the AM container's log,
   * not on spark-submit's console.
   */
  @ParameterizedTest(name = "deploy mode {0}")
  @ValueSource(strings = {"client", "cluster"})
  void trainsWithMasterYarn(String deployMode) throws Exception {
    boolean cluster = deployMode.equals("cluster");
    Set<ApplicationId> before = appIds();
    Path run = dir.resolve(cluster ? "run-cluster" : "run");
    LauncherProcess launcher = launch(cluster ? "yarn-train-cluster" : "yarn-train", deployMode,
        train(run).toArray(String[]::new));
    int code = launcher.waitFor(400);
    System.out.println(launcher.tail());
    RMApp app = newApp(before);
    String am = cluster ? amLog(app.getApplicationId()) : "";
    assertEquals(0, code, launcher.tail() + (cluster ? "\nApplicationMaster log:\n" + tail(am) : ""));
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
    assertTrue(app.getName().startsWith("directspec train"), app.getName());
    assertTrue(Files.exists(run.resolve("_SUCCESS")) && Files.exists(run.resolve("model/user_factors")));
    if (cluster) {
      assertEquals(RMAppState.FINISHED, app.getState());
      assertTrue(am.contains("epoch 2/2"), tail(am));
      assertTrue(am.contains("Final app status: SUCCEEDED, exitCode: 0"), tail(am));
    }
    assertTwoExecutors(app.getApplicationId());
  }

  /**
   * A prep of bad input in cluster deploy mode: the application ends FAILED, spark-submit exits non-zero
   * (it only learns the final status), and the documented code 3 is in the ApplicationMaster's log, as
   * Spark prints it for a SparkUserAppException. Nothing is published.
   */
  @Test
  void badInputFailsInClusterDeployModeWithTheCodeInTheLog() throws Exception {
    // An empty input fails at once (exit 3), before the SparkSession starts (the inputs are checked first). The
    // AM, still waiting for a SparkContext, ends FAILED with its own exit code 13 and the application's code
    // in the reason; a failure after the session started ends with "exitCode: 3" itself.
    Path bad = Files.createFile(dir.resolve("empty.csv"));
    Path out = dir.resolve("bad-prep");
    Set<ApplicationId> before = appIds();
    LauncherProcess launcher = launch("yarn-prep-cluster", "cluster", "prep", "--input", bad.toString(),
        "--output", out.toString());
    int code = launcher.waitFor(300);
    System.out.println(launcher.tail());
    RMApp app = newApp(before);
    String am = amLog(app.getApplicationId());
    System.out.println("ApplicationMaster log (end):\n" + tail(am));
    assertTrue(code != 0, "spark-submit exit code " + code);
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus());
    assertTrue(am.contains("directspec prep: bad input:"), tail(am));
    assertTrue(am.contains("User application exited with status 3"), tail(am));
    assertTrue(am.contains("Final app status: FAILED, exitCode: 13, (reason: User application exited with status 3)"),
        tail(am));
    // spark-submit's client prints the application's diagnostics, which carry the same line.
    assertTrue(launcher.output().contains("User application exited with status 3"), launcher.tail());
    assertTrue(Files.notExists(out), "nothing published at " + out);
  }

  private static String tail(String text) {
    return text.substring(Math.max(0, text.length() - 6000));
  }
}
