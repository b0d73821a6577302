package dev.directspec.settings;

import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;

import java.io.Serializable;

/**
 * LightGCN's propagation and how a round's movement reaches E (docs/method.md 5): train.layers,
 * layer_combination, base_update, smoothing_passes, base_step and graph_spread.
 */
public record LightGcnSettings(int layers, LayerCombination layerCombination, BaseUpdate baseUpdate,
    int smoothingPasses, double baseStep, double graphSpread) implements Serializable {

  public LightGcnSettings {
    Check.positive("train.layers", layers);
    if (smoothingPasses < 2 || smoothingPasses > 6) {
      throw new SettingsException("train.smoothing_passes must be in [2, 6]: " + smoothingPasses);
    }
    if (smoothingPasses != BaseUpdate.SMOOTHED.passes && baseUpdate != BaseUpdate.SMOOTHED) {
      throw new SettingsException("train.smoothing_passes applies to train.base_update = smoothed only, not "
          + baseUpdate.key() + ": " + smoothingPasses);
    }
    Check.range("train.base_step", baseStep, 0, false, 16, true);
    Check.range("train.graph_spread", graphSpread, 0, true, 1, true);
  }

  /** Passes of the round movement through P_w: smoothed takes train.smoothing_passes. */
  public int movementPasses() {
    return baseUpdate == BaseUpdate.SMOOTHED ? smoothingPasses : baseUpdate.passes;
  }
}
