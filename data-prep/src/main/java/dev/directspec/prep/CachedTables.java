package dev.directspec.prep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Intermediate tables that several later steps read, cached under a readable name (it shows in the
 * Spark UI's Storage tab) and released together or one by one.
 */
final class CachedTables implements AutoCloseable {
  private final SparkSession spark;
  private final String prefix = "prep_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private final List<String> names = new ArrayList<>();

  CachedTables(SparkSession spark) {
    this.spark = spark;
  }

  /** Caches the dataset as table {@code prep_<run>_<name>} and returns the cached table. */
  Dataset<Row> cache(String name, Dataset<Row> data) {
    String table = prefix + name;
    data.createOrReplaceTempView(table);
    spark.catalog().cacheTable(table, StorageLevel.MEMORY_AND_DISK());
    names.add(table);
    return spark.table(table);
  }

  void release(String name) {
    String table = prefix + name;
    if (names.remove(table)) {
      spark.catalog().uncacheTable(table);
      spark.catalog().dropTempView(table);
    }
  }

  @Override
  public void close() {
    for (String table : List.copyOf(names)) {
      spark.catalog().uncacheTable(table);
      spark.catalog().dropTempView(table);
    }
    names.clear();
  }
}
