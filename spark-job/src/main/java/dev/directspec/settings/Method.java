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

  /**
   * The learning rate {@code train.lr = auto} stands for with SGD: the rate tuned on CiteULike and Gowalla
   * (5,551 and 29,858 users), which also trains ML-100K and Last.fm without diverging, since every loss is a
   * mean over the batch and a row's step does not grow with the dataset (docs/experiments/tuning.md). With
   * Adam every method starts at 0.001, the common step size of Adam in recommendation code.
   */
  public double defaultLr(Optimizer optimizer) {
    if (optimizer == Optimizer.ADAM) return 0.001;
    return switch (this) {
      case BPR -> 20.0; // tuned: 10 on CiteULike, 30 on Gowalla
      case DIRECTAU -> 11.0; // tuned: 11 on both
      default -> 180.0; // the DirectSpec authors' rate (CiteULike; 200 on Gowalla)
    };
  }

  public static Method of(String key) {
    for (Method m : values()) {
      if (m.key.equals(key)) return m;
    }
    throw new dev.directspec.config.SettingsException("train.method must be one of directspec+, "
        + "directspec+adaptive, directspec, bpr, align, directau, als: " + key);
  }
}
