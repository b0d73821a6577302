package dev.directspec.cli;

import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.folders.OutputFolder;
import dev.directspec.prep.SyntheticData;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code directspec generate}: synthetic implicit feedback with planted structure (communities with
 * preferred item groups, power-law popularity), written by the executors from (seed, partition) so the
 * driver never holds it; the output is prep-ready ("user,item" lines).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write synthetic interactions (prep-ready user,item text) of any size, generated on the executors.")
final class GenerateCommand implements Callable<Integer> {
  /** Rows per generating task: keeps a task's buffer small at any size. */
  private static final long ROWS_PER_PARTITION = 250_000;

  @Mixin
  CommonOptions common;

  @Option(names = "--interactions", required = true, paramLabel = "N", description = "Target number of interactions.")
  long interactions;

  @Option(names = "--users", paramLabel = "U", description = "Users (default: interactions / 25).")
  Integer users;

  @Option(names = "--items", paramLabel = "I", description = "Items (default: interactions / 50, at least 1,000).")
  Integer items;

  @Option(names = "--dims", defaultValue = "8", paramLabel = "D", description = "Planted latent dimensions (default 8).")
  int dims;

  @Option(names = "--test-ratio", defaultValue = "0", paramLabel = "R",
      description = "Also write a given split: this share of rows goes to test/ (train/ holds the rest).")
  double testRatio;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write.")
  String output;

  @Mixin
  OverwriteOption replace;

  @Override
  public Integer call() throws Exception {
    Check.range("--test-ratio", testRatio, 0, true, 1, false);
    Settings settings = common.resolve("generate", null);
    int u = users != null ? users : (int) Math.max(100, interactions / 25);
    int i = items != null ? items : (int) Math.max(1_000, interactions / 50);
    int partitions = (int) Math.max(2, (interactions + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    SyntheticData.Spec spec = new SyntheticData.Spec(u, i, interactions, dims, 0.8, 0.8,
        settings.config().getLong("seed"), partitions);
    OutputFolder.checkCreatable(SparkSessions.hadoopConfiguration(settings), output, replace.overwrite);
    try (SparkSession spark = SparkSessions.open(settings, "generate", false)) {
      OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, replace.overwrite);
      String summary;
      if (testRatio > 0) {
        long[] rows = SyntheticData.writeSplit(spark, spec, out.path("train"), out.path("test"), testRatio);
        summary = String.format("%,d train + %,d test interactions of %,d users x %,d items written to %s/{train,test}",
            rows[0], rows[1], u, i, output);
      } else {
        long rows = SyntheticData.write(spark, spec, out.path("interactions"));
        summary = String.format("%,d interactions of %,d users x %,d items written to %s/interactions", rows, u, i,
            output);
      }
      out.writeText("spec.txt", spec + System.lineSeparator() + summary + System.lineSeparator());
      out.commit();
      System.out.println(summary);
    }
    return 0;
  }
}
