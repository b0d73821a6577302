package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SmallGemm, every backend present in this JVM, all transpose combinations, odd sizes, against a naive triple loop. */
class SmallGemmTest {

  @Test
  void allTransposesMatchNaive() {
    Random rnd = new Random(3);
    int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {70, 33, 130}, {256, 64, 256}};
    for (SmallGemm g : backends()) {
      for (int[] s : shapes) {
        for (int mode = 0; mode < 4; mode++) {
          boolean ta = (mode & 1) != 0;
          boolean tb = (mode & 2) != 0;
          int m = s[0];
          int n = s[1];
          int k = s[2];
          float[] a = Reference.random(rnd, m * k, 1);
          float[] b = Reference.random(rnd, k * n, 1);
          float[] c = Reference.random(rnd, m * n, 1);
          float[] c0 = c.clone();
          g.gemm(ta, tb, m, n, k, 0.5f, a, b, 2f, c);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double sum = 0;
              for (int p = 0; p < k; p++) {
                sum += (double) a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
              }
              double want = 0.5 * sum + 2.0 * c0[i * n + j];
              // Float accumulation over k terms of unit size: error ~ k * 6e-8 * sqrt-ish growth.
              assertEquals(want, c[i * n + j], 1e-5 * (k + 1), g.backend() + " mode " + mode);
            }
          }
        }
      }
    }
  }

  /** The own loop always, netlib's Java BLAS (on the test classpath through Spark) and native BLAS when present. */
  private static List<SmallGemm> backends() {
    List<SmallGemm> out = new ArrayList<>(List.of(SmallGemm.javaOnly(), SmallGemm.of(SmallGemm.Backend.NETLIB_JAVA)));
    if (SmallGemm.nativeAvailable()) out.add(SmallGemm.of(SmallGemm.Backend.NATIVE));
    return out;
  }

  @Test
  void theFastestBackendIsChosenNativeThenNetlibJava() {
    boolean nat = SmallGemm.nativeAvailable();
    assertEquals(nat ? SmallGemm.Backend.NATIVE : SmallGemm.Backend.NETLIB_JAVA, SmallGemm.create().backend());
  }
}
