package dev.directspec.ranking;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running sums of {@link RankingMetrics} over users, for averaging over all users with at least
 * one test item (docs/method.md section 6). Serializable and mergeable so it can be the value of a
 * Spark {@code aggregate}/{@code reduce}: each task adds its users, the driver merges.
 */
public final class MetricSums implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Key of the user count in {@link #means()}. */
  public static final String USERS = "users";

  private final int[] cutoffs;
  /** sums[metric.ordinal() * cutoffs.length + c]. */
  private final double[] sums;
  private long users;

  /** Empty sums for the given cut-offs, e.g. {@code new MetricSums(10, 20)}. */
  public MetricSums(int... cutoffs) {
    RankingMetrics.checkCutoffs(cutoffs);
    this.cutoffs = cutoffs.clone();
    this.sums = new double[RankingMetrics.Metric.values().length * cutoffs.length];
  }

  /** The cut-offs, in the order given. */
  public int[] cutoffs() {
    return cutoffs.clone();
  }

  /** Number of users added. */
  public long users() {
    return users;
  }

  /** Evaluates one user (see {@link RankingMetrics#forUser}) and adds the result. */
  public MetricSums addUser(int[] ranked, int[] testItems) {
    return add(RankingMetrics.forUser(ranked, testItems, cutoffs));
  }

  /** Adds one user's {@code values[metric][cutoff]} as returned by {@link RankingMetrics#forUser}. */
  public MetricSums add(double[][] values) {
    int nk = cutoffs.length;
    if (values.length != RankingMetrics.Metric.values().length) {
      throw new IllegalArgumentException("expected one row per metric, got " + values.length);
    }
    for (int m = 0; m < values.length; m++) {
      if (values[m].length != nk) {
        throw new IllegalArgumentException("expected " + nk + " cutoffs, got " + values[m].length);
      }
      for (int c = 0; c < nk; c++) {
        sums[m * nk + c] += values[m][c];
      }
    }
    users++;
    return this;
  }

  /** Adds {@code other} into this and returns this; both must use the same cut-offs. */
  public MetricSums merge(MetricSums other) {
    if (!Arrays.equals(cutoffs, other.cutoffs)) {
      throw new IllegalArgumentException("cutoffs differ: " + Arrays.toString(cutoffs) + " vs " + Arrays.toString(other.cutoffs));
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    users += other.users;
    return this;
  }

  /**
   * Mean of every metric over the users added, keyed {@code "<metric>@<K>"} (for example
   * {@code recall@10}, {@code recall_capped@20}, {@code ndcg@10}, {@code precision@20},
   * {@code hit_rate@10}), in metric-then-cutoff order, followed by {@value #USERS} (the count,
   * as a double). With no users the means are NaN, not 0, so an empty evaluation cannot pass
   * for a poor model.
   */
  public Map<String, Double> means() {
    Map<String, Double> out = new LinkedHashMap<>();
    int nk = cutoffs.length;
    for (RankingMetrics.Metric metric : RankingMetrics.Metric.values()) {
      for (int c = 0; c < nk; c++) {
        double mean = users == 0 ? Double.NaN : sums[metric.ordinal() * nk + c] / users;
        out.put(metric.key() + "@" + cutoffs[c], mean);
      }
    }
    out.put(USERS, (double) users);
    return out;
  }
}
