package dev.directspec.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RankingEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java example of docs/usage.md ("Spark ML API"), compiled and run on a tiny data set. */
@Tag("slow")
class UsageExampleTest {
  @TempDir
  Path dir;

  @Test
  void theDocumentedJavaExampleRuns() throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("usage-example")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    try {
      List<Row> rows = new ArrayList<>();
      // Enough rows that each cross-validation training fold still fills a default batch (256).
      for (int u = 0; u < 200; u++) {
        for (int j = 0; j < 6; j++) rows.add(RowFactory.create("c" + u, 1000L * ((u + 3 * j) % 40)));
      }
      Dataset<Row> events = spark.createDataFrame(rows,
          new StructType().add("customer_id", DataTypes.StringType).add("sku", DataTypes.LongType));
      Dataset<Row> someCustomers = events.filter("customer_id IN ('c1', 'c2')");
      String base = dir.toString();

      // --- docs/usage.md, "Spark ML API", Java: from here ---
      DirectSpecRecommender recommender = new DirectSpecRecommender()
          .setUserCol("customer_id").setItemCol("sku")          // string and long ids, kept in every output
          .setMethod("directspec+").setDim(16).setEpochs(5).setSeed(2024);
      DirectSpecRecommenderModel model = recommender.fit(events);
      Dataset<Row> forSome = model.setExcludeSeen(true)           // leave out what each customer already has
          .recommendForUserSubset(someCustomers, 10);          // customer_id, recommendations: [(sku, rating)]
      Dataset<Row> buyers = model.recommendForAllItems(10);     // sku, recommendations: [(customer_id, rating)]
      Dataset<Row> alike = model.similarItems(10);             // sku, similar: [(sku, similarity)] by cosine
      model.write().overwrite().save(base + "/model");

      // Unfitted, in a pipeline, and tuned by cross-validation with Spark's RankingEvaluator:
      new Pipeline().setStages(new PipelineStage[] {recommender}).write().overwrite().save(base + "/pipeline");
      DirectSpecRecommender ranking = recommender.copy(ParamMap.empty())
          .setTopK(10).setExcludeSeen(true);                    // transform ranks the unseen items
      ParamMap[] grid = new ParamGridBuilder().addGrid(ranking.alpha(), new double[] {0.5, 0.9}).build();
      CrossValidatorModel tuned = new CrossValidator().setEstimator(ranking).setEstimatorParamMaps(grid)
          .setEvaluator(new RankingEvaluator().setMetricName("ndcgAtK").setK(10)).setNumFolds(3)
          .fit(events);
      // --- to here ---

      assertEquals(2, forSome.count());
      assertEquals(40, buyers.count());
      assertEquals(40, alike.count());
      assertEquals(2, tuned.avgMetrics().length);
      assertTrue(DirectSpecRecommenderModel.load(base + "/model").getExcludeSeen());
      assertEquals(1, Pipeline.load(base + "/pipeline").getStages().length);
    } finally {
      spark.stop();
    }
  }
}
