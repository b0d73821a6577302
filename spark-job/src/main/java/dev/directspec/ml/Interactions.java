package dev.directspec.ml;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The training input of the estimator: int columns {@code user} and {@code item}, after checking that
 * every id is a non-negative int (integral, at most Integer.MAX_VALUE, not null), as Spark's ALS does.
 */
record Interactions(Dataset<Row> rows, long numUsers, long numItems, long count) {

  static Interactions of(Dataset<?> dataset, String userCol, String itemCol) {
    Column u = col(userCol);
    Column i = col(itemCol);
    // One pass for the sizes and the checks; the rows are read again only to name a bad id.
    Row stats = dataset.agg(org.apache.spark.sql.functions.count(lit(1)), sum(when(invalid(u), 1).otherwise(0)),
        sum(when(invalid(i), 1).otherwise(0)), max(u), max(i)).first();
    long n = stats.getLong(0);
    if (n == 0) {
      throw new IllegalArgumentException("no interactions to fit: the dataset is empty");
    }
    check(dataset, userCol, stats.getLong(1));
    check(dataset, itemCol, stats.getLong(2));
    long numUsers = ((Number) stats.get(3)).longValue() + 1;
    long numItems = ((Number) stats.get(4)).longValue() + 1;
    Dataset<Row> rows = dataset.select(u.cast("int").as("user"), i.cast("int").as("item"));
    return new Interactions(rows, numUsers, numItems, n);
  }

  private static Column invalid(Column c) {
    Column asDouble = c.cast("double");
    // NaN compares greater than every number in Spark SQL, so the upper bound catches it too.
    return c.isNull().or(c.lt(0)).or(c.gt(Integer.MAX_VALUE)).or(asDouble.notEqual(floor(asDouble)));
  }

  private static void check(Dataset<?> dataset, String column, long bad) {
    if (bad == 0) return;
    Object example = dataset.filter(invalid(col(column))).select(column).first().get(0);
    throw new IllegalArgumentException("column '" + column + "' must hold non-negative int ids (0 to "
        + Integer.MAX_VALUE + "); " + bad + " rows do not, e.g. " + example);
  }
}
