package dev.directspec.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link DirectSpecRecommenderModel} (the columns, coldStartStrategy, excludeSeen, topK),
 * which {@link DirectSpecRecommender} has too, as Spark's {@code ALSModelParams} is shared by ALS and
 * ALSModel: declared, with their defaults, only here. Public only because Spark finds params by
 * reflection on public methods.
 */
public interface DirectSpecRecommenderModelParams extends Params {
  /**
   * The param objects behind the accessors below, as an interface holds no fields: each implementation
   * builds one in its constructor, once its uid is set (params take their parent's uid when built).
   */
  Declared modelParams();

  default Param<String> userCol() {
    return modelParams().userCol;
  }

  default String getUserCol() {
    return getOrDefault(userCol());
  }

  default Param<String> itemCol() {
    return modelParams().itemCol;
  }

  default String getItemCol() {
    return getOrDefault(itemCol());
  }

  default Param<String> predictionCol() {
    return modelParams().predictionCol;
  }

  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  default Param<String> coldStartStrategy() {
    return modelParams().coldStartStrategy;
  }

  default String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy());
  }

  default BooleanParam excludeSeen() {
    return modelParams().excludeSeen;
  }

  default boolean getExcludeSeen() {
    return (Boolean) getOrDefault(excludeSeen());
  }

  default IntParam topK() {
    return modelParams().topK;
  }

  default int getTopK() {
    return (Integer) getOrDefault(topK());
  }

  /** The shared params of one owner, their defaults set on it. */
  final class Declared {
    final Param<String> userCol;
    final Param<String> itemCol;
    final Param<String> predictionCol;
    final Param<String> coldStartStrategy;
    final BooleanParam excludeSeen;
    final IntParam topK;

    Declared(DirectSpecRecommenderModelParams owner) {
      userCol = new Param<>(owner, "userCol", "column of the user ids: int, long or string "
          + "(other numeric types must hold integral values and become int)", new ParamChecks.NonBlank());
      itemCol = new Param<>(owner, "itemCol", "column of the item ids: int, long or string "
          + "(other numeric types must hold integral values and become int)", new ParamChecks.NonBlank());
      predictionCol = new Param<>(owner, "predictionCol", "output column: dot product of the user and item factors",
          new ParamChecks.NonBlank());
      coldStartStrategy = new Param<>(owner, "coldStartStrategy", "rows whose user or item has no factors: nan "
          + "(predict NaN) or drop (leave the row out, e.g. for evaluation)", new ParamChecks.OneOf(ParamChecks.COLD_START));
      excludeSeen = new BooleanParam(owner, "excludeSeen", "recommend methods leave out the pairs seen in training "
          + "(default false, as ALS)");
      topK = new IntParam(owner, "topK", "transform's output: 0 = the prediction of every input row (as ALS); "
          + "k > 0 = one row per user of the input with its k best items (predictionCol) and its items in the "
          + "input (label), both array<double>, the layout of Spark's RankingEvaluator", ParamValidators.gtEq(0));
      owner.setDefault(userCol, "user");
      owner.setDefault(itemCol, "item");
      owner.setDefault(predictionCol, "prediction");
      owner.setDefault(coldStartStrategy, "nan");
      owner.setDefault(excludeSeen, false);
      owner.setDefault(topK, 0);
    }
  }
}
