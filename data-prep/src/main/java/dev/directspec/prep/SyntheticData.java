package dev.directspec.prep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Demo implicit-feedback data with planted structure, generated on the executors: each partition
 * draws its users from its own (seed, partition) stream, so the driver never holds the data and the
 * same spec gives the same file. Structure: users belong to one of {@code dims} communities; items to
 * one of {@code dims} groups; a user picks from its community's group with probability
 * {@code affinity}, else from all items; within either, item popularity follows a power law (Zipf-like
 * with exponent {@code skew}). The interaction matrix is therefore close to rank {@code dims}.
 */
public final class SyntheticData {
  private SyntheticData() {}

  /**
   * @param interactions target number of distinct (user, item) pairs (per-user counts vary)
   * @param dims         number of planted latent dimensions (communities / item groups)
   */
  public record Spec(int users, int items, long interactions, int dims, double affinity, double skew,
      long seed, int partitions) implements Serializable {
    public Spec {
      if (users <= 0 || items < dims || dims <= 0 || interactions <= 0 || partitions <= 0) {
        throw new IllegalArgumentException("synthetic data needs users > 0, items >= dims > 0, interactions > 0"
            + " and partitions > 0: " + users + ", " + items + ", " + dims + ", " + interactions + ", " + partitions);
      }
      if (interactions > (long) users * items / 2) {
        throw new IllegalArgumentException("more interactions than half the user x item matrix: " + interactions);
      }
    }

    /** ~3,000 users, 2,000 items, ~100k interactions, 8 planted dimensions. */
    public static Spec demo(long seed) {
      return new Spec(3_000, 2_000, 100_000, 8, 0.8, 0.8, seed, 4);
    }
  }

  /** Writes "user,item" lines (no header) as a text folder at {@code output}; returns the rows written. */
  public static long write(SparkSession spark, Spec spec, String output) {
    JavaRDD<String> lines = lines(spark, spec);
    lines.saveAsTextFile(output);
    long n = lines.count();
    lines.unpersist();
    return n;
  }

  /**
   * Writes a given train/test split: each line goes to {@code testOutput} with probability
   * {@code testRatio}, decided by a hash of the line and the seed, so the split is reproducible and needs
   * no shuffle (prep then takes the fast "given split" path). Returns {train rows, test rows}.
   */
  public static long[] writeSplit(SparkSession spark, Spec spec, String trainOutput, String testOutput,
      double testRatio) {
    JavaRDD<String> lines = lines(spark, spec);
    long seed = spec.seed();
    long threshold = (long) (testRatio * (1L << 24));
    lines.filter(l -> !isTest(l, seed, threshold)).saveAsTextFile(trainOutput);
    lines.filter(l -> isTest(l, seed, threshold)).saveAsTextFile(testOutput);
    long test = lines.filter(l -> isTest(l, seed, threshold)).count();
    long all = lines.count();
    lines.unpersist();
    return new long[] {all - test, test};
  }

  private static boolean isTest(String line, long seed, long threshold) {
    long h = line.hashCode() * 0x9E3779B97F4A7C15L + seed;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return ((h >>> 40) & 0xFFFFFF) < threshold;
  }

  private static JavaRDD<String> lines(SparkSession spark, Spec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> partitionIds = IntStream.range(0, spec.partitions()).boxed().toList();
    JavaRDD<String> lines = jsc.parallelize(partitionIds, spec.partitions())
        .flatMap(p -> partition(spec, p).iterator())
        .cache();
    lines.setName("synthetic interactions");
    return lines;
  }

  /** The lines of the users [p * U / P, (p + 1) * U / P). */
  static List<String> partition(Spec spec, int p) {
    SplittableRandom random = new SplittableRandom(new Random(spec.seed() * 1_000_003L + p).nextLong());
    int from = (int) ((long) p * spec.users() / spec.partitions());
    int to = (int) ((long) (p + 1) * spec.users() / spec.partitions());
    double mean = (double) spec.interactions() / spec.users();
    List<String> lines = new ArrayList<>();
    for (int user = from; user < to; user++) {
      int community = user % spec.dims();
      // Per-user activity varies (exponential around the mean), at least one item.
      int wanted = (int) Math.min(spec.items() / 2, Math.max(1, Math.round(-mean * Math.log(1 - random.nextDouble()))));
      Set<Integer> seen = new HashSet<>();
      while (seen.size() < wanted) {
        boolean own = random.nextDouble() < spec.affinity();
        int item = own ? inGroup(spec, community, random) : powerLaw(spec.items(), spec.skew(), random);
        if (seen.add(item)) {
          lines.add(user + "," + item);
        }
      }
    }
    return lines;
  }

  /** Item of group g (items g, g + dims, g + 2 dims, ...), popular ones first. */
  private static int inGroup(Spec spec, int group, SplittableRandom random) {
    int size = (spec.items() - group + spec.dims() - 1) / spec.dims();
    return group + spec.dims() * powerLaw(size, spec.skew(), random);
  }

  /** Rank in [0, n) with P(rank) roughly proportional to (rank + 1)^-skew (inverse-CDF of a Pareto). */
  private static int powerLaw(int n, double skew, SplittableRandom random) {
    double u = random.nextDouble();
    double rank = skew == 1 ? Math.pow(n + 1, u) - 1
        : Math.pow(1 + u * (Math.pow(n + 1, 1 - skew) - 1), 1 / (1 - skew)) - 1;
    return (int) Math.min(n - 1, Math.max(0, Math.floor(rank)));
  }
}
