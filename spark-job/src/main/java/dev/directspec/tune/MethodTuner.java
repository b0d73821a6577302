package dev.directspec.tune;

import com.typesafe.config.Config;
import dev.directspec.baseline.AlsSettings;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.job.TrainJob;
import dev.directspec.settings.TrainSettings;
import dev.directspec.train.TrainingFailedException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Tunes one (model, method) on the validation dataset: draws the trials (trial 1 = the starting settings),
 * runs the {@link Halving} schedule with ordinary {@link TrainJob} runs, and keeps every finished rung in
 * the {@link TrialStore}, so a rerun trains only what is missing. Survivors of a rung continue their
 * trajectory exactly ({@link RungRunner}); ALS retrains at the larger iteration count.
 */
public final class MethodTuner {
  /** System property for the resume test: stop (throw) after this many rungs were trained by this JVM. */
  static final String STOP_AFTER = "directspec.inject.tune_stop_after";
  private static int trainedInThisJvm;

  private final FileSystem fs;
  private final String trialsRoot;
  private final RungRunner rungs;

  /**
   * What one method's tuning found. {@code best} is the trial of the best validation figure seen at any rung,
   * and {@code chosen} that rung: on data that overfits with epochs a trial cut at 20 epochs can beat the
   * last rung's survivor at 60 (ML-100K, docs/results.md), so the budget is chosen with the settings. The
   * starting settings or the full budget's survivor are kept when within {@link #FULL_BUDGET_TOLERANCE} of
   * that best ({@link #choose}).
   */
  public record Outcome(String model, String method, SearchSpace space, Halving schedule, Settings base,
      List<TrialStore.Trial> trials, TrialStore.Trial best, TrialStore.Result chosen) {
    public int fullBudget() {
      return schedule.rungs().get(schedule.rungs().size() - 1);
    }
  }

  public MethodTuner(SparkSession spark, FileSystem fs, String validation, String trialsRoot) {
    this.fs = fs;
    this.trialsRoot = trialsRoot;
    this.rungs = new RungRunner(spark, fs, validation);
  }

  /** The budget axis of a method: ALS iterations, or epochs. */
  public static String budgetKey(String method) {
    return method.equals("als") ? "als.max_iter" : "train.epochs";
  }

  /**
   * The trials' settings, drawn from the seed alone: the same command draws the same points. A point the
   * settings checks refuse (tau0 >= tau1 for the adaptive method, say) is drawn again.
   */
  static List<Map<String, Object>> points(SearchSpace space, Settings base, long seed, int count) {
    var random = new SearchSpace.Generators(seed * 1_000_003L + (space.model() + "/" + space.method()).hashCode());
    List<Map<String, Object>> points = new ArrayList<>();
    Map<String, Object> start = start(space, base);
    points.add(start);
    int refused = 0;
    while (points.size() < count) {
      Map<String, Object> p = space.draw(random, start);
      if (valid(base, p)) {
        points.add(p);
      } else if (++refused > 1000) {
        throw new IllegalStateException("the search space of " + space.method() + " (" + SearchSpace.RESOURCE
            + ") gives almost only settings the checks refuse, e.g. " + p);
      }
    }
    return points;
  }

  /** Trial 1: the base settings' values of the space's keys, with train.lr = auto as the number it stands for. */
  static Map<String, Object> start(SearchSpace space, Settings base) {
    Settings resolved = base.with("train.lr", TrainSettings.from(base).optimizer().lr());
    return space.start(resolved.config());
  }

  private static boolean valid(Settings base, Map<String, Object> point) {
    try {
      Settings s = RungRunner.trialSettings(base, point, 1);
      TrainSettings.from(s);
      AlsSettings.from(s);
      return true;
    } catch (SettingsException e) {
      return false;
    }
  }

  /** Tunes with a budget of full trainings. */
  public Outcome tune(Settings base, double trainings) {
    String method = base.config().getString("train.method");
    return tune(base, Halving.plan(base.config().getInt(budgetKey(method)), trainings, !method.equals("als")));
  }

