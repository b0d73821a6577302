package dev.directspec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.compare.ComparePlan;
import dev.directspec.compare.CompareJob;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.config.SparkSessions;
import dev.directspec.folders.ManifestFile;
import dev.directspec.tune.TuneBudget;
import dev.directspec.tune.TuneJob;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code directspec compare}: several methods on one split, one table and one report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Train several methods on the same dataset split, each with its tuned preset, and write a "
        + "comparison table (CSV, Markdown) and an HTML report.")
final class CompareCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  DatasetMethods target;

  @Option(names = "--model", defaultValue = "mf", split = ",", paramLabel = "mf,lightgcn",
      description = "Encoders to train every method with (default mf).")
  List<String> models;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Folder for runs/, comparison.csv, comparison.md and report.html.")
  String output;

  @Option(names = "--presets", paramLabel = "DIR",
      description = "Folder of tuned presets NAME-METHOD.conf (NAME-MODEL-METHOD.conf for non-MF models); "
          + "default conf/compare. A method without one runs with the reference defaults.")
  File presets;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Preset name of the dataset (default: the name prep --name recorded in its manifest; for a "
          + "dataset prepared without one, the last segment of --data).")
  String name;

  @Option(names = "--tune", description = "Run tune first (same --data, --methods, --model, --config, --set) and "
      + "compare with the presets it chose.")
  boolean tune;

  @Option(names = "--budget", defaultValue = "3", paramLabel = "N|TIME",
      description = "With --tune: tune's budget, full trainings per method (default 3) or wall time for the "
          + "tuning (30m, 1.5h).")
  String budget;

  @Option(names = "--tune-output", paramLabel = "DIR",
      description = "With --tune: the tuning folder (default: the --output path with -tune appended); a "
          + "rerun continues a stopped tuning there.")
  String tuneOutput;

  @Mixin
  OverwriteOption replace;

  /** --name, else the manifest's name (prep --name), else the folder's last segment (said, for old datasets). */
  private String presetName(JsonNode manifest) {
    if (name != null) return name;
    String recorded = manifest.path(ManifestFile.NAME).asText("");
    if (!recorded.isEmpty()) return recorded;
    String folder = new Path(target.data.dir).getName();
    System.out.println("compare: " + target.data.dir + " was prepared without prep --name: presets are looked up by its "
        + "folder name, " + folder);
    return folder;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = common.resolve("compare", output + "/runs/<model>-<method>/settings.conf");
    Preflight preflight = new Preflight(SparkSessions.hadoopConfiguration(settings));
    String presetName = presetName(preflight.dataset(target.data.dir));
    preflight.output(output, replace.overwrite); // before a tuning, so that a taken --output fails in seconds
    if (tune) {
      if (presets != null) throw new SettingsException("pass --tune or --presets, not both");
      if (models.size() != 1) throw new SettingsException("--tune tunes one --model at a time, got " + models);
      String folder = tuneOutput != null ? tuneOutput : output + "-tune";
      List<Settings> runs = TuneCommand.settings(common, target.methods, models.get(0));
      try (SparkSession spark = SparkSessions.open(settings, "tune", false)) {
        new TuneJob(spark, String.join(" ", common.commandLine("compare"))).run(target.data.dir, folder, runs, TuneBudget.parse(budget));
      }
      presets = new File(folder);
    }
    if (presets != null && !presets.isDirectory()) {
      throw new SettingsException("--presets " + presets + " is not a folder");
    }
    if (presets == null) {
      presets = new File("conf/compare");
      if (!presets.isDirectory()) {
        System.out.println("compare: no folder conf/compare here (run from the project folder or pass --presets): "
            + "every method runs with the reference defaults and your --config/--set");
      }
    }
    ComparePlan plan = ComparePlan.of(models, target.methods, presets, presetName, common.configFiles, common.overrides,
        tune);
    for (ComparePlan.Run run : plan.runs()) {
      System.out.println("compare: " + run.model() + " " + run.method() + " with preset "
          + (run.preset() == null ? "(none: no " + presets + "/" + presetName + "-" + run.method()
              + ".conf; reference defaults)" : run.preset().getPath()));
    }
    try (SparkSession spark = SparkSessions.open(settings, "compare", false)) {
      new CompareJob(spark, plan).run(target.data.dir, output, replace.overwrite);
    }
    return 0;
  }
}
