package dev.directspec.prep;

import dev.directspec.config.SettingsException;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.ManifestFile;
import dev.directspec.folders.OutputFolder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prep step: raw interaction files -> a dataset folder (train/, test/, users/, items/, rejected/
 * Parquet tables, manifest.json, _SUCCESS). See docs/design.md "Data flow" and {@link PrepPipeline}.
 */
public final class PrepJob {
  private static final Logger LOG = LoggerFactory.getLogger(PrepJob.class);

  private PrepJob() {}

  /**
   * @return the manifest as written
   * @throws InputDataException    bad inputs, or more rejected rows than prep.max_rejected_share allows
   * @throws OutputExistsException the output exists and paths.overwrite() is false
   * @throws SettingsException     settings that contradict the paths (e.g. split=given without --test)
   */
  public static PrepResult run(SparkSession spark, PrepSettings settings, PrepPaths paths) {
    return run(spark, settings, paths, null);
  }

  /** As {@link #run(SparkSession, PrepSettings, PrepPaths)}, recording the dataset's name (null: none). */
  public static PrepResult run(SparkSession spark, PrepSettings settings, PrepPaths paths, String name) {
    long start = System.nanoTime();
    String split = resolveSplit(settings, paths);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<InputFiles.Skipped> skipped = new ArrayList<>();
    // Inputs are resolved before the work folder exists, so that bad inputs leave nothing behind.
    List<FileLayout> layouts = layouts(spark, settings, paths, split, skipped);
    OutputFolder out = OutputFolder.prepare(conf, paths.output(), paths.overwrite());
    Map<String, Object> manifest;
    PrepPipeline.Outcome outcome;
    try {
      outcome = new PrepPipeline(spark, settings, split).run(layouts, out.tmp());
      manifest = Manifest.build(settings, split, layouts, skipped, outcome, name);
      ManifestFile.write(out.fs(), out.tmp(), manifest);
    } catch (RuntimeException e) {
      out.discard();
      throw e;
    }
    checkRejectedShare(spark, outcome.counts(), settings.maxRejectedShare(), out.tmp());
    out.commit();
    LOG.info("prep wrote {} in {} s: {}", out.target(), (System.nanoTime() - start) / 1_000_000_000.0,
        outcome.counts().asMap());
    return new PrepResult(out.target(), manifest, outcome.counts().asMap());
  }

  /**
   * The checks that need no Spark, for the CLI to run before its SparkSession starts: the split against
   * the paths, every input present, the output creatable and not already there. Creates nothing.
   */
  public static void preflight(Configuration conf, PrepSettings settings, PrepPaths paths) {
    resolveSplit(settings, paths);
    if (paths.inputTable() == null) InputFiles.expand(conf, paths.inputs(), settings.format(), "--input");
    if (paths.test() != null) InputFiles.expand(conf, List.of(paths.test()), settings.format(), "--test");
    OutputFolder.checkCreatable(conf, paths.output(), paths.overwrite());
  }

  static String resolveSplit(PrepSettings settings, PrepPaths paths) {
    String split = settings.split().equals("auto") ? (paths.test() != null ? "given" : "random") : settings.split();
    if (split.equals("given") && paths.test() == null) {
      throw new SettingsException("prep.split = given needs a --test path");
    }
    if (!split.equals("given") && paths.test() != null) {
      throw new SettingsException("a --test path is only used with prep.split = given or auto, not " + split);
    }
    return split;
  }

  private static List<FileLayout> layouts(SparkSession spark, PrepSettings settings, PrepPaths paths,
      String split, List<InputFiles.Skipped> skipped) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LayoutGuesser guesser = new LayoutGuesser(spark, settings);
    List<FileLayout> layouts = new ArrayList<>();
    if (paths.inputTable() != null) {
      layouts.add(guesser.resolve(InputFiles.InputFile.table(paths.inputTable()), 0, FileLayout.TRAIN));
    } else {
      InputFiles.Listing inputs = InputFiles.expand(conf, paths.inputs(), settings.format(), "--input");
      skipped.addAll(inputs.skipped());
      for (InputFiles.InputFile file : inputs.files()) {
        layouts.add(guesser.resolve(file, layouts.size(), FileLayout.TRAIN));
      }
    }
    if (paths.test() != null) {
      InputFiles.Listing tests = InputFiles.expand(conf, List.of(paths.test()), settings.format(), "--test");
      skipped.addAll(tests.skipped());
      for (InputFiles.InputFile file : tests.files()) {
        layouts.add(guesser.resolve(file, layouts.size(), FileLayout.TEST));
      }
    }
    for (InputFiles.Skipped s : skipped) {
      LOG.info("input: skipped {}: {}", s.path(), s.reason());
    }
    for (FileLayout layout : layouts) {
      if (settings.minWeight() != null && layout.weightIdx() < 0) {
        throw new InputDataException("prep.min_weight is set but " + layout.source()
            + " has no weight column (prep.weight_col)");
      }
      if (split.equals("temporal") && layout.timeIdx() < 0) {
        throw new InputDataException("prep.split = temporal needs timestamps but " + layout.source()
            + " has no time column (prep.time_col)");
      }
    }
    return layouts;
  }

  /**
   * The ceiling applies to malformed rows only: test rows the split sets aside (user or item without
   * training rows) are not bad input and are counted apart as split_rejected.
   */
  private static void checkRejectedShare(SparkSession spark, PrepCounts counts, double max, Path kept) {
    long rejected = counts.get("parse_rejected");
    long read = counts.get("rows_read");
    double share = (double) rejected / read;
    if (share > max) {
      Path table = new Path(kept, "rejected");
      List<String> examples = spark.read().parquet(table.toString()).filter("reason NOT LIKE 'test row:%'")
          .orderBy("source", "line").limit(3).collectAsList().stream()
          .map(r -> r.getString(0) + " line " + r.getLong(1) + ": " + r.getString(3)).toList();
      throw new InputDataException(String.format(Locale.ROOT,
          "%d of %d rows rejected as malformed (share %.4f) exceeds prep.max_rejected_share = %s (first: %s); "
              + "nothing was published, the rejected rows (with reasons) and manifest are kept in %s",
          rejected, read, share, max, String.join("; ", examples), table));
    }
  }
}
