package dev.directspec.blocks;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One block of an embedding table (users or items) with its rows' adjacency.
 *
 * <p>Invariants: the table has dense ids 0..N-1 and P blocks; row id {@code g} lives in block
 * {@code g % P} at local index {@code g / P}, so no id lookup table is needed. {@code factors} holds
 * {@code size x dim} floats row-major. The adjacency is CSR over local rows: row r's neighbours are
 * {@code neighbours[offsets[r] .. offsets[r+1])}, global ids of the other table sorted by
 * (neighbour block, neighbour id), so the neighbours that fall in one block of the other table (one
 * cell) are a contiguous, sorted range. The adjacency is immutable and shared between copies; only
 * factors change, and only in a copy ({@link #withFactors}), because cached parents must stay intact
 * for a retried task to redo exactly the same work. {@code adam} holds the rows' optimiser moments when
 * train.optimizer = adam (null otherwise, and for tables that are not trained directly).
 *
 * <p>Between the strata of an epoch a block travels {@linkplain #detached() detached}: without its
 * adjacency ({@code offsets} and {@code neighbours} null), which stays cached where the block's task
 * runs and is {@linkplain #attachedTo attached} again there, so only factors (and moments) are shuffled.
 */
public final class EmbeddingBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int block;
  public final int numBlocks;
  public final int size;
  public final int dim;
  public final float[] factors;
  public final int[] offsets;
  public final int[] neighbours;
  public final AdamState adam;

  public EmbeddingBlock(int block, int numBlocks, int size, int dim, float[] factors, int[] offsets,
      int[] neighbours) {
    this(block, numBlocks, size, dim, factors, offsets, neighbours, null);
  }

  private EmbeddingBlock(int block, int numBlocks, int size, int dim, float[] factors, int[] offsets,
      int[] neighbours, AdamState adam) {
    if (factors.length != (long) size * dim || (offsets != null && offsets.length != size + 1)) {
      throw new IllegalArgumentException("block " + block + ": inconsistent sizes");
    }
    this.block = block;
    this.numBlocks = numBlocks;
    this.size = size;
    this.dim = dim;
    this.factors = factors;
    this.offsets = offsets;
    this.neighbours = neighbours;
    this.adam = adam;
  }

  /** Number of rows of a table of {@code total} rows that fall into block {@code b} of {@code p}. */
  public static int blockSize(long total, int b, int p) {
    return (int) (total / p + (b < total % p ? 1 : 0));
  }

  public int globalId(int local) {
    return local * numBlocks + block;
  }

  public int degree(int local) {
    return offsets[local + 1] - offsets[local];
  }

  /** Start of the neighbours of {@code local} that live in block {@code otherBlock} (binary search). */
  public int cellStart(int local, int otherBlock) {
    return searchBlock(local, otherBlock);
  }

  /** End (exclusive) of the neighbours of {@code local} that live in block {@code otherBlock}. */
  public int cellEnd(int local, int otherBlock) {
    return searchBlock(local, otherBlock + 1);
  }

  private int searchBlock(int local, int otherBlock) {
    int lo = offsets[local];
    int hi = offsets[local + 1];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (neighbours[mid] % numBlocks < otherBlock) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A copy with new factors and the same (shared, immutable) adjacency and optimiser state. */
  public EmbeddingBlock withFactors(float[] newFactors) {
    return new EmbeddingBlock(block, numBlocks, size, dim, newFactors, offsets, neighbours, adam);
  }

  /** A copy with the optimiser state of {@code source} (the same rows), or none when it is null. */
  public EmbeddingBlock withAdam(AdamState source) {
    return new EmbeddingBlock(block, numBlocks, size, dim, factors, offsets, neighbours, source);
  }

  /** The same rows without their adjacency: what moves between the strata's tasks. */
  public EmbeddingBlock detached() {
    return new EmbeddingBlock(block, numBlocks, size, dim, factors, null, null, adam);
  }

  /** The adjacency alone (no factors, no moments): the static part of a block, cached once per run. */
  public EmbeddingBlock adjacencyOnly() {
    return new EmbeddingBlock(block, numBlocks, size, 0, new float[0], offsets, neighbours, null);
  }

  /** These factors and moments with the adjacency of {@code adjacency} (the same block of the same table). */
  public EmbeddingBlock attachedTo(EmbeddingBlock adjacency) {
    if (adjacency.block != block || adjacency.size != size) {
      throw new IllegalStateException("block " + block + " (" + size + " rows) met the adjacency of block "
          + adjacency.block + " (" + adjacency.size + " rows)");
    }
    return new EmbeddingBlock(block, numBlocks, size, dim, factors, adjacency.offsets, adjacency.neighbours, adam);
  }

  /** A copy whose factors and optimiser state may be changed freely. */
  public EmbeddingBlock mutableCopy() {
    return new EmbeddingBlock(block, numBlocks, size, dim, Arrays.copyOf(factors, factors.length), offsets,
        neighbours, adam == null ? null : adam.copy());
  }

  /** Orders neighbour ids by (block, id) so each cell's neighbours are one sorted run. */
  public static void sortByBlock(int[] ids, int from, int to, int numBlocks) {
    long[] keys = new long[to - from];
    for (int k = from; k < to; k++) {
      keys[k - from] = ((long) (ids[k] % numBlocks) << 32) | ids[k];
    }
    Arrays.sort(keys);
    for (int k = from; k < to; k++) {
      ids[k] = (int) keys[k - from];
    }
  }
}
