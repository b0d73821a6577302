package dev.directspec.bench;

import dev.directspec.kernels.SmallGemm;
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
 * The products of training and top-K scoring on every {@link SmallGemm} backend: {@code native}
 * (OpenBLAS through netlib's JNI binding), {@code netlib-java} (netlib's {@code JavaBLAS.getInstance()}:
 * VectorBLAS when the JVM has {@code --add-modules jdk.incubator.vector}, as jmh.sh runs it, else
 * Java11BLAS; {@code JMH_JAVA_OPTS= spark-job/bench/jmh.sh} measures that one) and {@code java-loop}
 * (SmallGemm's own loop). A training step (B = 256, d = 64) makes four
 * NT products and eight NN/TN ones; top-K scores a chunk of 128 users against an item block (Gowalla's
 * 40,981 items in 2 blocks) with one NT product.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {

  private static final int B = 256;
  private static final int D = 64;

  private static final int CHUNK = 128;
  private static final int ITEM_BLOCK = 20_491;

  @Param({"native", "netlib-java", "java-loop"})
  public String impl;

  private SmallGemm gemm;
  private float[] x;
  private float[] p;
  private float[] pairsOut;
  private float[] rowsOut;
  private float[] users;
  private float[] items;
  private float[] scoresOut;

  @Setup
  public void setUp() {
    // SmallGemm.of refuses a backend this JVM lacks rather than time another under its name.
    switch (impl) {
      case "native" -> gemm = SmallGemm.of(SmallGemm.Backend.NATIVE);
      case "netlib-java" -> gemm = SmallGemm.of(SmallGemm.Backend.NETLIB_JAVA);
      case "java-loop" -> gemm = SmallGemm.of(SmallGemm.Backend.JAVA);
      default -> throw new IllegalArgumentException(impl);
    }
    Random rnd = new Random(1);
    x = Data.gaussian(rnd, B * D);
    p = Data.gaussian(rnd, B * B);
    pairsOut = new float[B * B];
    rowsOut = new float[B * D];
    users = Data.gaussian(rnd, CHUNK * D);
    items = Data.gaussian(rnd, ITEM_BLOCK * D);
    scoresOut = new float[CHUNK * ITEM_BLOCK];
  }

  /** Scores = U I^T, 128x20491x64: one chunk of users against one item block (top-K). */
  @Benchmark
  public float[] topK128x20491x64() {
    gemm.gemm(false, true, CHUNK, ITEM_BLOCK, D, 1f, users, items, 0f, scoresOut);
    return scoresOut;
  }

  /** S = X X^T, 256x256x64: the similarity product. */
  @Benchmark
  public float[] nt256x256x64() {
    gemm.gemm(false, true, B, B, D, 1f, x, x, 0f, pairsOut);
    return pairsOut;
  }

  /** Z = P X, 256x64x256: applying the filter. */
  @Benchmark
  public float[] nn256x64x256() {
    gemm.gemm(false, false, B, D, B, 1f, p, x, 0f, rowsOut);
    return rowsOut;
  }

  /** Z = P^T X, 256x64x256: the transposed product of the backward pass. */
  @Benchmark
  public float[] tn256x64x256() {
    gemm.gemm(true, false, B, D, B, 1f, p, x, 0f, rowsOut);
    return rowsOut;
  }
}
