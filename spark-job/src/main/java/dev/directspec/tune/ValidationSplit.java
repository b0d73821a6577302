package dev.directspec.tune;

import dev.directspec.config.Settings;
import dev.directspec.folders.OutputFolder;
import dev.directspec.prep.PrepJob;
import dev.directspec.prep.PrepPaths;
import dev.directspec.prep.PrepSettings;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The validation dataset of a tuning, carved from the dataset's train table alone: prep reads
 * {@code DATASET/train} (Parquet of dense ids) as its only input and splits it per user at random with the
 * seed, so the validation folder's "test" is a holdout of train. The dataset's test table is never an
 * input, so tuning cannot see it. Held-out rows whose item has no other training row go to the folder's
 * rejected/ (prep's rule), up to 10% of rows.
 */
public final class ValidationSplit {
  /** Share of each user's train rows held out (the share of test rows in the CiteULike and Gowalla splits). */
  public static final double HOLDOUT = 0.2;

  private ValidationSplit() {}

  /** Writes the validation folder unless a complete one is there (a resumed tune), and returns its path. */
  public static String carve(SparkSession spark, String dataset, String folder, long seed) {
    try {
      FileSystem fs = new Path(folder).getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(new Path(folder, OutputFolder.SUCCESS))) {
        System.out.println("tune: validation split " + folder + " kept from an earlier run");
        return folder;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder + ": " + e.getMessage(), e);
    }
    PrepSettings prep = PrepSettings.from(Settings.load(List.of(), List.of(
        Settings.qualified("prep.format") + "=parquet",
        Settings.qualified("prep.split") + "=random",
        Settings.qualified("prep.test_ratio") + "=" + HOLDOUT,
        Settings.qualified("prep.duplicates") + "=keep", // train rows are already the method's training rows
        Settings.qualified("prep.time_col") + "=\"\"",
        Settings.qualified("prep.max_rejected_share") + "=0.1",
        Settings.qualified("seed") + "=" + seed)));
    String train = new Path(dataset, "train").toString();
    System.out.println("tune: carving the validation split from " + train + " (per user, " + HOLDOUT
        + " held out, seed " + seed + ") into " + folder);
    PrepJob.run(spark, prep, new PrepPaths(List.of(train), null, null, folder, true));
    return folder;
  }
}
