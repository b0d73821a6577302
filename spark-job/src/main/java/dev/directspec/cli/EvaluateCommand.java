package dev.directspec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.folders.OutputFolder;
import dev.directspec.settings.TrainSettings;
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
  static final String METRICS_FILE = "metrics.json";

  @Mixin
  CommonOptions common;

  @Mixin
  ScoringInputs inputs;

  @Mixin
  OverwriteOption replace;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Also write the metrics to DIR/metrics.json (the folder appears whole or not at all).")
  String output;

  @Override
  public Integer call() throws Exception {
    Settings settings = common.resolve("evaluate", output == null ? null : output + "/settings.conf");
    TrainSettings train = TrainSettings.from(settings);
    Preflight preflight = new Preflight(SparkSessions.hadoopConfiguration(settings));
    inputs.check(preflight);
    if (output != null) preflight.output(output, replace.overwrite);
    try (SparkSession spark = SparkSessions.open(settings, "evaluate", false)) {
      // Prepared first: an existing output is refused before any work, as with the other commands.
      OutputFolder out = output == null ? null
          : OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, replace.overwrite);
      try {
        Map<String, Double> metrics = inputs.job(spark, train).evaluate(train.eval().ks());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics);
        System.out.println(json);
        if (out != null) {
          out.writeText(METRICS_FILE, json + "\n");
          out.writeText("settings.conf", settings.render());
          out.commit();
          System.out.println("metrics written to " + out.target() + "/" + METRICS_FILE);
        }
      } catch (RuntimeException e) {
        if (out != null) out.discard();
        throw e;
      }
    }
    return 0;
  }
}
