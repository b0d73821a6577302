package dev.directspec.e2e;

import dev.directspec.ml.DirectSpecRecommender;
import dev.directspec.ml.DirectSpecRecommenderModel;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Fetch;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator through a real Spark Connect server (issue 23, item 4): Spark's Connect service runs in
 * this JVM on 127.0.0.1 over the classic session, and a Connect client session talks to it over gRPC.
 *
 * <p>Spark 4.2's Scala/Java Connect client has no ML API (the spark-connect-client-jvm jar holds no
 * org.apache.spark.ml classes), so the client sends the ML messages PySpark's Connect ML sends: an
 * {@code MlCommand.Fit} naming our class, {@code MlRelation.Transform} on the returned model reference,
 * and {@code MlCommand.Write} / {@code Read}. The server resolves the names with its own lookup
 * (ServiceLoader on org.apache.spark.ml.Estimator / Transformer, META-INF/services in our jar). What
 * comes back must equal the same estimator fitted in classic mode with the same seed.
 */
@Tag("slow")
class SparkConnectIT {
  private static final String UID = "directspec-connect";

  static SparkSession spark;
  static org.apache.spark.sql.connect.SparkSession client;
  /** The model fitted through Connect: a reference into the server's ML cache. */
  static ObjectRef model;
  /** The same estimator fitted in classic mode on the same rows. */
  static DirectSpecRecommenderModel classic;

  @BeforeAll
  static void startServer() {
    spark = SparkSession.builder().master("local[2]").appName("spark-connect-it")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        // Loopback only, on a free port (0: the service binds any free one and reports it).
        .config("spark.connect.grpc.binding.address", "127.0.0.1")
        .config("spark.connect.grpc.binding.port", "0")
        .getOrCreate();
    SparkConnectService.start(spark.sparkContext());
    // The bound port is on the Scala object only (no static forwarder for the package-private accessor).
    int port = SparkConnectService$.MODULE$.localPort();
    client = org.apache.spark.sql.connect.SparkSession.builder().remote("sc://127.0.0.1:" + port).getOrCreate();

    // Fit: the server builds the estimator by class name through its ServiceLoader lookup and caches the model.
    MlCommandResult fitted = ml(MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
        .setEstimator(operator(DirectSpecRecommender.class, MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
        .setParams(connectParams()).setDataset(client.createDataFrame(events(), SCHEMA).plan().getRoot())));
    model = fitted.getOperatorInfo().getObjRef();
    assertFalse(model.getId().isEmpty(), "fit returns a model reference: " + fitted);
    classic = classicEstimator().fit(spark.createDataFrame(events(), SCHEMA));
  }

  @AfterAll
  static void stopServer() {
    // The next test class of this JVM builds its own classic session: leave no service, session or context.
    String session = client == null ? null : client.client().sessionId();
    try {
      if (client != null) client.close();
    } finally {
      if (SparkConnectService$.MODULE$.started()) SparkConnectService.stop(Option.empty(), Option.empty());
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    // The server's model cache empties its session folder on close but leaves the folder in java.io.tmpdir.
    if (session != null) {
      java.io.File cache = new java.io.File(System.getProperty("java.io.tmpdir"), "spark_connect_model_cache");
      new java.io.File(cache, session).delete();
      cache.delete(); // only if no other session's folder is left in it
    }
  }

  /** 120 users with 6 distinct items each among 40, overlapping by user, so the factors are not trivial. */
  static List<Row> events() {
    SplittableRandom rng = new SplittableRandom(11);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 120; u++) {
      Set<Integer> seen = new HashSet<>();
      while (seen.size() < 6) seen.add((u % 40 + rng.nextInt(10)) % 40);
      for (int i : seen) rows.add(RowFactory.create(u, i));
    }
    return rows;
  }

  static final StructType SCHEMA = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);

  /** The training events plus pairs of a user and an item the model never saw (they predict NaN). */
  static List<Row> scoredPairs() {
    List<Row> rows = new ArrayList<>(events());
    rows.add(RowFactory.create(0, 999));
    rows.add(RowFactory.create(999, 0));
    return rows;
  }

  static DirectSpecRecommender classicEstimator() {
    return new DirectSpecRecommender(UID).setDim(8).setEpochs(3).setBatchSize(64).setNumBlocks(2).setLr(20).setSeed(3);
  }

  /** The same params as {@link #classicEstimator}, as Connect sends them (name to literal). */
  static MlParams connectParams() {
    return MlParams.newBuilder().putParams("dim", intLit(8)).putParams("epochs", intLit(3))
        .putParams("batchSize", intLit(64)).putParams("numBlocks", intLit(2))
        .putParams("lr", Expression.Literal.newBuilder().setDouble(20).build())
        .putParams("seed", Expression.Literal.newBuilder().setLong(3).build()).build();
  }

  @Test
  void predictionsThroughConnectEqualClassicMode() {
    Map<String, Float> expected = predictions(classic.transform(spark.createDataFrame(scoredPairs(), SCHEMA))
        .collectAsList());
    assertTrue(Float.isNaN(expected.get("0 999")) && Float.isNaN(expected.get("999 0")), "unknown ids predict NaN");
    // Same data, params and seed: the model fitted behind Connect scores every pair exactly as the classic one.
    assertEquals(expected, predictions(transform(model, client.createDataFrame(scoredPairs(), SCHEMA),
        MlParams.getDefaultInstance())));
  }

