package dev.directspec.kernels;

/**
 * Single-precision matrix product on tight row-major arrays: {@code C = alpha * op(A) op(B) + beta * C},
 * with op(A) m x k, op(B) k x n and C m x n. These are the B x B x d products of the in-batch filter
 * (docs/method.md section 3, steps 2 and 5) and the chunk x items x d products of top-K scoring.
 *
 * <p>Three backends:
 * <ul>
 *   <li>{@link Backend#NATIVE}: {@code sgemm} of netlib's JNI binding ({@code NativeBLAS}, OpenBLAS on
 *   our nodes), when that class loads and finds a native {@code libblas.so.3};</li>
 *   <li>{@link Backend#NETLIB_JAVA}: netlib's own Java BLAS ({@code JavaBLAS.getInstance()}):
 *   {@code VectorBLAS} when the JVM runs with {@code --add-modules jdk.incubator.vector} (the launcher,
 *   the profiles and the tests' JVMs pass it), else {@code Java11BLAS};</li>
 *   <li>{@link Backend#JAVA}: a hand-written loop ({@code c[j] += a0*b0[j] + ... + a3*b3[j]}, transposed
 *   operands copied to scratch first) that needs nothing but the JDK.</li>
 * </ul>
 * Measured with {@code spark-job/bench/jmh.sh GemmBenchmark} (docs/results.md "BLAS"): native OpenBLAS is
 * an order of magnitude ahead of both Java options everywhere, and netlib's VectorBLAS is 3-6x ahead of the
 * loop on the training's 256 x 256 x 64 products and about 3.5x on top-K's chunk x item-block product, so
 * {@link #create()} takes native, else netlib's Java BLAS, else the loop.
 * {@code -Ddirectspec.kernels.javaGemm=true} forces the loop everywhere.
 *
 * <p>OpenBLAS spawns its own threads unless {@code OPENBLAS_NUM_THREADS=1} is set; on Spark set
 * {@code spark.executorEnv.OPENBLAS_NUM_THREADS=1} so one task stays one thread.
 *
 * <p>Not thread-safe: the Java backend owns transpose scratch. Use one instance per task thread
 * (a {@link Workspace} holds one).
 */
public final class SmallGemm {

  /** Which implementation runs the product. */
  public enum Backend { NATIVE, NETLIB_JAVA, JAVA }

  /** p-rows and j-columns of B processed per block, so a block (64 x 128 floats = 32 KB) stays in L1/L2. */
  private static final int P_BLOCK = 64;
  private static final int J_BLOCK = 128;

  private final Backend backend;
  private float[] scratchA = new float[0];
  private float[] scratchB = new float[0];

  private SmallGemm(Backend backend) {
    this.backend = backend;
  }

  /** The fastest backend this JVM has: native BLAS, else netlib's Java BLAS, else the own loop. */
  public static SmallGemm create() {
    if (nativeAvailable()) {
      return new SmallGemm(Backend.NATIVE);
    }
    return new SmallGemm(netlibJavaAvailable() ? Backend.NETLIB_JAVA : Backend.JAVA);
  }

  /** Always the pure-Java loop (tests, benchmarks, or hosts whose native BLAS misbehaves). */
  public static SmallGemm javaOnly() {
    return new SmallGemm(Backend.JAVA);
  }

  /** A given backend; refused when this JVM lacks it (benchmarks must not time one under another's name). */
  public static SmallGemm of(Backend backend) {
    boolean present = switch (backend) {
      case NATIVE -> nativeAvailable();
      case NETLIB_JAVA -> netlibJavaAvailable();
      case JAVA -> true;
    };
    if (!present) {
      throw new IllegalStateException("GEMM backend " + backend + " is not available in this JVM");
    }
    return new SmallGemm(backend);
  }

  /** Whether netlib-java found a native BLAS in this JVM. */
  public static boolean nativeAvailable() {
    try {
      return Netlib.NATIVE != null;
    } catch (LinkageError netlibMissing) {
      // Verifying the holder needs netlib's classes; without them the holder itself fails to load.
      return false;
    }
  }

  /** Whether netlib's Java BLAS is on the class path (and the own loop is not forced). */
  public static boolean netlibJavaAvailable() {
    try {
      return Netlib.JAVA != null;
    } catch (LinkageError netlibMissing) {
      return false;
    }
  }

  public Backend backend() {
    return backend;
  }

