package dev.directspec.prep;

import dev.directspec.config.SettingsException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The prep step: raw interaction files -> a dataset folder (train/, test/, users/, items/, rejected/
 * Parquet tables, manifest.json, _SUCCESS). See DESIGN.md "Data flow" and {@link PrepPipeline}.
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
    long start = System.nanoTime();
    String split = resolveSplit(settings, paths);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<FileLayout> layouts = layouts(spark, settings, paths, split);
    // Only once the inputs are known good: an input error leaves no <output>.tmp-* behind.
    OutputFolder out = OutputFolder.prepare(conf, paths.output(), paths.overwrite());
    Map<String, Object> manifest;
    PrepPipeline.Outcome outcome;
    try {
      outcome = new PrepPipeline(spark, settings, split).run(layouts, out.tmp());
      manifest = Manifest.build(settings, split, layouts, outcome);
      Manifest.write(out.fs(), out.tmp(), manifest);
    } catch (RuntimeException e) {
      out.discard();
      throw e;
    }
    checkRejectedShare(outcome.counts(), settings.maxRejectedShare(), out.tmp());
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
    InputFiles.expand(conf, paths.inputs(), "--input");
    if (paths.test() != null) InputFiles.expand(conf, List.of(paths.test()), "--test");
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
      String split) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LayoutGuesser guesser = new LayoutGuesser(spark, settings);
    List<FileLayout> layouts = new ArrayList<>();
    for (String file : InputFiles.expand(conf, paths.inputs(), "--input")) {
      layouts.add(guesser.resolve(file, layouts.size(), FileLayout.TRAIN));
    }
    if (paths.test() != null) {
      for (String file : InputFiles.expand(conf, List.of(paths.test()), "--test")) {
        layouts.add(guesser.resolve(file, layouts.size(), FileLayout.TEST));
      }
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

  /** The ceiling applies to every rejected row (bad input and test rows unknown to training). */
  private static void checkRejectedShare(PrepCounts counts, double max, Path kept) {
    long rejected = counts.get("rejected");
    long read = counts.get("rows_read");
    double share = (double) rejected / read;
    if (share > max) {
      throw new InputDataException(String.format(java.util.Locale.ROOT,
          "%d of %d rows rejected (share %.4f) exceeds prep.max_rejected_share = %s; nothing was published, "
              + "the rejected rows (with reasons) and manifest are kept in %s", rejected, read, share, max,
          new Path(kept, "rejected")));
    }
  }
}
