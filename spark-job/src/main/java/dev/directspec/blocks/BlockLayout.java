package dev.directspec.blocks;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The blocked layout of docs/design.md ("Blocks"), built once per run: P user blocks and P item blocks,
 * each with its rows' adjacency, and the number of SGD steps each (user block, item block) cell gets
 * per epoch. Only d x d matrices and the P x P step table ever reach the driver.
 */
public final class BlockLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int numBlocks;
  public final long numUsers;
  public final long numItems;
  public final long numInteractions;
  /** steps[b][c]: mini-batch steps on cell (user block b, item block c) per epoch. */
  public final int[][] steps;

  public BlockLayout(int numBlocks, long numUsers, long numItems, long numInteractions, int[][] steps) {
    this.numBlocks = numBlocks;
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.numInteractions = numInteractions;
    this.steps = steps;
  }

  /** Blocks of one table with initial factors; the row set comes from ids 0..n-1, not from the data. */
  public record Tables(BlockLayout layout, JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items) {}

  /**
   * @param train      rows with int columns {@code user} and {@code item} (dense ids)
   * @param init       fills the initial factors of a block
   */
  public static Tables build(Dataset<Row> train, long numUsers, long numItems, int numBlocks, int dim,
      int batchSize, FactorInit init) {
    JavaRDD<Row> rows = train.select("user", "item").javaRDD();
    long nnz = rows.count();
    JavaRDD<EmbeddingBlock> users = blocksOf(rows, 0, 1, numUsers, numBlocks, dim, init.forTable("users", numUsers))
        .setName("user blocks (initial)");
    JavaRDD<EmbeddingBlock> items = blocksOf(rows, 1, 0, numItems, numBlocks, dim, init.forTable("items", numItems))
        .setName("item blocks (initial)");
    double[][] mass = users.map(BlockLayout::cellMass).collect().toArray(new double[0][]);
    Arrays.sort(mass, (a, b) -> Double.compare(a[numBlocks], b[numBlocks]));
    int[][] steps = apportion(mass, numBlocks, nnz / batchSize);
    return new Tables(new BlockLayout(numBlocks, numUsers, numItems, nnz, steps), users, items);
  }

  /**
   * The adjacency of users to items of any interaction table (e.g. the test split) in the users' block
   * layout, without factors (dim 0): used to look up each user's test items next to its top-K.
   */
  public static JavaRDD<EmbeddingBlock> adjacency(Dataset<Row> interactions, long numUsers, int numBlocks) {
    return blocksOf(interactions.select("user", "item").javaRDD(), 0, 1, numUsers, numBlocks, 0, null);
  }

  private static JavaRDD<EmbeddingBlock> blocksOf(JavaRDD<Row> rows, int rowCol, int nbCol, long total,
      int p, int dim, FactorInit.Table init) {
    JavaPairRDD<Integer, Long> keyed = rows.mapToPair(r -> {
      int row = r.getInt(rowCol);
      int nb = r.getInt(nbCol);
      return new Tuple2<>(row % p, ((long) (row / p) << 32) | nb);
    });
    return keyed.partitionBy(new HashPartitioner(p))
        .mapPartitionsWithIndex((b, it) -> List.of(assemble(b, p, total, dim, it, init)).iterator(), true);
  }

  /** Builds one block's CSR adjacency from packed (local row, neighbour) pairs. */
  private static EmbeddingBlock assemble(int b, int p, long total, int dim, Iterator<Tuple2<Integer, Long>> it,
      FactorInit.Table init) {
    int size = EmbeddingBlock.blockSize(total, b, p);
    long[] packed = new long[1024];
    int n = 0;
    while (it.hasNext()) {
      if (n == packed.length) packed = Arrays.copyOf(packed, n * 2);
      packed[n++] = it.next()._2();
    }
    Arrays.sort(packed, 0, n);
    int[] offsets = new int[size + 1];
    int[] neighbours = new int[n];
    for (int k = 0; k < n; k++) {
      int local = (int) (packed[k] >>> 32);
      if (local >= size) {
        throw new IllegalStateException("row id past the table size in block " + b + ": local " + local);
      }
      offsets[local + 1]++;
      neighbours[k] = (int) packed[k];
    }
    for (int r = 0; r < size; r++) offsets[r + 1] += offsets[r];
    for (int r = 0; r < size; r++) EmbeddingBlock.sortByBlock(neighbours, offsets[r], offsets[r + 1], p);
    float[] factors = new float[size * dim];
    if (init != null) init.fill(b, p, size, dim, factors);
    return new EmbeddingBlock(b, p, size, dim, factors, offsets, neighbours);
  }

  /**
   * Row b of the cell-mass table: sum over the block's users of deg_c(u) / deg(u), the probability
   * (times |U|) that the reference sampler (user uniform, then one of its items) lands in cell (b, c).
   * The last entry carries b so the driver can order the rows.
   */
  private static double[] cellMass(EmbeddingBlock users) {
    int p = users.numBlocks;
    double[] mass = new double[p + 1];
    for (int u = 0; u < users.size; u++) {
      int deg = users.degree(u);
      if (deg == 0) continue;
      for (int c = 0; c < p; c++) {
        mass[c] += (users.cellEnd(u, c) - users.cellStart(u, c)) / (double) deg;
      }
    }
    mass[p] = users.block;
    return mass;
  }

  /** Splits the epoch's steps over the cells in proportion to their mass (largest remainder). */
  public static int[][] apportion(double[][] mass, int p, long totalSteps) {
    double sum = 0;
    for (double[] row : mass) for (int c = 0; c < p; c++) sum += row[c];
    int[][] steps = new int[p][p];
    List<double[]> remainders = new ArrayList<>();
    long assigned = 0;
    for (int b = 0; b < p; b++) {
      for (int c = 0; c < p; c++) {
        double exact = sum == 0 ? 0 : totalSteps * mass[b][c] / sum;
        steps[b][c] = (int) Math.floor(exact);
        assigned += steps[b][c];
        remainders.add(new double[] {exact - steps[b][c], b, c});
      }
    }
    remainders.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0]) : Double.compare(x[1] * p + x[2], y[1] * p + y[2]));
    for (int k = 0; k < totalSteps - assigned; k++) {
      double[] r = remainders.get(k);
      steps[(int) r[1]][(int) r[2]]++;
    }
    return steps;
  }

  public int totalSteps() {
    int t = 0;
    for (int[] row : steps) for (int s : row) t += s;
    return t;
  }
}
