package dev.directspec.bench;

import dev.directspec.kernels.DirectSpecPlusObjective;
import dev.directspec.kernels.SmallGemm;
import dev.directspec.kernels.Workspace;
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
 * One DirectSpec+ step, users and items, forward and backward (B = 256, d = 64), as the trainer runs
 * it: one reused {@link Workspace}, so the steady state allocates nothing. Settings are those of
 * the Gowalla preset (alpha 0.7, tau 4, shrink 0.02); the per-pair tau matrix mimics the adaptive
 * variant's (mostly 4, a tenth of the pairs 3.5).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepBenchmark {

  private static final int B = 256;
  private static final int D = 64;

  @Param({"NATIVE", "NETLIB_JAVA", "JAVA"})
  public SmallGemm.Backend backend;

  private final DirectSpecPlusObjective plus = new DirectSpecPlusObjective(0.7f, 4f, 4f, 0.02f);
  private final DirectSpecPlusObjective align = DirectSpecPlusObjective.align(0.02f);
  private Workspace ws;
  private float[] xu;
  private float[] xi;
  private float[] tauPairs;
  private final float[] gu = new float[B * D];
  private final float[] gi = new float[B * D];

  @Setup
  public void setUp() {
    ws = new Workspace(SmallGemm.of(backend)); // refuses a backend this JVM lacks
    Random rnd = new Random(1);
    // Embedding-scale rows: the trainer's initial rows are small, which keeps the softmax unsaturated.
    xu = Data.gaussian(rnd, B * D);
    xi = Data.gaussian(rnd, B * D);
    for (int i = 0; i < xu.length; i++) {
      xu[i] *= 0.1f;
      xi[i] *= 0.1f;
    }
    tauPairs = new float[B * B];
    for (int i = 0; i < tauPairs.length; i++) {
      tauPairs[i] = rnd.nextInt(10) == 0 ? 3.5f : 4f;
    }
  }

  @Benchmark
  public double scalarTau() {
    return plus.lossAndGradient(xu, xi, B, D, gu, gi, ws);
  }

  @Benchmark
  public double perPairTau() {
    return plus.lossAndGradient(xu, xi, B, D, gu, gi, tauPairs, tauPairs, ws);
  }

  /** alpha = 0: no B x B work at all, so the backend makes no difference here. */
  @Benchmark
  public double align() {
    return align.lossAndGradient(xu, xi, B, D, gu, gi, ws);
  }
}
