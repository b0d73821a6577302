import dev.directspec.kernels.SmallGemm;
import java.util.Random;

/** Times SmallGemm backends and netlib's Java fallback on the filter's product shapes. */
public class GemmBench {
  public static void main(String[] args) {
    int bsz = 256, d = 64;
    Random r = new Random(1);
    float[] x = new float[bsz * d], p = new float[bsz * bsz], out = new float[bsz * bsz], z = new float[bsz * d];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < p.length; i++) p[i] = r.nextFloat();
    SmallGemm[] gs = SmallGemm.nativeAvailable()
        ? new SmallGemm[] {SmallGemm.create(), SmallGemm.javaOnly()} : new SmallGemm[] {SmallGemm.javaOnly()};
    dev.ludovic.netlib.blas.BLAS j11 = dev.ludovic.netlib.blas.JavaBLAS.getInstance();
    for (int round = 0; round < 3; round++) {
      for (SmallGemm g : gs) {
        time(g.backend() + " NT 256x256x64 (X X^T)", () -> g.gemm(false, true, bsz, bsz, d, 1f, x, x, 0f, out));
        time(g.backend() + " NN 256x64x256 (P X)  ", () -> g.gemm(false, false, bsz, d, bsz, 1f, p, x, 0f, z));
        time(g.backend() + " TN 256x64x256 (P^T Z)", () -> g.gemm(true, false, bsz, d, bsz, 1f, p, x, 0f, z));
      }
      time(j11.getClass().getSimpleName() + " NT 256x256x64", () -> j11.sgemm("T", "N", bsz, bsz, d, 1f, x, d, x, d, 0f, out, bsz));
      time(j11.getClass().getSimpleName() + " NN 256x64x256", () -> j11.sgemm("N", "N", d, bsz, bsz, 1f, x, d, p, bsz, 0f, z, d));
    }
  }

  static void time(String name, Runnable r) {
    for (int i = 0; i < 200; i++) r.run();
    int n = 2000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) r.run();
    double ms = (System.nanoTime() - t0) / 1e6 / n;
    System.out.printf("%-40s %.4f ms  %.1f GFLOP/s%n", name, ms, 2.0 * 256 * 256 * 64 / ms / 1e6);
  }
}
