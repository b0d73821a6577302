package dev.directspec.cli;

import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.export.ServingExport;
import dev.directspec.store.ModelStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code directspec export}: user and item vectors, with their original ids, for a nearest-neighbour index. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a model's user and item vectors as scored (user . item = the model's score) with their "
        + "original ids and a schema.json, for FAISS, hnswlib or ScaNN (docs/serving.md).")
final class ExportCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  ModelOption model;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write.")
  String output;

  @Option(names = "--format", defaultValue = "npy", paramLabel = "FORMAT",
      description = "npy (NumPy arrays, float32, ids in their own file; default) or parquet (id, vector).")
  String format;

  @Mixin
  OverwriteOption replace;

  @Override
  public Integer call() throws Exception {
    Check.oneOf("--format", format, ServingExport.FORMATS);
    Settings settings = common.resolve("export", null);
    Configuration conf = SparkSessions.hadoopConfiguration(settings);
    String modelDir = model.dir();
    ModelStore.inspect(conf, modelDir);
    new Preflight(conf).output(output, replace.overwrite);
    try (SparkSession spark = SparkSessions.open(settings, "export", false)) {
      var schema = new ServingExport(spark, modelDir).write(output, format, replace.overwrite);
      System.out.println("exported " + schema.path("counts").path("users").asLong() + " user and "
          + schema.path("counts").path("items").asLong() + " item vectors (dimension " + schema.path("dimension")
          + ", metric dot) to " + output);
    }
    return 0;
  }
}
