package dev.directspec.prep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.not;

/**
 * Dense, reversible id mapping computed on the executors: distinct external ids, sorted, numbered by
 * zipWithIndex (which follows the sort's range partitions in order). When every id is a non-negative
 * integer (any size) they sort numerically, so ids that already are 0..n-1 map to themselves.
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
    Dataset<Row> distinct = tables.cache(entity + "_ids", ids.toDF("id").distinct());
    Column asLong = expr("try_cast(id AS BIGINT)");
    boolean numeric = distinct.filter(not(col("id").rlike("^[0-9]+$")).or(asLong.isNull())).isEmpty();
    Dataset<Row> sorted = numeric ? distinct.orderBy(asLong, col("id")) : distinct.orderBy(col("id"));
    JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex().map(t -> {
      if (t._2() > Integer.MAX_VALUE) {
        throw new InputDataException("more than 2^31 distinct " + entity + " ids; dense ids are ints");
      }
      return RowFactory.create(t._2().intValue(), t._1().getString(0));
    });
    StructType schema = new StructType()
        .add(entity, DataTypes.IntegerType, false)
        .add(entity + "_id", DataTypes.StringType, false);
    Dataset<Row> table = tables.cache(entity + "_index", spark.createDataFrame(numbered, schema));
    long size = table.count();
    tables.release(entity + "_ids");
    return new IdIndex(table, numeric, size);
  }
}
