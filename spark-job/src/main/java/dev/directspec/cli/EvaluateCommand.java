package dev.directspec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.eval.ScoringJob;
import dev.directspec.train.TrainSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code directspec evaluate}: full-ranking metrics of a saved model on a dataset's test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Full-ranking metrics (recall, recall_capped, ndcg, precision, hit_rate @ eval.ks) of a model.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder written by prep.")
  String data;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model folder (RUN_DIR/model, or a run folder).")
  String model;

  @Option(names = "--allow-other-dataset", description = "Score a model trained on another dataset (matched by "
      + "original id); users and items the model lacks are left out.")
  boolean allowOtherDataset;

  @Override
  public Integer call() throws Exception {
    Settings settings = common.resolve("evaluate");
    TrainSettings train = TrainSettings.from(settings);
    Preflight preflight = new Preflight(SparkSessions.hadoopConfiguration(settings));
    preflight.model(ModelPaths.modelDir(model), preflight.dataset(data), data, allowOtherDataset);
    try (SparkSession spark = SparkSessions.open(settings, "evaluate")) {
      Map<String, Double> metrics = new ScoringJob(spark, data, ModelPaths.modelDir(model), train.blocks(),
          allowOtherDataset)
          .evaluate(train.ks());
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics));
    }
    return 0;
  }
}
