package dev.directspec.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.evaluation.RankingEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator as a Spark ML citizen: saved and loaded unfitted alone, in a Pipeline and in a
 * CrossValidator that tunes directspec+ with Spark's RankingEvaluator; and found by Spark Connect's
 * service lookup.
 */
@Tag("slow")
class PersistenceAndTuningTest {
  static SparkSession spark;
  static Dataset<Row> events;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("ml-persistence")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    DirectSpecRecommenderTest.spark = spark;
    events = DirectSpecRecommenderTest.interactions(200, 50, 8, 5).toDF("user", "item").cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static DirectSpecRecommender small() {
    return new DirectSpecRecommender().setDim(8).setEpochs(3).setBatchSize(64).setNumBlocks(2).setLr(20).setSeed(3);
  }

  @Test
  void unfittedEstimatorAndPipelineSaveLoadAndFit(@TempDir Path dir) throws Exception {
    DirectSpecRecommender estimator = small().setAlpha(0.4).setExcludeSeen(true);
    estimator.write().save(dir.resolve("estimator").toString());
    DirectSpecRecommender again = DirectSpecRecommender.load(dir.resolve("estimator").toString());
    assertEquals(estimator.uid(), again.uid());
    assertEquals(0.4, again.getAlpha());
    assertEquals(estimator.trainSettings(), again.trainSettings());
    assertTrue(again.getExcludeSeen());

    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
    pipeline.write().save(dir.resolve("pipeline").toString());
    Pipeline loaded = Pipeline.load(dir.resolve("pipeline").toString());
    DirectSpecRecommender stage = (DirectSpecRecommender) loaded.getStages()[0];
    assertEquals(estimator.trainSettings(), stage.trainSettings());
    PipelineModel fitted = loaded.fit(events);
    DirectSpecRecommenderModel fromLoaded = (DirectSpecRecommenderModel) fitted.stages()[0];
    DirectSpecRecommenderModel direct = estimator.fit(events);
    // Same seed, data and settings: the same model, bit for bit, whichever copy of the estimator fits it.
    assertEquals(direct.userFactors().orderBy("id").collectAsList(), fromLoaded.userFactors().orderBy("id").collectAsList());
    assertTrue(fromLoaded.getExcludeSeen(), "params reach the model");
  }

  @Test
  void crossValidatorTunesDirectSpecPlusWithRankingEvaluator(@TempDir Path dir) throws Exception {
    DirectSpecRecommender estimator = small().setMethod("directspec+").setTopK(10).setExcludeSeen(true);
    ParamMap[] grid = new ParamGridBuilder().addGrid(estimator.tau(), new double[] {1.0, 4.0}).build();
    RankingEvaluator evaluator = new RankingEvaluator().setMetricName("recallAtK").setK(10);
    CrossValidator cv = new CrossValidator().setEstimator(estimator).setEstimatorParamMaps(grid)
        .setEvaluator(evaluator).setNumFolds(2).setSeed(1);
    cv.write().save(dir.resolve("cv").toString());
    CrossValidator loaded = CrossValidator.load(dir.resolve("cv").toString());
    assertEquals(2, loaded.getEstimatorParamMaps().length);

    CrossValidatorModel tuned = loaded.fit(events);
    double[] metrics = tuned.avgMetrics();
    assertEquals(2, metrics.length);
    for (double m : metrics) assertTrue(m > 0 && m <= 1, "recall@10 of a fold: " + m);
    DirectSpecRecommenderModel best = (DirectSpecRecommenderModel) tuned.bestModel();
    double bestTau = metrics[0] >= metrics[1] ? 1.0 : 4.0;
    assertEquals(bestTau, best.parent() instanceof DirectSpecRecommender p ? p.getTau() : Double.NaN);
    // The tuned model still scores on the data (and its ranking output is what the evaluator reads).
    double recall = evaluator.evaluate(best.setExcludeSeen(false).transform(events));
    assertTrue(recall > 0, "recall@10 on the training pairs: " + recall);

    tuned.write().save(dir.resolve("cv-model").toString());
    CrossValidatorModel reloaded = CrossValidatorModel.load(dir.resolve("cv-model").toString());
    assertEquals(best.userFactors().orderBy("id").collectAsList(),
        ((DirectSpecRecommenderModel) reloaded.bestModel()).userFactors().orderBy("id").collectAsList());
  }

  /**
   * Spark Connect's model cache refuses models it sizes above 1 GB (maxModelSize), and Spark's default size
   * walks the object graph from the Datasets into the session (about 1.4 GB). The model's own estimate
   * counts its rows: here 200 users and 50 items of d = 8 and 1600 training pairs, some 20 kB.
   */
  @Test
  void sparkConnectSizesTheModelByItsRows() {
    long size = small().fit(events).estimatedSize();
    assertTrue(size > (200 + 50) * 8 * Float.BYTES && size < 64 * 1024, "estimated bytes: " + size);
    assertEquals(0, new DirectSpecRecommenderModel().estimatedSize(), "an empty model holds nothing");
  }

  /** What Spark Connect's MLUtils does: ServiceLoader providers by type, a (String uid) constructor, load(String). */
  @Test
  void sparkConnectFindsTheEstimatorAndTheModel() throws Exception {
    List<Class<?>> estimators = ServiceLoader.load(Estimator.class).stream().map(ServiceLoader.Provider::type)
        .collect(Collectors.toList());
    List<Class<?>> transformers = ServiceLoader.load(Transformer.class).stream().map(ServiceLoader.Provider::type)
        .collect(Collectors.toList());
    assertTrue(estimators.contains(DirectSpecRecommender.class), "estimator registered");
    assertTrue(transformers.contains(DirectSpecRecommenderModel.class), "model registered");
    for (Class<?> c : List.<Class<?>>of(DirectSpecRecommender.class, DirectSpecRecommenderModel.class)) {
      Object instance = c.getConstructor(String.class).newInstance("connect-uid");
      assertEquals("connect-uid", ((org.apache.spark.ml.util.Identifiable) instance).uid());
      assertNotNull(c.getMethod("load", String.class));
    }
    // Providers are instantiated through the public no-arg constructor.
    assertTrue(ServiceLoader.load(Transformer.class).stream()
        .anyMatch(p -> p.type() == DirectSpecRecommenderModel.class && p.get() != null));
  }
}
