package dev.directspec.ml;

import dev.directspec.kernels.FloatRows;
import dev.directspec.ranking.TopKLists;
import dev.directspec.ranking.TopKScorer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Top-K rows of one factor table for every row of another by dot product, on the top-K engine
 * ({@link TopKScorer}): both tables are packed into chunks (one per partition, cached, so every task
 * scores against packed arrays instead of re-reading the table), every (query chunk, candidate chunk)
 * pair is scored in one task, and the partial lists are merged per query chunk. Ties go to the smaller
 * id, so the result is deterministic. {@code forAllUsers} passes (users, items); recommending users for
 * items is the same call with the tables swapped.
 */
final class TopItems {
  private TopItems() {}

  /** The rows of one partition of a factor table, packed row-major. */
  record Chunk(int index, int[] ids, float[] factors, int dim) implements Serializable {}

  /**
   * @param queries    (id, features) rows to recommend for
   * @param candidates (id, features) rows to recommend
   * @return one row per query: (queryCol, recommendations array of (candidateCol, rating))
   */
  static Dataset<Row> forAll(Dataset<Row> queries, Dataset<Row> candidates, int k, String queryCol,
      String candidateCol) {
    if (k <= 0) throw new IllegalArgumentException("k must be > 0: " + k);
    SparkSession spark = queries.sparkSession();
    // Bounded chunk counts keep the cartesian product at chunks^2 tasks whatever the tables' partitioning.
    int chunks = Math.max(1, spark.sparkContext().defaultParallelism());
    JavaRDD<Chunk> query = chunks(queries, chunks);
    JavaRDD<Chunk> candidate = chunks(candidates, chunks);
    JavaPairRDD<Integer, Tuple2<int[], TopKLists>> best = query.cartesian(candidate)
        .mapToPair(pair -> new Tuple2<>(pair._1().index(), new Tuple2<>(pair._1().ids(), score(pair._1(), pair._2(), k))))
        .reduceByKey((a, b) -> new Tuple2<>(a._1(), TopKLists.merge(a._2(), b._2())), chunks);
    StructType rec = new StructType().add(candidateCol, DataTypes.IntegerType, false)
        .add("rating", DataTypes.FloatType, false);
    StructType schema = new StructType().add(queryCol, DataTypes.IntegerType, false)
        .add("recommendations", DataTypes.createArrayType(rec, false), false);
    JavaRDD<Row> rows = best.values().flatMap(e -> {
      int[] ids = e._1();
      TopKLists lists = e._2();
      List<Row> out = new ArrayList<>(ids.length);
      for (int u = 0; u < ids.length; u++) {
        Row[] recs = new Row[lists.count(u)];
        for (int r = 0; r < recs.length; r++) recs[r] = RowFactory.create(lists.item(u, r), lists.score(u, r));
        out.add(RowFactory.create(ids[u], recs));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, schema);
  }

  /** The packed chunks, cached: the cartesian product reads each of them once per chunk of the other side. */
  private static JavaRDD<Chunk> chunks(Dataset<Row> table, int chunks) {
    JavaRDD<Row> rows = table.select("id", "features").javaRDD();
    if (rows.getNumPartitions() > chunks) rows = rows.coalesce(chunks);
    // Spark's context cleaner unpersists the cache once the returned DataFrame is unreachable.
    return rows.mapPartitionsWithIndex(TopItems::pack, false).filter(c -> c.ids().length > 0)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static Iterator<Chunk> pack(int index, Iterator<Row> it) {
    List<Integer> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    while (it.hasNext()) {
      Row r = it.next();
      ids.add(r.getInt(0));
      vectors.add(FloatRows.toArray(r.getList(1)));
    }
    int dim = vectors.isEmpty() ? 0 : vectors.get(0).length;
    float[] packed = new float[ids.size() * dim];
    for (int r = 0; r < ids.size(); r++) System.arraycopy(vectors.get(r), 0, packed, r * dim, dim);
    return List.of(new Chunk(index, ids.stream().mapToInt(Integer::intValue).toArray(), packed, dim)).iterator();
  }

  private static TopKLists score(Chunk queries, Chunk candidates, int k) {
    int[] ids = candidates.ids();
    return new TopKScorer(k).score(queries.factors(), queries.ids().length,
        candidates.factors(), ids.length, queries.dim(), j -> ids[j], TopKScorer.Exclusions.NONE);
  }
}
