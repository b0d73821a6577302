package dev.directspec.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * A fitted DirectSpec model: user and item factors; the prediction of a (user, item) row is their dot
 * product. Rows whose user or item has no factors predict NaN, or are dropped with
 * {@code coldStartStrategy = "drop"} (as Spark's ALS).
 *
 * <p>Ids keep the type they had in {@code fit} (int, long or string; other numeric types become int):
 * the model holds the mapping from each id to its dense row index as the id columns of its factor
 * tables, so every output names users and items by the ids of the input.
 *
 * <p>Persisted as a model folder (metadata.json, user_factors, item_factors, seen), the format the CLI's
 * {@code train} writes, so {@link #load} also reads {@code RUN_DIR/model} (or RUN_DIR itself). There
 * the ids are the dense indices of the prepared dataset (its {@code user} / {@code item} columns);
 * {@link #withOriginalIds} addresses such a model by the original ids instead.
 */
public final class DirectSpecRecommenderModel extends Model<DirectSpecRecommenderModel>
    implements DirectSpecRecommenderModelParams, MLWritable {
  private final String uid;
  private final Declared modelParams;
  /** (user_id string, user int, features array&lt;float&gt;): the model folder's own columns. */
  private final Dataset<Row> users;
  private final Dataset<Row> items;
  /** (user int, item int): the training pairs, for excludeSeen; null when the model does not have them. */
  private final Dataset<Row> seen;
  /** metadata.json without the fields the writer sets (format_version, uid, created); holds id_types. */
  private final ObjectNode training;

  /** An empty model, for Spark Connect's service lookup (which needs a public no-arg constructor). */
  public DirectSpecRecommenderModel() {
    this(Identifiable.randomUID("directspec"));
  }

  /** An empty model with this uid, as Spark Connect builds transformers; {@link #load} gives a usable one. */
  public DirectSpecRecommenderModel(String uid) {
    this(uid, null, null, null, IdTypes.empty());
  }

  DirectSpecRecommenderModel(String uid, Dataset<Row> users, Dataset<Row> items, Dataset<Row> seen,
      ObjectNode training) {
    this.uid = uid;
    modelParams = new Declared(this);
    this.users = users;
    this.items = items;
    this.seen = seen;
    this.training = training;
  }

  /** (id, features array&lt;float&gt;), one row per user with factors; id of the users' id type. */
  public Dataset<Row> userFactors() {
    return side(true).factors().join(side(true).keys(), "index").select(col("key").as("id"), col("features"));
  }

  /** (id, features array&lt;float&gt;), one row per item with factors; id of the items' id type. */
  public Dataset<Row> itemFactors() {
    return side(false).factors().join(side(false).keys(), "index").select(col("key").as("id"), col("features"));
  }

  /** Embedding dimension d. */
  public int getDim() {
    return training.path("dim").asInt();
  }

  /** The training objective (directspec+, ...). */
  public String getMethod() {
    return training.path("method").asText();
  }

  /** The encoder (mf or lightgcn); a LightGCN model's factors are already propagated. */
  public String getModel() {
    return training.path("model").asText();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return ParamChecks.outputSchema(schema, getUserCol(), getItemCol(), getPredictionCol(), getTopK());
  }

  /**
   * With topK = 0, the input plus predictionCol, the score of each row's (user, item) pair. With topK =
   * k > 0, one row per user of the input: (userCol, label: the user's items in the input, predictionCol:
   * its k best items, excludeSeen applied), item ids as doubles, for Spark's RankingEvaluator.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> data = dataset.toDF();
    if (getTopK() > 0) return ranked(data);
    // Columns named after the uid cannot clash with the input's own columns.
    String u = "__" + uid() + "_u";
    String uf = "__" + uid() + "_uf";
    String i = "__" + uid() + "_i";
    String itf = "__" + uid() + "_if";
    Dataset<Row> userTable = userFactors().select(col("id").as(u), col("features").as(uf));
    Dataset<Row> itemTable = itemFactors().select(col("id").as(i), col("features").as(itf));
    // Ids are compared by value, so an id the model never saw simply has no factors.
    String join = "drop".equals(getColdStartStrategy()) ? "inner" : "left";
    Dataset<Row> joined = data.join(userTable, data.col(getUserCol()).equalTo(userTable.col(u)), join)
        .join(itemTable, data.col(getItemCol()).equalTo(itemTable.col(i)), join);
    Column dot = expr("aggregate(zip_with(`" + uf + "`, `" + itf + "`, (x, y) -> CAST(x AS DOUBLE) * y), "
        + "0D, (acc, v) -> acc + v)").cast("float");
    return joined.withColumn(getPredictionCol(), coalesce(dot, lit(Float.NaN)))
        .drop(u, uf, i, itf);
  }

  /**
   * The k best-scored items of every user with factors: (userCol, recommendations array of
   * struct(itemCol, rating)), best first, as ALS's recommendForAllUsers; with excludeSeen, the user's
   * training items are left out. Scored block by block on the executors; nothing per user reaches the
   * driver.
   */
  public Dataset<Row> recommendForAllUsers(int k) {
    return recommendUsers(side(true).factors(), k);
  }

  /** As {@link #recommendForAllUsers} for the distinct users in the userCol column of {@code dataset}. */
  public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int k) {
    return recommendUsers(Rankings.subset(side(true), dataset, getUserCol()), k);
  }

  /**
   * The k best-scored users of every item: (itemCol, recommendations array of struct(userCol, rating)),
   * as ALS's recommendForAllItems; with excludeSeen, the item's training users are left out.
   */
  public Dataset<Row> recommendForAllItems(int k) {
    return recommendItems(side(false).factors(), k);
  }

  /** As {@link #recommendForAllItems} for the distinct items in the itemCol column of {@code dataset}. */
  public Dataset<Row> recommendForItemSubset(Dataset<?> dataset, int k) {
    return recommendItems(Rankings.subset(side(false), dataset, getItemCol()), k);
  }

  /**
   * The k items most similar to every item by the cosine of their factor rows as scored (the item
   * rows of the dot product, so LightGCN's propagated rows): (itemCol, similar array of
   * struct(itemCol, similarity)), best first, the item itself left out.
   */
  public Dataset<Row> similarItems(int k) {
    return Rankings.similar(side(false), side(false).factors(), k);
  }

  /** As {@link #similarItems(int)} for the distinct items in the itemCol column of {@code dataset}. */
  public Dataset<Row> similarItems(Dataset<?> dataset, int k) {
    return Rankings.similar(side(false), Rankings.subset(side(false), dataset, getItemCol()), k);
  }

  /** The k users most similar to every user by the cosine of their factor rows: (userCol, similar). */
  public Dataset<Row> similarUsers(int k) {
    return Rankings.similar(side(true), side(true).factors(), k);
  }

  /** As {@link #similarUsers(int)} for the distinct users in the userCol column of {@code dataset}. */
  public Dataset<Row> similarUsers(Dataset<?> dataset, int k) {
    return Rankings.similar(side(true), Rankings.subset(side(true), dataset, getUserCol()), k);
  }

  /**
   * This model with {@code interactions} (userCol, itemCol, by this model's ids) as the seen pairs
   * excludeSeen leaves out, e.g. for a model folder written by {@code train}, which keeps its training
   * pairs in the dataset folder; pairs of unknown users or items are ignored.
   */
  public DirectSpecRecommenderModel withSeen(Dataset<?> interactions) {
    Dataset<Row> in = interactions.toDF();
    Dataset<Row> u = side(true).keys();
    Dataset<Row> i = side(false).keys();
    Dataset<Row> pairs = in.join(u, in.col(getUserCol()).equalTo(u.col("key")))
        .select(u.col("index").as("user"), in.col(getItemCol()).as("__item"));
    pairs = pairs.join(i, pairs.col("__item").equalTo(i.col("key")))
        .select(col("user"), i.col("index").as("item")).distinct();
    return copyValues(new DirectSpecRecommenderModel(uid(), users, items, pairs, training), ParamMap.empty())
        .setParent(parent());
  }

  /**
   * This model addressed by the original ids of a model folder written by {@code train} (its
   * {@code user_id} / {@code item_id} text) instead of the prepared dataset's dense indices.
   */
  public DirectSpecRecommenderModel withOriginalIds() {
    ObjectNode t = training.deepCopy();
    IdTypes.set(t, "string", "string");
    return copyValues(new DirectSpecRecommenderModel(uid(), users, items, seen, t), ParamMap.empty())
        .setParent(parent());
  }

  private Dataset<Row> ranked(Dataset<Row> data) {
    String user = getUserCol();
    Dataset<Row> labels = data.groupBy(col(user)).agg(collect_set(col(getItemCol()).cast("double")).as("label"));
    Dataset<Row> recs = recommendForUserSubset(data, getTopK()).select(col(user).as("__user"),
        expr("transform(recommendations, x -> CAST(x.`" + getItemCol() + "` AS DOUBLE))").as("__recs"));
    // Users without factors get nothing recommended: an empty list, which every ranking metric scores 0.
    return labels.join(recs, labels.col(user).equalTo(recs.col("__user")), "left")
        .select(labels.col(user), col("label"),
            coalesce(col("__recs"), expr("CAST(array() AS ARRAY<DOUBLE>)")).as(getPredictionCol()));
  }

  private Dataset<Row> recommendUsers(Dataset<Row> queries, int k) {
    return Rankings.recommend(side(true), queries, side(false), excluded("user", "item"), k, "rating");
  }

  private Dataset<Row> recommendItems(Dataset<Row> queries, int k) {
    return Rankings.recommend(side(false), queries, side(true), excluded("item", "user"), k, "rating");
  }

  private Dataset<Row> excluded(String by, String other) {
    if (!getExcludeSeen()) return null;
    if (seen == null) {
      throw new IllegalStateException(uid() + ": excludeSeen is set but this model has no training interactions "
          + "(a model folder written by train keeps them in its dataset folder): give them with withSeen(...)");
    }
    return Rankings.interacted(seen, by, other);
  }

  /** The users' (true) or items' factors by row index, and their ids in the type they had in fit. */
  private Rankings.Side side(boolean user) {
    Dataset<Row> table = user ? users : items;
    if (table == null) {
      throw new IllegalStateException(uid() + " has no factors: fit the estimator or load a saved model");
    }
    String s = user ? "user" : "item";
    String type = IdTypes.of(training, s);
    Column key = IdTypes.INDEX.equals(type) ? col(s) : col(s + "_id").cast(type);
    return new Rankings.Side(table.select(col(s).as("index"), col("features")),
        table.select(col(s).as("index"), key.as("key")), user ? getUserCol() : getItemCol());
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared modelParams() {
    return modelParams;
  }

  public DirectSpecRecommenderModel setUserCol(String value) {
    set(userCol(), value);
    return this;
  }

  public DirectSpecRecommenderModel setItemCol(String value) {
    set(itemCol(), value);
    return this;
  }

  public DirectSpecRecommenderModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public DirectSpecRecommenderModel setColdStartStrategy(String value) {
    set(coldStartStrategy(), value);
    return this;
  }

  public DirectSpecRecommenderModel setExcludeSeen(boolean value) {
    set(excludeSeen(), value);
    return this;
  }

  public DirectSpecRecommenderModel setTopK(int value) {
    set(topK(), value);
    return this;
  }

  /**
   * The size Spark Connect's model cache charges for this model: the factor rows (d floats and an id each)
   * and the training pairs, as ALSModel counts its factors. Spark's default walks the object graph, which
   * from the Datasets reaches the whole session: about 1.4 GB for any model and minutes of walking, over the
   * cache's 1 GB limit (CONNECT_ML.MODEL_SIZE_OVERFLOW_EXCEPTION, SparkConnectIT).
   */
  @Override
  public long estimatedSize() {
    if (users == null) return 0;
    long rows = users.count() + items.count();
    long pairs = seen == null ? 0 : seen.count();
    return rows * (getDim() + 1L) * Float.BYTES + pairs * 2L * Integer.BYTES;
  }

  @Override
  public DirectSpecRecommenderModel copy(ParamMap extra) {
    return copyValues(new DirectSpecRecommenderModel(uid(), users, items, seen, training), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelFolder.Writer(this);
  }

  public static MLReader<DirectSpecRecommenderModel> read() {
    return new ModelFolder.Reader();
  }

  /** Reads a model folder written by {@link #write} or by the CLI's train (a run folder works too). */
  public static DirectSpecRecommenderModel load(String path) {
    return read().load(path);
  }

  Dataset<Row> userTable() {
    return users;
  }

  Dataset<Row> itemTable() {
    return items;
  }

  Dataset<Row> seenTable() {
    return seen;
  }

  ObjectNode training() {
    return training.deepCopy();
  }
}
