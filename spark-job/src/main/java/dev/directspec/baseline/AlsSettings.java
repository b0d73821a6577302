package dev.directspec.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.typesafe.config.Config;
import dev.directspec.config.Check;
import dev.directspec.config.Settings;

import java.io.Serializable;

/**
 * Validated settings of the ALS baseline (reference.conf section {@code als}): Spark's regParam,
 * alpha, maxIter and checkpointInterval. Rank and seed come from {@code train.dim} and {@code seed}.
 */
public record AlsSettings(
    @JsonProperty("reg_param") double regParam,
    @JsonProperty("implicit_alpha") double alpha,
    @JsonProperty("max_iter") int maxIter,
    @JsonProperty("checkpoint_interval") int checkpointInterval) implements Serializable {

  public AlsSettings {
    Check.nonNegative("als.reg_param", regParam);
    Check.nonNegative("als.implicit_alpha", alpha);
    Check.positive("als.max_iter", maxIter);
    // Spark would also take -1 (never checkpoint), which is what ends in StackOverflowError.
    Check.positive("als.checkpoint_interval", checkpointInterval);
  }

  public static AlsSettings from(Settings settings) {
    Config c = settings.section("als");
    return new AlsSettings(c.getDouble("reg_param"), c.getDouble("implicit_alpha"), c.getInt("max_iter"),
        c.getInt("checkpoint_interval"));
  }
}
