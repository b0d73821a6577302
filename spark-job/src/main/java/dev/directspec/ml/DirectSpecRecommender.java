package dev.directspec.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.blocks.BlockLayout;
import dev.directspec.config.Settings;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import dev.directspec.store.FactorTables;
import dev.directspec.train.EpochLoop;
import dev.directspec.train.InitialLayout;
import dev.directspec.train.MetricsLog;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Spark ML estimator of DirectSpec / DirectSpec+ embeddings on implicit feedback: each input row is
 * one (user, item) interaction, ids of int, long or string type; the distinct ids are indexed on the
 * executors, so the tables have one row per id that occurs. Training is the CLI's distributed trainer,
 * without evaluation; progress goes to the log (INFO), as Spark's own estimators report.
 *
 * <p>Saved and loaded unfitted like Spark's estimators ({@link #write()}, {@link #read()}), so a
 * Pipeline or CrossValidator holding it round-trips.
 *
 * <p>Long runs cut the lineage every train.lineage_cut_every epochs (reference.conf) only when the
 * SparkContext has a checkpoint directory ({@code sc.setCheckpointDir}), as ALS does.
 */
public final class DirectSpecRecommender extends DirectSpecRecommenderParams implements DefaultParamsWritable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(DirectSpecRecommender.class);

  public DirectSpecRecommender() {
    this(Identifiable.randomUID("directspec"));
  }

  public DirectSpecRecommender(String uid) {
    super(uid);
  }

  /** Reads an estimator saved with {@code write().save(path)} (Spark's params-only layout). */
  public static MLReader<DirectSpecRecommender> read() {
    return new DefaultParamsReader<>();
  }

  public static DirectSpecRecommender load(String path) {
    return read().load(path);
  }

  /**
   * The training settings of the current params: reference.conf with one override per param, so the
   * checks (including those across params, such as tau0 < tau1) are the CLI's own.
   */
  public TrainSettings trainSettings() {
    List<String> overrides = new ArrayList<>();
    for (Map.Entry<Param<?>, String> e : settingKeys().entrySet()) {
      if (!isDefined(e.getKey())) continue; // lr without a value: the reference's train.lr = auto
      overrides.add(Settings.qualified(e.getValue()) + "=" + getOrDefault(e.getKey()));
    }
    TrainSettings settings = TrainSettings.from(Settings.load(List.of(), overrides));
    if (settings.method().kind() == Method.ALS) {
      throw new IllegalArgumentException(uid() + ": method als is Spark's own estimator, "
          + "org.apache.spark.ml.recommendation.ALS; this estimator trains the other methods");
    }
    return settings;
  }

  @Override
  public DirectSpecRecommenderModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TrainSettings settings = trainSettings();
    SparkSession spark = dataset.sparkSession();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Interactions data = Interactions.of(dataset, getUserCol(), getItemCol());
    LOG.info("{}: fitting {} on {} interactions of {} users and {} items", uid(), settings.method().kind().key,
        data.count(), data.numUsers(), data.numItems());
    BlockLayout.Tables tables = InitialLayout.layout(sc, settings, data.rows(), data.numUsers(), data.numItems(),
        line -> LOG.info("{}: {}", uid(), line));
    int lineageCut = sc.getCheckpointDir().isPresent() ? settings.schedule().lineageCutEvery() : 0;
    MetricsLog log = new MetricsLog();
    EpochLoop.Result result = new EpochLoop(sc, settings, tables.layout(), lineageCut)
        .train(tables.users().cache(), tables.items().cache(), 0,
            (report, blocks) -> LOG.info("{}: {}", uid(), log.progressLine(log.epoch(report), settings.schedule().epochs())))
        .scored(settings);
    sc.setJobDescription("collect the factor tables of " + uid());
    Dataset<Row> users = withIds(FactorTables.toTable(spark, result.users(), "user", true), data.userKeys(), "user");
    Dataset<Row> items = withIds(FactorTables.toTable(spark, result.items(), "item", true), data.itemKeys(), "item");
    Dataset<Row> seen = data.rows().distinct().persist(StorageLevel.MEMORY_AND_DISK());
    users.count();
    items.count();
    seen.count();
    result.release();
    data.userKeys().unpersist();
    data.itemKeys().unpersist();
    ObjectNode training = trainingMetadata(settings, data);
    IdTypes.set(training, data.userType(), data.itemType());
    DirectSpecRecommenderModel model = new DirectSpecRecommenderModel(uid(), users, items, seen, training);
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  /** The model-folder layout: the input's id as text (id_types in metadata.json names its type) beside the index. */
  private static Dataset<Row> withIds(Dataset<Row> table, Dataset<Row> keys, String side) {
    return table.join(keys, table.col(side).equalTo(keys.col("index")))
        .select(keys.col("key").cast("string").as(side + "_id"), table.col(side), table.col("features"))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** metadata.json fields that describe the training (ModelStore's layout plus the params). */
  private ObjectNode trainingMetadata(TrainSettings settings, Interactions data) {
    ObjectNode m = JSON.createObjectNode();
    m.put("model", settings.model().kind().key());
    m.put("method", settings.method().kind().key);
    m.put("dim", settings.model().dim());
    m.put("epochs", settings.schedule().epochs());
    m.set("settings", JSON.valueToTree(settings.recorded()));
    ObjectNode ds = m.putObject("dataset");
    ds.put("source", getClass().getSimpleName() + ".fit");
    ds.put("users", data.numUsers());
    ds.put("items", data.numItems());
    ds.put("interactions", data.count());
    ObjectNode params = m.putObject("params");
    for (Param<?> p : params()) {
      if (isDefined(p)) params.set(p.name(), JSON.valueToTree(getOrDefault(p)));
    }
    return m;
  }

  public DirectSpecRecommender setUserCol(String value) {
    set(userCol(), value);
    return this;
  }

  public DirectSpecRecommender setItemCol(String value) {
    set(itemCol(), value);
    return this;
  }

  public DirectSpecRecommender setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public DirectSpecRecommender setExcludeSeen(boolean value) {
    set(excludeSeen(), value);
    return this;
  }

  public DirectSpecRecommender setTopK(int value) {
    set(topK(), value);
    return this;
  }

  public DirectSpecRecommender setColdStartStrategy(String value) {
    set(coldStartStrategy(), value);
    return this;
  }

  public DirectSpecRecommender setMethod(String value) {
    set(method(), value);
    return this;
  }

  public DirectSpecRecommender setModel(String value) {
    set(model(), value);
    return this;
  }

  public DirectSpecRecommender setLayers(int value) {
    set(layers(), value);
    return this;
  }

  public DirectSpecRecommender setLayerCombination(String value) {
    set(layerCombination(), value);
    return this;
  }

  public DirectSpecRecommender setBaseUpdate(String value) {
    set(baseUpdate(), value);
    return this;
  }

  public DirectSpecRecommender setOptimizer(String value) {
    set(optimizer(), value);
    return this;
  }

  public DirectSpecRecommender setInitStd(double value) {
    set(initStd(), value);
    return this;
  }

  public DirectSpecRecommender setSmoothingPasses(int value) {
    set(smoothingPasses(), value);
    return this;
  }

  public DirectSpecRecommender setBaseStep(double value) {
    set(baseStep(), value);
    return this;
  }

  public DirectSpecRecommender setItemNormPower(double value) {
    set(itemNormPower(), value);
    return this;
  }

  public DirectSpecRecommender setGraphSpread(double value) {
    set(graphSpread(), value);
    return this;
  }

  public DirectSpecRecommender setRounds(int value) {
    set(rounds(), value);
    return this;
  }

  public DirectSpecRecommender setDim(int value) {
    set(dim(), value);
    return this;
  }

  public DirectSpecRecommender setBatchSize(int value) {
    set(batchSize(), value);
    return this;
  }

  public DirectSpecRecommender setEpochs(int value) {
    set(epochs(), value);
    return this;
  }

  public DirectSpecRecommender setLr(double value) {
    set(lr(), value);
    return this;
  }

  public DirectSpecRecommender setLrDecay(double value) {
    set(lrDecay(), value);
    return this;
  }

  public DirectSpecRecommender setAlpha(double value) {
    set(alpha(), value);
    return this;
  }

  public DirectSpecRecommender setTau(double value) {
    set(tau(), value);
    return this;
  }

  public DirectSpecRecommender setTau0(double value) {
    set(tau0(), value);
    return this;
  }

  public DirectSpecRecommender setTau1(double value) {
    set(tau1(), value);
    return this;
  }

  public DirectSpecRecommender setShrinkNorm(double value) {
    set(shrinkNorm(), value);
    return this;
  }

  public DirectSpecRecommender setReg(double value) {
    set(reg(), value);
    return this;
  }

  public DirectSpecRecommender setGramAlpha(double value) {
    set(gramAlpha(), value);
    return this;
  }

  public DirectSpecRecommender setNumBlocks(int value) {
    set(numBlocks(), value);
    return this;
  }

  public DirectSpecRecommender setSeed(long value) {
    set(seed(), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return ParamChecks.outputSchema(schema, getUserCol(), getItemCol(), getPredictionCol(), getTopK());
  }

  @Override
  public DirectSpecRecommender copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
