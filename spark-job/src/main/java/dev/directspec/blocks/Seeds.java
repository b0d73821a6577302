package dev.directspec.blocks;

/** Derives independent random streams from the one run seed (docs/design.md "Determinism"). */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser over (a, b): a well-spread 64-bit seed for a sub-stream. */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The stream of one task: (seed, epoch, stratum, block). */
  public static long task(long seed, int epoch, int stratum, int block) {
    return mix(mix(mix(seed, epoch), stratum), block);
  }
}
