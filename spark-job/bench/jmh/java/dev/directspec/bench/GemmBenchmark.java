package dev.directspec.bench;

import dev.directspec.kernels.SmallGemm;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-batch filter's products (B = 256, d = 64) on the implementation {@link SmallGemm} picks
 * (NATIVE: OpenBLAS through netlib's JNI binding) against its alternatives: SmallGemm's own Java loop
 * and netlib's Java fallback ({@code JavaBLAS.getInstance()}, Java11BLAS on JDK 17). A step makes four
 * NT products and eight NN/TN ones, so these three shapes price every product of a step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {

  private static final int B = 256;
  private static final int D = 64;

  @Param({"native", "java-loop", "netlib-java"})
  public String impl;

  private SmallGemm gemm;
  private BLAS netlibJava;
  private float[] x;
  private float[] p;
  private float[] pairsOut;
  private float[] rowsOut;

  @Setup
  public void setUp() {
    switch (impl) {
      case "native" -> {
        gemm = SmallGemm.create();
        // Refuse rather than time the Java loop under the native label.
        if (gemm.backend() != SmallGemm.Backend.NATIVE) {
          throw new IllegalStateException("no native BLAS in this JVM");
        }
      }
      case "java-loop" -> gemm = SmallGemm.javaOnly();
      case "netlib-java" -> netlibJava = JavaBLAS.getInstance();
      default -> throw new IllegalArgumentException(impl);
    }
    Random rnd = new Random(1);
    x = Data.gaussian(rnd, B * D);
    p = Data.gaussian(rnd, B * B);
    pairsOut = new float[B * B];
    rowsOut = new float[B * D];
  }

  /** S = X X^T, 256x256x64: the similarity product. */
  @Benchmark
  public float[] nt256x256x64() {
    if (gemm != null) {
      gemm.gemm(false, true, B, B, D, 1f, x, x, 0f, pairsOut);
    } else {
      // netlib is column-major: row-major X (B x d) is column-major X^T, so C = (X^T)^T X^T.
      netlibJava.sgemm("T", "N", B, B, D, 1f, x, D, x, D, 0f, pairsOut, B);
    }
    return pairsOut;
  }

  /** Z = P X, 256x64x256: applying the filter. */
  @Benchmark
  public float[] nn256x64x256() {
    if (gemm != null) {
      gemm.gemm(false, false, B, D, B, 1f, p, x, 0f, rowsOut);
    } else {
      // Row-major Z = P X is column-major Z^T = X^T P^T, both operands as stored.
      netlibJava.sgemm("N", "N", D, B, B, 1f, x, D, p, B, 0f, rowsOut, D);
    }
    return rowsOut;
  }

  /** Z = P^T X, 256x64x256: the transposed product of the backward pass. */
  @Benchmark
  public float[] tn256x64x256() {
    if (gemm != null) {
      gemm.gemm(true, false, B, D, B, 1f, p, x, 0f, rowsOut);
    } else {
      // Row-major Z = P^T X is column-major Z^T = X^T P.
      netlibJava.sgemm("N", "T", D, B, B, 1f, x, D, p, B, 0f, rowsOut, D);
    }
    return rowsOut;
  }
}
