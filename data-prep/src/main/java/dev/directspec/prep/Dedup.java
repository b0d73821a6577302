package dev.directspec.prep;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The duplicates policy for repeated (user, item) rows over all inputs, train files before test files:
 * keep (as they are: paper parity), drop (the first occurrence stays, so a pair given in both train and
 * test stays in train only), aggregate (one row at the first occurrence, weights summed, latest ts).
 */
final class Dedup {
  private static final Column[] ORDER = {col("side"), col("file"), col("line"), col("pos")};

  private Dedup() {}

  /** Adds duplicate_rows, pairs_in_both_inputs and merged_duplicates to the counts. */
  static Dataset<Row> apply(Dataset<Row> rows, String policy, PrepCounts counts) {
    Row stats = rows.groupBy("user_id", "item_id")
        .agg(count(lit(1)).as("n"), min("side").as("lo"), max("side").as("hi"))
        .agg(coalesce(sum(col("n").minus(1)), lit(0L)),
            coalesce(sum(when(col("lo").notEqual(col("hi")), 1L).otherwise(0L)), lit(0L)))
        .first();
    long duplicates = stats.getLong(0);
    counts.put("duplicate_rows", duplicates);
    counts.put("pairs_in_both_inputs", stats.getLong(1));
    counts.put("merged_duplicates", policy.equals("keep") ? 0 : duplicates);
    if (duplicates == 0) {
      return rows; // every policy is the identity then; skip the shuffle
    }
    return switch (policy) {
      case "keep" -> rows;
      case "drop" -> rows
          .withColumn("rn", row_number().over(Window.partitionBy("user_id", "item_id").orderBy(ORDER)))
          .filter(col("rn").equalTo(1))
          .drop("rn");
      case "aggregate" -> aggregate(rows);
      default -> throw new IllegalArgumentException("prep.duplicates: " + policy);
    };
  }

  private static Dataset<Row> aggregate(Dataset<Row> rows) {
    Column first = min(struct(col("side"), col("file"), col("line"), col("pos"), col("text")));
    return rows.groupBy("user_id", "item_id")
        .agg(first.as("first"), sum("weight").as("weight"), max("ts").as("ts"))
        .select(col("first.side"), col("first.file"), col("first.line"), col("first.pos"),
            col("first.text"), col("user_id"), col("item_id"), col("weight"), col("ts"),
            lit(null).cast("string").as("reason"));
  }
}
