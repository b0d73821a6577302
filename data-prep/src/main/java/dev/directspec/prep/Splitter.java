package dev.directspec.prep;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Marks each row as test or train (boolean column "test").
 *
 * <p>random and temporal work per user: a user with n rows gets min(n - 1, round(n * test_ratio)) test
 * rows, so every user keeps at least one training row. random picks them by a hash of (seed, user,
 * item, position in the input), which is the same whatever the partitioning; temporal takes the user's
 * latest rows by ts (ties: later in the input counts as later). given uses the --test rows as test.
 */
final class Splitter {
  private Splitter() {}

  static Dataset<Row> apply(Dataset<Row> rows, String split, double testRatio, long seed) {
    return switch (split) {
      case "given" -> rows.withColumn("test", col("side").equalTo(1));
      case "random" -> perUser(rows, testRatio,
          xxhash64(lit(seed), col("user_id"), col("item_id"), col("file"), col("line"), col("pos")),
          col("file"), col("line"), col("pos"));
      case "temporal" -> perUser(rows, testRatio, col("ts").desc(), col("file").desc(), col("line").desc(),
          col("pos").desc());
      default -> throw new IllegalArgumentException("prep.split: " + split);
    };
  }

  /** Rows first in {@code order} within each user become test rows. */
  private static Dataset<Row> perUser(Dataset<Row> rows, double testRatio, Column... order) {
    WindowSpec byUser = Window.partitionBy("user_id");
    Column n = count(lit(1)).over(byUser);
    Column testRows = least(n.minus(1), round(n.multiply(testRatio)).cast("long"));
    return rows
        .withColumn("rank", row_number().over(byUser.orderBy(order)))
        .withColumn("test", col("rank").leq(testRows))
        .drop("rank");
  }
}
