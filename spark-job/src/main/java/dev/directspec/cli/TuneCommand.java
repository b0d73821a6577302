package dev.directspec.cli;

import dev.directspec.baseline.AlsSettings;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.config.SparkSessions;
import dev.directspec.settings.TrainSettings;
import dev.directspec.tune.TuneBudget;
import dev.directspec.tune.TuneJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code directspec tune}: presets chosen on a validation split carved from the train table. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Search each method's settings on a validation split carved from the dataset's train table "
        + "(the test table is never read) with successive halving, and write <method>.conf presets that "
        + "train --config and compare --presets take, plus tune.md and report.html. Rerunning the same "
        + "command continues a tuning that was stopped.")
final class TuneCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  DatasetMethods target;

  @Option(names = "--model", defaultValue = "mf", paramLabel = "mf|lightgcn",
      description = "Encoder to tune (default mf); lightgcn also searches its propagation schedule.")
  String model;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Tuning folder: presets, tune.md, report.html, and the state a rerun continues from.")
  String output;

  @Option(names = "--budget", defaultValue = "3", paramLabel = "N|TIME",
      description = "Full trainings per method (one training = train.epochs, or als.max_iter for als; default "
          + "3: successive halving starts about 3.7 N points at a ninth of the epochs), or wall time for the "
          + "whole tuning (30m, 1.5h, 900s), shared among the methods.")
  String budget;

  @Override
  public Integer call() throws Exception {
    Settings shown = common.resolve("tune", output + "/<method>.conf");
    List<Settings> runs = settings(common, target.methods, model);
    TuneBudget allowed = TuneBudget.parse(budget);
    new Preflight(SparkSessions.hadoopConfiguration(shown)).dataset(target.data.dir);
    try (SparkSession spark = SparkSessions.open(shown, "tune", false)) {
      new TuneJob(spark, String.join(" ", common.commandLine("tune"))).run(target.data.dir, output, runs, allowed);
    }
    return 0;
  }

  /** One validated settings object per method: reference + --config + --set, then the model and the method. */
  static List<Settings> settings(CommonOptions common, List<String> methods, String model) {
    List<Settings> runs = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String m : methods) {
      String method = m.trim();
      if (method.isEmpty() || seen.contains(method)) {
        throw new SettingsException("--methods names an empty or repeated method: " + String.join(",", methods));
      }
      seen.add(method);
      List<String> sets = new ArrayList<>(common.overrides);
      sets.add(Settings.qualified("train.model") + "=" + model);
      sets.add(Settings.qualified("train.method") + "=\"" + method + "\"");
      Settings s = Settings.load(common.configFiles, sets);
      TrainSettings.from(s);
      AlsSettings.from(s);
      runs.add(s);
    }
    return runs;
  }
}
