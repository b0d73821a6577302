package dev.directspec.settings;

import java.util.Locale;

/** train.optimizer: plain SGD, or Adam with per-row moments that travel with the blocks. */
public enum Optimizer implements SettingEnum {
  SGD, ADAM;

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
