package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.folders.OutputFolder;
import dev.directspec.folders.TextFiles;
import dev.directspec.store.FactorTables;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Resumable checkpoints inside the in-progress run folder: {@code checkpoints/epoch-NNNNN/} holds the
 * user and item factor tables, with Adam their optimiser moments, and the metrics log so far; its {@code _SUCCESS} marker, written last,
 * makes it count. Because every random draw is keyed by (seed, epoch, stratum, block), a run resumed
 * after epoch N continues exactly as the uninterrupted run would have.
 */
public final class Checkpoints {
  /** The run folder's checkpoints/, which {@link RunFolder#finish} removes. */
  static final String FOLDER = "checkpoints";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path root;

  public Checkpoints(SparkSession spark, OutputFolder out) {
    this(spark, out.fs(), new Path(out.path(FOLDER)));
  }

  /**
   * Checkpoints kept outside a run folder, in the same layout: the state a run leaves for another run to
   * continue exactly ({@code tune}'s rungs).
   */
  public Checkpoints(SparkSession spark, FileSystem fs, Path root) {
    this.spark = spark;
    this.fs = fs;
    this.root = root;
  }

  private Path dir(int epoch) {
    return new Path(root, String.format("epoch-%05d", epoch));
  }

  /**
   * @param adamUsers blocks that carry the Adam moments (train.optimizer = adam; the trained rows: the
   *                  base table for MF, the propagated one for LightGCN), or null
   */
  public void write(int epoch, JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      JavaRDD<EmbeddingBlock> adamUsers, JavaRDD<EmbeddingBlock> adamItems, MetricsLog log) {
    Path dir = dir(epoch);
    spark.sparkContext().setJobDescription("checkpoint after epoch " + epoch);
    FactorTables.toTable(spark, users, "user").write().mode("overwrite").parquet(new Path(dir, "users").toString());
    FactorTables.toTable(spark, items, "item").write().mode("overwrite").parquet(new Path(dir, "items").toString());
    TextFiles.write(fs, new Path(dir, "metrics.json"), log.toJson(java.util.Map.of()));
    if (adamUsers != null) {
      AdamCheckpoint.toTable(spark, adamUsers).write().mode("overwrite").parquet(new Path(dir, "users_adam").toString());
      AdamCheckpoint.toTable(spark, adamItems).write().mode("overwrite").parquet(new Path(dir, "items_adam").toString());
    }
    TextFiles.write(fs, new Path(dir, "_SUCCESS"), "");
    System.out.println("checkpoint written after epoch " + epoch + ": " + dir);
  }

  /** The last epoch with a complete checkpoint, or 0. */
  public int latest() {
    return latest(fs, root);
  }

  /** The last epoch with a complete checkpoint under {@code root} (a run's checkpoints/ folder), or 0. */
  static int latest(FileSystem fs, Path root) {
    try {
      if (!fs.exists(root)) return 0;
      int best = 0;
      for (FileStatus st : fs.listStatus(root)) {
        String name = st.getPath().getName();
        if (name.startsWith("epoch-") && fs.exists(new Path(st.getPath(), "_SUCCESS"))) {
          best = Math.max(best, Integer.parseInt(name.substring(6)));
        }
      }
      return best;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + root, e);
    }
  }

  public Dataset<Row> users(int epoch) {
    return spark.read().parquet(new Path(dir(epoch), "users").toString());
  }

  public Dataset<Row> items(int epoch) {
    return spark.read().parquet(new Path(dir(epoch), "items").toString());
  }

  /** The blocks with the Adam moments saved after {@code epoch}. */
  public JavaRDD<EmbeddingBlock> withAdam(int epoch, JavaRDD<EmbeddingBlock> blocks, String table) {
    return AdamCheckpoint.overlay(blocks, spark.read().parquet(new Path(dir(epoch), table + "_adam").toString()));
  }

  public MetricsLog metrics(int epoch) {
    return MetricsLog.fromJson(TextFiles.read(fs, new Path(dir(epoch), "metrics.json")));
  }
}