  /**
   * Tunes within a share of wall time: trial 1 trains its first rung, and what that took (its epochs, and
   * the rest: starting the job, evaluating) prices every rung of the plan. The price comes from the saved
   * trial, so a rerun after a kill plans the same schedule. At least one point trains the full budget,
   * even when that takes longer than the share.
   */
  public Outcome tuneWithin(Settings base, double seconds) {
    Config c = base.config();
    String method = c.getString("train.method");
    boolean continues = RungRunner.continues(method);
    int full = c.getInt(budgetKey(method));
    int first = Halving.rungs(full).get(0);
    TrialStore store = store(c);
    TrialStore.Trial start = store.load(1);
    if (start == null) {
      start = new TrialStore.Trial(1, start(SearchSpace.of(c.getString("train.model"), method), base), new ArrayList<>());
    }
    if (start.at(first) == null) {
      start.results().add(rungs.run(base, start, first, null, store, first < full));
      store.save(start);
      stopIfAsked();
    }
    TrialStore.Result priced = start.at(first);
    double train = priced.failed() ? priced.seconds() : store.trainSeconds(priced);
    double fullSeconds = Math.max(1e-3, train / first * full);
    double perRun = Math.max(0, priced.seconds() - train); // job start and evaluation, paid by every rung run
    // A share used up by the methods before (0 s) still trains the one point a preset needs.
    Halving schedule = Halving.plan(full, Math.max(1e-9, seconds / fullSeconds), continues, perRun / fullSeconds);
    System.out.printf("tune %s: %.0f s for this method; trial 1 took %.0f s for %d of %d (%.0f s of training), "
        + "so one full training is about %.0f s, and the share %.2f full trainings%n", method, seconds,
        priced.seconds(), first, full, train, fullSeconds + perRun, seconds / fullSeconds);
    return tune(base, schedule);
  }

  private TrialStore store(Config c) {
    return new TrialStore(fs, new Path(trialsRoot, c.getString("train.model") + "-" + c.getString("train.method")));
  }

  private Outcome tune(Settings base, Halving schedule) {
    Config c = base.config();
    String model = c.getString("train.model");
    String method = c.getString("train.method");
    SearchSpace space = SearchSpace.of(model, method);
    System.out.printf("tune %s %s: %s%s%n", model, method, schedule.describe(), RungRunner.continues(method)
        ? ", survivors continue where their last rung stopped" : ", survivors retrain (ALS has no saved state)");
    if (!space.skipped().isEmpty()) {
      System.out.println("tune " + method + ": not searched (this build has no such setting): " + space.skipped());
    }
    TrialStore store = store(c);
    List<TrialStore.Trial> trials = new ArrayList<>();
    List<Map<String, Object>> points = points(space, base, c.getLong("seed"), schedule.startingPoints());
    for (int i = 0; i < points.size(); i++) {
      TrialStore.Trial saved = store.load(i + 1);
      if (saved != null && !saved.point().equals(points.get(i))) {
        throw new SettingsException("tune state " + store.folder() + " was written by "
            + "another command (trial " + (i + 1) + " has settings " + saved.point() + ", this command draws "
            + points.get(i) + "); use another --output or the same command line");
      }
      trials.add(saved != null ? saved : new TrialStore.Trial(i + 1, points.get(i), new ArrayList<>()));
    }
    List<TrialStore.Trial> alive = trials;
    for (int rung = 0; rung < schedule.rungs().size(); rung++) {
      int budgetNow = schedule.rungs().get(rung);
      Integer before = rung == 0 ? null : schedule.rungs().get(rung - 1);
      boolean last = rung + 1 == schedule.rungs().size();
      for (TrialStore.Trial t : alive) {
        if (t.at(budgetNow) == null) {
          t.results().add(rungs.run(base, t, budgetNow, before, store, !last));
          store.save(t);
          stopIfAsked();
        } else {
          System.out.printf("tune %s: trial %d at %d: kept from an earlier run%n", method, t.id(), budgetNow);
        }
        if (before != null) rungs.dropState(store, t.id(), before);
      }
      List<TrialStore.Trial> kept = survivors(alive, budgetNow, last ? 1 : schedule.points().get(rung + 1),
          !last && schedule.keepsStart() ? trials.get(0) : null);
      for (TrialStore.Trial t : alive) if (!kept.contains(t)) rungs.dropState(store, t.id(), budgetNow);
      alive = kept;
    }
    TrialStore.Trial survivor = alive.get(0);
    rungs.dropStates(store);
    TrialStore.Trial best = best(trials);
    if (best.best().failed()) {
      // No preset from a tuning in which nothing trained: the caller would publish NaN as its validation figure.
      throw new TrainingFailedException("tune " + method + ": every trial failed; trial " + best.id() + " at "
          + best.best().budget() + ": " + best.best().failure());
    }
    Choice choice = choose(trials, survivor, schedule.rungs().get(schedule.rungs().size() - 1));
    return new Outcome(model, method, space, schedule, base, trials, choice.trial(), choice.result());
  }

  /** A trial and the rung of it a preset is made of. */
  record Choice(TrialStore.Trial trial, TrialStore.Result result) {}

