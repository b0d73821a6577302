package dev.directspec.spectrum;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GramMatrixTest {

  @Test
  void blockwiseAccumulateAndMergeEqualsNaiveGram() {
    Random rnd = new Random(7);
    int n = 37;
    int d = 13;
    float[] rows = new float[n * d];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) rnd.nextGaussian();
    }
    rows[5 * d + 3] = 0f; // exercises the skip of zero entries

    // Two "partitions": rows 0..19 and 20..36, reduced like treeReduce would.
    int split = 20;
    float[] second = new float[(n - split) * d];
    System.arraycopy(rows, split * d, second, 0, second.length);
    double[] a = GramMatrix.accumulate(GramMatrix.zeros(d), rows, split, d);
    double[] b = GramMatrix.accumulate(GramMatrix.zeros(d), second, n - split, d);
    double[] merged = GramMatrix.merge(a, b);

    double[] asDouble = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      asDouble[i] = rows[i];
    }
    double[] expected = TestMatrices.naiveGram(asDouble, n, d);
    assertArrayEquals(expected, merged, 1e-10);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        assertEquals(merged[i * d + j], merged[j * d + i], 0.0, "exactly symmetric");
      }
    }
  }

  @Test
  void accumulateAddsToExistingContent() {
    float[] row = {1f, 2f};
    double[] g = GramMatrix.accumulate(GramMatrix.zeros(2), row, 1, 2);
    GramMatrix.accumulate(g, row, 1, 2);
    assertArrayEquals(new double[] {2, 4, 4, 8}, g, 0.0);
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(IllegalArgumentException.class, () -> GramMatrix.accumulate(new double[4], new float[3], 2, 2));
    assertThrows(IllegalArgumentException.class, () -> GramMatrix.accumulate(new double[9], new float[4], 2, 2));
    assertThrows(IllegalArgumentException.class, () -> GramMatrix.merge(new double[4], new double[9]));
    assertEquals(3, GramMatrix.dimension(new double[9]));
  }

  @Test
  void rowsOneByOneGiveTheBitsOfThePackedBlock() {
    Random rnd = new Random(9);
    int n = 700; // more than two stream chunks and a partial one
    int d = 5;
    float[] rows = new float[n * d];
    for (int i = 0; i < rows.length; i++) rows[i] = (float) rnd.nextGaussian();
    java.util.List<float[]> list = new java.util.ArrayList<>();
    for (int r = 0; r < n; r++) list.add(java.util.Arrays.copyOfRange(rows, r * d, (r + 1) * d));
    assertArrayEquals(GramMatrix.of(rows, n, d), GramMatrix.of(list.iterator(), d));
    assertArrayEquals(new double[d * d], GramMatrix.of(java.util.Collections.emptyIterator(), d));
  }
}
