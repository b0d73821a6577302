package dev.directspec.export;

import dev.directspec.config.SettingsException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The static partition values of {@code recommend --partition-by dt=2026-12-02[,region=eu]}: every row
 * written carries them. Keys are plain identifiers and values leave out quotes, backslashes, slashes and
 * '=', so they can be written into a SQL partition clause and a folder name without escaping.
 */
public record PartitionSpec(Map<String, String> values) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern FORBIDDEN = Pattern.compile("['\"\\\\/=`\\p{Cntrl}]");

  public PartitionSpec {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Parses "k=v" items (each may hold several, comma-separated); an empty list is no partition. */
  public static PartitionSpec parse(List<String> items) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String item : items) {
      for (String pair : item.split(",")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
        String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
        if (!KEY.matcher(key).matches() || value.isEmpty() || FORBIDDEN.matcher(value).find()) {
          throw new SettingsException("--partition-by takes KEY=VALUE (KEY a column name, VALUE without quotes, "
              + "backslashes, slashes or '='): \"" + pair + "\"");
        }
        if (values.put(key.toLowerCase(java.util.Locale.ROOT), value) != null) {
          throw new SettingsException("--partition-by names the column " + key + " twice");
        }
      }
    }
    return new PartitionSpec(values);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** dt='2026-12-02', region='eu': the clause of SHOW PARTITIONS and of messages. */
  public String sql() {
    return String.join(", ", values.entrySet().stream().map(e -> e.getKey() + "='" + e.getValue() + "'").toList());
  }
}