  /**
   * What the preset is made of, in this order: the starting settings (trial 1) at the full budget, then the
   * full budget's survivor, when either is within {@link #FULL_BUDGET_TOLERANCE} of the best validation
   * figure of any rung; else that best (trial, rung). Closer than the tolerance the validation split does
   * not tell two points apart, and the user's own settings, or the budget they asked for, stand: on
   * CiteULike the authors' settings validated 0.2261 at 300 epochs against a drawn point's 0.2266, and
   * tested 0.2809 against its 0.2708 (recall_capped@20, docs/results.md).
   */
  static Choice choose(List<TrialStore.Trial> trials, TrialStore.Trial survivor, int fullBudget) {
    TrialStore.Trial best = best(trials);
    TrialStore.Trial start = trials.get(0);
    if (withinTolerance(start.at(fullBudget), best.best())) return new Choice(start, start.at(fullBudget));
    if (withinTolerance(survivor.at(fullBudget), best.best())) return new Choice(survivor, survivor.at(fullBudget));
    return new Choice(best, best.best());
  }

  /**
   * Relative shortfall of validation recall@20 behind the last survivor within which the starting point
   * continues although halving cut it: close enough that more epochs may reorder them (CiteULike's
   * authors' settings were 4.5% behind at 100 epochs and ahead on test at 300), far enough behind that
   * reference defaults which do not suit the data do not take budget from the search.
   */
  static final double START_KEPT_WITHIN = 0.10;

  static boolean closeBehind(TrialStore.Result start, TrialStore.Result lastKept) {
    return !start.failed() && !lastKept.failed() && start.recall() >= lastKept.recall() * (1 - START_KEPT_WITHIN);
  }

  /**
   * Relative shortfall of validation recall@20 within which the starting settings or the full budget's
   * survivor at the full budget are kept over a better point. Closer than this is below what a validation
   * split resolves (its standard error is about 1.5% of recall@20 on CiteULike's 5,551 users): CiteULike's
   * directspec+ reached 0.2190 at 100 epochs and 0.2189 at 300, and a tie should not cut the training the
   * user budgeted. ML-100K's bpr, 0.2825 at 20 epochs against 0.2501 at 60, is a real difference.
   */
  static final double FULL_BUDGET_TOLERANCE = 0.01;

  static boolean withinTolerance(TrialStore.Result atFullBudget, TrialStore.Result best) {
    return atFullBudget != null && !atFullBudget.failed()
        && atFullBudget.recall() >= best.recall() * (1 - FULL_BUDGET_TOLERANCE);
  }

  /**
   * The trial with the best validation figure at any rung it reached (recall@20, then ndcg@20; on a tie the
   * lower trial number). A survivor's figure at a later rung is that of its settings trained straight to
   * that budget, which is what a preset trains.
   */
  static TrialStore.Trial best(List<TrialStore.Trial> trials) {
    TrialStore.Trial best = null;
    for (TrialStore.Trial t : trials) {
      if (t.best() == null) continue;
      if (best == null || TrialStore.Result.BY_KEY.compare(t.best(), best.best()) > 0) best = t;
    }
    if (best == null) throw new IllegalStateException("no trial finished a rung");
    return best;
  }

  /**
   * The trials that continue after a rung: the best {@code count} at this budget, and the starting point
   * (when given) if halving cut it close behind them ({@link #START_KEPT_WITHIN}).
   */
  static List<TrialStore.Trial> survivors(List<TrialStore.Trial> alive, int budget, int count, TrialStore.Trial start) {
    List<TrialStore.Trial> kept = new ArrayList<>(ranked(alive, budget).subList(0, Math.min(alive.size(), count)));
    if (start != null && alive.contains(start) && !kept.contains(start)
        && closeBehind(start.at(budget), kept.get(kept.size() - 1).at(budget))) {
      System.out.printf("tune: trial 1 (the starting settings) continues although halving cut it at %d: "
          + "validation recall@20 %.4f, within %.0f%% of the last survivor's%n", budget, start.at(budget).recall(),
          START_KEPT_WITHIN * 100);
      kept.add(start);
    }
    return kept;
  }

  /** Trials by their result at this budget, best first (recall@20, then ndcg@20, then trial number). */
  static List<TrialStore.Trial> ranked(List<TrialStore.Trial> trials, int budget) {
    Comparator<TrialStore.Trial> byRecall = Comparator.comparingDouble(t -> -t.at(budget).key()[0]);
    return trials.stream().sorted(byRecall.thenComparingDouble(t -> -t.at(budget).key()[1])
        .thenComparingInt(TrialStore.Trial::id)).toList();
  }

  private static void stopIfAsked() {
    trainedInThisJvm++;
    String stop = System.getProperty(STOP_AFTER);
    if (stop != null && trainedInThisJvm >= Integer.parseInt(stop)) {
      throw new IllegalStateException("injected stop after " + trainedInThisJvm + " trained rungs (" + STOP_AFTER + ")");
    }
  }
}
