package dev.directspec.bench;

import dev.directspec.ranking.RankingMetrics;
import java.util.Arrays;
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
 * Per-user metrics at one cut-off K: a top-20 list against 10 test items of which 3 are ranked
 * (at positions 1, 6 and 15), so recall and NDCG differ between K = 10 and K = 20.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {

  private static final int ITEMS = 40_981;

  @Param({"10", "20"})
  public int k;

  private int[] ranked;
  private int[] testItems;
  private int[] cutoffs;

  @Setup
  public void setUp() {
    Random rnd = new Random(1);
    // 27 distinct ids: 20 ranked, 7 more test items that are not ranked.
    int[] ids = rnd.ints(0, ITEMS).distinct().limit(27).toArray();
    ranked = Arrays.copyOf(ids, 20);
    testItems = new int[] {ids[0], ids[5], ids[14], ids[20], ids[21], ids[22], ids[23], ids[24],
        ids[25], ids[26]};
    cutoffs = new int[] {k};
  }

  @Benchmark
  public double[][] forUser() {
    return RankingMetrics.forUser(ranked, testItems, cutoffs);
  }
}
