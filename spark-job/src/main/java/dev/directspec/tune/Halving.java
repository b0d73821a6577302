package dev.directspec.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * The successive-halving schedule of one method (Jamieson and Talwalkar 2016; one bracket of Hyperband):
 * {@code points} trials start at the first rung's budget, and after each rung the best 1/eta of them
 * (at least one) continue to the next, up to the full budget. A survivor continues from its saved state
 * when the method allows it, so its cost is only the extra epochs; otherwise it retrains.
 * <p>
 * The starting point (trial 1: the user's settings) may continue to the next rung when halving cuts it
 * close behind the survivors ({@link MethodTuner#START_KEPT_WITHIN}): a fast starter is not always the
 * best finisher. On CiteULike the authors' settings (lr 180) validated 0.2156 at 100 epochs, behind a
 * competitor's 0.2257, and ended above it on test at 300 (docs/results.md). That costs at most one more
 * full training than the plan.
 *
 * @param rungs  budget (epochs, ALS iterations) of each rung, increasing, the last the full budget
 * @param points trials halving keeps at each rung, decreasing; the starting point may come on top of them
 *               when they are more than one
 */
public record Halving(List<Integer> rungs, List<Integer> points, double fullTrainings) {
  public static final int ETA = 3;

  /**
   * @param full      the full budget of one training (epochs, or ALS iterations)
   * @param budget    total cost allowed, in full trainings
   * @param continues whether survivors continue where they stopped (else they retrain from scratch)
   */
  public static Halving plan(int full, double budget, boolean continues) {
    return plan(full, budget, continues, 0);
  }

  /**
   * @param perRun what every rung's training costs besides its epochs (starting the job, evaluating), in
   *               full trainings: a time budget counts it, a budget in trainings does not
   */
  public static Halving plan(int full, double budget, boolean continues, double perRun) {
    if (!(budget > 0)) throw new IllegalArgumentException("the budget must be > 0, got " + budget);
    List<Integer> rungs = rungs(full);
    // Cost of one starting point in full trainings: every rung's share of it reaches the next rung.
    double perPoint = 0;
    double share = 1;
    int done = 0;
    for (int r : rungs) {
      perPoint += share * ((continues ? r - done : r) / (double) full + perRun);
      done = r;
      share /= ETA;
    }
    // At least one point reaches every rung, so small budgets cost more than perPoint says: step down until it fits.
    int first = Math.max(1, (int) Math.floor(budget / perPoint + 1e-9));
    List<Integer> points = survivors(first, rungs.size());
    while (first > 1 && cost(rungs, points, full, continues, perRun) > budget + 1e-9) {
      points = survivors(--first, rungs.size());
    }
    return new Halving(List.copyOf(rungs), List.copyOf(points), cost(rungs, points, full, continues, perRun));
  }

  /** The rungs of a full budget: a ninth, a third, all of it (fewer when they coincide). */
  public static List<Integer> rungs(int full) {
    if (full < 1) throw new IllegalArgumentException("the full budget must be >= 1, got " + full);
    List<Integer> rungs = new ArrayList<>();
    for (int k = 2; k >= 0; k--) {
      int r = (int) Math.ceil(full / Math.pow(ETA, k));
      if (rungs.isEmpty() || r > rungs.get(rungs.size() - 1)) rungs.add(r);
    }
    return rungs;
  }

  private static List<Integer> survivors(int first, int rungs) {
    List<Integer> points = new ArrayList<>();
    int n = first;
    for (int i = 0; i < rungs; i++) {
      points.add(n);
      n = Math.max(1, n / ETA);
    }
    return points;
  }

  /**
   * What the schedule costs in full trainings, without the starting point's continuation past a cut: that
   * happens only when it is close behind, and would take a large part of a small budget from the search.
   */
  static double cost(List<Integer> rungs, List<Integer> points, int full, boolean continues, double perRun) {
    double total = 0;
    int done = 0;
    for (int i = 0; i < rungs.size(); i++) {
      total += points.get(i) * ((continues ? rungs.get(i) - done : rungs.get(i)) / (double) full + perRun);
      done = rungs.get(i);
    }
    return total;
  }

  /** Whether the starting point may continue past a cut besides the survivors: when more than one point starts. */
  public boolean keepsStart() {
    return points.get(0) > 1;
  }

  public int startingPoints() {
    return points.get(0);
  }

  public String describe() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rungs.size(); i++) {
      if (i > 0) b.append(" -> ");
      b.append(points.get(i)).append(" x ").append(rungs.get(i));
    }
    b.append(String.format(" (about %.2f full trainings", fullTrainings));
    if (keepsStart()) b.append(", and up to one more if the starting point continues past a cut close behind");
    return b.append(')').toString();
  }
}
