package dev.directspec.settings;

import dev.directspec.config.Check;

import java.io.Serializable;

/**
 * How a row moves: train.optimizer, lr, lr_decay, adam_beta1, adam_beta2, adam_eps, and max_factor_norm, the
 * row norm past which training stops as diverged.
 */
public record OptimizerSettings(Optimizer kind, double lr, double lrDecay, double adamBeta1, double adamBeta2,
    double adamEps, double maxFactorNorm) implements Serializable {

  public OptimizerSettings {
    Check.positive("train.lr", lr);
    Check.range("train.lr_decay", lrDecay, 0, false, 1, true);
    Check.range("train.adam_beta1", adamBeta1, 0, true, 1, false);
    Check.range("train.adam_beta2", adamBeta2, 0, true, 1, false);
    Check.positive("train.adam_eps", adamEps);
    Check.positive("train.max_factor_norm", maxFactorNorm);
  }

  /** True when the cell steps use Adam, whose per-row moments travel with the blocks and checkpoints. */
  public boolean usesAdam() {
    return kind == Optimizer.ADAM;
  }

  /** The learning rate of a 0-based epoch: lr * lr_decay^epoch. */
  public double learningRate(int epoch) {
    return lr * Math.pow(lrDecay, epoch);
  }
}
