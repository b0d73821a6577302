package dev.directspec.ml;

import com.typesafe.config.Config;
import dev.directspec.config.Settings;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The params' validators and the transform's output schema. A param that maps to a
 * reference.conf key is checked by {@link TrainSettings} itself, so each rule and its message are
 * written once, for the CLI and the ML API alike.
 */
final class ParamChecks {
  /** reference.conf, the one source of the defaults. */
  static final Config REFERENCE = Settings.defaults().config();
  static final Set<String> COLD_START = Set.of("nan", "drop");

  private ParamChecks() {}

  /**
   * Accepts a value when reference.conf with only this key overridden (plus the {@code context} a
   * setting needs to apply at all, e.g. the base_update that smoothing_passes belongs to) builds valid
   * TrainSettings. The combination with the other params is checked again when fit builds the settings.
   */
  static final class Setting<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String owner;
    private final String name;
    private final String key;
    private final List<String> context;

    Setting(Identifiable owner, String name, String key, String... context) {
      this.owner = owner.uid();
      this.name = name;
      this.key = key;
      this.context = List.of(context);
    }

    @Override
    public Object apply(T value) {
      try {
        List<String> overrides = new ArrayList<>();
        for (String c : context) overrides.add(Settings.qualified(c));
        overrides.add(Settings.qualified(key) + "=" + value);
        TrainSettings.from(Settings.load(List.of(), overrides));
      } catch (RuntimeException e) {
        // SettingsException, or a ConfigException for a value HOCON cannot type (NaN): same report.
        throw new IllegalArgumentException(owner + " parameter " + name + " given invalid value " + value
            + ": " + e.getMessage(), e);
      }
      return Boolean.TRUE;
    }
  }

  /** train.method except als, which is Spark's own estimator (org.apache.spark.ml.recommendation.ALS). */
  static final class TrainedMethod extends AbstractFunction1<String, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String owner;
    private final Setting<String> setting;

    TrainedMethod(Identifiable owner) {
      this.owner = owner.uid();
      this.setting = new Setting<>(owner, "method", "train.method");
    }

    @Override
    public Object apply(String value) {
      if (Method.ALS.key.equals(value)) {
        throw new IllegalArgumentException(owner + " parameter method given invalid value als: use Spark's "
            + "org.apache.spark.ml.recommendation.ALS for it; this estimator trains the other methods");
      }
      return setting.apply(value);
    }
  }

  /** Accepts one of a fixed set of strings (Spark's generic message names the param and value). */
  static final class OneOf extends AbstractFunction1<String, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Set<String> allowed;

    OneOf(Set<String> allowed) {
      this.allowed = Set.copyOf(allowed);
    }

    @Override
    public Object apply(String value) {
      return allowed.contains(value);
    }
  }

  /** Accepts a non-blank column name. */
  static final class NonBlank extends AbstractFunction1<String, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(String value) {
      return value != null && !value.isBlank();
    }
  }

  /** The transform's output schema for the model's topK (see {@link DirectSpecRecommenderModelParams#topK}). */
  static StructType outputSchema(StructType schema, String userCol, String itemCol, String predictionCol, int topK) {
    StructType pairs = outputSchema(schema, userCol, itemCol, predictionCol);
    if (topK == 0) return pairs;
    if (schema.apply(itemCol).dataType() instanceof StringType) {
      throw new IllegalArgumentException("topK > 0 ranks items by numeric id (RankingEvaluator reads doubles); "
          + "column '" + itemCol + "' holds strings");
    }
    ArrayType doubles = DataTypes.createArrayType(DataTypes.DoubleType, false);
    return new StructType().add(schema.apply(userCol)).add("label", doubles, false)
        .add(predictionCol, doubles, false);
  }

  /** The input schema plus the prediction column; fails on a missing or non-numeric id column. */
  static StructType outputSchema(StructType schema, String userCol, String itemCol, String predictionCol) {
    for (String c : List.of(userCol, itemCol)) {
      if (!Arrays.asList(schema.fieldNames()).contains(c)) {
        throw new IllegalArgumentException("column '" + c + "' not found; columns: " + Arrays.toString(schema.fieldNames()));
      }
      DataType type = schema.apply(c).dataType();
      if (!(type instanceof NumericType) && !(type instanceof StringType)) {
        throw new IllegalArgumentException("column '" + c + "' must hold int, long or string ids, not "
            + schema.apply(c).dataType().simpleString());
      }
    }
    if (Arrays.asList(schema.fieldNames()).contains(predictionCol)) {
      throw new IllegalArgumentException("output column '" + predictionCol + "' already exists");
    }
    return schema.add(predictionCol, DataTypes.FloatType, false);
  }
}
