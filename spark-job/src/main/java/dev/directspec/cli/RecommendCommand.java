package dev.directspec.cli;

import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.TrainSettings;
import dev.directspec.export.PartitionSpec;
import dev.directspec.export.RecommendationTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code directspec recommend}: top-K items per user, training items excluded, as Parquet. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Top-K recommendations for every user (training items excluded), keyed by original ids.")
final class RecommendCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  ScoringInputs inputs;

  @Mixin
  OverwriteOption replace;

  @Option(names = "--k", defaultValue = "100", paramLabel = "K", description = "Items per user (default 100).")
  int k;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Folder to write (Parquet under recommendations/: user_id, item_id, rank, score).")
  String output;

  @Option(names = "--output-table", paramLabel = "TABLE",
      description = "Instead of --output: a catalog table (db.recs) to write user_id, item_id, rank, score into; "
          + "created (Parquet) if absent. See docs/tables.md.")
  String outputTable;

  @Option(names = "--partition-by", paramLabel = "KEY=VALUE", split = ",",
      description = "With --output-table: static partition value(s) written with every row (dt=2026-12-02); "
          + "an existing partition is refused unless --overwrite.")
  List<String> partitionBy = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Check.positive("--k", k);
    PartitionSpec partition = PartitionSpec.parse(partitionBy);
    if ((output == null) == (outputTable == null)) {
      throw new SettingsException("recommend writes to either --output DIR or --output-table TABLE, "
          + (output == null ? "neither was given" : "not both"));
    }
    if (output != null && !partition.isEmpty()) {
      throw new SettingsException("--partition-by applies to --output-table only");
    }
    Settings settings = common.resolve("recommend", output == null ? null : output + "/settings.conf");
    TrainSettings train = TrainSettings.from(settings);
    Preflight preflight = new Preflight(SparkSessions.hadoopConfiguration(settings));
    inputs.check(preflight);
    if (output != null) preflight.output(output, replace.overwrite);
    try (SparkSession spark = SparkSessions.open(settings, "recommend", outputTable != null)) {
      if (output != null) {
        long rows = inputs.job(spark, train).recommend(k, output, replace.overwrite, settings.render());
        System.out.println(rows + " recommendations written to " + output);
      } else {
        // The catalog is asked before anything is scored, so a refused partition costs seconds.
        RecommendationTable table = RecommendationTable.check(spark, outputTable, partition, replace.overwrite);
        long[] rows = new long[1];
        inputs.job(spark, train).recommend(k, "written to " + table.describe(), recs -> rows[0] = table.write(recs));
        System.out.println(rows[0] + " recommendations written to " + table.describe());
      }
    }
    return 0;
  }
}
