package dev.directspec.blocks;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Initial factors: uniform in +-sqrt(6 / (n + d)) with n the table's row count (docs/method.md 4, the
 * authors' Xavier-uniform init), or normal with a given standard deviation (LightGCN's own init uses
 * 0.1). Every row draws from its own stream keyed by (seed, table, row id), so the initial model does
 * not depend on the number of blocks or on task scheduling.
 */
public final class FactorInit implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final boolean zeros;
  private final double normalStd;

  /** Xavier-uniform factors. */
  public FactorInit(long seed) {
    this(seed, false, 0);
  }

  /** Normal factors with this standard deviation; 0 = Xavier-uniform. */
  public FactorInit(long seed, double normalStd) {
    this(seed, false, normalStd);
  }

  private FactorInit(long seed, boolean zeros, double normalStd) {
    this.seed = seed;
    this.zeros = zeros;
    this.normalStd = normalStd;
  }

  /** All-zero factors: the base for loading a saved model, where absent rows must not score randomly. */
  public static FactorInit zeros() {
    return new FactorInit(0, true, 0);
  }

  /** Initialiser of one table. */
  public Table forTable(String table, long rows) {
    return new Table(Seeds.mix(seed, table.hashCode()), rows, zeros, normalStd);
  }

  /** Fills the factors of the rows of one block. */
  public static final class Table implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long tableSeed;
    private final long rows;
    private final boolean zeros;
    private final double normalStd;

    Table(long tableSeed, long rows, boolean zeros, double normalStd) {
      this.tableSeed = tableSeed;
      this.rows = rows;
      this.zeros = zeros;
      this.normalStd = normalStd;
    }

    public void fill(int block, int numBlocks, int size, int dim, float[] factors) {
      if (zeros) return;
      double bound = Math.sqrt(6.0 / (rows + dim));
      for (int r = 0; r < size; r++) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(tableSeed, (long) r * numBlocks + block));
        for (int k = 0; k < dim; k++) {
          double draw = normalStd > 0 ? rng.nextGaussian() * normalStd : (rng.nextDouble() * 2 - 1) * bound;
          factors[r * dim + k] = (float) draw;
        }
      }
    }
  }
}
