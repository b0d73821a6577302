package dev.directspec.bench;

import dev.directspec.ranking.RankedList;
import dev.directspec.ranking.TopK;
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
 * Top-20 selection of one Gowalla user: 40,981 item scores offered to a reused {@link TopK} with
 * about 30 training items excluded, then the best-first list. Scores arrive in item order with no
 * relation to rank, as the scored item blocks do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RankingBenchmark {

  private static final int ITEMS = 40_981;
  private static final int EXCLUDED = 30;

  private final TopK topK = new TopK(20);
  private double[] scores;
  private int[] excluded;

  @Setup
  public void setUp() {
    Random rnd = new Random(1);
    scores = new double[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      scores[i] = rnd.nextGaussian();
    }
    excluded = Data.distinctSorted(rnd, EXCLUDED, ITEMS);
  }

  @Benchmark
  public RankedList topK20() {
    topK.reset(excluded);
    topK.offerBlock(0, scores);
    return topK.result();
  }
}
