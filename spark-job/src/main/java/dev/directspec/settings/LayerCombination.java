package dev.directspec.settings;

import java.util.Locale;

/** train.layer_combination: LightGCN's layer weights w_k, all 1 (sum) or 1 / (K + 1) (mean). */
public enum LayerCombination implements SettingEnum {
  SUM, MEAN;

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
