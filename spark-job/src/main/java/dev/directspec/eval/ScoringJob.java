package dev.directspec.eval;

import dev.directspec.model.FactorTables;
import dev.directspec.model.ModelStore;
import dev.directspec.prep.OutputFolder;
import dev.directspec.prep.DatasetFolder;
import dev.directspec.progress.ConsoleProgress;
import dev.directspec.train.BlockLayout;
import dev.directspec.train.EmbeddingBlock;
import dev.directspec.train.FactorInit;
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

  public ScoringJob(SparkSession spark, String dataDir, String modelDir, int blocksSetting) {
    this.spark = spark;
    this.data = DatasetFolder.open(spark, dataDir);
    ModelStore model = ModelStore.open(spark, modelDir);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.blocks = blocksSetting > 0 ? blocksSetting : sc.defaultParallelism();
    // Rows the model does not know keep a zero vector: they score 0 and are never preferred silently.
    BlockLayout.Tables tables = BlockLayout.build(data.train(), data.numUsers(), data.numItems(), blocks,
        model.dim(), 1, FactorInit.zeros());
    this.users = FactorTables.overlay(tables.users(), model.userFactorsFor(data.users()), "user").cache();
    this.items = FactorTables.overlay(tables.items(), model.itemFactorsFor(data.items()), "item").cache();
  }

  public Map<String, Double> evaluate(List<Integer> ks) {
    JavaRDD<EmbeddingBlock> test = BlockLayout.adjacency(data.test(), data.numUsers(), blocks);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.setJobDescription("evaluate: full ranking of every user");
    try (ConsoleProgress progress = new ConsoleProgress(sc, "evaluate", 0, "")) {
      return BlockEvaluator.evaluate(users, items, test, ks);
    }
  }

  /** Writes top-K per user (training items excluded) keyed by original ids, atomically. */
  public long recommend(int k, String output, boolean overwrite, String resolvedSettings) {
    OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, overwrite);
    out.writeText("settings.conf", resolvedSettings);
    int p = blocks;
    JavaRDD<Row> rows = BlockEvaluator.topK(users, items, k, true).values().flatMap(top -> {
      List<Row> list = new ArrayList<>();
      for (int u = 0; u < top.size(); u++) {
        for (int r = 0; r < top.k(); r++) {
          int item = top.items()[u * top.k() + r];
          if (item < 0) break;
          list.add(RowFactory.create(u * p + top.userBlock(), item, r + 1, top.scores()[u * top.k() + r]));
        }
      }
      return list.iterator();
    });
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
        .add("rank", DataTypes.IntegerType).add("score", DataTypes.FloatType);
    Dataset<Row> recs = spark.createDataFrame(rows, schema)
        .join(data.users(), "user").join(data.items(), "item")
        .select("user_id", "item_id", "rank", "score", "user", "item");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    sc.setJobDescription("recommend: top-" + k + " for every user");
    sc.setCallSite("recommend: top-" + k + " for every user, joined to original ids, written");
    try (ConsoleProgress progress = new ConsoleProgress(sc, "recommend top-" + k, 0, "")) {
      recs.write().parquet(out.path("recommendations"));
    } finally {
      sc.clearCallSite();
    }
    long count = spark.read().parquet(out.path("recommendations")).count();
    out.commit();
    return count;
  }
}