  /**
   * {@code C = alpha * op(A) op(B) + beta * C}, row-major, no padding. With {@code transA} A is stored
   * k x m, else m x k; with {@code transB} B is stored n x k, else k x n. When beta is 0, C's old
   * contents are ignored (NaNs included), as in BLAS.
   */
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, float[] b, float beta, float[] c) {
    if (m == 0 || n == 0) {
      return;
    }
    if (backend != Backend.JAVA) {
      dev.ludovic.netlib.blas.BLAS blas = backend == Backend.NATIVE ? Netlib.NATIVE : Netlib.JAVA;
      // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap operands, keep flags.
      blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
          b, transB ? k : n, a, transA ? m : k, beta, c, n);
      return;
    }
    float[] aa = a;
    float[] bb = b;
    if (transA) {
      scratchA = ensure(scratchA, m * k);
      transpose(a, k, m, scratchA);
      aa = scratchA;
    }
    if (transB) {
      scratchB = ensure(scratchB, k * n);
      transpose(b, n, k, scratchB);
      bb = scratchB;
    }
    scaleC(c, m * n, beta);
    if (k > 0 && alpha != 0f) {
      multiplyAdd(m, n, k, alpha, aa, bb, c);
    }
  }

  private static void scaleC(float[] c, int len, float beta) {
    if (beta == 0f) {
      java.util.Arrays.fill(c, 0, len, 0f);
    } else if (beta != 1f) {
      for (int i = 0; i < len; i++) {
        c[i] *= beta;
      }
    }
  }

  /** C += alpha * A B, A m x k, B k x n; blocked over p and j so the B block is reused from cache. */
  private static void multiplyAdd(int m, int n, int k, float alpha, float[] a, float[] b, float[] c) {
    for (int j0 = 0; j0 < n; j0 += J_BLOCK) {
      int j1 = Math.min(n, j0 + J_BLOCK);
      for (int p0 = 0; p0 < k; p0 += P_BLOCK) {
        int p1 = Math.min(k, p0 + P_BLOCK);
        for (int i = 0; i < m; i++) {
          rowUpdate(a, i * k, alpha, b, n, p0, p1, c, i * n, j0, j1);
        }
      }
    }
  }

  /** c[cRow + j] += alpha * sum_{p in [p0,p1)} a[aRow + p] * b[p*n + j] for j in [j0, j1). */
  private static void rowUpdate(float[] a, int aRow, float alpha, float[] b, int n, int p0, int p1,
                                float[] c, int cRow, int j0, int j1) {
    int p = p0;
    // Four B rows per pass: one load/store of C per four multiply-adds keeps the loop compute-bound.
    for (; p + 3 < p1; p += 4) {
      float a0 = alpha * a[aRow + p];
      float a1 = alpha * a[aRow + p + 1];
      float a2 = alpha * a[aRow + p + 2];
      float a3 = alpha * a[aRow + p + 3];
      int b0 = p * n;
      int b1 = b0 + n;
      int b2 = b1 + n;
      int b3 = b2 + n;
      for (int j = j0; j < j1; j++) {
        c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; p < p1; p++) {
      float a0 = alpha * a[aRow + p];
      int b0 = p * n;
      for (int j = j0; j < j1; j++) {
        c[cRow + j] += a0 * b[b0 + j];
      }
    }
  }

  /** dst (cols x rows) = src^T, src rows x cols. */
  private static void transpose(float[] src, int rows, int cols, float[] dst) {
    for (int r = 0; r < rows; r++) {
      int s = r * cols;
      for (int q = 0; q < cols; q++) {
        dst[q * rows + r] = src[s + q];
      }
    }
  }

  private static float[] ensure(float[] buf, int size) {
    return buf.length >= size ? buf : new float[size];
  }

  /**
   * netlib's BLAS instances, loaded lazily and in isolation, so SmallGemm still works when netlib-java or
   * its native library is absent (the references to its classes are never resolved then). Each is null
   * when unavailable or when {@code -Ddirectspec.kernels.javaGemm=true} forces the own loop.
   */
  private static final class Netlib {
    static final dev.ludovic.netlib.blas.BLAS NATIVE = load(dev.ludovic.netlib.blas.NativeBLAS::getInstance);
    /** VectorBLAS when the Vector API module is present, else Java11BLAS. */
    static final dev.ludovic.netlib.blas.BLAS JAVA = load(dev.ludovic.netlib.blas.JavaBLAS::getInstance);

    private static dev.ludovic.netlib.blas.BLAS load(
        java.util.function.Supplier<? extends dev.ludovic.netlib.blas.BLAS> instance) {
      if (Boolean.getBoolean("directspec.kernels.javaGemm")) {
        return null;
      }
      try {
        return instance.get();
      } catch (Throwable notAvailable) {
        // LinkageError when netlib is missing, RuntimeException when no native library: use Java.
        return null;
      }
    }
  }
}
