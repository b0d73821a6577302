package dev.directspec.cli;

import dev.directspec.baseline.AlsSettings;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.config.SparkSessions;
import dev.directspec.job.TrainJob;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code directspec train}: dataset folder to run folder (model, metrics.json, settings.conf). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train MF with DirectSpec / DirectSpec+ or a baseline on a dataset folder written by prep.")
final class TrainCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  DatasetOption data;

  @Mixin
  OverwriteOption replace;

  @Mixin
  OtherDatasetOption otherDataset;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Run folder to write.")
  String output;

  @Option(names = "--resume", description = "Continue from the last complete checkpoint of an interrupted run "
      + "(same settings and dataset, checked); fails with exit 3 when there is no checkpoint.")
  boolean resume;

  @Option(names = "--resume-if-present", description = "As --resume when a checkpoint exists, otherwise start at "
      + "epoch 0 and say so: for schedulers that retry one command line.")
  boolean resumeIfPresent;

  @Override
  public Integer call() throws Exception {
    Settings settings = common.resolve("train", output + "/settings.conf");
    TrainSettings train = TrainSettings.from(settings); // validate every training setting before Spark starts
    AlsSettings.from(settings);
    if (resume && resumeIfPresent) {
      throw new SettingsException("pass --resume or --resume-if-present, not both");
    }
    Preflight.ResumeMode mode = resume ? Preflight.ResumeMode.REQUIRED
        : resumeIfPresent ? Preflight.ResumeMode.IF_PRESENT : Preflight.ResumeMode.NONE;
    new Preflight(SparkSessions.hadoopConfiguration(settings))
        .train(settings, train, data.dir, output, replace.overwrite, mode, otherDataset.allowed);
    try (SparkSession spark = SparkSessions.open(settings, "train", false)) {
      Map<String, Object> fin = new TrainJob(spark, settings)
          .run(data.dir, output, replace.overwrite, resume || resumeIfPresent, otherDataset.allowed);
      System.out.println("final: " + fin);
    }
    return 0;
  }
}
