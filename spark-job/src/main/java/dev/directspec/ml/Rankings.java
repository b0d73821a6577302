package dev.directspec.ml;

import dev.directspec.ranking.RankedList;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

/**
 * The recommend and similar queries of {@link DirectSpecRecommenderModel}, all on {@link TopItems#topK}:
 * they choose the query rows, the candidates and what each query skips, then name the ranked indices
 * back with the model's own ids in ALS's layout (query id, array of struct(candidate id, score), best
 * first). Everything stays distributed: the lists are joined with the id tables, never collected.
 */
final class Rankings {
  /** One side of the model: its factor rows (index, features) and its ids (index, key). */
  record Side(Dataset<Row> factors, Dataset<Row> keys, String column) {}

  private Rankings() {}

  /**
   * The k best {@code candidates} of every query row by dot product.
   *
   * @param queries  (index, features), the query side's rows to rank for
   * @param excluded (index, exclude array&lt;int&gt;) per query row, candidate indices to skip, or null
   */
  static Dataset<Row> recommend(Side query, Dataset<Row> queries, Side candidates, Dataset<Row> excluded, int k,
      String scoreCol) {
    Dataset<Row> q = excluded == null ? queries : queries.join(excluded, "index", "left")
        .select("index", "features", "exclude");
    return named(TopItems.topK(q, candidates.factors(), k, false), query, candidates, "recommendations", scoreCol);
  }

  /** The k rows of the same side most similar to each query row by cosine, the row itself left out. */
  static Dataset<Row> similar(Side side, Dataset<Row> queries, int k) {
    Dataset<Row> q = queries.select(col("index"), col("features"), array(col("index")).as("exclude"));
    return named(TopItems.topK(q, side.factors(), k, true), side, side, "similar", "similarity");
  }

  /** The rows of {@code side} whose id appears in {@code column} of {@code subset}. */
  static Dataset<Row> subset(Side side, Dataset<?> subset, String column) {
    if (!java.util.Arrays.asList(subset.columns()).contains(column)) {
      throw new IllegalArgumentException("column '" + column + "' not found; columns: "
          + String.join(", ", subset.columns()));
    }
    Dataset<Row> ids = subset.toDF().select(col(column).as("__id")).distinct();
    Dataset<Row> wanted = side.keys().join(ids, side.keys().col("key").equalTo(ids.col("__id")), "left_semi");
    return side.factors().join(wanted.select("index"), "index");
  }

  /** (index, exclude) of every row of the {@code by} side: the other side's indices it interacted with. */
  static Dataset<Row> interacted(Dataset<Row> seen, String by, String other) {
    return seen.groupBy(col(by).as("index")).agg(collect_list(col(other)).as("exclude"));
  }

  /** (query id, listCol: [struct(candidate id, scoreCol)]) from the ranked indices. */
  private static Dataset<Row> named(JavaPairRDD<Integer, RankedList> best, Side query, Side candidates,
      String listCol, String scoreCol) {
    SparkSession spark = query.factors().sparkSession();
    JavaRDD<Row> flat = best.flatMap(e -> {
      RankedList list = e._2();
      List<Row> rows = new ArrayList<>(list.size());
      for (int r = 0; r < list.size(); r++) {
        rows.add(RowFactory.create(e._1(), r, list.items()[r], (float) list.scores()[r]));
      }
      return rows.iterator();
    });
    StructType schema = new StructType().add("__q", DataTypes.IntegerType, false)
        .add("__rank", DataTypes.IntegerType, false).add("__c", DataTypes.IntegerType, false)
        .add("__score", DataTypes.FloatType, false);
    String c = candidates.column();
    Column entry = struct(col("__rank"), col("__ck").as(c), col("__score").as(scoreCol));
    Dataset<Row> grouped = spark.createDataFrame(flat, schema)
        .join(query.keys().select(col("index").as("__q"), col("key").as("__qk")), "__q")
        .join(candidates.keys().select(col("index").as("__c"), col("key").as("__ck")), "__c")
        .groupBy("__qk").agg(sort_array(collect_list(entry)).as("__list"));
    // sort_array orders the structs by their first field, the rank, which is then dropped.
    return grouped.select(col("__qk").as(query.column()), expr("transform(__list, x -> named_struct('"
        + c + "', x.`" + c + "`, '" + scoreCol + "', x.`" + scoreCol + "`))").as(listCol));
  }
}
