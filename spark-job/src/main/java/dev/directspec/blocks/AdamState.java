package dev.directspec.blocks;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-row Adam moments of one embedding block (Kingma and Ba 2015), kept with the block so that they
 * travel with it through the strata. The update is the sparse ("lazy") form used for embedding tables:
 * a row's moments and its bias-correction count advance only in steps whose batch contains the row,
 * so rows that are rarely sampled are not decayed towards zero between their visits. Mutated only in a
 * task's private copy ({@link EmbeddingBlock#mutableCopy}), like the factors.
 */
public final class AdamState implements Serializable {
  private static final long serialVersionUID = 1L;

  public final float[] first;
  public final float[] second;
  public final int[] updates;

  public AdamState(int size, int dim) {
    this(new float[size * dim], new float[size * dim], new int[size]);
  }

  public AdamState(float[] first, float[] second, int[] updates) {
    this.first = first;
    this.second = second;
    this.updates = updates;
  }

  public AdamState copy() {
    return new AdamState(Arrays.copyOf(first, first.length), Arrays.copyOf(second, second.length),
        Arrays.copyOf(updates, updates.length));
  }
}
