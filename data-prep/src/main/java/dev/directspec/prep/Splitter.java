package dev.directspec.prep;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Marks each row as test or train (boolean column "test").
 *
 * <p>random and temporal work per user: a user with n rows gets at most min(n - 1, round(n *
 * test_ratio)) test rows, so every user keeps at least one training row. Every item keeps one too: one
 * row per item, its anchor, always stays in train, since a test row whose item never occurs in train
 * cannot be scored and would only be set aside. random picks test rows by a hash of (seed, user, item,
 * position in the input), which is the same whatever the partitioning, and the anchor by a second such
 * hash; a user whose pick falls on an anchor gets another of its rows instead. temporal takes the user's
 * latest rows by ts (ties: later in the input counts as later) and anchors each item at its earliest
 * row; test rows stop at the user's latest anchor, so that every test row stays later than every
 * training row of its user. given uses the --test rows as test.
 */
final class Splitter {
  private Splitter() {}

  static Dataset<Row> apply(Dataset<Row> rows, String split, double testRatio, long seed) {
    Column[] position = {col("file"), col("line"), col("pos")};
    return switch (split) {
      case "given" -> rows.withColumn("test", col("side").equalTo(1));
      case "random" -> perUser(withItemAnchor(rows, hash(seed, 1), position[0], position[1], position[2]),
          testRatio, true, hash(seed, 0), position[0], position[1], position[2]);
      case "temporal" -> perUser(withItemAnchor(rows, col("ts"), position[0], position[1], position[2]),
          testRatio, false, col("ts").desc(), col("file").desc(), col("line").desc(), col("pos").desc());
      default -> throw new IllegalArgumentException("prep.split: " + split);
    };
  }

  private static Column hash(long seed, int purpose) {
    return xxhash64(lit(seed), lit(purpose), col("user_id"), col("item_id"), col("file"), col("line"), col("pos"));
  }

  /** Boolean column "anchor": the first row of each item in {@code order}. */
  private static Dataset<Row> withItemAnchor(Dataset<Row> rows, Column... order) {
    return rows.withColumn("anchor", row_number().over(Window.partitionBy("item_id").orderBy(order)).equalTo(1));
  }

  /**
   * Rows first in {@code order} within each user become test rows, anchors never.
   *
   * @param replaceAnchors true: anchors go last in the order, so that other rows take their place;
   *     false: no row from the user's first anchor on in the order is a test row (keeps a time order)
   */
  private static Dataset<Row> perUser(Dataset<Row> rows, double testRatio, boolean replaceAnchors,
      Column... order) {
    WindowSpec byUser = Window.partitionBy("user_id");
    Column n = count(lit(1)).over(byUser);
    Column testRows = least(n.minus(1), round(n.multiply(testRatio)).cast("long"));
    Column[] ranking = order;
    if (replaceAnchors) {
      ranking = new Column[order.length + 1];
      ranking[0] = col("anchor").asc(); // false (not an anchor) sorts first
      System.arraycopy(order, 0, ranking, 1, order.length);
    }
    Column firstAnchor = min(when(col("anchor"), col("rank"))).over(byUser);
    return rows
        .withColumn("rank", row_number().over(byUser.orderBy(ranking)))
        .withColumn("test", col("rank").leq(testRows).and(col("rank").lt(coalesce(firstAnchor, n.plus(1)))))
        .drop("rank", "anchor");
  }
}
