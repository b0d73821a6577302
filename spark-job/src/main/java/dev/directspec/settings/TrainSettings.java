package dev.directspec.settings;

import com.typesafe.config.Config;
import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.kernels.InBatchFilter;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validated training settings (reference.conf section {@code train}, plus the top-level seed and the
 * evaluation cut-offs). Built once on the driver and shipped to tasks; algorithm code reads only this.
 */
public record TrainSettings(
    String model, Method method, int dim, int batchSize, int epochs, double lr, double lrDecay,
    double alpha, double tau, double tau0, double tau1, double shrinkNorm, double reg,
    double uniformityWeight, double uniformityT, GramBalance gramBalance, double gramAlpha, int blocks, int rounds,
    int evalEvery, boolean evalAtEnd, int checkpointEvery, int lineageCutEvery, String warmStart, int layers,
    String layerCombination, String baseUpdate, int smoothingPasses, double baseStep, double graphSpread,
    double initStd, String optimizer, double adamBeta1, double adamBeta2, double adamEps, double itemNormPower,
    double maxFactorNorm, int negatives, long seed, List<Integer> ks)
    implements Serializable {

  /**
   * train.base_update by name: how many times LightGCN's round movement F' - F passes through the
   * propagation P_w before it is added to E (the one place that lists the allowed names). For smoothed
   * the entry is the default of train.smoothing_passes (reference.conf), which is the one value that
   * setting may keep under the other base updates.
   */
  private static final Map<String, Integer> MOVEMENT_PASSES = Map.of("preconditioned", 0, "chain_rule", 1,
      "smoothed", 2);

  /** Upper bound of train.negatives: the batch's negative rows (B x N x d floats) stay a task-sized buffer. */
  public static final int MAX_NEGATIVES = 256;

  /** The training objectives, by their setting names. */
  public enum Method {
    DIRECTSPEC_PLUS("directspec+"), DIRECTSPEC_PLUS_ADAPTIVE("directspec+adaptive"),
    DIRECTSPEC("directspec"), BPR("bpr"), ALIGN("align"), DIRECTAU("directau"),
    /** Spark MLlib's implicit ALS, a baseline trained outside the epoch loop (dev.directspec.baseline). */
    ALS("als");

    public final String key;

    Method(String key) {
      this.key = key;
    }

    public static Method of(String key) {
      for (Method m : values()) {
        if (m.key.equals(key)) return m;
      }
      throw new SettingsException("train.method must be one of directspec+, directspec+adaptive, directspec, "
          + "bpr, align, directau, als: " + key);
    }
  }

  /** Whether the epoch-end Gram step applies the all-pass filter (docs/method.md 2). */
  public enum GramBalance { AUTO, ON, OFF }

  public TrainSettings {
    Check.oneOf("train.model", model, Set.of("mf", "lightgcn"));
    Check.positive("train.dim", dim);
    Check.positive("train.batch_size", batchSize);
    Check.nonNegative("train.epochs", epochs);
    Check.positive("train.lr", lr);
    Check.range("train.lr_decay", lrDecay, 0, false, 1, true);
    Check.range("train.alpha", alpha, 0, true, 1, true);
    // InBatchFilter's softmax shift keeps exp() in float range only up to this temperature.
    Check.range("train.tau", tau, 0, false, InBatchFilter.MAX_TAU, true);
    Check.range("train.tau0", tau0, 0, false, InBatchFilter.MAX_TAU, true);
    Check.range("train.tau1", tau1, 0, false, InBatchFilter.MAX_TAU, true);
    Check.nonNegative("train.shrink_norm", shrinkNorm);
    Check.nonNegative("train.reg", reg);
    Check.nonNegative("train.uniformity_weight", uniformityWeight);
    Check.positive("train.uniformity_t", uniformityT);
    Check.range("train.gram_alpha", gramAlpha, 0, false, 1.0 / 3, false);
    Check.nonNegative("train.blocks", blocks);
    Check.positive("train.rounds", rounds);
    Check.nonNegative("train.eval_every", evalEvery);
    Check.nonNegative("train.checkpoint_every", checkpointEvery);
    Check.positive("train.lineage_cut_every", lineageCutEvery);
    Check.positive("train.layers", layers);
    Check.oneOf("train.layer_combination", layerCombination, Set.of("sum", "mean"));
    Check.oneOf("train.base_update", baseUpdate, MOVEMENT_PASSES.keySet());
    if (smoothingPasses < 2 || smoothingPasses > 6) {
      throw new SettingsException("train.smoothing_passes must be in [2, 6]: " + smoothingPasses);
    }
    if (smoothingPasses != MOVEMENT_PASSES.get("smoothed") && !baseUpdate.equals("smoothed")) {
      throw new SettingsException("train.smoothing_passes applies to train.base_update = smoothed only, not "
          + baseUpdate + ": " + smoothingPasses);
    }
    Check.range("train.base_step", baseStep, 0, false, 16, true);
    Check.range("train.graph_spread", graphSpread, 0, true, 1, true);
    Check.nonNegative("train.init_std", initStd);
    Check.oneOf("train.optimizer", optimizer, Set.of("sgd", "adam"));
    Check.range("train.adam_beta1", adamBeta1, 0, true, 1, false);
    Check.range("train.adam_beta2", adamBeta2, 0, true, 1, false);
    Check.positive("train.adam_eps", adamEps);
    Check.range("train.item_norm_power", itemNormPower, 0, true, 4, true);
    Check.positive("train.max_factor_norm", maxFactorNorm);
    Check.range("train.negatives", negatives, 1, true, MAX_NEGATIVES, true);
    if (negatives != 1 && method != Method.BPR) {
      throw new SettingsException("train.negatives applies to method bpr only (the other methods sample no "
          + "negatives), not " + method.key + ": " + negatives);
    }
    if (method == Method.DIRECTSPEC_PLUS_ADAPTIVE && !(tau0 < tau1)) {
      throw new SettingsException("train.tau0 must be < train.tau1 for directspec+adaptive: " + tau0 + " >= " + tau1);
    }
    if (graphSpread > 0 && !optimizer.equals("sgd")) {
      // The spread is an SGD step on the neighbours; Adam's per-row moments have no such counterpart.
      throw new SettingsException("train.graph_spread > 0 needs train.optimizer = sgd: " + optimizer);
    }
    if (method == Method.ALS && !model.equals("mf")) {
      throw new SettingsException("train.model must be mf for method als: " + model);
    }
    if (method == Method.ALS && !warmStart.isEmpty()) {
      throw new SettingsException("train.warm_start is not supported by method als (Spark's ALS starts from "
          + "its own random factors): " + warmStart);
    }
    if (method == Method.ALS && itemNormPower != 1) {
      throw new SettingsException("train.item_norm_power is not supported by method als (its model is written by "
          + "Spark's ALS as fitted): " + itemNormPower);
    }
    if (ks.isEmpty()) throw new SettingsException("eval.ks must not be empty");
    for (int k : ks) Check.positive("eval.ks", k);
    ks = List.copyOf(ks);
  }

  public static TrainSettings from(Settings settings) {
    Config t = settings.section("train");
    return new TrainSettings(
        t.getString("model"), Method.of(t.getString("method")), t.getInt("dim"), t.getInt("batch_size"),
        t.getInt("epochs"), t.getDouble("lr"), t.getDouble("lr_decay"), t.getDouble("alpha"),
        t.getDouble("tau"), t.getDouble("tau0"), t.getDouble("tau1"), t.getDouble("shrink_norm"),
        t.getDouble("reg"), t.getDouble("uniformity_weight"), t.getDouble("uniformity_t"),
        GramBalance.valueOf(Check.oneOf("train.gram_balance", t.getString("gram_balance"),
            Set.of("auto", "on", "off")).toUpperCase()), t.getDouble("gram_alpha"),
        t.getInt("blocks"), t.getInt("rounds"), t.getInt("eval_every"), t.getBoolean("eval_at_end"),
        t.getInt("checkpoint_every"), t.getInt("lineage_cut_every"), t.getString("warm_start"),
        t.getInt("layers"), t.getString("layer_combination"),
        t.getString("base_update"), t.getInt("smoothing_passes"), t.getDouble("base_step"), t.getDouble("graph_spread"),
        t.getDouble("init_std"), t.getString("optimizer"),
        t.getDouble("adam_beta1"), t.getDouble("adam_beta2"), t.getDouble("adam_eps"), t.getDouble("item_norm_power"),
        t.getDouble("max_factor_norm"), t.getInt("negatives"), settings.config().getLong("seed"), settings.config().getIntList("eval.ks"));
  }

  /** True when the epoch-end Gram step rescales the spectrum (not only measures it). */
  public boolean balancesAtEpochEnd() {
    return switch (gramBalance) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> method == Method.DIRECTSPEC;
    };
  }

  /**
   * True when a cell's steps read the item block's adjacency (the adaptive temperature's co-interactions
   * of items, LightGCN's graph spread); otherwise item blocks move between strata without it.
   */
  public boolean cellsReadItemAdjacency() {
    return method == Method.DIRECTSPEC_PLUS_ADAPTIVE || (model.equals("lightgcn") && graphSpread > 0);
  }

  /** True when the cell steps use Adam, whose per-row moments travel with the blocks and checkpoints. */
  public boolean usesAdam() {
    return optimizer.equals("adam");
  }

  /**
   * Passes of the round movement through P_w for train.base_update (see {@link #MOVEMENT_PASSES});
   * smoothed takes train.smoothing_passes.
   */
  public int movementPasses() {
    return baseUpdate.equals("smoothed") ? smoothingPasses : MOVEMENT_PASSES.get(baseUpdate);
  }

  /** The learning rate of a 0-based epoch: lr * lr_decay^epoch. */
  public double learningRate(int epoch) {
    return lr * Math.pow(lrDecay, epoch);
  }

  public int maxK() {
    return ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }
}
