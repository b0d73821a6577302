import dev.directspec.kernels.DirectSpecPlusObjective;
import dev.directspec.kernels.SmallGemm;
import dev.directspec.kernels.Workspace;
import java.util.Random;

/**
 * Milliseconds per DirectSpec+ step (users + items, forward + backward), B = 256, d = 64, for scalar and
 * per-pair tau, on the native and the Java product backends. Run on one core with OPENBLAS_NUM_THREADS=1.
 */
public class StepBench {
  public static void main(String[] args) {
    int bsz = 256;
    int dim = 64;
    Random rnd = new Random(1);
    float[] xu = new float[bsz * dim];
    float[] xi = new float[bsz * dim];
    for (int i = 0; i < xu.length; i++) {
      xu[i] = (float) rnd.nextGaussian() * 0.1f;
      xi[i] = (float) rnd.nextGaussian() * 0.1f;
    }
    float[] tau = new float[bsz * bsz];
    for (int i = 0; i < tau.length; i++) {
      tau[i] = rnd.nextInt(10) == 0 ? 3.5f : 4f;
    }
    float[] gu = new float[bsz * dim];
    float[] gi = new float[bsz * dim];
    DirectSpecPlusObjective plus = new DirectSpecPlusObjective(0.7f, 4f, 4f, 0.02f);
    DirectSpecPlusObjective align = DirectSpecPlusObjective.align(0.02f);
    SmallGemm[] backends = SmallGemm.nativeAvailable()
        ? new SmallGemm[] {SmallGemm.create(), SmallGemm.javaOnly()} : new SmallGemm[] {SmallGemm.javaOnly()};
    for (int round = 0; round < 2; round++) {
      for (SmallGemm g : backends) {
        Workspace ws = new Workspace(g);
        String b = g.backend().toString();
        time(b + " scalar tau", () -> plus.lossAndGradient(xu, xi, bsz, dim, gu, gi, ws));
        time(b + " per-pair tau", () -> plus.lossAndGradient(xu, xi, bsz, dim, gu, gi, tau, tau, ws));
        time(b + " align (alpha=0)", () -> align.lossAndGradient(xu, xi, bsz, dim, gu, gi, ws));
      }
    }
  }

  static void time(String name, Runnable step) {
    for (int i = 0; i < 300; i++) {
      step.run();
    }
    int n = 3164;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      step.run();
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    System.out.printf("%-28s %.3f ms/step  %.2f s per 3164 steps%n", name, ms / n, ms / 1e3);
  }
}
