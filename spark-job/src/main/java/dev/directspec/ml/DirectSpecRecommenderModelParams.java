package dev.directspec.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * The params of {@link DirectSpecRecommenderModel} (the columns, coldStartStrategy, excludeSeen, topK),
 * apart from its data and queries. Public only because Spark finds params by reflection on public methods.
 */
public abstract class DirectSpecRecommenderModelParams extends Model<DirectSpecRecommenderModel> {
  private final String uid;
  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> predictionCol;
  private final Param<String> coldStartStrategy;
  private final BooleanParam excludeSeen;
  private final IntParam topK;

  DirectSpecRecommenderModelParams(String uid) {
    // Params take their parent's uid when built, so it must be set before them.
    this.uid = uid;
    userCol = ParamChecks.userCol(this);
    itemCol = ParamChecks.itemCol(this);
    predictionCol = ParamChecks.predictionCol(this);
    coldStartStrategy = ParamChecks.coldStartStrategy(this);
    excludeSeen = ParamChecks.excludeSeen(this);
    setDefault(userCol, "user");
    setDefault(itemCol, "item");
    setDefault(predictionCol, "prediction");
    setDefault(coldStartStrategy, "nan");
    setDefault(excludeSeen, false);
    topK = ParamChecks.topK(this);
    setDefault(topK, 0);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** This model as its concrete type, for the setters' fluent returns. */
  abstract DirectSpecRecommenderModel self();

  public Param<String> userCol() {
    return userCol;
  }

  public String getUserCol() {
    return getOrDefault(userCol);
  }

  public DirectSpecRecommenderModel setUserCol(String value) {
    set(userCol, value);
    return self();
  }

  public Param<String> itemCol() {
    return itemCol;
  }

  public String getItemCol() {
    return getOrDefault(itemCol);
  }

  public DirectSpecRecommenderModel setItemCol(String value) {
    set(itemCol, value);
    return self();
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public DirectSpecRecommenderModel setPredictionCol(String value) {
    set(predictionCol, value);
    return self();
  }

  public Param<String> coldStartStrategy() {
    return coldStartStrategy;
  }

  public String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy);
  }

  public DirectSpecRecommenderModel setColdStartStrategy(String value) {
    set(coldStartStrategy, value);
    return self();
  }

  public BooleanParam excludeSeen() {
    return excludeSeen;
  }

  public boolean getExcludeSeen() {
    return (Boolean) getOrDefault(excludeSeen);
  }

  public DirectSpecRecommenderModel setExcludeSeen(boolean value) {
    set(excludeSeen, value);
    return self();
  }

  public IntParam topK() {
    return topK;
  }

  public int getTopK() {
    return (Integer) getOrDefault(topK);
  }

  public DirectSpecRecommenderModel setTopK(int value) {
    set(topK, value);
    return self();
  }
}
