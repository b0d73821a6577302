package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.directspec.cli.Main;
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
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tables in and out through a real Hive metastore (issue 23, item 1): Spark's Hive support with an
 * embedded Derby metastore and a warehouse in a temporary folder. A Hive-format table (STORED AS PARQUET)
 * is prepared with {@code prep --input-table}, a model trained, and {@code recommend --output-table
 * --partition-by} writes a partitioned table that a SQL query in a new session reads back. Every command
 * runs in this JVM with its own SparkSession, stopped at its end, so what the next one sees came through
 * the metastore, not a session's memory (the in-memory catalog would have forgotten the tables).
 */
class CatalogTablesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROPERTIES = List.of("spark.sql.warehouse.dir",
      "spark.hadoop.javax.jdo.option.ConnectionURL", "derby.system.home", "spark.ui.enabled");

  @TempDir
  static Path dir;

  @BeforeAll
  static void metastoreInTempDir() {
    // Commands read spark.* system properties like spark-submit's; Derby's log goes to derby.system.home.
    System.setProperty("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString());
    System.setProperty("spark.hadoop.javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true");
    System.setProperty("derby.system.home", dir.toString());
    System.setProperty("spark.ui.enabled", "false");
  }

  @AfterAll
  static void clear() {
    PROPERTIES.forEach(System::clearProperty);
  }

  private static SparkSession hive() {
    return SparkSession.builder().master("local[2]").appName("catalog-tables-it")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4").enableHiveSupport().getOrCreate();
  }

  /** 200 customers x 80 skus, 10 events each, quantities 0..3 (0 is dropped by min_weight = 1), a timestamp. */
  private static void createEventsTable() {
    SparkSession spark = hive();
    try {
      spark.sql("CREATE DATABASE shop");
      spark.sql("CREATE TABLE shop.events (customer STRING, sku STRING, qty INT, ts TIMESTAMP) STORED AS PARQUET");
      Random random = new Random(31);
      List<Row> rows = new ArrayList<>();
      for (int c = 0; c < 200; c++) {
        for (int k = 0; k < 10; k++) {
          rows.add(RowFactory.create("c" + c, "sku-" + random.nextInt(80), random.nextInt(4),
              new Timestamp(1_700_000_000_000L + (c * 10L + k) * 60_000L)));
        }
      }
      StructType schema = new StructType().add("customer", DataTypes.StringType).add("sku", DataTypes.StringType)
          .add("qty", DataTypes.IntegerType).add("ts", DataTypes.TimestampType);
      spark.createDataFrame(rows, schema).write().insertInto("shop.events");
    } finally {
      spark.stop();
    }
  }

  @Test
  void prepFromATableTrainAndRecommendIntoAPartitionedTable() throws Exception {
    createEventsTable();
    String data = dir.resolve("data").toString();
    String run = dir.resolve("run").toString();
    assertEquals(0, Main.run("prep", "--input-table", "shop.events", "--output", data, "--set", "user_col=customer",
        "--set", "item_col=sku", "--set", "weight_col=qty", "--set", "min_weight=1", "--set", "time_col=ts",
        "--set", "split=temporal"));
    JsonNode manifest = JSON.readTree(dir.resolve("data/manifest.json").toFile());
    JsonNode input = manifest.path("inputs").get(0);
    assertEquals("shop.events", input.path("table").asText(), manifest.toString());
    assertEquals("table", input.path("format").asText());
    assertEquals(2000, manifest.path("counts").path("rows_read").asLong(), manifest.toString());

    assertEquals(0, Main.run("train", "--data", data, "--output", run, "--set", "epochs=2", "--set", "blocks=2",
        "--set", "seed=3"));
    String[] recommend = {"recommend", "--data", data, "--model", run, "--k", "5", "--output-table", "shop.recs",
        "--partition-by", "dt=2026-12-02"};
    assertEquals(0, Main.run(recommend), "creates the table");
    assertEquals(2, Main.run(recommend), "an existing partition is refused without --overwrite");
    String[] nextDay = recommend.clone();
    nextDay[nextDay.length - 1] = "dt=2026-12-03";
    assertEquals(0, Main.run(nextDay), "a new partition of the existing table");
    String[] overwrite = java.util.Arrays.copyOf(recommend, recommend.length + 1);
    overwrite[recommend.length] = "--overwrite";
    assertEquals(0, Main.run(overwrite), "replaced with --overwrite");

    long users = manifest.path("counts").path("users").asLong();
    SparkSession spark = hive();
    try {
      List<Row> partitions = spark.sql("SHOW PARTITIONS shop.recs").collectAsList();
      assertEquals(List.of("dt=2026-12-02", "dt=2026-12-03"), partitions.stream().map(r -> r.getString(0)).sorted()
          .toList());
      List<Row> counts = spark.sql("SELECT dt, count(*) FROM shop.recs GROUP BY dt ORDER BY dt").collectAsList();
      assertEquals(List.of("2026-12-02:" + users * 5, "2026-12-03:" + users * 5),
          counts.stream().map(r -> r.getString(0) + ":" + r.getLong(1)).toList(),
          "5 per user and day, once: the overwrite replaced its partition and left the other one");
      Row top = spark.sql("SELECT user_id, item_id, score FROM shop.recs WHERE dt = '2026-12-02' AND rank = 1 "
          + "ORDER BY user_id LIMIT 1").first();
      assertEquals(bestUnseenItem(spark, data, run, top.getString(0)), top.getString(1), "top item of " + top);
    } finally {
      spark.stop();
    }
  }

  /** The highest-scoring item outside the user's training rows, from the model's factor tables directly. */
  private static String bestUnseenItem(SparkSession spark, String data, String run, String userId) {
    Row user = spark.read().parquet(run + "/model/user_factors").where("user_id = '" + userId + "'").first();
    List<Float> u = user.getList(user.fieldIndex("features"));
    Set<Integer> seen = new HashSet<>();
    for (Row r : spark.read().parquet(data + "/train").where("user = " + user.getInt(user.fieldIndex("user")))
        .select("item").collectAsList()) {
      seen.add(r.getInt(0));
    }
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Row r : spark.read().parquet(run + "/model/item_factors").collectAsList()) {
      if (seen.contains(r.getInt(r.fieldIndex("item")))) continue;
      List<Float> v = r.getList(r.fieldIndex("features"));
      double s = 0;
      for (int k = 0; k < v.size(); k++) s += (double) u.get(k) * v.get(k);
      if (s > bestScore) {
        bestScore = s;
        best = r.getString(r.fieldIndex("item_id"));
      }
    }
    assertTrue(best != null);
    return best;
  }
}
