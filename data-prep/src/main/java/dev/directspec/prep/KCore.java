package dev.directspec.prep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.spark.sql.functions.col;

/**
 * k-core filter: repeatedly drops users and items with fewer than k rows until every remaining user and
 * item has at least k (removing an item can push a user below k, hence the loop).
 */
final class KCore {
  private static final Logger LOG = LoggerFactory.getLogger(KCore.class);

  private KCore() {}

  /**
   * @param rows  cached rows, counted: {@code count} rows
   * @return the cached k-core (registered in {@code tables} as "kcore_N"); rows itself when k = 0
   */
  static Dataset<Row> apply(Dataset<Row> rows, long count, int k, CachedTables tables, PrepCounts counts) {
    Dataset<Row> current = rows;
    long size = count;
    int round = 0;
    while (k > 0) {
      round++;
      Dataset<Row> users = current.groupBy("user_id").count().filter(col("count").geq(k)).select("user_id");
      Dataset<Row> items = current.groupBy("item_id").count().filter(col("count").geq(k)).select("item_id");
      Dataset<Row> next = tables.cache("kcore_" + round,
          current.join(users, "user_id", "left_semi").join(items, "item_id", "left_semi"));
      long nextSize = next.count();
      LOG.info("k-core round {}: {} -> {} rows", round, size, nextSize);
      if (round > 1) {
        tables.release("kcore_" + (round - 1));
      }
      current = next;
      if (nextSize == size) {
        break;
      }
      size = nextSize;
    }
    counts.put("kcore_rounds", round);
    counts.put("removed_by_kcore", count - size);
    counts.put("after_kcore", size);
    return current;
  }
}
