package dev.directspec.ml;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.blocks.FactorInit;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator and model on a tiny synthetic dataset (one fit, shared by the tests). */
class DirectSpecRecommenderTest {
  @TempDir
  static Path dir;
  static SparkSession spark;
  static Dataset<Row> raw;
  static PipelineModel pipeline;
  static DirectSpecRecommenderModel model;

  @BeforeAll
  static void fit() {
    spark = SparkSession.builder().master("local[2]").appName("ml-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    raw = interactions(200, 50, 8, 5);
    // The SQLTransformer renames the columns: the estimator must read what the stage before it wrote.
    SQLTransformer rename = new SQLTransformer().setStatement("SELECT u AS user, i AS item FROM __THIS__");
    DirectSpecRecommender recommender = new DirectSpecRecommender().setDim(8).setEpochs(2).setBatchSize(64)
        .setNumBlocks(2).setLr(20).setSeed(3);
    pipeline = new Pipeline().setStages(new PipelineStage[] {rename, recommender}).fit(raw);
    model = (DirectSpecRecommenderModel) pipeline.stages()[1];
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Each user u0..u(n-1) has k distinct items, drawn from a band around u so there is structure. */
  static Dataset<Row> interactions(int users, int items, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      while (seen.size() < k) seen.add((u % items + rng.nextInt(12)) % items);
      for (int i : seen) rows.add(RowFactory.create(u, i));
    }
    StructType schema = new StructType().add("u", DataTypes.IntegerType).add("i", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  static Map<Integer, float[]> factors(Dataset<Row> table) {
    Map<Integer, float[]> out = new HashMap<>();
    for (Row r : table.collectAsList()) out.put(r.getInt(0), vector(r));
    return out;
  }

  /** The features of an (id, features) row. */
  static float[] vector(Row r) {
    List<Float> f = r.getList(1);
    float[] v = new float[f.size()];
    for (int k = 0; k < v.length; k++) v[k] = f.get(k);
    return v;
  }

  private static double largestNormDeviationFromOne(Dataset<Row> table) {
    double largest = 0;
    for (float[] row : factors(table).values()) largest = Math.max(largest, Math.abs(Math.sqrt(dot(row, row)) - 1));
    return largest;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) s += (double) a[k] * b[k];
    return s;
  }

  @Test
  void pipelinePredictsTheDotProductOfTheFactors() {
    Map<Integer, float[]> users = factors(model.userFactors());
    Map<Integer, float[]> items = factors(model.itemFactors());
    assertEquals(200, users.size());
    assertEquals(8, users.get(0).length);
    List<Row> rows = pipeline.transform(raw.limit(20)).select("user", "item", "prediction").collectAsList();
    assertEquals(20, rows.size());
    for (Row r : rows) {
      float p = r.getFloat(2);
      assertTrue(Float.isFinite(p), "finite prediction " + r);
      assertEquals(dot(users.get(r.getInt(0)), items.get(r.getInt(1))), p, 1e-5 * Math.max(1, Math.abs(p)));
    }
  }

  @Test
  void lightGcnFitsThroughTheSameEstimator() {
    Dataset<Row> data = raw.toDF("user", "item");
    DirectSpecRecommenderModel lightGcn = new DirectSpecRecommender().setModel("lightgcn").setLayers(2)
        .setLayerCombination("mean").setGraphSpread(0.5).setDim(8).setEpochs(3).setBatchSize(64).setNumBlocks(2)
        .setLr(20).setSeed(3).fit(data);
    assertEquals("lightgcn", lightGcn.getModel());
    assertEquals("mf", model.getModel());
    // Trained pairs must outscore the same users paired with shifted, mostly unseen items.
    double seen = lightGcn.transform(data).agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
    Dataset<Row> shifted = data.selectExpr("user", "(item + 25) % 50 AS item");
    double other = lightGcn.transform(shifted).agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
    assertTrue(seen > other, "trained pairs " + seen + " vs shifted pairs " + other);
  }

  @Test
  void itemNormPowerZeroScoresUnitItemRows() {
    DirectSpecRecommenderModel cosine = new DirectSpecRecommender().setItemNormPower(0).setDim(8).setEpochs(2)
        .setBatchSize(64).setNumBlocks(2).setLr(20).setSeed(3).fit(raw.toDF("user", "item"));
    double maxDeviation = largestNormDeviationFromOne(cosine.itemFactors());
    assertTrue(maxDeviation < 1e-5, "item rows must have unit norm: " + maxDeviation);
    double rawSpread = largestNormDeviationFromOne(model.itemFactors());
    assertTrue(rawSpread > 1e-3, "the default model scores the raw rows: " + rawSpread);
    assertThrows(IllegalArgumentException.class, () -> new DirectSpecRecommender().setItemNormPower(-1));
  }

  @Test
  void lightGcnBprWithAdamAndNormalInitFitsThroughTheEstimator() {
    Dataset<Row> data = raw.toDF("user", "item");
    DirectSpecRecommender estimator = new DirectSpecRecommender().setModel("lightgcn").setMethod("bpr")
        .setOptimizer("adam").setInitStd(0.1).setBaseUpdate("preconditioned").setLayerCombination("mean")
        .setDim(8).setEpochs(3).setBatchSize(64).setNumBlocks(2).setLr(0.01).setSeed(3);
    assertEquals("adam", estimator.getOptimizer());
    DirectSpecRecommenderModel bpr = estimator.fit(data);
    double seen = bpr.transform(data).agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
    Dataset<Row> shifted = data.selectExpr("user", "(item + 25) % 50 AS item");
    double other = bpr.transform(shifted).agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
    assertTrue(seen > other, "trained pairs " + seen + " vs shifted pairs " + other);
    assertThrows(IllegalArgumentException.class, () -> new DirectSpecRecommender().setOptimizer("rmsprop"));
    assertThrows(IllegalArgumentException.class, () -> new DirectSpecRecommender().setGraphSpread(1.5));
    // smoothing_passes belongs to base_update = smoothed: either order of the setters works, and the pair is
    // checked when the settings are built.
    DirectSpecRecommender smoothed = new DirectSpecRecommender().setModel("lightgcn").setSmoothingPasses(3)
        .setBaseStep(2).setBaseUpdate("smoothed");
    assertEquals(3, smoothed.trainSettings().lightGcn().movementPasses());
    assertEquals(2.0, smoothed.trainSettings().lightGcn().baseStep());
    Exception chainRule = assertThrows(SettingsException.class,
        () -> new DirectSpecRecommender().setSmoothingPasses(3).trainSettings());
    assertTrue(chainRule.getMessage().contains("train.smoothing_passes"), chainRule.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DirectSpecRecommender().setSmoothingPasses(7));
    assertThrows(IllegalArgumentException.class, () -> new DirectSpecRecommender().setBaseStep(0));
  }

  @Test
  void unknownIdsPredictNaNOrAreDropped() {
    Dataset<Row> pairs = spark.sql("SELECT * FROM VALUES (0, 1), (5000, 1), (0, -3), (0, 2) AS t(user, item)");
    List<Row> nan = model.transform(pairs).orderBy("user", "item").collectAsList();
    assertEquals(4, nan.size());
    assertEquals(List.of("0/-3", "0/1", "0/2", "5000/1"),
        nan.stream().map(r -> r.getInt(0) + "/" + r.getInt(1)).toList(), "rows in (user, item) order");
    assertTrue(Float.isNaN(nan.get(0).getFloat(2)), "negative item id has no factors");
    float[] user0 = factors(model.userFactors().filter("id = 0")).get(0);
    Map<Integer, float[]> items = factors(model.itemFactors());
    for (int row : new int[] {1, 2}) {
      int item = nan.get(row).getInt(1);
      assertEquals(dot(user0, items.get(item)), nan.get(row).getFloat(2), 1e-5, "known pair (0, " + item + ")");
    }
    assertTrue(Float.isNaN(nan.get(3).getFloat(2)), "user 5000 is unknown");
    DirectSpecRecommenderModel dropping = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setColdStartStrategy("drop");
    List<Row> kept = dropping.transform(pairs).orderBy("user", "item").collectAsList();
    assertEquals(List.of("0/1", "0/2"), kept.stream().map(r -> r.getInt(0) + "/" + r.getInt(1)).toList(),
        "drop keeps exactly the known pairs");
    for (int row = 0; row < 2; row++) assertEquals(nan.get(row + 1).getFloat(2), kept.get(row).getFloat(2));
  }

  /**
   * With no epoch, the LightGCN estimator's factors are the propagation of the initial table,
   * {@code F = sum_k w_k A_hat^k E}, {@code A_hat = D^-1/2 A D^-1/2} (docs/method.md 5): computed here by
   * hand, edge by edge in double, on a small graph, for both layer combinations.
   */
  @Test
  void lightGcnFactorsAreTheDirectPropagationOfTheInitialTable() {
    int users = 14;
    int itemCount = 9;
    int dim = 4;
    int layers = 2;
    List<int[]> edges = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(17);
    for (int u = 0; u < users; u++) {
      java.util.Set<Integer> seen = new java.util.TreeSet<>(List.of(u % itemCount));
      while (seen.size() < 1 + u % 3) seen.add(rng.nextInt(itemCount));
      for (int i : seen) edges.add(new int[] {u, i});
    }
    List<Row> rows = edges.stream().map(e -> RowFactory.create(e[0], e[1])).toList();
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    Dataset<Row> graph = spark.createDataFrame(rows, schema);
    for (String combination : List.of("sum", "mean")) {
      DirectSpecRecommender estimator = new DirectSpecRecommender().setModel("lightgcn").setLayers(layers)
          .setLayerCombination(combination).setItemNormPower(1).setDim(dim).setEpochs(0).setNumBlocks(2)
          .setSeed(3);
      DirectSpecRecommenderModel fitted = estimator.fit(graph);
      TrainSettings settings = estimator.trainSettings();
      FactorInit init = new FactorInit(settings.seed(), settings.model().initStd());
      double[][] userLayer = initial(init.forTable("users", users), users, dim);
      double[][] itemLayer = initial(init.forTable("items", itemCount), itemCount, dim);
      double weight = combination.equals("mean") ? 1.0 / (layers + 1) : 1.0;
      double[][] userSum = scaled(userLayer, weight);
      double[][] itemSum = scaled(itemLayer, weight);
      int[] userDegree = new int[users];
      int[] itemDegree = new int[itemCount];
      for (int[] e : edges) {
        userDegree[e[0]]++;
        itemDegree[e[1]]++;
      }
      for (int k = 1; k <= layers; k++) {
        double[][] nextUsers = new double[users][dim];
        double[][] nextItems = new double[itemCount][dim];
        for (int[] e : edges) {
          double norm = 1 / Math.sqrt((double) userDegree[e[0]] * itemDegree[e[1]]);
          for (int j = 0; j < dim; j++) {
            nextUsers[e[0]][j] += norm * itemLayer[e[1]][j];
            nextItems[e[1]][j] += norm * userLayer[e[0]][j];
          }
        }
        userLayer = nextUsers;
        itemLayer = nextItems;
        for (int r = 0; r < users; r++) for (int j = 0; j < dim; j++) userSum[r][j] += weight * userLayer[r][j];
        for (int r = 0; r < itemCount; r++) for (int j = 0; j < dim; j++) itemSum[r][j] += weight * itemLayer[r][j];
      }
      assertRowsEqual(userSum, factors(fitted.userFactors()), combination + ", users");
      assertRowsEqual(itemSum, factors(fitted.itemFactors()), combination + ", items");
    }
  }

  /** The initial table as FactorInit draws it: a row's values depend on its id only, not on the blocks. */
  private static double[][] initial(FactorInit.Table table, int rows, int dim) {
    float[] flat = new float[rows * dim];
    table.fill(0, 1, rows, dim, flat);
    double[][] out = new double[rows][dim];
    for (int r = 0; r < rows; r++) for (int j = 0; j < dim; j++) out[r][j] = flat[r * dim + j];
    return out;
  }

  private static double[][] scaled(double[][] rows, double weight) {
    double[][] out = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = rows[r].clone();
      for (int j = 0; j < out[r].length; j++) out[r][j] *= weight;
    }
    return out;
  }

  private static void assertRowsEqual(double[][] expected, Map<Integer, float[]> got, String what) {
    assertEquals(expected.length, got.size(), what + ": rows");
    for (int r = 0; r < expected.length; r++) {
      for (int j = 0; j < expected[r].length; j++) {
        assertEquals(expected[r][j], got.get(r)[j], 1e-6, what + ": row " + r + ", column " + j);
      }
    }
  }

  @Test
  void recommendsTheBestScoredItemsOfEveryUser() {
    Dataset<Row> recs = model.recommendForAllUsers(3);
    assertEquals(200, recs.count());
    Row r7 = recs.filter("user = 7").first();
    List<Row> list = r7.getList(1);
    assertEquals(3, list.size());
    Map<Integer, float[]> items = factors(model.itemFactors());
    float[] u7 = factors(model.userFactors().filter("id = 7")).get(7);
    int best = items.keySet().stream().max((a, b) -> Double.compare(dot(u7, items.get(a)), dot(u7, items.get(b))))
        .orElseThrow();
    assertEquals(best, list.get(0).getInt(0));
    assertTrue(list.get(0).getFloat(1) >= list.get(1).getFloat(1) && list.get(1).getFloat(1) >= list.get(2).getFloat(1));
  }

  @Test
  void saveAndLoadKeepFactorsAndPredictions() throws Exception {
    String path = dir.resolve("model").toString();
    model.write().save(path);
    assertTrue(Files.isRegularFile(Path.of(path, "metadata.json")));
    DirectSpecRecommenderModel loaded = DirectSpecRecommenderModel.load(path);
    assertEquals(8, loaded.getDim());
    assertEquals("directspec+", loaded.getMethod());
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.userFactors().orderBy("id").collectAsList().toString(),
        loaded.userFactors().orderBy("id").collectAsList().toString());
    assertEquals(model.itemFactors().orderBy("id").collectAsList().toString(),
        loaded.itemFactors().orderBy("id").collectAsList().toString());
    Dataset<Row> pairs = raw.limit(30).toDF("user", "item");
    assertEquals(model.transform(pairs).orderBy("user", "item").collectAsList(),
        loaded.transform(pairs).orderBy("user", "item").collectAsList());
    // The whole pipeline too: PipelineModel.load finds the stage's read() through Spark's metadata/.
    String pipePath = dir.resolve("pipeline").toString();
    pipeline.write().save(pipePath);
    PipelineModel reloaded = PipelineModel.load(pipePath);
    assertEquals(pipeline.transform(raw.limit(30)).orderBy("user", "item").collectAsList(),
        reloaded.transform(raw.limit(30)).orderBy("user", "item").collectAsList());
  }

