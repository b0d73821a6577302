package dev.directspec.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The training input of the estimator: int columns {@code user} and {@code item} holding dense row
 * indices, and per side the mapping from the input's ids to them, (key, index). Ids may be int, long or
 * string (other numeric types must hold integral int values, e.g. StringIndexer's doubles): only ids
 * that occur get a row, so sparse or hashed ids allocate nothing for the ids in between.
 */
record Interactions(Dataset<Row> rows, Dataset<Row> userKeys, Dataset<Row> itemKeys, String userType,
    String itemType, long numUsers, long numItems, long count) {

  static Interactions of(Dataset<?> dataset, String userCol, String itemCol) {
    Column u = col(userCol);
    Column i = col(itemCol);
    // One pass for the size and the checks; the rows are read again only to name a bad id.
    Row stats = dataset.agg(org.apache.spark.sql.functions.count(lit(1)),
        sum(when(invalid(dataset, userCol), 1).otherwise(0)), sum(when(invalid(dataset, itemCol), 1).otherwise(0)))
        .first();
    long n = stats.getLong(0);
    if (n == 0) {
      throw new IllegalArgumentException("no interactions to fit: the dataset is empty");
    }
    check(dataset, userCol, stats.getLong(1));
    check(dataset, itemCol, stats.getLong(2));
    Column userKey = key(dataset, userCol);
    Column itemKey = key(dataset, itemCol);
    Dataset<Row> in = dataset.select(userKey.as("__u"), itemKey.as("__i"));
    Dataset<Row> users = index(in.select(col("__u").as("key")), userCol);
    Dataset<Row> items = index(in.select(col("__i").as("key")), itemCol);
    Dataset<Row> rows = in.join(users.withColumnRenamed("key", "__u"), "__u").withColumnRenamed("index", "user")
        .join(items.withColumnRenamed("key", "__i"), "__i").select(col("user"), col("index").as("item"));
    return new Interactions(rows, users, items, keyType(dataset, userCol), keyType(dataset, itemCol),
        users.count(), items.count(), n);
  }

  /**
   * (key, index int): the distinct ids, sorted so the same data always gets the same indices (the
   * model's determinism), numbered 0.. on the executors by zipWithIndex.
   */
  private static Dataset<Row> index(Dataset<Row> keys, String column) {
    Dataset<Row> sorted = keys.distinct().orderBy("key");
    DataType type = sorted.schema().apply("key").dataType();
    JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex().map(t -> {
      if (t._2() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("column '" + column + "' has more than " + Integer.MAX_VALUE
            + " distinct ids");
      }
      return RowFactory.create(t._1().get(0), (int) (long) t._2());
    });
    StructType schema = new StructType().add("key", type, false).add("index", DataTypes.IntegerType, false);
    return sorted.sparkSession().createDataFrame(numbered, schema).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Spark SQL name of the type the ids keep in the model's outputs. */
  static String keyType(Dataset<?> dataset, String column) {
    DataType type = dataset.schema().apply(column).dataType();
    if (type.equals(DataTypes.StringType)) return "string";
    if (type.equals(DataTypes.LongType)) return "bigint";
    return "int";
  }

  private static Column key(Dataset<?> dataset, String column) {
    return col(column).cast(keyType(dataset, column));
  }

  private static Column invalid(Dataset<?> dataset, String column) {
    Column c = col(column);
    String type = keyType(dataset, column);
    if (!"int".equals(type) || dataset.schema().apply(column).dataType().equals(DataTypes.IntegerType)) {
      return c.isNull();
    }
    Column asDouble = c.cast("double");
    // NaN compares greater than every number in Spark SQL, so the upper bound catches it too.
    return c.isNull().or(c.lt(Integer.MIN_VALUE)).or(c.gt(Integer.MAX_VALUE))
        .or(asDouble.notEqual(floor(asDouble)));
  }

  private static void check(Dataset<?> dataset, String column, long bad) {
    if (bad == 0) return;
    Object example = dataset.filter(invalid(dataset, column)).select(column).first().get(0);
    throw new IllegalArgumentException("column '" + column + "' must hold ids that are not null (int, long "
        + "or string; other numeric types integral values from " + Integer.MIN_VALUE + " to "
        + Integer.MAX_VALUE + "); " + bad + " rows do not, e.g. " + example);
  }
}
