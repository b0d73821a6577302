package dev.directspec.prep;

import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ORC and JSON-lines files and catalog tables (issue 23, item 1): columns by name as for Parquet, a native
 * timestamp column as Unix seconds. The table here is a saved table of the session's in-memory catalog;
 * CatalogTablesIT reads one from a Hive metastore.
 */
@Tag("slow")
class ColumnarInputTest extends SparkTestBase {
  /** Two customers, three skus; c2's row with a null sku is rejected; times one minute apart. */
  private Dataset<Row> events() {
    StructType schema = new StructType().add("customer", DataTypes.StringType).add("sku", DataTypes.StringType)
        .add("qty", DataTypes.IntegerType).add("ts", DataTypes.TimestampType);
    List<Row> rows = List.of(
        RowFactory.create("c1", "a", 1, new Timestamp(1_700_000_000_000L)),
        RowFactory.create("c1", "b", 2, new Timestamp(1_700_000_060_000L)),
        RowFactory.create("c1", "c", 3, new Timestamp(1_700_000_120_000L)),
        RowFactory.create("c2", "a", 1, new Timestamp(1_700_000_000_000L)),
        RowFactory.create("c2", null, 1, new Timestamp(1_700_000_030_000L)),
        RowFactory.create("c2", "c", 5, new Timestamp(1_700_000_180_000L)));
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private static final String[] COLUMNS = {"user_col=customer", "item_col=sku", "weight_col=qty", "time_col=ts",
      "split=temporal", "test_ratio=0.4", "max_rejected_share=0.5"};

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(COLUMNS, COLUMNS.length + more.length);
    System.arraycopy(more, 0, all, COLUMNS.length, more.length);
    return all;
  }

  /**
   * Same rows, same outcome whatever the source. The temporal split keeps every item's earliest row in
   * train, so c1 (whose rows are all their items' earliest) has no test row and c2's latest row is its test.
   */
  private void checkDataset(PrepResult r) {
    assertEquals(6, r.counts().get("rows_read"));
    assertEquals(1, r.counts().get("parse_rejected"));
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    List<String> test = d.test().join(d.items(), "item").join(d.users(), "user").orderBy("user_id")
        .collectAsList().stream().map(row -> row.getAs("user_id") + ":" + row.getAs("item_id") + "@" + row.getAs("ts"))
        .toList();
    assertEquals(List.of("c2:c@1700000180"), test, "timestamps read as Unix seconds");
  }

  @Test
  void orcFolder() {
    String in = tmp.resolve("orc").toString();
    events().write().orc(in);
    checkDataset(prep(settings(with("format=orc")), out("orc-out"), null, in));
  }

  @Test
  void jsonLinesFolder() {
    String in = tmp.resolve("json").toString();
    // JSON has no timestamp type: its time field is a number, as in text files.
    events().withColumn("ts", org.apache.spark.sql.functions.col("ts").cast(DataTypes.LongType)).write().json(in);
    checkDataset(prep(settings(with("format=json")), out("json-out"), null, in));
  }

  @Test
  void catalogTable() {
    events().write().option("path", tmp.resolve("table-files").toString()).saveAsTable("events_for_prep");
    try {
      PrepResult r = PrepJob.run(spark, settings(COLUMNS), new PrepPaths(List.of(), "events_for_prep", null,
          out("table-out"), false));
      checkDataset(r);
      JsonNode input = DatasetFolder.open(spark, r.output()).manifest().path("inputs").get(0);
      assertEquals("events_for_prep", input.path("table").asText(), input.toString());
      assertFalse(input.has("path"));
      assertEquals("events_for_prep", DatasetFolder.open(spark, r.output()).rejected().first().getAs("source"));
    } finally {
      spark.sql("DROP TABLE events_for_prep");
    }
  }

  @Test
  void missingTableIsBadInputAndLeavesNothing() {
    InputDataException e = assertThrows(InputDataException.class, () -> PrepJob.run(spark, settings(COLUMNS),
        new PrepPaths(List.of(), "no_such_db.events", null, out("missing-out"), false)));
    assertTrue(e.getMessage().startsWith("--input-table no_such_db.events: not readable"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("missing-out")));
  }
}
