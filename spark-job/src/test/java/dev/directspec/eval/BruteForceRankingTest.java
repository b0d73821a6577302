package dev.directspec.eval;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.FactorInit;
import dev.directspec.ranking.Breakdown;
import dev.directspec.ranking.BreakdownSums;
import dev.directspec.ranking.TopKLists;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blockwise top-K and metrics that {@code evaluate} and {@code recommend} run
 * ({@link BlockEvaluator#evaluate}, {@link BlockEvaluator#topK}) against a brute-force ranking of every
 * user over every item, on a random model in 3 blocks. Factors are small whole numbers, so the float
 * products are exact and many scores tie exactly: ties rank the smaller item id first. Some users have
 * fewer unseen items than K, some have no test item (they are not averaged).
 */
class BruteForceRankingTest {
  static final int USERS = 41;
  static final int ITEMS = 23;
  static final int DIM = 3;
  static final int BLOCKS = 3;
  static final List<Integer> KS = List.of(5, 20);
  static SparkSession spark;
  static float[][] userFactors;
  static float[][] itemFactors;
  static List<TreeSet<Integer>> seen = new ArrayList<>();
  static List<TreeSet<Integer>> tests = new ArrayList<>();
  static JavaRDD<EmbeddingBlock> users;
  static JavaRDD<EmbeddingBlock> items;
  static JavaRDD<EmbeddingBlock> testBlocks;

  @BeforeAll
  static void model() {
    spark = SparkSession.builder().master("local[2]").appName("brute-force-ranking")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate();
    SplittableRandom rng = new SplittableRandom(11);
    userFactors = wholeNumbers(USERS, rng);
    itemFactors = wholeNumbers(ITEMS, rng);
    List<Row> train = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      // User 0 has seen 20 of the 23 items: fewer unseen items than K = 20.
      int seenCount = u == 0 ? 20 : 1 + rng.nextInt(8);
      TreeSet<Integer> s = new TreeSet<>();
      while (s.size() < seenCount) s.add(rng.nextInt(ITEMS));
      TreeSet<Integer> t = new TreeSet<>();
      int testCount = u % 7 == 3 ? 0 : 1 + rng.nextInt(4);
      while (t.size() < testCount) {
        int i = rng.nextInt(ITEMS);
        if (!s.contains(i)) t.add(i);
      }
      seen.add(s);
      tests.add(t);
      for (int i : s) train.add(RowFactory.create(u, i));
      for (int i : t) test.add(RowFactory.create(u, i));
    }
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    Dataset<Row> trainRows = spark.createDataFrame(train, schema);
    BlockLayout.Tables tables = BlockLayout.build(trainRows, USERS, ITEMS, BLOCKS, DIM, 1, FactorInit.zeros());
    float[][] u = userFactors;
    float[][] i = itemFactors;
    users = tables.users().map(b -> withRows(b, u)).cache();
    items = tables.items().map(b -> withRows(b, i)).cache();
    testBlocks = BlockLayout.adjacency(spark.createDataFrame(test, schema), USERS, BLOCKS).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Rows of whole numbers in [-2, 2]: exact float dot products, and many equal scores. */
  private static float[][] wholeNumbers(int rows, SplittableRandom rng) {
    float[][] out = new float[rows][DIM];
    for (float[] row : out) {
      for (int k = 0; k < DIM; k++) row[k] = rng.nextInt(5) - 2;
    }
    return out;
  }

  private static EmbeddingBlock withRows(EmbeddingBlock b, float[][] table) {
    float[] f = new float[b.size * b.dim];
    for (int r = 0; r < b.size; r++) System.arraycopy(table[b.globalId(r)], 0, f, r * b.dim, b.dim);
    return b.withFactors(f);
  }

  private static float score(int u, int i) {
    float s = 0;
    for (int k = 0; k < DIM; k++) s += userFactors[u][k] * itemFactors[i][k];
    return s;
  }

  /** Every item scored, sorted by score then item id, training items left out when asked; the first k. */
  private static int[] bruteForce(int u, int k, boolean excludeSeen) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      if (!excludeSeen || !seen.get(u).contains(i)) candidates.add(i);
    }
    candidates.sort(Comparator.comparingDouble((Integer i) -> -score(u, i)).thenComparingInt(i -> i));
    return candidates.stream().limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void topKListsAreTheBruteForceRankings() {
    for (boolean excludeSeen : new boolean[] {true, false}) {
      int k = 20;
      List<Tuple2<Integer, TopKLists>> blocks = BlockEvaluator.topK(users, items, k, excludeSeen).collect();
      assertEquals(BLOCKS, blocks.size());
      int usersChecked = 0;
      int tiedPairs = 0;
      for (Tuple2<Integer, TopKLists> block : blocks) {
        TopKLists top = block._2();
        int userBlock = block._1();
        for (int local = 0; local < top.size(); local++) {
          int u = local * BLOCKS + userBlock;
          int[] expected = bruteForce(u, k, excludeSeen);
          int[] ranked = top.ranked(local);
          assertArrayEquals(expected, ranked, "user " + u + " (training items excluded: " + excludeSeen + ")");
          for (int r = 0; r < ranked.length; r++) {
            assertEquals(score(u, ranked[r]), top.scores()[local * k + r], "score of user " + u + " rank " + r);
            if (r > 0 && score(u, ranked[r]) == score(u, ranked[r - 1])) tiedPairs++;
          }
          if (excludeSeen) {
            for (int item : ranked) assertTrue(!seen.get(u).contains(item), "user " + u + " was shown " + item);
          }
          usersChecked++;
        }
      }
      assertEquals(USERS, usersChecked);
      assertTrue(tiedPairs > 100, "the fixture must exercise ties: " + tiedPairs);
      assertEquals(3, bruteForce(0, k, true).length, "user 0 has fewer unseen items than K");
    }
  }

  @Test
  void metricsAreTheMeansOverTheBruteForceRankings() {
    Map<String, Double> got = BlockEvaluator.evaluate(users, items, testBlocks, KS);
    int evaluated = 0;
    double[][] sums = new double[5][KS.size()];
    for (int u = 0; u < USERS; u++) {
      TreeSet<Integer> relevant = tests.get(u);
      if (relevant.isEmpty()) continue;
      evaluated++;
      int[] ranked = bruteForce(u, 20, true);
      for (int c = 0; c < KS.size(); c++) {
        int k = KS.get(c);
        int hits = 0;
        double dcg = 0;
        for (int r = 0; r < Math.min(k, ranked.length); r++) {
          if (relevant.contains(ranked[r])) {
            hits++;
            dcg += 1 / log2(r + 2);
          }
        }
        double idcg = 0;
        for (int r = 0; r < Math.min(k, relevant.size()); r++) idcg += 1 / log2(r + 2);
        sums[0][c] += (double) hits / relevant.size();
        sums[1][c] += (double) hits / Math.min(k, relevant.size());
        sums[2][c] += dcg / idcg;
        sums[3][c] += (double) hits / k;
        sums[4][c] += hits > 0 ? 1 : 0;
      }
    }
    assertTrue(evaluated > 20 && evaluated < USERS, evaluated + " users with test items");
    assertEquals(evaluated, got.get("users"), 0);
    String[] names = {"recall", "recall_capped", "ndcg", "precision", "hit_rate"};
    for (int m = 0; m < names.length; m++) {
      for (int c = 0; c < KS.size(); c++) {
        String key = names[m] + "@" + KS.get(c);
        assertEquals(sums[m][c] / evaluated, got.get(key), 1e-12, key + " in " + got);
      }
    }
    assertTrue(got.get("hit_rate@5") > 0 && got.get("hit_rate@5") < 1, "a fixture with hits and misses: " + got);
  }

  /**
   * The breakdown from the blockwise ranking equals {@link BreakdownSums} fed with the brute-force rankings, and
   * the metrics that come with it are those of {@link BlockEvaluator#evaluate}.
   */
  @Test
  void breakdownIsThatOfTheBruteForceRankings() {
    BlockEvaluator.Evaluation got = BlockEvaluator.evaluateWithBreakdown(users, items, testBlocks, KS);
    Map<String, Double> plain = BlockEvaluator.evaluate(users, items, testBlocks, KS);
    assertEquals(plain.keySet(), got.metrics().keySet());
    for (String key : plain.keySet()) assertEquals(plain.get(key), got.metrics().get(key), 1e-12, key);

    int[] itemDegrees = new int[ITEMS];
    int interactions = 0;
    for (TreeSet<Integer> s : seen) {
      for (int i : s) itemDegrees[i]++;
      interactions += s.size();
    }
    BreakdownSums sums = new BreakdownSums(20);
    for (int u = 0; u < USERS; u++) {
      int[] test = tests.get(u).stream().mapToInt(Integer::intValue).toArray();
      if (test.length > 0) sums.addUser(seen.get(u).size(), bruteForce(u, 20, true), test, itemDegrees);
    }
    Breakdown expected = sums.result(ITEMS, interactions);
    Breakdown actual = got.breakdown();
    assertEquals(List.of("1-4", "5-9", "20-49"), actual.buckets().stream().map(Breakdown.Bucket::label).toList());
    for (int b = 0; b < expected.buckets().size(); b++) {
      Breakdown.Bucket e = expected.buckets().get(b);
      Breakdown.Bucket a = actual.buckets().get(b);
      assertEquals(e.label(), a.label());
      assertEquals(e.users(), a.users(), e.label());
      assertEquals(e.recall(), a.recall(), 1e-12, e.label());
      assertEquals(e.ndcg(), a.ndcg(), 1e-12, e.label());
    }
    assertEquals(expected.recommendedItemDegree(), actual.recommendedItemDegree(), 1e-12);
    assertEquals(expected.testItemDegree(), actual.testItemDegree(), 1e-12);
    assertEquals(expected.itemDegree(), actual.itemDegree(), 1e-12);
    assertEquals(expected.coveredItems(), actual.coveredItems());
    assertEquals(ITEMS, actual.numItems());
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
