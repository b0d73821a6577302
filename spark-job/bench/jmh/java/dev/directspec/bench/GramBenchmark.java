package dev.directspec.bench;

import dev.directspec.spectrum.GramMatrix;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Gram accumulation of one 10,000 x 64 block of embedding rows, as an executor does per partition
 * for the spectrum: a fresh zero accumulator each time, as in the job.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GramBenchmark {

  private static final int N = 10_000;
  private static final int D = 64;

  private float[] rows;

  @Setup
  public void setUp() {
    rows = Data.gaussian(new Random(1), N * D);
  }

  @Benchmark
  public double[] accumulate10000x64() {
    return GramMatrix.accumulate(GramMatrix.zeros(D), rows, N, D);
  }
}
