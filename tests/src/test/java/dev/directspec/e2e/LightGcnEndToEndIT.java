package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.directspec.config.Settings;
import dev.directspec.eval.ScoringJob;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.ShuffleDataBlockId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.model = lightgcn end to end: saved factors, determinism, resume, warm start, evaluation. */
@Tag("slow")
class LightGcnEndToEndIT {
  @TempDir
  static Path dir;
  static SparkSession spark;
  static String data;
  /** The final metrics of run "a" (3 epochs), which most tests reuse. */
  static Map<String, Object> runA;

  @BeforeAll
  static void prepare() {
    spark = LocalSpark.start("lightgcn-e2e");
    data = LocalSpark.syntheticDataset(spark, dir, 500, 300, 8_000);
    runA = train("a");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Settings settings(String... extra) {
    return LocalSpark.settings(List.of("model=lightgcn", "layer_combination=mean", "epochs=3", "blocks=2", "rounds=2",
        "lr=30", "seed=5"), extra);
  }

  private static Map<String, Object> train(String run, String... extra) {
    return LocalSpark.train(spark, settings(extra), data, dir, run);
  }

  private static List<Row> table(String run, String name) {
    return LocalSpark.modelTable(spark, dir, run, name).collectAsList();
  }

  private static final List<String> TABLES = List.of("user_factors", "item_factors", "base_user_factors",
      "base_item_factors");

  @Test
  void savedFactorsAreTheSavedBaseTablePropagatedOverTheTrainingGraph() {
    Map<Integer, double[]> base = rows("a", "base_user_factors");
    int offset = Collections.max(base.keySet()) + 1;
    rows("a", "base_item_factors").forEach((item, row) -> base.put(offset + item, row));
    List<int[]> edges = new ArrayList<>();
    for (Row r : spark.read().parquet(data + "/train").select("user", "item").collectAsList()) {
      edges.add(new int[] {r.getInt(0), offset + r.getInt(1)});
    }
    Map<Integer, double[]> expected = propagateMean(base, edges, 3);
    double maxError = 0;
    for (String name : List.of("user_factors", "item_factors")) {
      for (Map.Entry<Integer, double[]> row : rows("a", name).entrySet()) {
        double[] want = expected.get((name.startsWith("user") ? 0 : offset) + row.getKey());
        double[] got = row.getValue();
        for (int j = 0; j < got.length; j++) maxError = Math.max(maxError, Math.abs(want[j] - got[j]));
      }
    }
    assertTrue(maxError < 1e-5, "max difference to a direct propagation " + maxError);
  }

  @Test
  void sameSeedGivesIdenticalModelsEvenWhenATaskIsRetried() {
    System.setProperty("directspec.inject.failure", "2:1:0");
    try {
      train("retried");
    } finally {
      System.clearProperty("directspec.inject.failure");
    }
    for (String name : TABLES) {
      assertEquals(table("a", name), table("retried", name), name + " differ after a retried task");
    }
  }

  /**
   * With Adam the moments of the propagated rows must survive the checkpoint too; graph_spread and
   * base_update = smoothed keep no state of their own but run other code in the resumed epochs. The last
   * case is the schedule of conf/gowalla-lightgcn-bpr.conf.
   */
  @ParameterizedTest
  @ValueSource(strings = {"optimizer=sgd", "optimizer=adam,lr=0.01",
      "optimizer=sgd,graph_spread=0.5,base_update=smoothed",
      "method=bpr,optimizer=adam,lr=0.06,base_update=smoothed,init_std=0.1"})
  void resumeFromACheckpointEndsIdenticalToAnUninterruptedRun(String optimizer) throws Exception {
    String[] opt = optimizer.split(",");
    String variant = optimizer.replaceAll("[^a-z0-9]", "");
    String whole = "whole-" + variant;
    String resumed = "resumed-" + variant;
    LocalSpark.trainKillAndResume(spark, LightGcnEndToEndIT::settings, data, dir, whole, resumed, opt);
    for (String name : TABLES) {
      assertEquals(table(whole, name), table(resumed, name), name + " of the resumed run differ");
    }
  }

  /**
   * Every propagation layer is a shuffle whose files Spark deletes only once the driver has collected its
   * dependency; a lineage cut (every 10 epochs) leaves the earlier ones unreachable, and the trainer then asks
   * for a collection. Without that, a long Gowalla run kept every epoch's exchanges on disk (16 GB by epoch
   * 20). A collection the JVM happens to run can also delete them, so this fails for certain only when the
   * cut leaves earlier epochs reachable, and for the missing collection only when no other one ran.
   */
  @Test
  void aLineageCutReleasesTheShuffleFilesOfTheEpochsBeforeIt() throws Exception {
    SparkContext sc = spark.sparkContext();
    int first = sc.newShuffleId();
    train("cut", "epochs=12", "eval_every=0", "lineage_cut_every=5");
    int end = sc.newShuffleId();
    int created = end - first - 1;
    long kept = shuffleFilesOnDisk(first, end);
    for (int wait = 0; wait < 100 && kept > created / 3; wait++) { // the cleaner deletes asynchronously
      Thread.sleep(100);
      kept = shuffleFilesOnDisk(first, end);
    }
    assertTrue(created >= 100, "shuffles created by 12 epochs: " + created);
    // Epochs 11 and 12 (and the final evaluation and save) may keep theirs: 2 of 12 epochs' worth.
    assertTrue(kept <= created / 3, "shuffles of the run still on disk: " + kept + " of " + created);
    List<Integer> cutEpochs = new ArrayList<>();
    for (JsonNode epoch : new ObjectMapper().readTree(dir.resolve("cut").resolve("metrics.json").toFile())
        .get("epochs")) {
      if (epoch.get("phase_seconds").has("lineage_cut")) cutEpochs.add(epoch.get("epoch").asInt());
    }
    assertEquals(List.of(5, 10), cutEpochs, "epochs whose records carry a lineage cut (lineage_cut_every=5)");
  }

  private static long shuffleFilesOnDisk(int first, int end) {
    return CollectionConverters.asJava(SparkEnv.get().blockManager().diskBlockManager().getAllBlocks()).stream()
        .filter(b -> b instanceof ShuffleDataBlockId)
        .mapToInt(b -> ((ShuffleDataBlockId) b).shuffleId())
        .filter(id -> id > first && id < end).distinct().count();
  }

  @Test
  void warmStartFromALightGcnModelContinuesFromItsBaseTable() {
    train("warm", "epochs=0", "warm_start=" + dir.resolve("a/model"));
    for (String name : TABLES) {
      assertEquals(table("a", name), table("warm", name), name + ": zero epochs from a warm start");
    }
  }

  @Test
  void savedModelEvaluatesToTheMetricsOfTrainingAndLearnsTheStructure() {
    Map<String, Double> again = new ScoringJob(spark, data, dir.resolve("a/model").toString(), 3)
        .evaluate(List.of(10, 20));
    assertEquals((Double) runA.get("recall@20"), again.get("recall@20"), 1e-6);
    assertEquals((Double) runA.get("ndcg@20"), again.get("ndcg@20"), 1e-6);
    // 8 planted communities over 300 items: a random ranking gets recall@20 ~ 20/300 = 0.067; 8 epochs
    // measured 0.116, so 3 epochs must at least clear random by half.
    assertTrue((Double) runA.get("recall@20") > 0.10, "recall@20 " + runA.get("recall@20"));
  }

  /**
   * One round moves the base table by E1 - E0 = base_step * P^n (F' - F), and F' - F (the steps on the
   * first propagated table) does not depend on base_step or n: doubling base_step doubles the movement,
   * and another smoothing pass changes it.
   */
  @Test
  void baseStepScalesTheRoundMovementAndSmoothingPassesFilterIt() {
    // A large lr (as the Gowalla presets) so that the movement stands far above float rounding of E.
    String[] oneRound = {"epochs=1", "rounds=1", "base_update=smoothed", "lr=3000"};
    train("start", "epochs=0");
    train("passes3", append(oneRound, "smoothing_passes=3"));
    train("passes3-step2", append(oneRound, "smoothing_passes=3", "base_step=2"));
    train("passes2", oneRound);
    for (String name : List.of("base_user_factors", "base_item_factors")) {
      Map<Integer, double[]> start = rows("start", name);
      Map<Integer, double[]> once = rows("passes3", name);
      Map<Integer, double[]> twice = rows("passes3-step2", name);
      Map<Integer, double[]> fewerPasses = rows("passes2", name);
      double movement = 0;
      double notDoubled = 0;
      double passesEffect = 0;
      for (Map.Entry<Integer, double[]> row : start.entrySet()) {
        double[] e0 = row.getValue();
        double[] e1 = once.get(row.getKey());
        for (int j = 0; j < e0.length; j++) {
          movement = Math.max(movement, Math.abs(e1[j] - e0[j]));
          notDoubled = Math.max(notDoubled, Math.abs(twice.get(row.getKey())[j] - e0[j] - 2 * (e1[j] - e0[j])));
          passesEffect = Math.max(passesEffect, Math.abs(fewerPasses.get(row.getKey())[j] - e1[j]));
        }
      }
      assertTrue(movement > 1e-5, name + ": the round did not move the base table: " + movement);
      assertTrue(notDoubled < 1e-3 * movement, name + ": base_step 2 is not twice the movement: " + notDoubled
          + " against a movement of " + movement);
      assertTrue(passesEffect > 0.01 * movement, name + ": smoothing_passes 2 and 3 moved E alike: " + passesEffect);
    }
  }

  private static String[] append(String[] settings, String... more) {
    List<String> all = new ArrayList<>(List.of(settings));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static Map<Integer, double[]> rows(String run, String name) {
    return LocalSpark.modelRows(spark, dir, run, name);
  }

  /** (1/(K+1)) sum_k A_hat^k E from the edge list, in doubles. */
  private static Map<Integer, double[]> propagateMean(Map<Integer, double[]> e, List<int[]> edges, int layers) {
    Map<Integer, Integer> degree = new HashMap<>();
    for (int[] edge : edges) {
      degree.merge(edge[0], 1, Integer::sum);
      degree.merge(edge[1], 1, Integer::sum);
    }
    int dim = e.values().iterator().next().length;
    Map<Integer, double[]> sum = new HashMap<>();
    Map<Integer, double[]> layer = e;
    for (int k = 0; k <= layers; k++) {
      if (k > 0) {
        Map<Integer, double[]> next = new HashMap<>();
        for (int v : e.keySet()) next.put(v, new double[dim]);
        for (int[] edge : edges) {
          double a = 1 / Math.sqrt((double) degree.get(edge[0]) * degree.get(edge[1]));
          for (int j = 0; j < dim; j++) {
            next.get(edge[0])[j] += a * layer.get(edge[1])[j];
            next.get(edge[1])[j] += a * layer.get(edge[0])[j];
          }
        }
        layer = next;
      }
      for (Map.Entry<Integer, double[]> v : layer.entrySet()) {
        double[] s = sum.computeIfAbsent(v.getKey(), x -> new double[dim]);
        for (int j = 0; j < dim; j++) s[j] += v.getValue()[j] / (layers + 1);
      }
    }
    return sum;
  }
}
