package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.FactorInit;
import dev.directspec.settings.TrainSettings;

import dev.directspec.config.Settings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strata invariant of docs/design.md "Strata", for several P and two rounds: in every stratum each
 * user block and each item block is in exactly one task (task b: user block b, item block (b + s) mod P),
 * and over an epoch every cell (user block, item block) trains exactly its own steps, once. Read from the
 * outcome {@link Strata#run} leaves after s + 1 strata: partition b holds what task b trained last.
 */
class StrataInvariantTest {
  static final int USERS = 60;
  static final int ITEMS = 45;
  static SparkSession spark;
  static JavaSparkContext sc;
  static Dataset<Row> train;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("strata-invariant")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SplittableRandom rng = new SplittableRandom(5);
    Set<Long> pairs = new HashSet<>();
    while (pairs.size() < 900) pairs.add((long) rng.nextInt(USERS) * ITEMS + rng.nextInt(ITEMS));
    List<Row> rows = new ArrayList<>();
    for (long e : pairs) rows.add(RowFactory.create((int) (e / ITEMS), (int) (e % ITEMS)));
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    train = spark.createDataFrame(rows, schema).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void everyBlockIsInExactlyOneTaskPerStratumAndEveryCellTrainsOncePerEpoch() {
    for (int p : new int[] {1, 2, 3, 5}) {
      int rounds = 2;
      TrainSettings settings = TrainSettings.from(Settings.load(List.of(), List.of("method=directspec+",
          "epochs=1", "dim=4", "batch_size=8", "blocks=" + p, "rounds=" + rounds, "lr=1.0")));
      BlockLayout.Tables tables = BlockLayout.build(train, USERS, ITEMS, p, settings.model().dim(), settings.schedule().batchSize(),
          new FactorInit(settings.seed()));
      JavaRDD<EmbeddingBlock> users = tables.users().cache();
      JavaRDD<EmbeddingBlock> items = tables.items().cache();
      Strata strata = new Strata(sc, settings, tables.layout(), users, items);
      JavaRDD<BlockPair> start = strata.pairs(users, items);
      int strataPerEpoch = rounds * p;
      long[] expectedSteps = new long[p];
      for (int count = 1; count <= strataPerEpoch; count++) {
        int s = count - 1;
        JavaRDD<BlockPair> end = strata.run(start, 0, 0, count, false);
        List<List<BlockPair>> tasks = end.glom().collect();
        strata.settled(end);
        assertEquals(p, tasks.size(), "P = " + p + ", stratum " + s + ": tasks");
        Set<Integer> userBlocks = new HashSet<>();
        Set<Integer> itemBlocks = new HashSet<>();
        for (int b = 0; b < p; b++) {
          assertEquals(1, tasks.get(b).size(), "P = " + p + ", stratum " + s + ", task " + b + ": one cell");
          BlockPair cell = tasks.get(b).get(0);
          assertEquals(b, cell.users().block, "P = " + p + ", stratum " + s + ", task " + b + ": user block");
          assertEquals((b + s) % p, cell.items().block, "P = " + p + ", stratum " + s + ", task " + b + ": item block");
          userBlocks.add(cell.users().block);
          itemBlocks.add(cell.items().block);
          expectedSteps[b] += EpochLoop.stepsOfRound(tables.layout().steps[b][(b + s) % p], s / p, rounds);
          assertEquals(expectedSteps[b], cell.steps(), "P = " + p + ", stratum " + s + ", task " + b + ": steps so far");
        }
        assertEquals(p, userBlocks.size(), "P = " + p + ", stratum " + s + ": user blocks " + userBlocks);
        assertEquals(p, itemBlocks.size(), "P = " + p + ", stratum " + s + ": item blocks " + itemBlocks);
      }
      // After the epoch's strata, user block b has trained every cell (b, c) for all its steps.
      long total = 0;
      for (int b = 0; b < p; b++) {
        long rowSteps = 0;
        for (int c = 0; c < p; c++) rowSteps += tables.layout().steps[b][c];
        assertEquals(rowSteps, expectedSteps[b], "P = " + p + ", user block " + b + ": an epoch's steps");
        total += rowSteps;
      }
      assertEquals(tables.layout().totalSteps(), total, "P = " + p + ": every cell's steps, once");
      assertTrue(total > 0, "the fixture trains");
      strata.release();
      users.unpersist(false);
      items.unpersist(false);
    }
  }
}
