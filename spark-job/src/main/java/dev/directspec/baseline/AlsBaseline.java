package dev.directspec.baseline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.config.Settings;
import dev.directspec.eval.ScoringJob;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputFolder;
import dev.directspec.kernels.FloatRows;
import dev.directspec.report.RunReport;
import dev.directspec.settings.TrainSettings;
import dev.directspec.spectrum.GramMatrix;
import dev.directspec.spectrum.Spectrum;
import dev.directspec.store.ModelStore;
import dev.directspec.train.EpochReport;
import dev.directspec.train.FactorNorms;
import dev.directspec.train.InitialLayout;
import dev.directspec.train.MetricsLog;
import dev.directspec.train.RunFolder;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterators;
import java.util.stream.StreamSupport;

/**
 * {@code train.method = als}: Spark MLlib's ALS with implicit preferences, run in the harness of
 * {@link dev.directspec.job.TrainJob} as a baseline. It writes the same run folder (model/,
 * metrics.json, settings.conf), so evaluate, recommend and the benchmark read it like any other run:
 * the model is evaluated once through {@link ScoringJob} on the written model folder (the blockwise
 * evaluator, exactly what {@code evaluate} computes), and the spectrum of its factors is recorded as
 * the run's single epoch so that effective ranks compare across methods.
 */
public final class AlsBaseline {
  private final SparkSession spark;
  private final Settings settings;
  private final TrainSettings train;
  private final AlsSettings als;

  public AlsBaseline(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
    this.train = TrainSettings.from(settings);
    this.als = AlsSettings.from(settings);
  }

  /** Fits, saves and evaluates; returns the {@code final} object of metrics.json. */
  public Map<String, Object> run(String dataDir, String runDir, boolean overwrite, boolean resume) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunFolder run = new RunFolder(sc, runDir);
    if (resume) System.out.println("method als keeps no checkpoints between runs: --resume trains from the start");
    DatasetFolder data = DatasetFolder.open(spark, dataDir); // before the work folder: nothing left on failure
    // ALS checkpoints only when the context has a directory (open sets it); without one long lineages
    // overflow the stack.
    OutputFolder out = run.open(overwrite, resume);
    out.writeText("settings.conf", settings.render());
    int blocks = InitialLayout.blockCount(sc, train);
    Dataset<Row> ratings = data.train().select("user", "item", "weight");
    long interactions = ratings.count();

    sc.setJobDescription("ALS: rank " + train.model().dim() + ", " + als.maxIter() + " iterations, " + blocks + " blocks");
    long fitStart = System.nanoTime();
    ALSModel fitted = estimator(blocks).fit(ratings);
    double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    Dataset<Row> users = fitted.userFactors().withColumnRenamed("id", "user");
    Dataset<Row> items = fitted.itemFactors().withColumnRenamed("id", "item");

    sc.setJobDescription("save the model");
    String modelDir = out.path("model");
    new ModelStore.Writer(spark, modelDir).write(users, items, data, train, als.maxIter(), als);
    MetricsLog log = new MetricsLog();
    double[] sigmaUsers = singularValues(users, train.model().dim());
    double[] sigmaItems = singularValues(items, train.model().dim());
    // Sum of sigma^2 is the sum of squared row norms: the same RMS norms the epoch loop's guard reports.
    FactorNorms norms = new FactorNorms(FactorNorms.rms(sigmaUsers, data.numUsers()),
        FactorNorms.rms(sigmaItems, data.numItems()));
    ObjectNode record = log.epoch(new EpochReport(als.maxIter(), Double.NaN, fitSeconds, Double.NaN,
        sigmaUsers, sigmaItems, Map.of(), norms));
    // ALS minimises its own weighted least squares with no learning rate: neither figure applies.
    record.putNull("loss");
    record.putNull("learning_rate");
    long evalStart = System.nanoTime();
    sc.setJobDescription("evaluate the ALS model");
    Map<String, Double> metrics = new ScoringJob(spark, dataDir, modelDir, train.schedule().blocks()).evaluate(train.eval().ks());
    log.addMetrics(record, metrics, (System.nanoTime() - evalStart) / 1e9);
    System.out.println(progressLine(record, fitSeconds));

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("resumed_from_epoch", 0);
    figures.put("blocks", blocks);
    figures.put("interactions", interactions);
    return run.finish(log, figures, RunReport.label("als", "mf"), settings.render(), data.manifest());
  }

  private ALS estimator(int blocks) {
    return new ALS()
        .setImplicitPrefs(true)
        .setRank(train.model().dim())
        .setSeed(train.seed())
        .setRegParam(als.regParam())
        .setAlpha(als.alpha())
        .setMaxIter(als.maxIter())
        .setCheckpointInterval(als.checkpointInterval())
        .setNumUserBlocks(blocks)
        .setNumItemBlocks(blocks)
        .setUserCol("user")
        .setItemCol("item")
        .setRatingCol("weight");
  }

  /**
   * Singular values of a factor table (id, features array&lt;float&gt;) from its d x d Gram matrix,
   * summed per partition so only d x d matrices reach the driver, as in the trainer's epoch end.
   */
  static double[] singularValues(Dataset<Row> table, int d) {
    double[] gram = table.select("features").javaRDD()
        .mapPartitions(rows -> {
          Iterator<float[]> vectors = StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, 0), false)
              .map(r -> FloatRows.toArray(r.<Float>getList(0))).iterator();
          return List.of(GramMatrix.of(vectors, d)).iterator();
        })
        .treeReduce(GramMatrix::merge);
    return Spectrum.of(gram, d).singularValues();
  }

  private static String progressLine(ObjectNode r, double fitSeconds) {
    return String.format("als: %d iterations in %.2f s  erank users %.2f items %.2f  recall@20 %.4f  "
            + "recall_capped@20 %.4f  ndcg@20 %.4f  (eval %.1f s)", r.get("epoch").asInt(), fitSeconds,
        r.get("effective_rank_users").asDouble(), r.get("effective_rank_items").asDouble(),
        r.path("recall@20").asDouble(), r.path("recall_capped@20").asDouble(), r.path("ndcg@20").asDouble(),
        r.get("eval_seconds").asDouble());
  }
}
