package dev.directspec.e2e;

import dev.directspec.cli.Main;
import dev.directspec.prep.SyntheticData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prep, train, evaluate and recommend reading and writing hdfs:// paths of an in-process HDFS
 * (MiniDFSCluster from hadoop-client-minicluster, a NameNode and a DataNode on loopback), through the
 * command line entry point exactly as spark-submit calls it. Outputs appear only whole, an existing one
 * is refused (exit 2) and --overwrite replaces it.
 */
@Tag("cluster")
class HdfsIT {
  @TempDir
  static java.nio.file.Path dir;
  static MiniDFSCluster dfs;
  static FileSystem fs;
  static String root;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    fs = dfs.getFileSystem();
    root = dfs.getURI() + "/recsys";
    System.out.println("mini DFS at " + dfs.getURI());
    // Raw interactions written straight to HDFS by Spark (8 planted communities), as an upstream job would.
    SparkSession spark = LocalSpark.start("hdfs-it-raw");
    try {
      SyntheticData.write(spark, new SyntheticData.Spec(600, 400, 12_000, 8, 0.8, 0.8, 7, 2), root + "/raw");
    } finally {
      spark.stop();
    }
  }

  @AfterAll
  static void stop() {
    if (dfs != null) dfs.shutdown();
  }

  /** The command line entry point in this JVM (local[2] from reference.conf, its own SparkSession). */
  private static int directspec(String... args) {
    return Main.run(args);
  }

  @Test
  void prepTrainEvaluateRecommendOnHdfs() throws Exception {
    String data = root + "/dataset";
    String run = root + "/run";
    assertEquals(0, directspec("prep", "--input", root + "/raw", "--set", "directspec.prep.split=random", "--output", data));
    assertTrue(fs.exists(new Path(data, "_SUCCESS")) && fs.exists(new Path(data, "manifest.json")));
    assertEquals(0, directspec("train", "--data", data, "--output", run, "--set", "epochs=3", "--set", "blocks=2",
        "--set", "checkpoint_every=1", "--set", "seed=11"));
    for (String part : List.of("_SUCCESS", "metrics.json", "settings.conf", "model/user_factors", "model/item_factors")) {
      assertTrue(fs.exists(new Path(run, part)), run + "/" + part + " missing");
    }
    String metrics;
    try (var in = fs.open(new Path(run, "metrics.json"))) {
      metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(metrics.contains("\"recall@20\""), metrics);
    String evaluation = root + "/evaluation";
    assertEquals(0, directspec("evaluate", "--data", data, "--model", run + "/model", "--output", evaluation));
    assertTrue(read(evaluation + "/metrics.json").contains("\"recall@20\""), read(evaluation + "/metrics.json"));
    assertTrue(fs.exists(new Path(evaluation, "_SUCCESS")));
    assertEquals(2, directspec("evaluate", "--data", data, "--model", run + "/model", "--output", evaluation),
        "an existing evaluation output is refused");
    assertEquals(0, directspec("recommend", "--data", data, "--model", run + "/model", "--k", "5",
        "--output", root + "/recs"));
    assertTrue(fs.exists(new Path(root + "/recs/_SUCCESS")));

    // The scheduled retraining's last steps: the gate, then the latest marker replaced by a rename on HDFS.
    String latest = root + "/latest.json";
    assertEquals(0, directspec("publish", "--gate-only", "--metrics", evaluation, "--latest", latest));
    assertTrue(!fs.exists(new Path(latest)), "--gate-only writes nothing");
    String[] publish = {"publish", "--metrics", evaluation, "--latest", latest, "--model", run,
        "--recommendations", root + "/recs"};
    assertEquals(0, directspec(publish));
    String first = read(latest);
    assertTrue(first.contains("\"model\" : \"" + dfs.getURI() + "/recsys/run\""), first);
    assertEquals(0, directspec(publish), "the same model passes its own gate and replaces the marker");
    assertTrue(!read(latest).equals(first) && read(latest).contains("\"recall@20\""), read(latest));
    // Nothing half-written is left next to the outputs: no work folders, no checkpoints.
    FileStatus[] entries = fs.listStatus(new Path(root));
    System.out.println("hdfs " + root + ": " + Arrays.stream(entries).map(s -> s.getPath().getName()).toList());
    for (FileStatus s : entries) {
      String name = s.getPath().getName();
      assertTrue(!name.contains(".tmp-") && !name.contains("._incomplete") && !name.contains(".old-"), name);
    }
    assertTrue(!fs.exists(new Path(run, "checkpoints")));
  }

  private static String read(String path) throws java.io.IOException {
    try (var in = fs.open(new Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anExistingHdfsOutputIsRefusedOrReplacedWhole() throws Exception {
    String data = root + "/dataset-twice";
    assertEquals(0, directspec("prep", "--input", root + "/raw", "--set", "directspec.prep.split=random", "--output", data));
    long first = fs.getFileStatus(new Path(data, "manifest.json")).getModificationTime();
    assertEquals(2, directspec("prep", "--input", root + "/raw", "--set", "directspec.prep.split=random", "--output", data),
        "an existing output must be refused with exit code 2");
    assertEquals(first, fs.getFileStatus(new Path(data, "manifest.json")).getModificationTime(), "refused, yet changed");
    Thread.sleep(5);
    assertEquals(0, directspec("prep", "--input", root + "/raw", "--set", "directspec.prep.split=random", "--output", data,
        "--overwrite"));
    assertTrue(fs.getFileStatus(new Path(data, "manifest.json")).getModificationTime() > first, "not replaced");
    assertTrue(fs.exists(new Path(data, "_SUCCESS")));
  }
}
