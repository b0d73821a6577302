package dev.directspec.eval;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.FactorInit;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputFolder;
import dev.directspec.progress.ConsoleProgress;
import dev.directspec.store.FactorTables;
import dev.directspec.store.ModelStore;
import dev.directspec.ranking.TopKLists;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code evaluate} and {@code recommend}: a saved model scored against a dataset folder. The model's
 * factors are matched to the dataset's users and items by original id and laid out in blocks, so
 * scoring runs blockwise exactly as during training.
 */
public final class ScoringJob {
  private final SparkSession spark;
  private final DatasetFolder data;
  private final JavaRDD<EmbeddingBlock> users;
  private final JavaRDD<EmbeddingBlock> items;
  private final int blocks;
  /** Dense ids of the users / items the model has factors for, or null when it has them all. */
  private final Dataset<Row> knownUsers;
  private final Dataset<Row> knownItems;

  /** A model trained on this very dataset (the check of {@link ModelStore#checkDataset} applies). */
  public ScoringJob(SparkSession spark, String dataDir, String modelDir, int blocksSetting) {
    this(spark, dataDir, modelDir, blocksSetting, false);
  }

  /**
   * @param allowOtherDataset score a model trained on other data (matched by original id); without it a
   *                          model whose dataset fingerprint differs is refused ({@link ModelStore#checkDataset})
   */
  public ScoringJob(SparkSession spark, String dataDir, String modelDir, int blocksSetting,
      boolean allowOtherDataset) {
    this.spark = spark;
    this.data = DatasetFolder.open(spark, dataDir);
    ModelStore model = ModelStore.open(spark, modelDir);
    ModelStore.checkDataset(model.metadata(), modelDir, data.manifest(), dataDir, allowOtherDataset);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.blocks = blocksSetting > 0 ? blocksSetting : sc.defaultParallelism();
    // Rows the model does not know keep a zero vector in the blocks; they are then left out of the
    // metrics and the recommendations (a zero row would score 0 for everything and rank items by id).
    BlockLayout.Tables tables = BlockLayout.build(data.train(), data.numUsers(), data.numItems(), blocks,
        model.dim(), 1, FactorInit.zeros());
    Dataset<Row> userFactors = model.userFactorsFor(data.users()).cache();
    Dataset<Row> itemFactors = model.itemFactorsFor(data.items()).cache();
    this.knownUsers = missing("users", userFactors, data.numUsers());
    this.knownItems = missing("items", itemFactors, data.numItems());
    this.users = FactorTables.overlay(tables.users(), userFactors, "user").cache();
    this.items = FactorTables.overlay(tables.items(), itemFactors, "item").cache();
  }

  /** The known rows' ids when the model lacks some of the dataset's rows (and says how many), else null. */
  private Dataset<Row> missing(String side, Dataset<Row> factors, long total) {
    long known = factors.count();
    if (known == total) return null;
    System.out.printf("the model has no factors for %,d of the dataset's %,d %s: they are left out%n",
        total - known, total, side);
    return factors.select(side.equals("users") ? "user" : "item");
  }

  public Map<String, Double> evaluate(List<Integer> ks) {
    JavaRDD<EmbeddingBlock> test = testBlocks();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.setJobDescription("evaluate: full ranking of every user");
    try (ConsoleProgress progress = new ConsoleProgress(sc, "evaluate", 0, "")) {
      return BlockEvaluator.evaluate(users, items, test, ks);
    }
  }

  /** {@link #evaluate} and {@code --breakdown}'s figures at the largest K, from the same ranking. */
  public BlockEvaluator.Evaluation evaluateWithBreakdown(List<Integer> ks) {
    JavaRDD<EmbeddingBlock> test = testBlocks();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.setJobDescription("evaluate --breakdown: full ranking of every user");
    try (ConsoleProgress progress = new ConsoleProgress(sc, "evaluate", 0, "")) {
      return BlockEvaluator.evaluateWithBreakdown(users, items, test, ks);
    }
  }

  /** The test split in the users' block layout, without the rows of users or items the model lacks. */
  private JavaRDD<EmbeddingBlock> testBlocks() {
    Dataset<Row> testRows = knownUsers == null ? data.test() : data.test().join(knownUsers, "user", "left_semi");
    testRows = knownItems == null ? testRows : testRows.join(knownItems, "item", "left_semi");
    return BlockLayout.adjacency(testRows, data.numUsers(), blocks);
  }

  /** Writes top-K per user (training items excluded) keyed by original ids, atomically. */
  public long recommend(int k, String output, boolean overwrite, String resolvedSettings) {
    OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, overwrite);
    out.writeText("settings.conf", resolvedSettings);
    recommend(k, "written", recs -> recs.write().parquet(out.path("recommendations")));
    long count = spark.read().parquet(out.path("recommendations")).count();
    out.commit();
    return count;
  }

  /**
   * Hands top-K per user (training items excluded) to {@code write}, which runs under the progress line:
   * columns user_id, item_id, rank, score (original ids) and user, item (the dataset's dense ids).
   *
   * @param where how the callsite names the write ("written", "inserted into db.recs")
   */
  public void recommend(int k, String where, Consumer<Dataset<Row>> write) {
    int p = blocks;
    JavaRDD<Row> rows = BlockEvaluator.topK(users, items, k, true).flatMap(block -> {
      int userBlock = block._1();
      TopKLists top = block._2();
      List<Row> list = new ArrayList<>();
      for (int u = 0; u < top.size(); u++) {
        for (int r = 0; r < top.count(u); r++) {
          list.add(RowFactory.create(u * p + userBlock, top.item(u, r), r + 1, top.score(u, r)));
        }
      }
      return list.iterator();
    });
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
        .add("rank", DataTypes.IntegerType).add("score", DataTypes.FloatType);
    Dataset<Row> scored = spark.createDataFrame(rows, schema);
    if (knownUsers != null) scored = scored.join(knownUsers, "user", "left_semi");
    if (knownItems != null) scored = scored.join(knownItems, "item", "left_semi"); // leaves gaps in rank
    Dataset<Row> recs = scored
        .join(data.users(), "user").join(data.items(), "item")
        .select("user_id", "item_id", "rank", "score", "user", "item");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.setJobDescription("recommend: top-" + k + " for every user");
    sc.setCallSite("recommend: top-" + k + " for every user, joined to original ids, " + where);
    try (ConsoleProgress progress = new ConsoleProgress(sc, "recommend top-" + k, 0, "")) {
      write.accept(recs);
    } finally {
      sc.clearCallSite();
    }
  }
}
