package dev.directspec.tune;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.TextFiles;
import dev.directspec.report.TuneReport;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tune}: carves a validation split from the dataset's train table, tunes every method on it with
 * successive halving ({@link MethodTuner}), and writes {@code <method>.conf} presets, tune.md and
 * report.html into the output folder. The folder is the tuning's state: a rerun of the same command
 * continues where it stopped; another command is refused (tune.json records what it was started with).
 */
public final class TuneJob {
  public static final String STATE = "tune.json";
  public static final String SUMMARY = "tune.md";

  private final SparkSession spark;
  private final String command;

  /** @param command the command line (for the presets' headers) */
  public TuneJob(SparkSession spark, String command) {
    this.spark = spark;
    this.command = command;
  }

  /**
   * @param runs   one settings object per method to tune (reference + --config + --set + method + model),
   *               their budget axis at the full budget
   * @param budget full trainings per method, or wall time for all of them
   * @return the outcome of every method, in the order given
   */
  public List<MethodTuner.Outcome> run(String data, String output, List<Settings> runs, TuneBudget budget) {
    DatasetFolder dataset = DatasetFolder.open(spark, data); // fails early on a bad dataset folder
    FileSystem fs = fileSystem(output);
    String signature = signature(dataset.fingerprint(), runs, budget);
    checkState(fs, output, signature);
    long seed = runs.get(0).config().getLong("seed");
    String validation = ValidationSplit.carve(spark, data, output + "/validation", seed);
    MethodTuner tuner = new MethodTuner(spark, fs, validation, output + "/trials");
    List<MethodTuner.Outcome> outcomes = new ArrayList<>();
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (Settings settings : runs) {
      MethodTuner.Outcome o = budget.isTime()
          ? tuner.tuneWithin(forTrials(settings), timeShare(budget.seconds(), outcomes, runs.size()))
          : tuner.tune(forTrials(settings), budget.trainings());
      outcomes.add(o);
      String file = Presets.fileName(o.model(), o.method());
      TextFiles.replace(fs, new Path(output, file), Presets.text(o, command, date, validation));
      TrialStore.Result best = o.chosen();
      System.out.printf("tune %s %s: best trial %d %s at %d: validation recall@20 %.4f ndcg@20 %.4f -> %s/%s%n",
          o.model(), o.method(), o.best().id(), o.best().point(), best.budget(), best.recall(), best.ndcg(), output,
          file);
    }
    TextFiles.replace(fs, new Path(output, SUMMARY), TuneSummary.markdown(outcomes, command));
    TextFiles.replace(fs, new Path(output, TuneReport.FILE), TuneSummary.html(outcomes, command, date, data,
        validation, budget));
    System.out.println("tune written to " + output + " (presets " + String.join(", ",
        outcomes.stream().map(o -> Presets.fileName(o.model(), o.method())).toList()) + ", " + SUMMARY
        + ", report " + output + "/" + TuneReport.FILE + ")");
    return outcomes;
  }

  /**
   * A method's share of a time budget: what the methods tuned before it left (their trials' recorded
   * seconds, so a rerun computes the same share), divided by the methods still to tune.
   */
  static double timeShare(double total, List<MethodTuner.Outcome> done, int methods) {
    double spent = 0;
    for (MethodTuner.Outcome o : done) {
      for (TrialStore.Trial t : o.trials()) for (TrialStore.Result r : t.results()) spent += r.seconds();
    }
    return Math.max(0, total - spent) / (methods - done.size());
  }

  /** Trials evaluate once, after their last epoch, on the validation split, and keep no checkpoints. */
  static Settings forTrials(Settings settings) {
    return settings.with("train.eval_every", 0).with("train.eval_at_end", true).with("train.checkpoint_every", 0);
  }

  /** What must not change between a tuning and its continuation: dataset, budget, and every run's settings. */
  static String signature(String fingerprint, List<Settings> runs, TuneBudget budget) {
    StringBuilder b = new StringBuilder("dataset ").append(fingerprint).append("\nbudget ").append(budget.text());
    for (Settings s : runs) b.append("\n--\n").append(String.join("\n", s.differencesFromReference()));
    return b.append('\n').toString();
  }

  private void checkState(FileSystem fs, String output, String signature) {
    Path state = new Path(output, STATE);
    try {
      if (fs.exists(state)) {
        if (!TextFiles.read(fs, state).equals(signature)) {
          throw new SettingsException(output + " holds a tuning started with other data, budget or settings ("
              + state + "); rerun that command to continue it, or choose another --output");
        }
        System.out.println("tune: continuing the tuning in " + output);
      } else if (fs.exists(new Path(output)) && fs.listStatus(new Path(output)).length > 0) {
        throw new SettingsException("--output " + output + " exists and is not a tuning folder (no " + STATE
            + "); choose another folder");
      } else {
        fs.mkdirs(new Path(output));
        TextFiles.replace(fs, state, signature);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + state + ": " + e.getMessage(), e);
    }
  }

  private FileSystem fileSystem(String output) {
    try {
      return new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + output + ": " + e.getMessage(), e);
    }
  }
}