  @Test
  void transformParamsTravelWithTheCommand() {
    // As PySpark sends a model's params with transform: the top 5 unseen items of each user.
    MlParams ranking = MlParams.newBuilder().putParams("topK", intLit(5))
        .putParams("excludeSeen", Expression.Literal.newBuilder().setBoolean(true).build()).build();
    Map<Integer, List<Double>> expected = rankings(classic.copy(new org.apache.spark.ml.param.ParamMap())
        .setTopK(5).setExcludeSeen(true).transform(spark.createDataFrame(events(), SCHEMA)).collectAsList());
    assertEquals(120, expected.size());
    assertEquals(expected, rankings(transform(model, client.createDataFrame(events(), SCHEMA), ranking)));
  }

  @Test
  void savedFromConnectIsTheModelFolderAndReadsBack(@TempDir Path dir) {
    String path = dir.resolve("model").toString();
    ml(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder().setObjRef(model).setPath(path)
        .setShouldOverwrite(true)));
    DirectSpecRecommenderModel saved = DirectSpecRecommenderModel.load(path);
    assertEquals(UID, saved.uid());
    assertEquals(classic.userFactors().orderBy("id").collectAsList(), saved.userFactors().orderBy("id").collectAsList());
    assertEquals(classic.itemFactors().orderBy("id").collectAsList(), saved.itemFactors().orderBy("id").collectAsList());

    // Read by class name (OPERATOR_TYPE_MODEL goes through the Transformer lookup) into a new cache entry.
    MlCommandResult read = ml(MlCommand.newBuilder().setRead(MlCommand.Read.newBuilder()
        .setOperator(operator(DirectSpecRecommenderModel.class, MlOperator.OperatorType.OPERATOR_TYPE_MODEL))
        .setPath(path)));
    ObjectRef loaded = read.getOperatorInfo().getObjRef();
    assertNotEquals(model.getId(), loaded.getId());
    assertEquals(UID, read.getOperatorInfo().getUid());
    List<Row> pairs = events().subList(0, 60);
    assertEquals(predictions(transform(model, client.createDataFrame(pairs, SCHEMA), MlParams.getDefaultInstance())),
        predictions(transform(loaded, client.createDataFrame(pairs, SCHEMA), MlParams.getDefaultInstance())));
  }

  /**
   * Connect calls model methods only from its own allow-list (ALSModel's recommendFor* are on it, third-party
   * models are not), so the recommend queries are refused: the limit docs/usage.md states.
   */
  @Test
  void recommendMethodsAreRefusedAndUnregisteredOperatorsToo() {
    Exception refused = assertThrows(Exception.class, () -> ml(MlCommand.newBuilder().setFetch(Fetch.newBuilder()
        .setObjRef(model).addMethods(Fetch.Method.newBuilder().setMethod("recommendForAllUsers")
            .addArgs(Fetch.Method.Args.newBuilder().setParam(intLit(5)))))));
    assertTrue(String.valueOf(refused.getMessage()).contains("CONNECT_ML.ATTRIBUTE_NOT_ALLOWED"), refused.toString());
    // An operator without a META-INF/services entry is refused by the same lookup that finds ours.
    Exception unknown = assertThrows(Exception.class, () -> ml(MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
        .setEstimator(MlOperator.newBuilder().setName("dev.directspec.ml.NoSuchRecommender").setUid(UID)
            .setType(MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
        .setDataset(client.createDataFrame(events(), SCHEMA).plan().getRoot()))));
    assertTrue(String.valueOf(unknown.getMessage()).contains("Unsupported ML operator"), unknown.toString());
  }

  private static Expression.Literal intLit(int v) {
    return Expression.Literal.newBuilder().setInteger(v).build();
  }

  private static MlOperator operator(Class<?> type, MlOperator.OperatorType kind) {
    return MlOperator.newBuilder().setName(type.getName()).setUid(UID).setType(kind).build();
  }

  /** Runs one ML command on the server and returns its result (as PySpark's client.execute_command). */
  private static MlCommandResult ml(MlCommand.Builder command) {
    Command c = Command.newBuilder().setMlCommand(command).build();
    for (ExecutePlanResponse r : CollectionConverters.asJava(client.execute(c))) {
      if (r.hasMlCommandResult()) return r.getMlCommandResult();
    }
    throw new AssertionError("no ML command result for " + command);
  }

  /** {@code model.transform(input)} on the server's cached model, as a Connect DataFrame, collected. */
  private static List<Row> transform(ObjectRef model, org.apache.spark.sql.connect.Dataset<Row> input, MlParams params) {
    Relation in = input.plan().getRoot();
    return client.newDataFrame(relation -> {
      relation.setMlRelation(MlRelation.newBuilder().setTransform(MlRelation.Transform.newBuilder()
          .setObjRef(model).setInput(in).setParams(params)));
      return BoxedUnit.UNIT;
    }).collectAsList();
  }

  /** "user item" to prediction, from (user, item, prediction) rows. */
  private static Map<String, Float> predictions(List<Row> rows) {
    Map<String, Float> out = new TreeMap<>();
    for (Row r : rows) out.put(r.getInt(r.fieldIndex("user")) + " " + r.getInt(r.fieldIndex("item")),
        r.getFloat(r.fieldIndex("prediction")));
    assertEquals(rows.size(), out.size(), "one row per pair");
    return out;
  }

  /** user to its ranked item ids, from the topK output (user, label, prediction). */
  private static Map<Integer, List<Double>> rankings(List<Row> rows) {
    Map<Integer, List<Double>> out = new TreeMap<>();
    for (Row r : rows) out.put(r.getInt(r.fieldIndex("user")), r.getList(r.fieldIndex("prediction")));
    return out;
  }
}
