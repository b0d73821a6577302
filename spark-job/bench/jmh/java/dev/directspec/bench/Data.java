package dev.directspec.bench;

import java.util.Random;

/** Seeded inputs shared by the benchmarks, so every run measures the same data. */
final class Data {

  private Data() {
  }

  /** n standard normal floats. */
  static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  /** count distinct ids from [0, bound), ascending. */
  static int[] distinctSorted(Random rnd, int count, int bound) {
    return rnd.ints(0, bound).distinct().limit(count).sorted().toArray();
  }
}
