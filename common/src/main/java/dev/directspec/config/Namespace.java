package dev.directspec.config;

import com.typesafe.config.Config;

import java.util.Map;

/**
 * The one namespace every setting lives under, {@code directspec { ... }}, and the refusal of keys
 * outside it. A bare {@code train.epochs} or {@code spark.conf...} (the layout before the namespace)
 * would otherwise collide with other libraries' reference.conf keys and with Spark's own "spark."
 * properties; it is refused, never silently re-rooted, with the key to write instead.
 */
public final class Namespace {
  public static final String ROOT = "directspec";
  /** The one open section: Spark properties applied when the Spark configuration does not set them. */
  public static final String PASS_THROUGH = ROOT + ".spark.conf";
  /** Keys of the old layout whose new key is not simply ROOT + "." + key. */
  private static final Map<String, String> RENAMED =
      Map.of("spark.sql_shuffle_partitions", PASS_THROUGH + ".\"spark.sql.shuffle.partitions\"");

  private Namespace() {}

  static boolean inside(String key) {
    return key.startsWith(ROOT + ".");
  }

  /** The failure for a key outside the namespace: names the key to write when there is one. */
  static SettingsException outside(Config reference, String key, String where) {
    String moved = RENAMED.get(key);
    if (moved == null && (reference.hasPathOrNull(ROOT + "." + key) || key.startsWith("spark.conf."))) {
      moved = ROOT + "." + key;
    }
    if (moved != null) {
      return new SettingsException("setting '" + key + "'" + where + " is outside the " + ROOT
          + " namespace; write " + moved + " (every setting lives under " + ROOT + " { ... }, see conf/reference.conf)");
    }
    return new SettingsException("unknown setting '" + key + "'" + where + "; every setting lives under " + ROOT
        + " { ... }, see conf/reference.conf for every key");
  }
}
