package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.directspec.config.Settings;
import dev.directspec.eval.ScoringJob;
import dev.directspec.job.TrainJob;
import dev.directspec.train.MetricsLog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.method = als through TrainJob: the run folder, its metrics, and evaluate on the saved model. */
class AlsBaselineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  static SparkSession spark;
  static String data;
  static Map<String, Object> fin;
  static Path run;

  @BeforeAll
  static void trainOnce() {
    spark = LocalSpark.start("als-baseline");
    data = LocalSpark.syntheticDataset(spark, dir, 300, 400, 6_000);
    // checkpoint_interval 2 < max_iter: the fit goes through ALS's checkpoints in the run folder.
    Settings settings = Settings.load(List.of(), List.of("method=als", "dim=16", "max_iter=6",
        "checkpoint_interval=2", "blocks=2", "seed=11"));
    run = dir.resolve("als");
    fin = new TrainJob(spark, settings).run(data, run.toString(), false, false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void savedModelEvaluatesToTheFinalMetrics() {
    Map<String, Double> again = new ScoringJob(spark, data, run.resolve("model").toString(), 3)
        .evaluate(List.of(10, 20));
    assertEquals((Double) fin.get("recall@20"), again.get("recall@20"), 1e-6);
    assertEquals((Double) fin.get("ndcg@20"), again.get("ndcg@20"), 1e-6);
  }

  @Test
  void learnsThePlantedStructure() {
    // 8 planted communities over 400 items: a random ranking gets recall@20 ~ 20/400 = 0.05; 6 ALS
    // iterations at rank 16 measured 0.389.
    assertTrue((Double) fin.get("recall@20") > 0.25, "recall@20 " + fin.get("recall@20"));
  }

  @Test
  void writesTheRunFolderOfTheTrainer() throws Exception {
    JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
    for (String key : MetricsLog.FINAL_METRICS) assertTrue(metrics.get("final").has(key), key);
    assertEquals(6, metrics.get("final").get("epochs").asInt());
    assertTrue(metrics.get("final").get("train_seconds").asDouble() > 0);
    JsonNode epochs = metrics.get("epochs");
    assertEquals(1, epochs.size());
    assertEquals(16, epochs.get(0).get("singular_values_users").size());
    double erank = metrics.get("final").get("effective_rank_users").asDouble();
    assertTrue(erank > 1 && erank <= 16, "effective rank " + erank);
    JsonNode meta = JSON.readTree(run.resolve("model/metadata.json").toFile());
    assertEquals("als", meta.get("method").asText());
    assertEquals(0.1, meta.get("method_settings").get("reg_param").asDouble());
    assertTrue(Files.exists(run.resolve("_SUCCESS")));
    assertTrue(Files.exists(run.resolve("settings.conf")));
    assertFalse(Files.exists(run.resolve("_lineage")), "ALS checkpoints must not stay in the run folder");
  }
}
