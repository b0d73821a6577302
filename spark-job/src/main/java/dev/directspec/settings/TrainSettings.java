package dev.directspec.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated training settings (reference.conf section {@code train}, plus the top-level seed and the
 * evaluation cut-offs), one small record per concern. Built once on the driver and shipped to tasks;
 * algorithm code reads only this. Each record checks its own bounds; the rules that join two concerns are
 * checked here, so every rule lives in this package and nowhere else.
 */
public record TrainSettings(ModelSettings model, MethodSettings method, OptimizerSettings optimizer,
    ScheduleSettings schedule, EvalSettings eval, LightGcnSettings lightGcn, long seed) implements Serializable {

  public TrainSettings {
    Method kind = method.kind();
    if (kind == Method.DIRECTAU && schedule.batchSize() < 2) {
      // The uniformity term averages over pairs of distinct rows of a batch.
      throw new SettingsException("train.batch_size must be >= 2 for directau: " + schedule.batchSize());
    }
    if (lightGcn.graphSpread() > 0 && optimizer.kind() != Optimizer.SGD) {
      // The spread is an SGD step on the neighbours; Adam's per-row moments have no such counterpart.
      throw new SettingsException("train.graph_spread > 0 needs train.optimizer = sgd: " + optimizer.kind().key());
    }
    if (kind == Method.ALS && model.kind() != ModelKind.MF) {
      throw new SettingsException("train.model must be mf for method als: " + model.kind().key());
    }
    if (kind == Method.ALS && !schedule.warmStart().isEmpty()) {
      throw new SettingsException("train.warm_start is not supported by method als (Spark's ALS starts from "
          + "its own random factors): " + schedule.warmStart());
    }
    if (kind == Method.ALS && model.itemNormPower() != 1) {
      throw new SettingsException("train.item_norm_power is not supported by method als (its model is written by "
          + "Spark's ALS as fitted): " + model.itemNormPower());
    }
  }

  /** train.lr: a number, or auto for the method's own starting rate ({@link Method#defaultLr}). */
  static double learningRate(Config t, Method method, Optimizer optimizer) {
    if (t.getValue("lr").valueType() == ConfigValueType.STRING && t.getString("lr").equals(AUTO)) {
      return method.defaultLr(optimizer);
    }
    try {
      return t.getDouble("lr");
    } catch (ConfigException.WrongType e) {
      throw new SettingsException("train.lr must be a number > 0 or auto, got " + t.getValue("lr").render());
    }
  }

  public static final String AUTO = "auto";

  /** Reads and checks the {@code train} section, {@code seed} and {@code eval.ks}: the one reader of these keys. */
  public static TrainSettings from(Settings settings) {
    Config t = settings.section("train");
    Method method = Method.of(t.getString("method"));
    GramBalance gramBalance = SettingEnum.parse(GramBalance.class, "train.gram_balance", t.getString("gram_balance"));
    ModelSettings model = new ModelSettings(
        SettingEnum.parse(ModelKind.class, "train.model", t.getString("model")), t.getInt("dim"),
        t.getDouble("init_std"), t.getDouble("item_norm_power"));
    ScheduleSettings schedule = new ScheduleSettings(t.getInt("epochs"), t.getInt("batch_size"), t.getInt("blocks"),
        t.getInt("rounds"), t.getInt("checkpoint_every"), t.getInt("lineage_cut_every"), t.getString("warm_start"));
    Optimizer kind = SettingEnum.parse(Optimizer.class, "train.optimizer", t.getString("optimizer"));
    OptimizerSettings optimizer = new OptimizerSettings(kind, learningRate(t, method, kind),
        t.getDouble("lr_decay"), t.getDouble("adam_beta1"), t.getDouble("adam_beta2"), t.getDouble("adam_eps"),
        t.getDouble("max_factor_norm"));
    MethodSettings objective = new MethodSettings(method, t.getDouble("alpha"), t.getDouble("tau"),
        t.getDouble("tau0"), t.getDouble("tau1"), t.getDouble("shrink_norm"), t.getDouble("reg"),
        t.getDouble("uniformity_weight"), t.getDouble("uniformity_t"), gramBalance, t.getDouble("gram_alpha"),
        t.getInt("negatives"), t.getDouble("negative_weight"));
    EvalSettings eval = new EvalSettings(t.getInt("eval_every"), t.getBoolean("eval_at_end"),
        settings.config().getIntList("eval.ks"));
    LightGcnSettings lightGcn = new LightGcnSettings(t.getInt("layers"),
        SettingEnum.parse(LayerCombination.class, "train.layer_combination", t.getString("layer_combination")),
        SettingEnum.parse(BaseUpdate.class, "train.base_update", t.getString("base_update")),
        t.getInt("smoothing_passes"), t.getDouble("base_step"), t.getDouble("graph_spread"));
    return new TrainSettings(model, objective, optimizer, schedule, eval, lightGcn,
        settings.config().getLong("seed"));
  }

  /**
   * True when a cell's steps read the item block's adjacency (the adaptive temperature's co-interactions
   * of items, LightGCN's graph spread); otherwise item blocks move between strata without it.
   */
  public boolean cellsReadItemAdjacency() {
    return method.kind() == Method.DIRECTSPEC_PLUS_ADAPTIVE || (model.lightGcn() && lightGcn.graphSpread() > 0);
  }

  /**
   * The settings as model folders record them (metadata.json {@code settings}): one flat object with the
   * names and spellings it had before the settings were split, so folders stay comparable across versions.
   */
  public Map<String, Object> recorded() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model.kind().key());
    m.put("method", method.kind().name());
    m.put("dim", model.dim());
    m.put("batchSize", schedule.batchSize());
    m.put("epochs", schedule.epochs());
    m.put("lr", optimizer.lr());
    m.put("lrDecay", optimizer.lrDecay());
    m.put("alpha", method.alpha());
    m.put("tau", method.tau());
    m.put("tau0", method.tau0());
    m.put("tau1", method.tau1());
    m.put("shrinkNorm", method.shrinkNorm());
    m.put("reg", method.reg());
    m.put("uniformityWeight", method.uniformityWeight());
    m.put("uniformityT", method.uniformityT());
    m.put("gramBalance", method.gramBalance().name());
    m.put("gramAlpha", method.gramAlpha());
    m.put("blocks", schedule.blocks());
    m.put("rounds", schedule.rounds());
    m.put("evalEvery", eval.evalEvery());
    m.put("evalAtEnd", eval.evalAtEnd());
    m.put("checkpointEvery", schedule.checkpointEvery());
    m.put("lineageCutEvery", schedule.lineageCutEvery());
    m.put("warmStart", schedule.warmStart());
    m.put("layers", lightGcn.layers());
    m.put("layerCombination", lightGcn.layerCombination().key());
    m.put("baseUpdate", lightGcn.baseUpdate().key());
    m.put("smoothingPasses", lightGcn.smoothingPasses());
    m.put("baseStep", lightGcn.baseStep());
    m.put("graphSpread", lightGcn.graphSpread());
    m.put("initStd", model.initStd());
    m.put("optimizer", optimizer.kind().key());
    m.put("adamBeta1", optimizer.adamBeta1());
    m.put("adamBeta2", optimizer.adamBeta2());
    m.put("adamEps", optimizer.adamEps());
    m.put("itemNormPower", model.itemNormPower());
    m.put("maxFactorNorm", optimizer.maxFactorNorm());
    m.put("negatives", method.negatives());
    m.put("negativeWeight", method.negativeWeight());
    m.put("seed", seed);
    m.put("ks", eval.ks());
    return m;
  }
}
