package dev.directspec.settings;

import java.util.Locale;

/** train.model: the encoder whose embeddings are trained and scored. */
public enum ModelKind implements SettingEnum {
  MF, LIGHTGCN;

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
