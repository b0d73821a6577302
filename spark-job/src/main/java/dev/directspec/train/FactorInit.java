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
  private final boolean zeros;

  public FactorInit(long seed) {
    this(seed, false);
  }

  private FactorInit(long seed, boolean zeros) {
    this.seed = seed;
    this.zeros = zeros;
  }

  /** All-zero factors: the base for loading a saved model, where absent rows must not score randomly. */
  public static FactorInit zeros() {
    return new FactorInit(0, true);
  }

  /** Initialiser of one table. */
  public Table forTable(String table, long rows) {
    return new Table(Seeds.mix(seed, table.hashCode()), rows, zeros);
  }

  /** Fills the factors of the rows of one block. */
  public static final class Table implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long tableSeed;
    private final long rows;
    private final boolean zeros;

    Table(long tableSeed, long rows, boolean zeros) {
      this.tableSeed = tableSeed;
      this.rows = rows;
      this.zeros = zeros;
    }

    public void fill(int block, int numBlocks, int size, int dim, float[] factors) {
      if (zeros) return;
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
