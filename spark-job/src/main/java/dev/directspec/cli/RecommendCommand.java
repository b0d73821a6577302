package dev.directspec.cli;

import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.eval.ScoringJob;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code directspec recommend}: top-K items per user, training items excluded, as Parquet. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Top-K recommendations for every user (training items excluded), keyed by original ids.")
final class RecommendCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  ModelOptions options;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder written by prep.")
  String data;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder or run folder.")
  String model;

  @Option(names = "--k", defaultValue = "100", paramLabel = "K", description = "Items per user (default 100).")
  int k;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Folder to write (Parquet under recommendations/: user_id, item_id, rank, score).")
  String output;

  @Override
  public Integer call() throws Exception {
    Check.positive("--k", k);
    Settings settings = common.resolve("recommend", output + "/settings.conf");
    TrainSettings train = TrainSettings.from(settings);
    Preflight preflight = new Preflight(SparkSessions.hadoopConfiguration(settings));
    preflight.model(ModelPaths.modelDir(model), preflight.dataset(data), data, options.allowOtherDataset);
    preflight.output(output, options.overwrite);
    try (SparkSession spark = SparkSessions.open(settings, "recommend")) {
      long rows = new ScoringJob(spark, data, ModelPaths.modelDir(model), train.schedule().blocks(),
          options.allowOtherDataset).recommend(k, output, options.overwrite, settings.render());
      System.out.println(rows + " recommendations written to " + output);
    }
    return 0;
  }
}
