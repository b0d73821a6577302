package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Dense, reversible id mapping computed on the executors: distinct external ids, sorted, numbered by
 * zipWithIndex (which follows the sort's range partitions in order). When every id is a non-negative
 * integer that fits a long they sort numerically, so ids that already are 0..n-1 map to themselves;
 * otherwise (text ids, or integers past the long range) they sort as text.
 *
 * @param table   (dense int, external id string), e.g. (user, user_id)
 * @param numeric whether every id is an integer that fits a long
 */
record IdIndex(Dataset<Row> table, boolean numeric, long size) {

  /**
   * @param ids    a single string column of external ids (duplicates allowed)
   * @param entity "user" or "item": names the dense column, and the id column entity + "_id"
   */
  static IdIndex build(SparkSession spark, Dataset<Row> ids, String entity, CachedTables tables) {
    // Cached until the run ends: the statistics, the sort and the lazily cached table all read it.
    Dataset<Row> distinct = tables.cache(entity + "_ids", ids.toDF("id").distinct());
    Column asLong = expr("try_cast(id AS BIGINT)");
    Column notNumeric = not(col("id").rlike("^[0-9]+$")).or(asLong.isNull());
    Row stats = distinct.agg(count(lit(1)), coalesce(sum(when(notNumeric, 1L).otherwise(0L)), lit(0L))).first();
    long size = stats.getLong(0);
    boolean numeric = stats.getLong(1) == 0;
    if (size > Integer.MAX_VALUE) {
      throw new InputDataException(size + " distinct " + entity + " ids; dense ids are ints (at most 2^31 - 1)");
    }
    Dataset<Row> sorted = numeric ? distinct.orderBy(asLong, col("id")) : distinct.orderBy(col("id"));
    JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._2().intValue(), t._1().getString(0)));
    StructType schema = new StructType()
        .add(entity, DataTypes.IntegerType, false)
        .add(entity + "_id", DataTypes.StringType, false);
    Dataset<Row> table = tables.cache(entity + "_index", spark.createDataFrame(numbered, schema));
    return new IdIndex(table, numeric, size);
  }
}
