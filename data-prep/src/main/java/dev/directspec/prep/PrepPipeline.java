package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The prep stages from parsed records to the written tables: validate (in {@link LineParser}) ->
 * duplicates policy -> implicit threshold -> k-core -> split -> dense ids from the training rows ->
 * test rows with an unknown user or item to rejected. Writes into a folder and counts every stage.
 */
final class PrepPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(PrepPipeline.class);

  record Outcome(PrepCounts counts, boolean usersNumeric, boolean itemsNumeric) {}

  private final SparkSession spark;
  private final PrepSettings settings;
  private final String split;
  private final PrepCounts counts = new PrepCounts();

  PrepPipeline(SparkSession spark, PrepSettings settings, String split) {
    this.spark = spark;
    this.settings = settings;
    this.split = split;
  }

  Outcome run(List<FileLayout> layouts, Path folder) {
    try (CachedTables tables = new CachedTables(spark)) {
      Dataset<Row> parsed = tables.cache("parsed", RawReader.read(spark, layouts, settings));
      Dataset<Row> rows = clean(parsed, tables, layouts);
      Dataset<Row> splitRows = Splitter.apply(rows, split, settings.testRatio(), settings.seed());
      if (!split.equals("given")) {
        // A per-user window is worth computing once; the given split is a projection of cached rows.
        splitRows = tables.cache("split", splitRows);
      }
      IdIndex users = IdIndex.build(spark, splitRows.filter("NOT test").select("user_id"), "user", tables);
      IdIndex items = IdIndex.build(spark, splitRows.filter("NOT test").select("item_id"), "item", tables);
      write(users.table(), folder, "users");
      write(items.table(), folder, "items");
      write(splitRows.filter("NOT test").join(users.table(), "user_id").join(items.table(), "item_id")
          .select("user", "item", "weight", "ts"), folder, "train");
      Dataset<Row> test = tables.cache("test", splitRows.filter("test")
          .join(users.table(), new String[] {"user_id"}, "left")
          .join(items.table(), new String[] {"item_id"}, "left"));
      write(test.filter(col("user").isNotNull().and(col("item").isNotNull()))
          .select("user", "item", "weight", "ts"), folder, "test");
      counts.put("users_without_train", test.filter(col("user").isNull()).select("user_id").distinct().count());
      write(parsed.filter(col("reason").isNotNull()).select("file", "line", "text", "reason")
          .unionByName(unknownInTrain(test))
          .join(broadcast(sources(layouts)), "file").select("source", "line", "text", "reason"), folder, "rejected");
      countWritten(folder, users.size(), items.size());
      return new Outcome(counts, users.numeric(), items.numeric());
    }
  }

  /** Read counts, duplicates policy, threshold and k-core; returns the cached rows that remain. */
  private Dataset<Row> clean(Dataset<Row> parsed, CachedTables tables, List<FileLayout> layouts) {
    Row read = parsed.agg(count(lit(1)), coalesce(sum(when(col("reason").isNotNull(), 1L).otherwise(0L)),
        lit(0L))).first();
    counts.put("rows_read", read.getLong(0));
    counts.put("parse_rejected", read.getLong(1));
    counts.put("parsed", read.getLong(0) - read.getLong(1));
    if (read.getLong(0) == 0) {
      throw new InputDataException("no interaction rows in the inputs (every file is empty or a header only): "
          + layouts.stream().map(FileLayout::source).toList());
    }
    Dataset<Row> rows = Dedup.apply(parsed.filter(col("reason").isNull()), settings.duplicates(), counts);
    long deduplicated = counts.get("parsed") - counts.get("merged_duplicates");
    counts.put("after_duplicates", deduplicated);
    long kept = deduplicated;
    if (settings.minWeight() != null || counts.get("merged_duplicates") > 0) {
      // Only a changed table is worth a cache of its own; otherwise rows reads the cached parsed table.
      if (settings.minWeight() != null) {
        rows = rows.filter(col("weight").geq(settings.minWeight()));
      }
      rows = tables.cache("rows", rows);
      kept = rows.count();
    }
    counts.put("removed_by_threshold", deduplicated - kept);
    counts.put("after_threshold", kept);
    LOG.info("read {} rows, {} rejected, {} after duplicates policy '{}', {} after threshold",
        counts.get("rows_read"), counts.get("parse_rejected"), deduplicated, settings.duplicates(), kept);
    return KCore.apply(rows, kept, settings.kcore(), tables, counts);
  }

  /** Test rows whose user or item has no training row: the trainer could not score them. */
  private static Dataset<Row> unknownInTrain(Dataset<Row> test) {
    Column reason = when(col("user").isNull(),
        concat(lit("test row: user '"), col("user_id"), lit("' has no training rows")))
        .otherwise(concat(lit("test row: item '"), col("item_id"), lit("' does not occur in the training rows")));
    return test.filter(col("user").isNull().or(col("item").isNull()))
        .select(col("file"), col("line"), coalesce(col("text"), concat_ws(" ", col("user_id"), col("item_id")))
            .as("text"), reason.as("reason"));
  }

  /** (file index, path) of every input, to name the source of rejected rows. */
  private Dataset<Row> sources(List<FileLayout> layouts) {
    List<Row> rows = layouts.stream().map(l -> RowFactory.create(l.file(), l.source())).toList();
    return spark.createDataFrame(rows, new StructType().add("file", DataTypes.IntegerType, false)
        .add("source", DataTypes.StringType, false));
  }

  private void countWritten(Path folder, long users, long items) {
    Dataset<Row> train = spark.read().parquet(new Path(folder, "train").toString());
    Dataset<Row> test = spark.read().parquet(new Path(folder, "test").toString());
    long rejected = spark.read().parquet(new Path(folder, "rejected").toString()).count();
    counts.put("users", users);
    counts.put("items", items);
    counts.put("train", train.count());
    counts.put("test", test.count());
    counts.put("accepted", counts.get("train") + counts.get("test"));
    counts.put("split_rejected", rejected - counts.get("parse_rejected"));
    counts.put("rejected", rejected);
    counts.put("pairs_in_both_splits", train.select("user", "item").distinct()
        .join(test.select("user", "item").distinct(), new String[] {"user", "item"}).count());
    counts.reconcile();
  }

  private static void write(Dataset<Row> data, Path folder, String table) {
    data.write().mode(SaveMode.ErrorIfExists).parquet(new Path(folder, table).toString());
  }
}
