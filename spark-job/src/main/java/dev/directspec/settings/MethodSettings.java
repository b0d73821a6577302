package dev.directspec.settings;

import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;
import dev.directspec.kernels.InBatchFilter;

import java.io.Serializable;

/**
 * The objective and its parameters (docs/method.md): train.method, alpha, tau, tau0, tau1, shrink_norm, reg,
 * uniformity_weight, uniformity_t, gram_balance, gram_alpha, negatives (bpr; the DirectSpec+ family when
 * negative_weight > 0) and negative_weight.
 */
public record MethodSettings(Method kind, double alpha, double tau, double tau0, double tau1, double shrinkNorm,
    double reg, double uniformityWeight, double uniformityT, GramBalance gramBalance, double gramAlpha,
    int negatives, double negativeWeight) implements Serializable {

  /** Upper bound of train.negatives: the batch's negative rows (B x N x d floats) stay a task-sized buffer. */
  public static final int MAX_NEGATIVES = 256;

  public MethodSettings {
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
    Check.range("train.negatives", negatives, 1, true, MAX_NEGATIVES, true);
    Check.nonNegative("train.negative_weight", negativeWeight);
    boolean plusFamily = kind == Method.DIRECTSPEC_PLUS || kind == Method.DIRECTSPEC_PLUS_ADAPTIVE;
    if (negativeWeight > 0 && !plusFamily) {
      throw new SettingsException("train.negative_weight applies to directspec+ and directspec+adaptive only, not "
          + kind.key + ": " + negativeWeight);
    }
    if (negatives != 1 && kind != Method.BPR && !(plusFamily && negativeWeight > 0)) {
      throw new SettingsException("train.negatives applies to method bpr, and to directspec+ and "
          + "directspec+adaptive with train.negative_weight > 0 (the other methods sample no negatives), not "
          + kind.key + (plusFamily ? " with negative_weight 0" : "") + ": " + negatives);
    }
    if (kind == Method.DIRECTSPEC_PLUS_ADAPTIVE && !(tau0 < tau1)) {
      throw new SettingsException("train.tau0 must be < train.tau1 for directspec+adaptive: " + tau0 + " >= " + tau1);
    }
  }

  /** True when the training steps sample negatives (bpr; the DirectSpec+ family with a negative weight). */
  public boolean samplesNegatives() {
    return kind == Method.BPR || negativeWeight > 0;
  }

  /** True when the epoch-end Gram step rescales the spectrum (not only measures it). */
  public boolean balancesAtEpochEnd() {
    return switch (gramBalance) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> kind == Method.DIRECTSPEC;
    };
  }
}
