package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.FactorInit;
import dev.directspec.config.Settings;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory per executor must not grow with the block count P or train.rounds: the number of RDDs Spark
 * keeps cached while epochs run (seen at every stage and task start) is bounded by a constant, for MF and
 * LightGCN epochs, for P in {2, 4} and rounds in {1, 3}. Before, every stratum's outcome stayed cached
 * until the epoch's one job ended (rounds x P of them).
 */
class PersistedBlocksBoundTest {
  static final int USERS = 120;
  static final int ITEMS = 80;
  static SparkSession spark;
  static JavaSparkContext sc;
  static Dataset<Row> train;
  static final AtomicInteger maxPersisted = new AtomicInteger();

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("persisted-blocks-bound")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.sc().addSparkListener(new SparkListener() {
      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        record();
      }

      @Override
      public void onTaskStart(SparkListenerTaskStart task) {
        record();
      }
    });
    SplittableRandom rng = new SplittableRandom(3);
    Set<Long> seen = new LinkedHashSet<>();
    while (seen.size() < 1500) seen.add((long) rng.nextInt(USERS) * ITEMS + rng.nextInt(ITEMS));
    List<Row> rows = new ArrayList<>();
    for (long e : seen) rows.add(RowFactory.create((int) (e / ITEMS), (int) (e % ITEMS)));
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    train = spark.createDataFrame(rows, schema).cache();
  }

  private static void record() {
    maxPersisted.accumulateAndGet(sc.getPersistentRDDs().size(), Math::max);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Trains 2 epochs and returns the most RDDs cached at once while they ran, besides those cached before. */
  private static int maxCachedWhileTraining(List<String> overrides, List<float[]> initialOut,
      List<float[]> factorsOut) throws Exception {
    TrainSettings settings = TrainSettings.from(Settings.load(List.of(), overrides));
    BlockLayout.Tables tables = BlockLayout.build(train, USERS, ITEMS, settings.schedule().blocks(), settings.model().dim(),
        settings.schedule().batchSize(), new FactorInit(settings.seed(), settings.model().initStd()));
    JavaRDD<EmbeddingBlock> users = tables.users().cache();
    JavaRDD<EmbeddingBlock> items = tables.items().cache();
    List<Double> losses = new ArrayList<>();
    initialOut.addAll(users.union(items).map(b -> b.factors).collect());
    sc.sc().listenerBus().waitUntilEmpty();
    Set<Integer> cachedBefore = Set.copyOf(sc.getPersistentRDDs().keySet());
    maxPersisted.set(0);
    EpochLoop.Result result = new EpochLoop(sc, settings, tables.layout(), 10)
        .train(users, items, 0, (report, blocks) -> losses.add(report.loss()));
    // Partitions in order: user blocks 0..P-1, then item blocks 0..P-1.
    for (EmbeddingBlock b : result.users().union(result.items()).collect()) factorsOut.add(b.factors);
    sc.sc().listenerBus().waitUntilEmpty();
    assertEquals(2, losses.size(), "both epochs reported");
    for (double loss : losses) assertTrue(Double.isFinite(loss), "epoch loss " + loss);
    for (Integer id : List.copyOf(sc.getPersistentRDDs().keySet())) {
      if (!cachedBefore.contains(id)) sc.getPersistentRDDs().get(id).unpersist(false);
    }
    return maxPersisted.get() - cachedBefore.size();
  }

  private static Map<String, Integer> cachedPerShape(String... common) throws Exception {
    Map<String, Integer> cached = new LinkedHashMap<>();
    for (int blocks : new int[] {2, 4}) {
      for (int rounds : new int[] {1, 3}) {
        List<String> overrides = new ArrayList<>(List.of(common));
        overrides.addAll(List.of("epochs=2", "dim=8", "batch_size=16", "blocks=" + blocks, "rounds=" + rounds));
        cached.put("P=" + blocks + " rounds=" + rounds, maxCachedWhileTraining(overrides, new ArrayList<>(), new ArrayList<>()));
      }
    }
    return cached;
  }

  @Test
  void mfEpochsCacheAFixedNumberOfRdds() throws Exception {
    Map<String, Integer> cached = cachedPerShape("method=directspec", "lr=1.0");
    // Besides the caller's tables: the user and item adjacency, and the outcomes of two strata (the one
    // being computed and the one it reads).
    assertEquals(1, Set.copyOf(cached.values()).size(), "cached RDDs depend on P or rounds: " + cached);
    System.out.println("MF: most RDDs cached during an epoch " + cached);
    int most = cached.values().iterator().next();
    assertTrue(most <= 4 && most >= 2, most + " RDDs cached during an epoch: " + cached);
  }

  @Test
  void lightGcnEpochsCacheTheSameNumberOfRddsWhateverPAndRounds() throws Exception {
    Map<String, Integer> cached = cachedPerShape("model=lightgcn", "layers=2", "method=directspec", "lr=1.0");
    System.out.println("LightGCN: most RDDs cached during an epoch " + cached);
    // The propagation's layers and movement passes cache tables of their own; their number depends on
    // train.layers and train.smoothing_passes only.
    assertEquals(1, Set.copyOf(cached.values()).size(), "cached RDDs depend on P or rounds: " + cached);
  }

  @Test
  void adaptiveMethodWhoseItemBlocksKeepTheirAdjacencyTrainsTheSameWayTwice() throws Exception {
    List<String> overrides = List.of("method=directspec+adaptive", "epochs=2", "dim=8", "batch_size=16",
        "blocks=3", "rounds=2", "lr=1.0");
    List<float[]> initial = new ArrayList<>();
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    maxCachedWhileTraining(overrides, initial, first);
    maxCachedWhileTraining(overrides, new ArrayList<>(), second);
    assertEquals(6, first.size());
    for (int b = 0; b < first.size(); b++) {
      assertArrayEquals(first.get(b), second.get(b), "block " + b + " differs between two runs of one seed");
      assertFalse(Arrays.equals(initial.get(b), first.get(b)), "block " + b + " did not train");
    }
  }
}
