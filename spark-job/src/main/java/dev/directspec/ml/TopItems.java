package dev.directspec.ml;

import dev.directspec.ranking.RankedList;
import dev.directspec.ranking.TopK;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Top-K items of every user by dot product: both factor tables are cut into chunks (one per
 * partition), every (user chunk, item chunk) pair is scored in one task, and the partial lists are
 * merged per user. Ties go to the smaller item id ({@link TopK}), so the result is deterministic.
 */
final class TopItems {
  private TopItems() {}

  /** The rows of one partition of a factor table, packed row-major. */
  record Chunk(int[] ids, float[] factors, int dim) implements Serializable {}

  static Dataset<Row> forAllUsers(Dataset<Row> userFactors, Dataset<Row> itemFactors, int k, String userCol,
      String itemCol) {
    if (k <= 0) throw new IllegalArgumentException("k must be > 0: " + k);
    SparkSession spark = userFactors.sparkSession();
    // Bounded chunk counts keep the cartesian product at chunks^2 tasks whatever the tables' partitioning.
    int chunks = Math.max(1, spark.sparkContext().defaultParallelism());
    JavaRDD<Chunk> users = chunks(userFactors, chunks);
    JavaRDD<Chunk> items = chunks(itemFactors, chunks);
    JavaPairRDD<Integer, RankedList> best = users.cartesian(items)
        .flatMapToPair(pair -> score(pair._1(), pair._2(), k))
        .reduceByKey((a, b) -> TopK.merge(k, a, b), chunks);
    StructType rec = new StructType().add(itemCol, DataTypes.IntegerType, false)
        .add("rating", DataTypes.FloatType, false);
    StructType schema = new StructType().add(userCol, DataTypes.IntegerType, false)
        .add("recommendations", DataTypes.createArrayType(rec, false), false);
    JavaRDD<Row> rows = best.map(e -> {
      RankedList list = e._2();
      Row[] recs = new Row[list.size()];
      for (int r = 0; r < recs.length; r++) {
        recs[r] = RowFactory.create(list.items()[r], (float) list.scores()[r]);
      }
      return RowFactory.create(e._1(), recs);
    });
    return spark.createDataFrame(rows, schema);
  }

  private static JavaRDD<Chunk> chunks(Dataset<Row> table, int chunks) {
    JavaRDD<Row> rows = table.select("id", "features").javaRDD();
    if (rows.getNumPartitions() > chunks) rows = rows.coalesce(chunks);
    return rows.mapPartitions(TopItems::pack).filter(c -> c.ids().length > 0);
  }

  private static Iterator<Chunk> pack(Iterator<Row> it) {
    List<Integer> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    while (it.hasNext()) {
      Row r = it.next();
      List<Float> f = r.getList(1);
      float[] v = new float[f.size()];
      for (int d = 0; d < v.length; d++) v[d] = f.get(d);
      ids.add(r.getInt(0));
      vectors.add(v);
    }
    int dim = vectors.isEmpty() ? 0 : vectors.get(0).length;
    float[] packed = new float[ids.size() * dim];
    for (int r = 0; r < ids.size(); r++) System.arraycopy(vectors.get(r), 0, packed, r * dim, dim);
    return List.of(new Chunk(ids.stream().mapToInt(Integer::intValue).toArray(), packed, dim)).iterator();
  }

  /** Each user's best k among the chunk's items. */
  private static Iterator<Tuple2<Integer, RankedList>> score(Chunk users, Chunk items, int k) {
    int d = users.dim();
    TopK top = new TopK(k);
    List<Tuple2<Integer, RankedList>> out = new ArrayList<>(users.ids().length);
    for (int u = 0; u < users.ids().length; u++) {
      top.reset();
      for (int i = 0; i < items.ids().length; i++) {
        double s = 0;
        for (int c = 0; c < d; c++) s += (double) users.factors()[u * d + c] * items.factors()[i * d + c];
        top.offer(items.ids()[i], s);
      }
      out.add(new Tuple2<>(users.ids()[u], top.result()));
    }
    return out.iterator();
  }
}
