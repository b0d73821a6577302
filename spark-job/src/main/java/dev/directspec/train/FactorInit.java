package dev.directspec.train;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Initial factors: uniform in +-sqrt(6 / (n + d)) with n the table's row count (METHOD.md 4, the
 * authors' Xavier-uniform init). Every row draws from its own stream keyed by (seed, table, row id),
 * so the initial model does not depend on the number of blocks or on task scheduling.
 */
public final class FactorInit implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;

  public FactorInit(long seed) {
    this.seed = seed;
  }

  /** Initialiser of one table. */
  public Table forTable(String table, long rows) {
    return new Table(Seeds.mix(seed, table.hashCode()), rows);
  }

  /** Fills the factors of the rows of one block. */
  public static final class Table implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long tableSeed;
    private final long rows;

    Table(long tableSeed, long rows) {
      this.tableSeed = tableSeed;
      this.rows = rows;
    }

    public void fill(int block, int numBlocks, int size, int dim, float[] factors) {
      double bound = Math.sqrt(6.0 / (rows + dim));
      for (int r = 0; r < size; r++) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(tableSeed, (long) r * numBlocks + block));
        for (int k = 0; k < dim; k++) {
          factors[r * dim + k] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
      }
    }
  }
}
