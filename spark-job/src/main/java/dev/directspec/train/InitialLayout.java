package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.FactorInit;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The steps every entry point that trains shares (the CLI's {@link TrainJob} and the Spark ML
 * estimator): choosing the block count and building the blocked layout with its initial factors.
 */
public final class InitialLayout {
  private InitialLayout() {}

  /** train.blocks, or the default parallelism when it is 0 (one wave of tasks per stratum). */
  public static int blockCount(JavaSparkContext sc, TrainSettings settings) {
    return settings.schedule().blocks() > 0 ? settings.schedule().blocks() : sc.defaultParallelism();
  }

  /**
   * Builds the P x P layout with seeded initial factors and prints its one-line summary.
   *
   * @param train rows with int columns {@code user} and {@code item} (dense ids below numUsers/numItems)
   */
  public static BlockLayout.Tables layout(JavaSparkContext sc, TrainSettings settings, Dataset<Row> train,
      long numUsers, long numItems) {
    return layout(sc, settings, train, numUsers, numItems, System.out::println);
  }

  /** As {@link #layout(JavaSparkContext, TrainSettings, Dataset, long, long)}, the summary given to {@code report}. */
  public static BlockLayout.Tables layout(JavaSparkContext sc, TrainSettings settings, Dataset<Row> train,
      long numUsers, long numItems, java.util.function.Consumer<String> report) {
    int blocks = blockCount(sc, settings);
    sc.setJobDescription("build the blocked layout (" + blocks + " x " + blocks + " cells)");
    BlockLayout.Tables tables = BlockLayout.build(train, numUsers, numItems, blocks, settings.model().dim(),
        settings.schedule().batchSize(), new FactorInit(settings.seed(), settings.model().initStd()));
    report.accept(String.format("layout: %d users, %d items, %d interactions, %d x %d cells, %d steps of %d per epoch",
        numUsers, numItems, tables.layout().numInteractions, blocks, blocks, tables.layout().totalSteps(),
        settings.schedule().batchSize()));
    return tables;
  }
}
