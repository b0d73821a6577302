package dev.directspec.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recommend and similar query of the model against a brute-force ranking of the collected
 * factors of a small model, with string user ids and sparse long item ids (so a wrong index mapping,
 * a lost exclusion or a mis-sorted list shows up as a different ranking).
 */
class RankingQueriesTest {
  static final int K = 5;
  static SparkSession spark;
  static Dataset<Row> events;
  static DirectSpecRecommenderModel model;
  static Map<Object, float[]> users;
  static Map<Object, float[]> items;
  static Map<Object, Set<Object>> seenByUser = new HashMap<>();
  static Map<Object, Set<Object>> seenByItem = new HashMap<>();

  @BeforeAll
  static void fit() {
    spark = SparkSession.builder().master("local[2]").appName("ranking-queries")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    SplittableRandom rng = new SplittableRandom(11);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      Set<Long> mine = new HashSet<>();
      while (mine.size() < 6) mine.add(itemId((u / 3 + rng.nextInt(8)) % 40));
      for (long i : mine) {
        rows.add(RowFactory.create("user-" + u, i));
        seenByUser.computeIfAbsent("user-" + u, x -> new HashSet<>()).add(i);
        seenByItem.computeIfAbsent(i, x -> new HashSet<>()).add("user-" + u);
      }
    }
    StructType schema = new StructType().add("customer", DataTypes.StringType).add("sku", DataTypes.LongType);
    events = spark.createDataFrame(rows, schema);
    model = new DirectSpecRecommender().setUserCol("customer").setItemCol("sku").setDim(8).setEpochs(2)
        .setBatchSize(32).setNumBlocks(2).setLr(20).setSeed(7).fit(events);
    users = vectors(model.userFactors());
    items = vectors(model.itemFactors());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Sparse ids far above the number of items: a table of max id + 1 rows could not be allocated. */
  static long itemId(int i) {
    return 1_000_000_007L * (i + 1);
  }

  static Map<Object, float[]> vectors(Dataset<Row> table) {
    Map<Object, float[]> out = new HashMap<>();
    for (Row r : table.collectAsList()) out.put(r.get(0), DirectSpecRecommenderTest.vector(r));
    return out;
  }

  @Test
  void idsKeepTheirTypeAndOnlyPresentIdsGetRows() {
    assertEquals(60, users.size());
    assertEquals(events.select("sku").distinct().count(), items.size());
    assertEquals(DataTypes.StringType, model.userFactors().schema().apply("id").dataType());
    assertEquals(DataTypes.LongType, model.itemFactors().schema().apply("id").dataType());
    StructType recs = model.recommendForAllUsers(K).schema();
    assertEquals(DataTypes.StringType, recs.apply("customer").dataType());
    assertTrue(recs.apply("recommendations").dataType().simpleString().contains("sku:bigint"), recs.simpleString());
  }

  @Test
  void recommendForAllUsersAndSubsetMatchBruteForce() {
    assertRankings(model.recommendForAllUsers(K), users, items, false, Map.of(), users.keySet());
    Dataset<Row> some = events.filter("customer IN ('user-3', 'user-17', 'user-42')");
    Set<Object> wanted = Set.of("user-3", "user-17", "user-42");
    assertRankings(model.recommendForUserSubset(some, K), users, items, false, Map.of(), wanted);
  }

  @Test
  void recommendForAllItemsAndSubsetMatchBruteForce() {
    assertRankings(model.recommendForAllItems(K), items, users, false, Map.of(), items.keySet());
    Dataset<Row> some = events.filter("sku = " + itemId(4) + " OR sku = " + itemId(9));
    assertRankings(model.recommendForItemSubset(some, K), items, users, false, Map.of(),
        Set.of(itemId(4), itemId(9)));
  }

  @Test
  void excludeSeenLeavesOutTrainingPairsAndKeepsTheRestOfTheRanking() {
    DirectSpecRecommenderModel excluding = model.copy(new org.apache.spark.ml.param.ParamMap()).setExcludeSeen(true);
    assertRankings(excluding.recommendForAllUsers(K), users, items, false, seenByUser, users.keySet());
    assertRankings(excluding.recommendForAllItems(K), items, users, false, seenByItem, items.keySet());
  }

  @Test
  void similarItemsAndUsersMatchBruteForceCosine() {
    Map<Object, Set<Object>> selfItems = new HashMap<>();
    for (Object i : items.keySet()) selfItems.put(i, Set.of(i));
    assertRankings(model.similarItems(K), items, items, true, selfItems, items.keySet());
    Dataset<Row> one = events.filter("sku = " + itemId(5));
    assertRankings(model.similarItems(one, K), items, items, true, selfItems, Set.of(itemId(5)));
    Map<Object, Set<Object>> selfUsers = new HashMap<>();
    for (Object u : users.keySet()) selfUsers.put(u, Set.of(u));
    assertRankings(model.similarUsers(K), users, users, true, selfUsers, users.keySet());
  }

  @Test
  void savedModelKeepsIdTypesAndSeenPairs(@TempDir Path dir) throws Exception {
    String path = dir.resolve("model").toString();
    model.write().save(path);
    DirectSpecRecommenderModel loaded = DirectSpecRecommenderModel.load(path).setExcludeSeen(true);
    assertEquals("customer", loaded.getUserCol());
    assertRankings(loaded.recommendForAllUsers(K), users, items, false, seenByUser, users.keySet());
    assertEquals(DataTypes.LongType, loaded.itemFactors().schema().apply("id").dataType());
  }

  /** Each query's list must be the brute-force top K (ids in order, scores within float precision). */
  static void assertRankings(Dataset<Row> result, Map<Object, float[]> queries, Map<Object, float[]> candidates,
      boolean cosine, Map<Object, Set<Object>> skip, Set<Object> expectedQueries) {
    List<Row> rows = result.collectAsList();
    Set<Object> got = new HashSet<>();
    for (Row r : rows) {
      Object q = r.get(0);
      got.add(q);
      List<Row> list = r.getList(1);
      List<Map.Entry<Object, Double>> expected = bruteForce(queries.get(q), candidates, cosine,
          skip.getOrDefault(q, Set.of()));
      assertEquals(Math.min(K, expected.size()), list.size(), "list length of " + q);
      for (int p = 0; p < list.size(); p++) {
        assertEquals(expected.get(p).getKey(), list.get(p).get(0), "rank " + p + " of " + q);
        assertEquals(expected.get(p).getValue(), list.get(p).getFloat(1), 1e-5, "score at rank " + p + " of " + q);
        assertFalse(skip.getOrDefault(q, Set.of()).contains(list.get(p).get(0)), "excluded id listed for " + q);
      }
    }
    assertEquals(expectedQueries, got);
  }

  static List<Map.Entry<Object, Double>> bruteForce(float[] q, Map<Object, float[]> candidates, boolean cosine,
      Set<Object> skip) {
    List<Map.Entry<Object, Double>> all = new ArrayList<>();
    for (Map.Entry<Object, float[]> c : candidates.entrySet()) {
      if (skip.contains(c.getKey())) continue;
      double s = DirectSpecRecommenderTest.dot(q, c.getValue());
      if (cosine) s /= Math.sqrt(DirectSpecRecommenderTest.dot(q, q) * DirectSpecRecommenderTest.dot(c.getValue(), c.getValue()));
      all.add(Map.entry(c.getKey(), s));
    }
    all.sort(Comparator.comparing((Map.Entry<Object, Double> e) -> -e.getValue()));
    return all;
  }
}
