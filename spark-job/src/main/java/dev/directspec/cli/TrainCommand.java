package dev.directspec.cli;

import dev.directspec.baseline.AlsSettings;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.train.TrainJob;
import dev.directspec.train.TrainSettings;
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

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder written by prep.")
  String data;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Run folder to write.")
  String output;

  @Option(names = "--resume", description = "Continue from the last complete checkpoint of an interrupted run.")
  boolean resume;

  @Option(names = "--overwrite", description = "Replace an existing run folder (only once the new one is complete).")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    Settings settings = common.resolve("train", output + "/settings.conf");
    TrainSettings.from(settings); // validate every training setting before Spark starts
    AlsSettings.from(settings);
    try (SparkSession spark = SparkSessions.open(settings, "train")) {
      Map<String, Object> fin = new TrainJob(spark, settings).run(data, output, overwrite, resume);
      System.out.println("final: " + fin);
    }
    return 0;
  }
}
