package dev.directspec.export;

import dev.directspec.folders.OutputExistsException;
import dev.directspec.folders.OutputLocationException;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code recommend --output-table db.recs [--partition-by dt=...]}: the recommendations written into a
 * catalog table (a Hive metastore table when the session has Hive support), docs/tables.md.
 *
 * <p>{@link #check} runs before anything is scored: an existing partition (or, without partitions, an
 * existing table) is refused unless overwrite, and an existing table must have the columns written. The
 * write never deletes before it has the new rows: a new table is created by one CREATE TABLE AS SELECT
 * (the table appears in the catalog once its files are written); into an existing table the rows go
 * through Spark's staged dynamic partition overwrite, which writes the partition aside and swaps it in at
 * job commit, then registers it in the metastore.
 */
public final class RecommendationTable {
  /** The columns written besides the partition columns; an existing table must have exactly these. */
  public static final List<String> COLUMNS = List.of("user_id", "item_id", "rank", "score");
  /** Hive-format tables refuse partition values that come with the rows unless this is nonstrict. */
  private static final String DYNAMIC_MODE = "hive.exec.dynamic.partition.mode";
  private static final String OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

  private final SparkSession spark;
  private final String name;
  private final PartitionSpec partition;
  private final boolean overwrite;
  /** The existing table's columns in order, with their types; empty when the table does not exist. */
  private final Map<String, DataType> existing;

  private RecommendationTable(SparkSession spark, String name, PartitionSpec partition, boolean overwrite,
      Map<String, DataType> existing) {
    this.spark = spark;
    this.name = name;
    this.partition = partition;
    this.overwrite = overwrite;
    this.existing = existing;
  }

  /**
   * Checks the target in the catalog, before any scoring.
   *
   * @throws OutputExistsException   the partition (or the unpartitioned table) exists and overwrite is false
   * @throws OutputLocationException the table's columns or partition columns differ from what is written
   */
  public static RecommendationTable check(SparkSession spark, String name, PartitionSpec partition, boolean overwrite) {
    if (!spark.catalog().tableExists(name)) {
      String[] parts = name.split("\\.");
      if (parts.length == 2 && !spark.catalog().databaseExists(parts[0])) {
        throw new OutputLocationException("--output-table " + name + ": the database " + parts[0]
            + " does not exist in the catalog (spark.sql.catalogImplementation = "
            + spark.conf().get("spark.sql.catalogImplementation", "in-memory") + "); nothing was written");
      }
      return new RecommendationTable(spark, name, partition, overwrite, Map.of());
    }
    Map<String, DataType> columns = new LinkedHashMap<>();
    for (var field : spark.table(name).schema().fields()) {
      columns.put(field.name().toLowerCase(Locale.ROOT), field.dataType());
    }
    Set<String> partitionColumns = partitionColumns(spark, name);
    Set<String> dataColumns = new TreeSet<>(columns.keySet());
    dataColumns.removeAll(partitionColumns);
    if (!partitionColumns.equals(new TreeSet<>(partition.values().keySet()))
        || !dataColumns.equals(new TreeSet<>(COLUMNS))) {
      throw new OutputLocationException("--output-table " + name + " exists with columns " + dataColumns
          + " partitioned by " + partitionColumns + ", but recommend writes " + new TreeSet<>(COLUMNS)
          + (partition.isEmpty() ? " without partitions" : " partitioned by " + partition.values().keySet())
          + "; give matching --partition-by keys or another table (nothing was written)");
    }
    checkCastable(spark, name, partition, columns);
    boolean present = partition.isEmpty()
        || !spark.sql("SHOW PARTITIONS " + name + " PARTITION (" + partition.sql() + ")").isEmpty();
    if (present && !overwrite) {
      throw new OutputExistsException("--output-table " + name
          + (partition.isEmpty() ? " already exists" : " already has the partition (" + partition.sql() + ")")
          + " (pass --overwrite to replace it; nothing was written)");
    }
    return new RecommendationTable(spark, name, partition, overwrite, columns);
  }

  /** A partition value the column's type cannot hold (dt=tomorrow into a date column) fails here, not as nulls. */
  private static void checkCastable(SparkSession spark, String name, PartitionSpec partition,
      Map<String, DataType> columns) {
    partition.values().forEach((key, value) -> {
      if (spark.range(1).select(lit(value).try_cast(columns.get(key))).first().isNullAt(0)) {
        throw new OutputLocationException("--partition-by " + key + "=" + value + ": not a value of the column's "
            + "type " + columns.get(key).simpleString() + " in " + name + " (nothing was written)");
      }
    });
  }

  private static Set<String> partitionColumns(SparkSession spark, String name) {
    Set<String> keys = new TreeSet<>();
    try {
      for (org.apache.spark.sql.catalog.Column c : spark.catalog().listColumns(name).collectAsList()) {
        if (c.isPartition()) keys.add(c.name().toLowerCase(Locale.ROOT));
      }
    } catch (AnalysisException e) {
      throw new OutputLocationException("--output-table " + name + ": cannot read its columns: " + e.getMessage());
    }
    return keys;
  }

  /**
   * Writes the rows (columns {@link #COLUMNS} and more, which are dropped) with the partition values.
   *
   * @return the number of rows the table (or its partition) holds afterwards
   */
  public long write(Dataset<Row> recs) {
    List<Column> columns = new ArrayList<>();
    for (String c : COLUMNS) columns.add(col(c));
    partition.values().forEach((key, value) -> {
      Column v = lit(value);
      if (existing.containsKey(key)) v = v.cast(existing.get(key));
      columns.add(v.as(key));
    });
    Dataset<Row> rows = recs.select(columns.toArray(Column[]::new));
    if (existing.isEmpty()) {
      rows.write().format("parquet").partitionBy(partition.values().keySet().toArray(String[]::new))
          .mode(SaveMode.ErrorIfExists).saveAsTable(name);
    } else {
      // insertInto matches by position: the table's own column order, partition columns last.
      Dataset<Row> ordered = rows.select(existing.keySet().stream().map(c -> col(c)).toArray(Column[]::new));
      String mode = spark.conf().get(DYNAMIC_MODE, "strict");
      String overwriteMode = spark.conf().get(OVERWRITE_MODE, "static");
      spark.conf().set(DYNAMIC_MODE, "nonstrict"); // Hive-format tables: partition values come with the rows
      // insertInto ignores the writer's partitionOverwriteMode option: only the session setting keeps an
      // overwrite to the partitions the rows carry instead of truncating the whole table.
      spark.conf().set(OVERWRITE_MODE, "dynamic");
      try {
        ordered.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.Append).insertInto(name);
      } finally {
        spark.conf().set(DYNAMIC_MODE, mode);
        spark.conf().set(OVERWRITE_MODE, overwriteMode);
      }
    }
    Dataset<Row> written = spark.table(name);
    for (var e : partition.values().entrySet()) {
      written = written.where(col(e.getKey()).equalTo(lit(e.getValue()).cast(written.schema()
          .apply(e.getKey()).dataType())));
    }
    return written.count();
  }

  public String describe() {
    return "table " + name + (partition.isEmpty() ? "" : " partition (" + partition.sql() + ")");
  }
}
