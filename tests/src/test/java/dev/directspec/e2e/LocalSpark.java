package dev.directspec.e2e;

import dev.directspec.config.Settings;
import dev.directspec.prep.PrepJob;
import dev.directspec.prep.PrepPaths;
import dev.directspec.prep.PrepSettings;
import dev.directspec.prep.SyntheticData;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;

/** The one local SparkSession of an integration-test class (local[2], loopback, tasks retried up to 3 times). */
final class LocalSpark {
  private LocalSpark() {}

  /**
   * Generates synthetic interactions with 8 planted communities (seed 7) into {@code dir/raw} and preps
   * them with a random 80/20 split into {@code dir/data}; returns the dataset folder.
   */
  static String syntheticDataset(SparkSession spark, Path dir, int users, int items, long interactions) {
    String raw = dir.resolve("raw").toString();
    SyntheticData.write(spark, new SyntheticData.Spec(users, items, interactions, 8, 0.8, 0.8, 7, 2), raw);
    String data = dir.resolve("data").toString();
    Settings prep = Settings.load(List.of(), List.of("directspec.prep.split=random", "directspec.prep.test_ratio=0.2"));
    PrepJob.run(spark, PrepSettings.from(prep), new PrepPaths(List.of(raw), null, null, data, false));
    return data;
  }

  /** Reference settings with a test's defaults, then the call's overrides (later ones win). */
  static Settings settings(List<String> defaults, String... extra) {
    List<String> overrides = new java.util.ArrayList<>(defaults);
    overrides.addAll(List.of(extra));
    return Settings.load(List.of(), overrides);
  }

  /** {@code first} followed by {@code more}, as one override list. */
  static String[] with(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  /**
   * Trains {@code whole} uninterrupted for 4 epochs, then {@code resumed} with a checkpoint every 2 epochs and
   * a task that always fails in epoch 3 (the run dies after its checkpoint of epoch 2), then resumes that
   * run. Checks that the checkpoint was complete and that the resumed run started from it; returns the
   * resumed run's final metrics. The caller compares the two run folders.
   */
  static java.util.Map<String, Object> trainKillAndResume(SparkSession spark,
      java.util.function.Function<String[], Settings> settings, String data, Path dir, String whole, String resumed,
      String... overrides) throws java.io.IOException {
    String[] fourEpochs = with(overrides, "epochs=4");
    String[] checkpointed = with(fourEpochs, "checkpoint_every=2");
    train(spark, settings.apply(fourEpochs), data, dir, whole);
    System.setProperty("directspec.inject.failure", "3:0:0:always");
    try {
      org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> train(spark, settings.apply(checkpointed), data, dir, resumed));
    } finally {
      System.clearProperty("directspec.inject.failure");
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        java.nio.file.Files.exists(dir.resolve(resumed + "._incomplete/checkpoints/epoch-00002/_SUCCESS")));
    java.util.Map<String, Object> fin = new dev.directspec.job.TrainJob(spark, settings.apply(checkpointed))
        .run(data, dir.resolve(resumed).toString(), false, true);
    org.junit.jupiter.api.Assertions.assertEquals(4, fin.get("epochs"));
    String metrics = java.nio.file.Files.readString(dir.resolve(resumed + "/metrics.json"));
    org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("\"resumed_from_epoch\" : 2"), metrics);
    return fin;
  }

  /** Trains a fresh run folder {@code dir/run} and returns its final metrics. */
  static java.util.Map<String, Object> train(SparkSession spark, Settings settings, String data, Path dir, String run) {
    return new dev.directspec.job.TrainJob(spark, settings).run(data, dir.resolve(run).toString(), false, false);
  }

  /** A factor table of {@code dir/run/model}, ordered by its int id. */
  static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> modelTable(SparkSession spark, Path dir, String run,
      String table) {
    return spark.read().parquet(dir.resolve(run).resolve("model").resolve(table).toString())
        .orderBy(table.contains("user") ? "user" : "item");
  }

  /** The rows of a factor table of {@code dir/run/model} by int id, as doubles. */
  static java.util.Map<Integer, double[]> modelRows(SparkSession spark, Path dir, String run, String table) {
    java.util.Map<Integer, double[]> rows = new java.util.HashMap<>();
    for (org.apache.spark.sql.Row r : modelTable(spark, dir, run, table).collectAsList()) {
      List<Float> f = r.getList(2);
      double[] v = new double[f.size()];
      for (int k = 0; k < v.length; k++) v[k] = f.get(k);
      rows.put(r.getInt(1), v);
    }
    return rows;
  }

  static SparkSession start(String name) {
    return SparkSession.builder()
        .master("local[2,3]")
        .appName(name)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.locality.wait", "0s")
        .getOrCreate();
  }
}
