package dev.directspec.blocks;

import org.apache.spark.Partitioner;

/**
 * Routes item block c to partition (c - s) mod P, so that in stratum s the task of user block b
 * meets item block (b + s) mod P. Over P strata every cell is visited once and no two concurrent
 * tasks touch the same rows (docs/design.md "Strata").
 */
public final class ShiftPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int numBlocks;
  private final int stratum;

  public ShiftPartitioner(int numBlocks, int stratum) {
    this.numBlocks = numBlocks;
    this.stratum = stratum;
  }

  @Override
  public int numPartitions() {
    return numBlocks;
  }

  @Override
  public int getPartition(Object key) {
    return Math.floorMod((Integer) key - stratum, numBlocks);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShiftPartitioner p && p.numBlocks == numBlocks && p.stratum == stratum;
  }

  @Override
  public int hashCode() {
    return 31 * numBlocks + stratum;
  }
}
