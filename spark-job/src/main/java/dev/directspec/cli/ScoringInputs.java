package dev.directspec.cli;

import dev.directspec.eval.ScoringJob;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;

/**
 * The inputs of the commands that score a saved model on a dataset (evaluate, recommend): --data, --model
 * and --allow-other-dataset, with the check and the job both make of them.
 */
final class ScoringInputs {
  @Mixin
  DatasetOption data;

  @Mixin
  ModelOption model;

  @Mixin
  OtherDatasetOption otherDataset;

  /** Before Spark starts: the dataset and the model exist and belong together (or --allow-other-dataset). */
  void check(Preflight preflight) {
    preflight.model(model.dir(), preflight.dataset(data.dir), data.dir, otherDataset.allowed);
  }

  ScoringJob job(SparkSession spark, TrainSettings train) {
    return new ScoringJob(spark, data.dir, model.dir(), train.schedule().blocks(), otherDataset.allowed);
  }
}
