package dev.directspec.e2e;

import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run submitted with --master yarn through submit/directspec (Spark's submit entry point in
 * the bundled jar, no Spark distribution) to an in-process MiniYARNCluster (ResourceManager and one
 * NodeManager on loopback, from hadoop-client-minicluster), as Spark's own YARN tests do: the
 * ApplicationMaster and two executors run as YARN containers.
 */
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

  @Test
  void trainsWithMasterYarn() throws Exception {
    String java = System.getProperty("java.home");
    Map<String, String> env = new HashMap<>();
    env.put("HADOOP_CONF_DIR", hadoopConf.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("DIRECTSPEC_JAVA_OPTS", "-Xmx512m");
    Path run = dir.resolve("run");
    LauncherProcess launcher = LauncherProcess.start(dir.resolve("yarn-train.log"), env, List.of(
        "--master", "yarn", "--deploy-mode", "client",
        "--spark-conf", "spark.executor.instances=2", "--spark-conf", "spark.executor.cores=1",
        "--spark-conf", "spark.executor.memory=512m", "--spark-conf", "spark.yarn.am.memory=256m",
        // Containers start java from $JAVA_HOME, which the test JVM's environment may not set.
        "--spark-conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + java, "--spark-conf", "spark.executorEnv.JAVA_HOME=" + java,
        // Loopback everywhere: the containers would otherwise pick the machine's outside address.
        "--spark-conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1", "--spark-conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        // No driver web UI: in client mode Spark 4.2 can fail the driver's start with a
        // ConcurrentModificationException in Jetty's ServletHandler.initialize when the AM registers its UI
        // filter while the UI's handlers are still being attached (a race inside Spark, seen once on a loaded
        // machine); this test is about the job on YARN, not Spark's UI (docs/cluster.md).
        "--spark-conf", "spark.ui.enabled=false",
        "train", "--data", data, "--output", run.toString(), "--set", "epochs=2", "--set", "blocks=2", "--set", "seed=11", "--set", "lr=30", "--set", "shrink_norm=0"));
    int code = launcher.waitFor(400);
    System.out.println(launcher.tail());
    assertEquals(0, code, launcher.tail());
    assertTrue(Files.exists(run.resolve("_SUCCESS")) && Files.exists(run.resolve("model/user_factors")));

    Collection<RMApp> apps = yarn.getResourceManager().getRMContext().getRMApps().values();
    assertEquals(1, apps.size(), "applications seen by the ResourceManager: " + apps);
    RMApp app = apps.iterator().next();
    System.out.println("YARN application " + app.getApplicationId() + " '" + app.getName() + "': "
        + app.getState() + ", final status " + app.getFinalApplicationStatus());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
    assertTrue(app.getName().startsWith("directspec train"), app.getName());
    // The NodeManager's log dirs keep a folder per container (the AM is container ..._000001); its local
    // dirs are deleted as the application ends, so only the log dirs are walked.
    List<Path> logDirs;
    try (var dirs = Files.walk(dir.resolve("yarn"), 3)) {
      logDirs = dirs.filter(p -> p.getFileName().toString().contains("-logDir-nm-")).toList();
    }
    assertTrue(!logDirs.isEmpty(), "no NodeManager log dir under " + dir.resolve("yarn"));
    List<String> containers = new ArrayList<>();
    for (Path logDir : logDirs) {
      try (var logs = Files.walk(logDir)) {
        logs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("container_")).forEach(containers::add);
      }
    }
    long executorContainers = containers.stream().filter(n -> !n.endsWith("_000001")).distinct().count();
    System.out.println("containers: " + containers.stream().distinct().sorted().toList() + "; executor containers: "
        + executorContainers);
    assertTrue(executorContainers >= 2, "expected 2 executor containers, found " + executorContainers);
  }
}
