package dev.directspec.settings;

import java.util.Locale;

/** train.gram_balance: whether the epoch-end Gram step applies the all-pass filter (docs/method.md 2). */
public enum GramBalance implements SettingEnum {
  AUTO, ON, OFF;

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
