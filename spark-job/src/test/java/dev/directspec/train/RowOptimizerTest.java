package dev.directspec.train;

import dev.directspec.blocks.AdamState;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.config.Settings;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The optimisers of the cell steps against a direct computation in doubles. */
class RowOptimizerTest {
  private static final int DIM = 3;

  private static TrainSettings settings(String optimizer) {
    return TrainSettings.from(Settings.load(List.of(), List.of("optimizer=" + optimizer, "adam_beta1=0.8",
        "adam_beta2=0.9", "adam_eps=0.01")));
  }

  private static EmbeddingBlock block(int rows) {
    float[] factors = new float[rows * DIM];
    for (int k = 0; k < factors.length; k++) factors[k] = 0.1f * k - 0.3f;
    EmbeddingBlock b = new EmbeddingBlock(0, 1, rows, DIM, factors, new int[rows + 1], new int[0]);
    return b.withAdam(new AdamState(rows, DIM));
  }

  @Test
  void sgdGivesARowDrawnTwiceBothGradients() {
    EmbeddingBlock b = block(3);
    float[] before = b.factors.clone();
    RowOptimizer sgd = RowOptimizer.create(settings("sgd"), b, 2);
    sgd.add(new int[] {1, 1}, new float[] {1, 2, 3, 10, 20, 30});
    sgd.step(0.5f);
    assertArrayEquals(new float[] {before[3] - 5.5f, before[4] - 11f, before[5] - 16.5f},
        java.util.Arrays.copyOfRange(b.factors, 3, 6), 1e-6f);
    assertEquals(before[0], b.factors[0]);
  }

  /**
   * Three steps of sparse Adam: row 0 twice in the first batch (one summed gradient), row 2 only in
   * the third, so its bias correction starts at t = 1 there; row 1 never moves.
   */
  @Test
  void adamMatchesADirectComputationAndSkipsRowsOutsideTheBatch() {
    EmbeddingBlock b = block(3);
    double[] x = new double[b.factors.length];
    for (int k = 0; k < x.length; k++) x[k] = b.factors[k];
    double[] m = new double[x.length];
    double[] v = new double[x.length];
    int[] t = new int[3];
    RowOptimizer adam = RowOptimizer.create(settings("adam"), b, 4);
    int[][] rows = {{0, 0}, {0}, {2, 0}};
    float[][] grads = {{1, -2, 3, 0.5f, 0.5f, 0.5f}, {-1, 4, 0.25f}, {2, 2, -2, 0.1f, 0.2f, 0.3f}};
    float lr = 0.05f;
    for (int s = 0; s < rows.length; s++) {
      adam.add(rows[s], grads[s]);
      adam.step(lr);
      double[] summed = new double[x.length];
      boolean[] seen = new boolean[3];
      for (int k = 0; k < rows[s].length; k++) {
        seen[rows[s][k]] = true;
        for (int j = 0; j < DIM; j++) summed[rows[s][k] * DIM + j] += grads[s][k * DIM + j];
      }
      for (int r = 0; r < 3; r++) {
        if (!seen[r]) continue;
        t[r]++;
        for (int j = 0; j < DIM; j++) {
          int i = r * DIM + j;
          m[i] = 0.8 * m[i] + 0.2 * summed[i];
          v[i] = 0.9 * v[i] + 0.1 * summed[i] * summed[i];
          double mHat = m[i] / (1 - Math.pow(0.8, t[r]));
          double vHat = v[i] / (1 - Math.pow(0.9, t[r]));
          x[i] -= lr * mHat / (Math.sqrt(vHat) + 0.01);
        }
      }
    }
    for (int k = 0; k < x.length; k++) assertEquals(x[k], b.factors[k], 1e-6, "factor " + k);
    assertArrayEquals(new int[] {3, 0, 1}, b.adam.updates);
  }

  @Test
  void mutableCopiesDoNotShareTheMoments() {
    EmbeddingBlock b = block(2);
    EmbeddingBlock copy = b.mutableCopy();
    RowOptimizer adam = RowOptimizer.create(settings("adam"), copy, 1);
    adam.add(new int[] {0}, new float[] {1, 1, 1});
    adam.step(0.1f);
    assertEquals(1, copy.adam.updates[0]);
    assertEquals(0, b.adam.updates[0], "the cached parent's moments must stay as they were");
  }
}
