package dev.directspec.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * A fitted DirectSpec model: user and item factors; the prediction of a (user, item) row is their dot
 * product. Rows whose user or item has no factors predict NaN, or are dropped with
 * {@code coldStartStrategy = "drop"} (as Spark's ALS).
 *
 * <p>Persisted as a model folder (metadata.json, user_factors, item_factors), the format the CLI's
 * {@code train} writes, so {@link #load} also reads {@code RUN_DIR/model} (or RUN_DIR itself). There
 * the ids are the dense indices of the prepared dataset (its {@code user} / {@code item} columns).
 */
public final class DirectSpecRecommenderModel extends Model<DirectSpecRecommenderModel> implements MLWritable {
  private final String uid;
  /** (user_id string, user int, features array&lt;float&gt;): the model folder's own columns. */
  private final Dataset<Row> users;
  private final Dataset<Row> items;
  /** metadata.json without the fields the writer sets (format_version, uid, created). */
  private final ObjectNode training;
  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> predictionCol;
  private final Param<String> coldStartStrategy;

  DirectSpecRecommenderModel(String uid, Dataset<Row> users, Dataset<Row> items, ObjectNode training) {
    this.uid = uid;
    this.users = users;
    this.items = items;
    this.training = training;
    userCol = ParamChecks.userCol(this);
    itemCol = ParamChecks.itemCol(this);
    predictionCol = ParamChecks.predictionCol(this);
    coldStartStrategy = ParamChecks.coldStartStrategy(this);
    setDefault(userCol, "user");
    setDefault(itemCol, "item");
    setDefault(predictionCol, "prediction");
    setDefault(coldStartStrategy, "nan");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** (id int, features array&lt;float&gt;), one row per user with factors. */
  public Dataset<Row> userFactors() {
    return users.select(col("user").as("id"), col("features"));
  }

  /** (id int, features array&lt;float&gt;), one row per item with factors. */
  public Dataset<Row> itemFactors() {
    return items.select(col("item").as("id"), col("features"));
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
    return ParamChecks.outputSchema(schema, getUserCol(), getItemCol(), getPredictionCol());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> data = dataset.toDF();
    // Columns named after the uid cannot clash with the input's own columns.
    String u = "__" + uid + "_u";
    String uf = "__" + uid + "_uf";
    String i = "__" + uid + "_i";
    String itf = "__" + uid + "_if";
    Dataset<Row> userTable = users.select(col("user").as(u), col("features").as(uf));
    Dataset<Row> itemTable = items.select(col("item").as(i), col("features").as(itf));
    // Ids are compared as numbers, so a negative, fractional or too large id simply has no factors.
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
   * struct(itemCol, rating)), best first, as ALS's recommendForAllUsers. Scored block by block on the
   * executors; nothing per user reaches the driver.
   */
  public Dataset<Row> recommendForAllUsers(int k) {
    return TopItems.forAll(userFactors(), itemFactors(), k, getUserCol(), getItemCol());
  }

  @Override
  public DirectSpecRecommenderModel copy(ParamMap extra) {
    return copyValues(new DirectSpecRecommenderModel(uid, users, items, training), extra).setParent(parent());
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

  ObjectNode training() {
    return training.deepCopy();
  }

  public Param<String> userCol() {
    return userCol;
  }

  public String getUserCol() {
    return getOrDefault(userCol);
  }

  public DirectSpecRecommenderModel setUserCol(String value) {
    set(userCol, value);
    return this;
  }

  public Param<String> itemCol() {
    return itemCol;
  }

  public String getItemCol() {
    return getOrDefault(itemCol);
  }

  public DirectSpecRecommenderModel setItemCol(String value) {
    set(itemCol, value);
    return this;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public DirectSpecRecommenderModel setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public Param<String> coldStartStrategy() {
    return coldStartStrategy;
  }

  public String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy);
  }

  public DirectSpecRecommenderModel setColdStartStrategy(String value) {
    set(coldStartStrategy, value);
    return this;
  }
}
