package dev.directspec.blocks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FactorInitTest {
  private static final int ROWS = 3000;
  private static final int DIM = 64;

  private static float[] table(FactorInit init, int blocks) {
    float[] all = new float[ROWS * DIM];
    FactorInit.Table t = init.forTable("user", ROWS);
    for (int b = 0; b < blocks; b++) {
      int size = EmbeddingBlock.blockSize(ROWS, b, blocks);
      float[] f = new float[size * DIM];
      t.fill(b, blocks, size, DIM, f);
      for (int r = 0; r < size; r++) System.arraycopy(f, r * DIM, all, (r * blocks + b) * DIM, DIM);
    }
    return all;
  }

  @Test
  void xavierStaysInItsBoundAndNormalHasItsStandardDeviation() {
    double bound = Math.sqrt(6.0 / (ROWS + DIM));
    for (float v : table(new FactorInit(7), 1)) assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
    float[] normal = table(new FactorInit(7, 0.1), 1);
    double sum = 0;
    double squares = 0;
    for (float v : normal) {
      sum += v;
      squares += v * v;
    }
    double mean = sum / normal.length;
    double std = Math.sqrt(squares / normal.length - mean * mean);
    // 192,000 draws: the sample std is within 1% of 0.1 with overwhelming probability.
    assertEquals(0.1, std, 0.001);
    assertEquals(0, mean, 0.001);
  }

  @Test
  void aRowGetsTheSameFactorsWhateverTheNumberOfBlocks() {
    assertArrayEquals(table(new FactorInit(7, 0.1), 1), table(new FactorInit(7, 0.1), 3));
    assertArrayEquals(table(new FactorInit(7), 1), table(new FactorInit(7), 4));
  }
}
