package dev.directspec.cli;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.config.SparkSessions;
import dev.directspec.prep.PrepJob;
import dev.directspec.prep.PrepPaths;
import dev.directspec.prep.PrepSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code directspec prep}: raw interaction files to a dataset folder (data-prep module). */
@Command(name = "prep", mixinStandardHelpOptions = true,
    description = "Validate, index and split raw interaction files into a dataset folder (Parquet + manifest.json).")
final class PrepCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--input", paramLabel = "PATH",
      description = "Interaction file or folder (repeatable); local path or any Hadoop URI. Or --input-table.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--input-table", paramLabel = "TABLE",
      description = "A catalog table (db.table) with the interactions, read through the session's catalog "
          + "(a Hive metastore when Spark has Hive support); the column settings apply as to files.")
  String inputTable;

  @Option(names = "--test", paramLabel = "PATH", description = "A given test split (implies prep.split=given).")
  String test;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Dataset folder to write.")
  String output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Shortcut for --set directspec.prep.format=FORMAT: csv, tsv, delimited, movielens, lightgcn, "
          + "parquet, orc, json (JSON lines), auto.")
  String format;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The dataset's name, recorded in manifest.json: compare finds its presets by it "
          + "(NAME-METHOD.conf), wherever the folder lives. Letters, digits, '.', '_' and '-'.")
  String name;

  @Mixin
  OverwriteOption replace;

  @Override
  public Integer call() throws Exception {
    if (format != null) common.overrides.add(Settings.qualified("prep.format") + "=" + format);
    if (name != null && !name.matches("[A-Za-z0-9._-]+")) {
      throw new SettingsException("--name " + name + " may hold only letters, digits, '.', '_' and '-' "
          + "(it becomes part of preset file names)");
    }
    Settings settings = common.resolve("prep", output + "/manifest.json");
    PrepSettings prep = PrepSettings.from(settings);
    PrepPaths paths = new PrepPaths(inputs, inputTable, test, output, replace.overwrite);
    PrepJob.preflight(SparkSessions.hadoopConfiguration(settings), prep, paths);
    try (SparkSession spark = SparkSessions.open(settings, "prep", inputTable != null)) {
      var result = PrepJob.run(spark, prep, paths, name);
      Map<String, Long> c = result.counts();
      // One line a person reads; every count and setting is in the folder's manifest.json.
      System.out.println("dataset written to " + output + ": " + c.get("users") + " users, " + c.get("items")
          + " items, train " + c.get("train") + ", test " + c.get("test") + ", rejected " + c.get("rejected")
          + " (manifest.json has every count)");
    }
    return 0;
  }
}
