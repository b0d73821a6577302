package dev.directspec.settings;

/** train.method: the training objectives, by their setting names. */
public enum Method implements SettingEnum {
  DIRECTSPEC_PLUS("directspec+"), DIRECTSPEC_PLUS_ADAPTIVE("directspec+adaptive"),
  DIRECTSPEC("directspec"), BPR("bpr"), ALIGN("align"), DIRECTAU("directau"),
  /** Spark MLlib's implicit ALS, a baseline trained outside the epoch loop (dev.directspec.baseline). */
  ALS("als");

  public final String key;

  Method(String key) {
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  public static Method of(String key) {
    for (Method m : values()) {
      if (m.key.equals(key)) return m;
    }
    throw new dev.directspec.config.SettingsException("train.method must be one of directspec+, "
        + "directspec+adaptive, directspec, bpr, align, directau, als: " + key);
  }
}
