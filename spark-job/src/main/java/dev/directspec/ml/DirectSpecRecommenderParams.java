package dev.directspec.ml;

import dev.directspec.settings.Method;
import dev.directspec.settings.Optimizer;
import dev.directspec.settings.SettingEnum;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The params of {@link DirectSpecRecommender}: the model's ({@link DirectSpecRecommenderModelParams}), and
 * one param per training setting of reference.conf, whose default and validation (by
 * {@link dev.directspec.settings.TrainSettings}) it takes from there. Public only because Spark finds
 * params by reflection on public methods.
 */
public abstract class DirectSpecRecommenderParams extends Estimator<DirectSpecRecommenderModel>
    implements DirectSpecRecommenderModelParams {
  private final String uid;
  private final Declared modelParams;
  private final Param<String> method;
  private final Param<String> model;
  private final IntParam layers;
  private final Param<String> layerCombination;
  private final Param<String> baseUpdate;
  private final Param<String> optimizer;
  private final DoubleParam initStd;
  private final DoubleParam graphSpread;
  private final IntParam smoothingPasses;
  private final DoubleParam baseStep;
  private final DoubleParam itemNormPower;
  private final IntParam rounds;
  private final IntParam dim;
  private final IntParam batchSize;
  private final IntParam epochs;
  private final DoubleParam lr;
  private final DoubleParam lrDecay;
  private final DoubleParam alpha;
  private final DoubleParam tau;
  private final DoubleParam tau0;
  private final DoubleParam tau1;
  private final DoubleParam shrinkNorm;
  private final DoubleParam reg;
  private final DoubleParam gramAlpha;
  private final IntParam numBlocks;
  private final LongParam seed;

  DirectSpecRecommenderParams(String uid) {
    // Params take their parent's uid when built, so it must be set before them.
    this.uid = uid;
    modelParams = new Declared(this);
    method = new Param<>(this, "method", "directspec+, directspec+adaptive, directspec, bpr, align or directau (train.method)",
        new ParamChecks.TrainedMethod(this));
    setDefault(method, ParamChecks.REFERENCE.getString("train.method"));
    model = new Param<>(this, "model", "encoder: mf or lightgcn (train.model)",
        new ParamChecks.Setting<>(this, "model", "train.model"));
    setDefault(model, ParamChecks.REFERENCE.getString("train.model"));
    layers = new IntParam(this, "layers", "LightGCN propagation layers K (> 0) (train.layers)",
        new ParamChecks.Setting<>(this, "layers", "train.layers"));
    setDefault(layers, ParamChecks.REFERENCE.getInt("train.layers"));
    layerCombination = new Param<>(this, "layerCombination", "LightGCN layer combination: sum or mean "
        + "(train.layer_combination)", new ParamChecks.Setting<>(this, "layerCombination", "train.layer_combination"));
    setDefault(layerCombination, ParamChecks.REFERENCE.getString("train.layer_combination"));
    baseUpdate = new Param<>(this, "baseUpdate", "how LightGCN's round movement reaches the base table: chain_rule, "
        + "preconditioned or smoothed (train.base_update)",
        new ParamChecks.Setting<>(this, "baseUpdate", "train.base_update"));
    setDefault(baseUpdate, ParamChecks.REFERENCE.getString("train.base_update"));
    optimizer = new Param<>(this, "optimizer", "optimiser of the mini-batch steps: sgd or adam (train.optimizer)",
        new ParamChecks.Setting<>(this, "optimizer", "train.optimizer"));
    setDefault(optimizer, ParamChecks.REFERENCE.getString("train.optimizer"));
    initStd = new DoubleParam(this, "initStd", "initial factors: 0 = Xavier-uniform, > 0 = normal with this "
        + "standard deviation (train.init_std)", new ParamChecks.Setting<>(this, "initStd", "train.init_std"));
    setDefault(initStd, ParamChecks.REFERENCE.getDouble("train.init_std"));
    graphSpread = new DoubleParam(this, "graphSpread", "LightGCN: each step also moves the rows' graph neighbours "
        + "in the cell by beta * A_hat * gradient, beta in [0, 1] (train.graph_spread)",
        new ParamChecks.Setting<>(this, "graphSpread", "train.graph_spread"));
    setDefault(graphSpread, ParamChecks.REFERENCE.getDouble("train.graph_spread"));
    smoothingPasses = new IntParam(this, "smoothingPasses", "LightGCN, baseUpdate smoothed: passes of the round "
        + "movement through the propagation, in [2, 6] (train.smoothing_passes)",
        new ParamChecks.Setting<>(this, "smoothingPasses", "train.smoothing_passes", "train.base_update=smoothed"));
    setDefault(smoothingPasses, ParamChecks.REFERENCE.getInt("train.smoothing_passes"));
    baseStep = new DoubleParam(this, "baseStep", "LightGCN: scale of the round movement added to the base table, "
        + "in (0, 16] (train.base_step)", new ParamChecks.Setting<>(this, "baseStep", "train.base_step"));
    setDefault(baseStep, ParamChecks.REFERENCE.getDouble("train.base_step"));
    itemNormPower = new DoubleParam(this, "itemNormPower", "scored item rows f_i |f_i|^(p - 1): their norms become "
        + "|f_i|^p, p in [0, 8] (train.item_norm_power)",
        new ParamChecks.Setting<>(this, "itemNormPower", "train.item_norm_power"));
    setDefault(itemNormPower, ParamChecks.REFERENCE.getDouble("train.item_norm_power"));
    rounds = new IntParam(this, "rounds", "rounds of strata per epoch (> 0) (train.rounds)",
        new ParamChecks.Setting<>(this, "rounds", "train.rounds"));
    setDefault(rounds, ParamChecks.REFERENCE.getInt("train.rounds"));
    dim = new IntParam(this, "dim", "embedding dimension d (> 0) (train.dim)",
        new ParamChecks.Setting<>(this, "dim", "train.dim"));
    setDefault(dim, ParamChecks.REFERENCE.getInt("train.dim"));
    batchSize = new IntParam(this, "batchSize", "mini-batch size (> 0) (train.batch_size)",
        new ParamChecks.Setting<>(this, "batchSize", "train.batch_size"));
    setDefault(batchSize, ParamChecks.REFERENCE.getInt("train.batch_size"));
    epochs = new IntParam(this, "epochs", "number of epochs (>= 0) (train.epochs)",
        new ParamChecks.Setting<>(this, "epochs", "train.epochs"));
    setDefault(epochs, ParamChecks.REFERENCE.getInt("train.epochs"));
    // No default: unset, it is train.lr = auto, the method's own starting rate (Method.defaultLr).
    lr = new DoubleParam(this, "lr", "learning rate (> 0), times lrDecay after each epoch (train.lr); unset: "
        + "the method's own starting rate (train.lr = auto)", new ParamChecks.Setting<>(this, "lr", "train.lr"));
    lrDecay = new DoubleParam(this, "lrDecay", "learning-rate decay per epoch, in (0, 1] (train.lr_decay)",
        new ParamChecks.Setting<>(this, "lrDecay", "train.lr_decay"));
    setDefault(lrDecay, ParamChecks.REFERENCE.getDouble("train.lr_decay"));
    alpha = new DoubleParam(this, "alpha", "DirectSpec+ filter strength, in [0, 1] (train.alpha)",
        new ParamChecks.Setting<>(this, "alpha", "train.alpha"));
    setDefault(alpha, ParamChecks.REFERENCE.getDouble("train.alpha"));
    tau = new DoubleParam(this, "tau", "DirectSpec+ inverse temperature (> 0) (train.tau)",
        new ParamChecks.Setting<>(this, "tau", "train.tau"));
    setDefault(tau, ParamChecks.REFERENCE.getDouble("train.tau"));
    tau0 = new DoubleParam(this, "tau0", "adaptive: temperature of pairs sharing a row (< tau1) (train.tau0)",
        new ParamChecks.Setting<>(this, "tau0", "train.tau0"));
    setDefault(tau0, ParamChecks.REFERENCE.getDouble("train.tau0"));
    tau1 = new DoubleParam(this, "tau1", "directspec+adaptive: temperature of the other pairs (> 0) (train.tau1)",
        new ParamChecks.Setting<>(this, "tau1", "train.tau1"));
    setDefault(tau1, ParamChecks.REFERENCE.getDouble("train.tau1"));
    shrinkNorm = new DoubleParam(this, "shrinkNorm", "DirectSpec+ norm rescale (>= 0) (train.shrink_norm)",
        new ParamChecks.Setting<>(this, "shrinkNorm", "train.shrink_norm"));
    setDefault(shrinkNorm, ParamChecks.REFERENCE.getDouble("train.shrink_norm"));
    reg = new DoubleParam(this, "reg", "L2 penalty on the batch rows (>= 0; bpr: raw rows, directspec+ and "
        + "directspec+adaptive: filtered rows) (train.reg)",
        new ParamChecks.Setting<>(this, "reg", "train.reg"));
    setDefault(reg, ParamChecks.REFERENCE.getDouble("train.reg"));
    gramAlpha = new DoubleParam(this, "gramAlpha", "alpha' of the epoch-end Gram step, in (0, 1/3) (train.gram_alpha)",
        new ParamChecks.Setting<>(this, "gramAlpha", "train.gram_alpha"));
    setDefault(gramAlpha, ParamChecks.REFERENCE.getDouble("train.gram_alpha"));
    numBlocks = new IntParam(this, "numBlocks", "blocks P per table (>= 0; 0 = default parallelism) (train.blocks)",
        new ParamChecks.Setting<>(this, "numBlocks", "train.blocks"));
    setDefault(numBlocks, ParamChecks.REFERENCE.getInt("train.blocks"));
    seed = new LongParam(this, "seed", "seed of every random draw (initialisation, sampling) (seed)",
        new ParamChecks.Setting<>(this, "seed", "seed"));
    setDefault(seed, ParamChecks.REFERENCE.getLong("seed"));
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Declared modelParams() {
    return modelParams;
  }

  /** Each training param with its reference.conf key. */
  Map<Param<?>, String> settingKeys() {
    Map<Param<?>, String> keys = new LinkedHashMap<>();
    keys.put(method, "train.method");
    keys.put(model, "train.model");
    keys.put(layers, "train.layers");
    keys.put(layerCombination, "train.layer_combination");
    keys.put(baseUpdate, "train.base_update");
    keys.put(optimizer, "train.optimizer");
    keys.put(initStd, "train.init_std");
    keys.put(graphSpread, "train.graph_spread");
    keys.put(smoothingPasses, "train.smoothing_passes");
    keys.put(baseStep, "train.base_step");
    keys.put(itemNormPower, "train.item_norm_power");
    keys.put(rounds, "train.rounds");
    keys.put(dim, "train.dim");
    keys.put(batchSize, "train.batch_size");
    keys.put(epochs, "train.epochs");
    keys.put(lr, "train.lr");
    keys.put(lrDecay, "train.lr_decay");
    keys.put(alpha, "train.alpha");
    keys.put(tau, "train.tau");
    keys.put(tau0, "train.tau0");
    keys.put(tau1, "train.tau1");
    keys.put(shrinkNorm, "train.shrink_norm");
    keys.put(reg, "train.reg");
    keys.put(gramAlpha, "train.gram_alpha");
    keys.put(numBlocks, "train.blocks");
    keys.put(seed, "seed");
    return keys;
  }

  public Param<String> method() {
    return method;
  }

  public String getMethod() {
    return (String) getOrDefault(method);
  }

  public Param<String> model() {
    return model;
  }

  public String getModel() {
    return (String) getOrDefault(model);
  }

  public IntParam layers() {
    return layers;
  }

  public int getLayers() {
    return (Integer) getOrDefault(layers);
  }

  public Param<String> layerCombination() {
    return layerCombination;
  }

  public String getLayerCombination() {
    return (String) getOrDefault(layerCombination);
  }

  public Param<String> baseUpdate() {
    return baseUpdate;
  }

  public String getBaseUpdate() {
    return (String) getOrDefault(baseUpdate);
  }

  public Param<String> optimizer() {
    return optimizer;
  }

  public String getOptimizer() {
    return (String) getOrDefault(optimizer);
  }

  public DoubleParam initStd() {
    return initStd;
  }

  public double getInitStd() {
    return (Double) getOrDefault(initStd);
  }

  public IntParam smoothingPasses() {
    return smoothingPasses;
  }

  public int getSmoothingPasses() {
    return (Integer) getOrDefault(smoothingPasses);
  }

  public DoubleParam baseStep() {
    return baseStep;
  }

  public double getBaseStep() {
    return (Double) getOrDefault(baseStep);
  }

  public DoubleParam itemNormPower() {
    return itemNormPower;
  }

  public double getItemNormPower() {
    return (Double) getOrDefault(itemNormPower);
  }

  public DoubleParam graphSpread() {
    return graphSpread;
  }

  public double getGraphSpread() {
    return (Double) getOrDefault(graphSpread);
  }

  public IntParam rounds() {
    return rounds;
  }

  public int getRounds() {
    return (Integer) getOrDefault(rounds);
  }

  public IntParam dim() {
    return dim;
  }

  public int getDim() {
    return (Integer) getOrDefault(dim);
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public IntParam epochs() {
    return epochs;
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs);
  }

  public DoubleParam lr() {
    return lr;
  }

  /** The set rate, or the one train.lr = auto gives the current method and optimizer. */
  public double getLr() {
    if (isDefined(lr)) return (Double) getOrDefault(lr);
    return Method.of(getMethod()).defaultLr(SettingEnum.parse(Optimizer.class, "train.optimizer", getOptimizer()));
  }

  public DoubleParam lrDecay() {
    return lrDecay;
  }

  public double getLrDecay() {
    return (Double) getOrDefault(lrDecay);
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public double getAlpha() {
    return (Double) getOrDefault(alpha);
  }

  public DoubleParam tau() {
    return tau;
  }

  public double getTau() {
    return (Double) getOrDefault(tau);
  }

  public DoubleParam tau0() {
    return tau0;
  }

  public double getTau0() {
    return (Double) getOrDefault(tau0);
  }

  public DoubleParam tau1() {
    return tau1;
  }

  public double getTau1() {
    return (Double) getOrDefault(tau1);
  }

  public DoubleParam shrinkNorm() {
    return shrinkNorm;
  }

  public double getShrinkNorm() {
    return (Double) getOrDefault(shrinkNorm);
  }

  public DoubleParam reg() {
    return reg;
  }

  public double getReg() {
    return (Double) getOrDefault(reg);
  }

  public DoubleParam gramAlpha() {
    return gramAlpha;
  }

  public double getGramAlpha() {
    return (Double) getOrDefault(gramAlpha);
  }

  public IntParam numBlocks() {
    return numBlocks;
  }

  public int getNumBlocks() {
    return (Integer) getOrDefault(numBlocks);
  }

  public LongParam seed() {
    return seed;
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }
}
