package dev.directspec.settings;

import java.util.Locale;

/**
 * train.base_update: how many times LightGCN's round movement F' - F passes through the propagation P_w
 * before it is added to E. For smoothed the count is train.smoothing_passes; {@link #passes} is its default
 * (reference.conf), the one value that setting may keep under the other base updates.
 */
public enum BaseUpdate implements SettingEnum {
  PRECONDITIONED(0), CHAIN_RULE(1), SMOOTHED(2);

  public final int passes;

  BaseUpdate(int passes) {
    this.passes = passes;
  }

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
