package dev.directspec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.eval.BlockEvaluator;
import dev.directspec.eval.ScoringJob;
import dev.directspec.folders.OutputFolder;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code directspec evaluate}: full-ranking metrics of a saved model on a dataset's test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Full-ranking metrics (recall, recall_capped, ndcg, precision, hit_rate @ eval.ks) of a model.")
final class EvaluateCommand implements Callable<Integer> {
  static final String METRICS_FILE = "metrics.json";
  static final String BREAKDOWN_FILE = "breakdown.json";

  @Mixin
  CommonOptions common;

  @Mixin
  ScoringInputs inputs;

  @Mixin
  OverwriteOption replace;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Also write the metrics to DIR/metrics.json (and DIR/breakdown.json with --breakdown; the "
          + "folder appears whole or not at all).")
  String output;

  @Option(names = "--breakdown",
      description = "Also break recall and ndcg at the largest eval.ks down by users' training interactions, and "
          + "compare the popularity of the recommended items with the test items' (with --output: breakdown.json).")
  boolean breakdown;

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
        ScoringJob job = inputs.job(spark, train);
        List<Integer> ks = train.eval().ks();
        // Without --breakdown the plain evaluation runs: the same Spark jobs and numbers as before the option.
        BlockEvaluator.Evaluation evaluation = breakdown ? job.evaluateWithBreakdown(ks) : null;
        Map<String, Double> metrics = evaluation != null ? evaluation.metrics() : job.evaluate(ks);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String json = mapper.writeValueAsString(metrics);
        System.out.println(json);
        if (evaluation != null) System.out.print(evaluation.breakdown().table());
        if (out != null) {
          out.writeText(METRICS_FILE, json + "\n");
          if (evaluation != null) {
            out.writeText(BREAKDOWN_FILE, mapper.writeValueAsString(evaluation.breakdown().toMap()) + "\n");
          }
          out.writeText("settings.conf", settings.render());
          out.commit();
          System.out.println("metrics written to " + out.target() + "/" + METRICS_FILE);
          if (evaluation != null) System.out.println("breakdown written to " + out.target() + "/" + BREAKDOWN_FILE);
        }
      } catch (RuntimeException e) {
        if (out != null) out.discard();
        throw e;
      }
    }
    return 0;
  }
}
