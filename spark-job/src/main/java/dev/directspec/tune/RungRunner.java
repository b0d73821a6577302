package dev.directspec.tune;

import dev.directspec.config.Settings;
import dev.directspec.job.TrainJob;
import dev.directspec.train.TrainingFailedException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Trains one rung of one trial as an ordinary {@link TrainJob} on the validation split. A survivor continues
 * the trajectory its previous rung saved (factors, Adam moments, metrics log; every random draw is keyed by
 * the epoch), so its figure at a rung is exactly what its settings reach trained straight to that budget,
 * which is what a preset trains. A warm start would reset the learning-rate schedule and the Adam moments:
 * those restarts moved Gowalla bpr's validation recall@20 from 0.1624 to 0.1680 at 100 epochs, a figure no
 * preset reproduced. ALS has no such state and retrains at the larger iteration count. A rung's state is
 * removed once its trial continued past it or was cut there.
 */
final class RungRunner {
  private final SparkSession spark;
  private final FileSystem fs;
  private final String validation;

  RungRunner(SparkSession spark, FileSystem fs, String validation) {
    this.spark = spark;
    this.fs = fs;
    this.validation = validation;
  }

  /** Whether a method's survivors continue from their saved state (else they retrain from scratch). */
  static boolean continues(String method) {
    return !method.equals("als");
  }

  /**
   * @param before    the trial's previous rung, or null at the first
   * @param keepState save the state after the last epoch for the next rung (false at the last rung)
   */
  TrialStore.Result run(Settings base, TrialStore.Trial t, int budget, Integer before, TrialStore store,
      boolean keepState) {
    String method = base.config().getString("train.method");
    String run = new Path(store.folder(), String.format("t%03d-%d", t.id(), budget)).toString();
    TrialStore.Result previous = before == null ? null : t.at(before);
    if (previous != null && previous.failed()) {
      return new TrialStore.Result(budget, Double.NaN, Double.NaN, 0, run, "not continued: " + previous.failure());
    }
    boolean continues = continues(method);
    TrainJob job = new TrainJob(spark, trialSettings(base, t.point(), budget));
    String note = "";
    if (continues && previous != null) {
      Path from = state(store, t.id(), previous.budget());
      if (exists(from)) {
        job.continuingFrom(from.toString());
        note = " (continues from " + previous.budget() + ")";
      } else {
        // A tuning begun by a build that did not save states: training straight gives the same trajectory.
        note = " (no saved state at " + previous.budget() + ": trains from the start)";
      }
    }
    if (continues && keepState) job.savingFinalState(state(store, t.id(), budget).toString());
    System.out.printf("tune %s: trial %d %s at %d%s%n", method, t.id(), t.point(), budget, note);
    long start = System.nanoTime();
    spark.sparkContext().setJobGroup("tune " + method + " trial " + t.id(), "tune " + method + " trial " + t.id()
        + " at " + budget, false);
    try {
      Map<String, Object> fin = job.run(validation, run, true, false);
      double seconds = (System.nanoTime() - start) / 1e9;
      double recall = ((Number) fin.get("recall@20")).doubleValue();
      double ndcg = ((Number) fin.get("ndcg@20")).doubleValue();
      System.out.printf("tune %s: trial %d at %d: validation recall@20 %.4f ndcg@20 %.4f (%.0f s)%n", method,
          t.id(), budget, recall, ndcg, seconds);
      return new TrialStore.Result(budget, recall, ndcg, seconds, run, null);
    } catch (TrainingFailedException e) {
      System.out.printf("tune %s: trial %d at %d failed: %s%n", method, t.id(), budget, e.getMessage());
      dropState(store, t.id(), budget);
      return new TrialStore.Result(budget, Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9, run,
          e.getMessage());
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The base settings with the trial's point and the rung's budget: what a preset of this rung trains. */
  static Settings trialSettings(Settings base, Map<String, Object> point, int budget) {
    Settings s = base;
    for (Map.Entry<String, Object> e : point.entrySet()) s = s.with(e.getKey(), e.getValue());
    return s.with(MethodTuner.budgetKey(base.config().getString("train.method")), budget);
  }

  /** Removes the state a trial saved at a budget (it continued past it, or was cut there). */
  void dropState(TrialStore store, int trial, int budget) {
    Path state = state(store, trial, budget);
    try {
      if (fs.exists(state) && !fs.delete(state, true)) throw new IOException("delete returned false");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + state + ": " + e.getMessage(), e);
    }
  }

  /** Removes every state left in a method's folder (a tuning's end; a plan that skipped trial 1's first rung). */
  void dropStates(TrialStore store) {
    try {
      FileStatus[] left = fs.globStatus(new Path(store.folder(), "t*.state"));
      if (left == null) return;
      for (FileStatus st : left) {
        if (!fs.delete(st.getPath(), true)) throw new IOException("cannot remove " + st.getPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + store.folder() + ": " + e.getMessage(), e);
    }
  }

  static Path state(TrialStore store, int trial, int budget) {
    return new Path(store.folder(), String.format("t%03d-%d.state", trial, budget));
  }

  private boolean exists(Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
