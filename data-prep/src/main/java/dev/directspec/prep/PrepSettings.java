package dev.directspec.prep;

import com.typesafe.config.Config;
import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The validated {@code prep} section (see conf/reference.conf for the meaning of each field) plus the
 * top-level seed. Column settings are "auto", "" (absent), a header name or a 0-based position.
 *
 * @param minWeight null when no implicit threshold is applied
 * @param format    csv and tsv are the delimited reader with "," or a tab: the words a user types
 */
public record PrepSettings(String format, String delimiter, String header, String userCol, String itemCol,
    String weightCol, String timeCol, Double minWeight, boolean allowNegativeWeights, double maxWeight,
    String duplicates, int kcore, String split, double testRatio, double maxRejectedShare, long seed)
    implements Serializable {

  public static final Set<String> FORMATS =
      Set.of("auto", "lightgcn", "delimited", "csv", "tsv", "movielens", "parquet", "orc", "json");
  private static final Map<String, String> FORMAT_SEPARATORS = Map.of("csv", ",", "tsv", "\t");
  public static final Set<String> DUPLICATES = Set.of("keep", "drop", "aggregate");
  public static final Set<String> SPLITS = Set.of("auto", "given", "random", "temporal");

  public PrepSettings {
    Check.oneOf("prep.format", format, FORMATS);
    if (delimiter.isEmpty()) {
      throw new SettingsException("prep.delimiter must be auto or a non-empty separator: \"\"");
    }
    String separator = FORMAT_SEPARATORS.get(format);
    if (separator != null && !delimiter.equals("auto") && !delimiter.equals(separator)) {
      throw new SettingsException("prep.format = " + format + " reads fields separated by '"
          + printable(separator) + "', but prep.delimiter = '" + printable(delimiter)
          + "'; use prep.format = delimited for another separator");
    }
    Check.oneOf("prep.header", header, Set.of("auto", "true", "false"));
    requireColumn("prep.user_col", userCol);
    requireColumn("prep.item_col", itemCol);
    if (minWeight != null && (minWeight.isNaN() || minWeight.isInfinite())) {
      throw new SettingsException("prep.min_weight must be a finite number or \"\": " + minWeight);
    }
    Check.positive("prep.max_weight", maxWeight);
    Check.oneOf("prep.duplicates", duplicates, DUPLICATES);
    Check.nonNegative("prep.kcore", kcore);
    Check.oneOf("prep.split", split, SPLITS);
    Check.range("prep.test_ratio", testRatio, 0, false, 1, false);
    Check.range("prep.max_rejected_share", maxRejectedShare, 0, true, 1, true);
  }

  /** Reads the prep section and the top-level seed of resolved settings. */
  public static PrepSettings from(Settings settings) {
    return from(settings.section("prep"), settings.config().getLong("seed"));
  }

  public static PrepSettings from(Config prep, long seed) {
    return new PrepSettings(prep.getString("format"), delimiter(prep.getString("delimiter")),
        prep.getValue("header").unwrapped().toString(), text(prep, "user_col"), text(prep, "item_col"),
        text(prep, "weight_col"), text(prep, "time_col"), minWeight(prep), prep.getBoolean("allow_negative_weights"),
        prep.getDouble("max_weight"), prep.getString("duplicates"),
        prep.getInt("kcore"), prep.getString("split"), prep.getDouble("test_ratio"),
        prep.getDouble("max_rejected_share"), seed);
  }

  /** The resolved settings as written to the manifest (snake_case keys as in reference.conf). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("delimiter", delimiter);
    m.put("header", header);
    m.put("user_col", userCol);
    m.put("item_col", itemCol);
    m.put("weight_col", weightCol);
    m.put("time_col", timeCol);
    m.put("min_weight", minWeight);
    m.put("allow_negative_weights", allowNegativeWeights);
    m.put("max_weight", maxWeight);
    m.put("duplicates", duplicates);
    m.put("kcore", kcore);
    m.put("split", split);
    m.put("test_ratio", testRatio);
    m.put("max_rejected_share", maxRejectedShare);
    m.put("seed", seed);
    return m;
  }

  /** The format a file is read with: csv and tsv are delimited text. */
  public String reader() {
    return FORMAT_SEPARATORS.containsKey(format) ? "delimited" : format;
  }

  /** The field separator to use: the format's own for csv and tsv, else the delimiter setting. */
  public String separator() {
    String own = FORMAT_SEPARATORS.get(format);
    return own == null ? delimiter : own;
  }

  /** Column settings may be written as numbers in HOCON (user_col = 0); read them as text. */
  private static String text(Config prep, String key) {
    return prep.getValue(key).unwrapped().toString().trim();
  }

  static String printable(String separator) {
    return separator.equals("\t") ? "\\t" : separator;
  }

  /** A tab is hard to type on a command line: accept "\\t" (backslash, t) and "tab" for it. */
  private static String delimiter(String raw) {
    return raw.equals("\\t") || raw.equals("tab") ? "\t" : raw;
  }

  private static Double minWeight(Config prep) {
    String raw = text(prep, "min_weight");
    if (raw.isEmpty()) {
      return null;
    }
    try {
      return Double.valueOf(raw);
    } catch (NumberFormatException e) {
      throw new SettingsException("prep.min_weight must be a number or \"\": " + raw);
    }
  }

  private static void requireColumn(String name, String value) {
    if (value.isEmpty()) {
      throw new SettingsException(name + " must be auto, a header name or a 0-based position: \"\"");
    }
  }
}
