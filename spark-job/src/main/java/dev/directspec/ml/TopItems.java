package dev.directspec.ml;

import dev.directspec.kernels.FloatRows;
import dev.directspec.ranking.RankedList;
import dev.directspec.ranking.TopK;
import dev.directspec.ranking.TopKLists;
import dev.directspec.ranking.TopKScorer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one ranking function of the ML API: the K best candidates of every query row by dot product
 * (or cosine), on the project's top-K engine ({@link TopKScorer}). Every recommend and similar method of
 * {@link DirectSpecRecommenderModel} goes through {@link #topK}.
 *
 * <p>Both tables are packed into chunks (at most one per default-parallelism slot, cached, so every task
 * scores against packed arrays instead of re-reading the table), every (query chunk, candidate chunk)
 * pair is scored in one task and the partial lists are merged per query. Ties go to the smaller
 * candidate id ({@link TopK}), so the result does not depend on the partitioning.
 */
final class TopItems {
  private TopItems() {}

  /** The rows of one partition of a factor table, packed row-major; exclude[r] sorted, or null. */
  record Chunk(int[] ids, float[] factors, int dim, int[][] exclude) implements Serializable {}

  /**
   * @param queries    (id int, features array&lt;float&gt;[, exclude array&lt;int&gt; sorted ascending,
   *                   nullable]): the rows to rank for; a third column lists candidate ids to skip
   * @param candidates (id int, features array&lt;float&gt;)
   * @param cosine     rank by cosine similarity (rows scaled to unit norm; a zero row scores 0)
   *                   instead of the dot product
   * @return (query id, its K best candidates, best first)
   */
  static JavaPairRDD<Integer, RankedList> topK(Dataset<Row> queries, Dataset<Row> candidates, int k,
      boolean cosine) {
    if (k <= 0) throw new IllegalArgumentException("k must be > 0: " + k);
    // Bounded chunk counts keep the cartesian product at chunks^2 tasks whatever the tables' partitioning.
    int chunks = Math.max(1, queries.sparkSession().sparkContext().defaultParallelism());
    JavaRDD<Chunk> q = chunks(queries, chunks, cosine);
    JavaRDD<Chunk> c = chunks(candidates, chunks, cosine);
    return q.cartesian(c)
        .flatMapToPair(pair -> score(pair._1(), pair._2(), k))
        .reduceByKey((a, b) -> TopK.merge(k, a, b), chunks);
  }

  /** The packed chunks, cached: the cartesian product reads each of them once per chunk of the other side. */
  private static JavaRDD<Chunk> chunks(Dataset<Row> table, int chunks, boolean cosine) {
    JavaRDD<Row> rows = table.javaRDD();
    if (rows.getNumPartitions() > chunks) rows = rows.coalesce(chunks);
    // Spark's context cleaner unpersists the cache once the returned RDD is unreachable.
    return rows.mapPartitions(it -> pack(it, cosine)).filter(c -> c.ids().length > 0)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static Iterator<Chunk> pack(Iterator<Row> it, boolean cosine) {
    IntStream.Builder ids = IntStream.builder();
    List<float[]> vectors = new ArrayList<>();
    List<int[]> excluded = new ArrayList<>();
    while (it.hasNext()) {
      Row r = it.next();
      float[] v = FloatRows.toArray(r.getList(1));
      if (cosine) scaleToUnitNorm(v);
      ids.add(r.getInt(0));
      vectors.add(v);
      excluded.add(r.size() > 2 && !r.isNullAt(2) ? sortedInts(r.getList(2)) : null);
    }
    int dim = vectors.isEmpty() ? 0 : vectors.get(0).length;
    float[] packed = new float[vectors.size() * dim];
    for (int r = 0; r < vectors.size(); r++) System.arraycopy(vectors.get(r), 0, packed, r * dim, dim);
    return List.of(new Chunk(ids.build().toArray(), packed, dim, excluded.toArray(new int[0][]))).iterator();
  }

  private static void scaleToUnitNorm(float[] v) {
    double sq = 0;
    for (float x : v) sq += (double) x * x;
    if (sq == 0) return;
    double inv = 1 / Math.sqrt(sq);
    for (int d = 0; d < v.length; d++) v[d] = (float) (v[d] * inv);
  }

  private static int[] sortedInts(List<Integer> values) {
    int[] out = values.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(out);
    return out;
  }

  /** Each query's best k among the chunk's candidates. */
  private static Iterator<Tuple2<Integer, RankedList>> score(Chunk queries, Chunk candidates, int k) {
    int[] ids = candidates.ids();
    // Excluded candidates arrive as ids; the engine masks rows, so ids are found by binary search.
    long[] byId = rowsById(ids);
    int[] order = new int[ids.length];
    int[] sortedIds = new int[ids.length];
    for (int r = 0; r < ids.length; r++) {
      sortedIds[r] = (int) (byId[r] >> 32);
      order[r] = (int) byId[r];
    }
    TopKScorer.Exclusions exclusions = (u, mask) -> {
      int[] skip = queries.exclude()[u];
      if (skip == null) return;
      for (int id : skip) {
        int at = Arrays.binarySearch(sortedIds, id);
        if (at >= 0) mask.exclude(order[at]);
      }
    };
    int n = queries.ids().length;
    TopKLists lists = new TopKScorer(k).score(queries.factors(), n, candidates.factors(), ids.length,
        queries.dim(), j -> ids[j], exclusions);
    List<Tuple2<Integer, RankedList>> out = new ArrayList<>(n);
    for (int u = 0; u < n; u++) {
      int[] items = lists.ranked(u);
      double[] scores = new double[items.length];
      for (int r = 0; r < items.length; r++) scores[r] = lists.score(u, r);
      out.add(new Tuple2<>(queries.ids()[u], new RankedList(items, scores)));
    }
    return out.iterator();
  }

  /**
   * Each row as (id in the high 32 bits, row index in the low 32), sorted: by id, then by row, the order
   * a stable sort of the row indices by id gives, without boxing them.
   */
  private static long[] rowsById(int[] ids) {
    long[] keyed = new long[ids.length];
    for (int r = 0; r < ids.length; r++) keyed[r] = ((long) ids[r] << 32) | r;
    Arrays.sort(keyed);
    return keyed;
  }
}