  @Test
  void unknownFormatVersionFailsClearly() throws Exception {
    String path = dir.resolve("future").toString();
    model.write().save(path);
    Path meta = Path.of(path, "metadata.json");
    Files.writeString(meta, Files.readString(meta).replace("\"format_version\" : 1", "\"format_version\" : 99"));
    Files.deleteIfExists(Path.of(path, ".metadata.json.crc"));
    // Unreadable input, as for the CLI (exit 3): ModelStore reports it as InputDataException.
    Exception e = assertThrows(dev.directspec.folders.InputDataException.class,
        () -> DirectSpecRecommenderModel.load(path));
    assertTrue(e.getMessage().contains("format_version 99"), e.getMessage());
  }

  @Test
  void paramValidationNamesTheParamAndValue() {
    DirectSpecRecommender r = new DirectSpecRecommender();
    Exception dim = assertThrows(IllegalArgumentException.class, () -> r.setDim(-4));
    assertTrue(dim.getMessage().contains("parameter dim given invalid value -4"), dim.getMessage());
    assertTrue(dim.getMessage().contains("train.dim must be > 0: -4"), dim.getMessage());
    Exception ga = assertThrows(IllegalArgumentException.class, () -> r.setGramAlpha(0.5));
    assertTrue(ga.getMessage().contains("gramAlpha") && ga.getMessage().contains("0.5"), ga.getMessage());
    Exception method = assertThrows(IllegalArgumentException.class, () -> r.setMethod("als"));
    assertTrue(method.getMessage().contains("method") && method.getMessage().contains("als"), method.getMessage());
    Exception cold = assertThrows(IllegalArgumentException.class, () -> r.setColdStartStrategy("zero"));
    assertTrue(cold.getMessage().contains("coldStartStrategy") && cold.getMessage().contains("zero"));
    // A rule across params is checked when the settings are built, with the CLI's message.
    r.setMethod("directspec+adaptive").setTau0(3.5).setTau1(3.0);
    Exception tau = assertThrows(IllegalArgumentException.class, r::trainSettings);
    assertTrue(tau.getMessage().contains("train.tau0 must be < train.tau1"), tau.getMessage());
  }

  @Test
  void defaultsAreTheReferenceSettings() {
    assertEquals(TrainSettings.from(Settings.defaults()), new DirectSpecRecommender().trainSettings());
  }

  @Test
  void idsMustBeIntegralAndNotNull() {
    Dataset<Row> fractional = spark.sql("SELECT * FROM VALUES (0D, 1), (2.5D, 1) AS t(user, item)");
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> new DirectSpecRecommender().setEpochs(1).fit(fractional));
    assertTrue(e.getMessage().contains("'user'") && e.getMessage().contains("2.5"), e.getMessage());
    Dataset<Row> missing = spark.sql("SELECT * FROM VALUES (0, 'a'), (1, NULL) AS t(user, item)");
    Exception n = assertThrows(IllegalArgumentException.class,
        () -> new DirectSpecRecommender().setEpochs(1).fit(missing));
    assertTrue(n.getMessage().contains("'item'") && n.getMessage().contains("1 rows"), n.getMessage());
  }
}
