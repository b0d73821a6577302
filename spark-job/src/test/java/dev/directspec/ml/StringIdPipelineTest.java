package dev.directspec.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Spark ML example: string ids indexed by StringIndexer (double columns holding integral
 * values) feed the estimator directly, and the fitted pipeline recommends for every user.
 */
class StringIdPipelineTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("string-id-pipeline")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void stringIdsThroughStringIndexerTrainAndRecommend() {
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      for (int k = 0; k < 6; k++) rows.add(RowFactory.create("customer-" + u, "sku-" + ((u + 3 * k) % 25)));
    }
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add("sku", DataTypes.StringType);
    Dataset<Row> events = spark.createDataFrame(rows, schema);

    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("customer_id").setOutputCol("user"),
        new StringIndexer().setInputCol("sku").setOutputCol("item"),
        new DirectSpecRecommender().setDim(8).setEpochs(2).setBatchSize(32).setNumBlocks(2).setSeed(5)});
    PipelineModel model = pipeline.fit(events);

    Dataset<Row> scored = model.transform(events);
    assertEquals(rows.size(), scored.count());
    assertTrue(scored.filter("isnan(prediction)").isEmpty(), "every seen pair has factors");

    DirectSpecRecommenderModel recommender = (DirectSpecRecommenderModel) model.stages()[2];
    List<Row> top = recommender.recommendForAllUsers(5).collectAsList();
    assertEquals(60, top.size());
    Set<Integer> users = new HashSet<>();
    for (Row r : top) {
      users.add(r.getInt(0));
      assertEquals(5, r.getList(1).size(), "five items for user " + r.getInt(0));
    }
    assertEquals(60, users.size());
  }
}
