package dev.directspec.tune;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One method's search space, read from the jar's {@code dev/directspec/tune/spaces.conf} (the file's
 * header documents the format). Points are drawn from a seeded generator, so the same seed gives the
 * same trials; dimensions whose key this build's settings do not define are skipped and listed.
 */
public record SearchSpace(String model, String method, List<Dimension> dimensions, List<String> skipped) {
  static final String RESOURCE = "dev/directspec/tune/spaces.conf";
  private static final String ROOT = "directspec.tune.spaces";
  private static final Config REFERENCE = Settings.defaults().config();

  /**
   * One searched setting. {@code when} is "key=value" or null. {@code ownStream}: drawn from a generator of
   * its own rather than the one the dimensions share in order, so adding such a dimension leaves every other
   * dimension's draws, and so the trials of earlier tunings, as they were.
   */
  public record Dimension(String key, String kind, List<Object> values, String when, boolean ownStream) {
    Object draw(SplittableRandom random) {
      return switch (kind) {
        case "log" -> rounded(Math.exp(uniform(random, Math.log(low()), Math.log(high()))));
        case "uniform" -> rounded(uniform(random, low(), high()));
        case "int" -> (int) low() + random.nextInt((int) high() - (int) low() + 1);
        default -> typed(values.get(random.nextInt(values.size())));
      };
    }

    double low() {
      return ((Number) values.get(0)).doubleValue();
    }

    double high() {
      return ((Number) values.get(1)).doubleValue();
    }

    /** A setting's value as this dimension draws it (HOCON gives 180 for 180.0), so points compare equal. */
    Object typed(Object value) {
      if (!(value instanceof Number n)) return value;
      return switch (kind) {
        case "log", "uniform" -> n.doubleValue();
        case "int" -> n.intValue();
        // HOCON gives 0 for a setting written 0.0: a numeric choice with fractions compares as doubles.
        default -> values.stream().anyMatch(c -> c instanceof Double) ? (Object) n.doubleValue() : value;
      };
    }

    boolean numeric() {
      return !kind.equals("choice");
    }

    boolean applies(Map<String, Object> point) {
      if (when == null) return true;
      int eq = when.indexOf('=');
      Object value = point.get(when.substring(0, eq).trim());
      return value != null && String.valueOf(value).equals(when.substring(eq + 1).trim());
    }

    /** The range as written in a preset header. */
    String describe() {
      return key + " " + kind + " " + values + (when == null ? "" : " when " + when);
    }

    Dimension(String key, String kind, List<Object> values, String when) {
      this(key, kind, values, when, false);
    }

    /** Three significant digits: presets read like hand-written ones, and no value pretends to more precision. */
    private static double rounded(double x) {
      return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).doubleValue();
    }

    private static double uniform(SplittableRandom random, double low, double high) {
      return low + (high - low) * random.nextDouble();
    }
  }

  /** The space of a method for a model (LightGCN falls back to the MF space of a method it does not list). */
  public static SearchSpace of(String model, String method) {
    Config all = ConfigFactory.parseResources(SearchSpace.class.getClassLoader(), RESOURCE).resolve();
    if (!all.hasPath(ROOT)) throw new IllegalStateException("the jar has no " + RESOURCE);
    Config spaces = all.getConfig(ROOT);
    String path = quoted(model) + "." + quoted(method);
    if (!spaces.hasPath(path)) path = "mf." + quoted(method);
    if (!spaces.hasPath(path)) {
      throw new SettingsException("tune has no search space for method " + method + " (" + RESOURCE + ")");
    }
    Config reference = Settings.defaults().config();
    List<Dimension> dims = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Config d : spaces.getConfigList(path)) {
      String key = d.getString("key");
      if (!reference.hasPath(key)) {
        skipped.add(key);
        continue;
      }
      String when = d.hasPath("when") ? d.getString("when") : null;
      dims.add(dimension(key, d, when, ownStream(key, d)));
    }
    return new SearchSpace(model, method, List.copyOf(dims), List.copyOf(skipped));
  }

  private static boolean ownStream(String key, Config d) {
    if (!d.hasPath("stream")) return false;
    String stream = d.getString("stream");
    if (stream.equals("own")) return true;
    if (stream.equals("shared")) return false;
    throw new IllegalStateException(RESOURCE + ": " + key + " stream must be own or shared, got " + stream);
  }

  private static Dimension dimension(String key, Config d, String when, boolean ownStream) {
    for (String kind : List.of("log", "uniform", "int", "choice")) {
      if (!d.hasPath(kind)) continue;
      List<Object> values = new ArrayList<>();
      for (ConfigValue v : d.getList(kind)) values.add(v.unwrapped());
      if (!kind.equals("choice") && (values.size() != 2 || !(values.get(0) instanceof Number)
          || !(values.get(1) instanceof Number))) {
        throw new IllegalStateException(RESOURCE + ": " + key + " " + kind + " needs [min, max], got " + values);
      }
      return new Dimension(key, kind, List.copyOf(values), when, ownStream);
    }
    throw new IllegalStateException(RESOURCE + ": " + key + " has none of log, uniform, int, choice");
  }

  /**
   * The generators of one tuning's draws: one the dimensions share in order, and one per own-stream
   * dimension, seeded by the seed and the dimension's key.
   */
  public static final class Generators {
    private final long seed;
    private final SplittableRandom shared;
    private final Map<String, SplittableRandom> own = new HashMap<>();

    public Generators(long seed) {
      this.seed = seed;
      this.shared = new SplittableRandom(seed);
    }

    SplittableRandom of(Dimension d) {
      if (!d.ownStream()) return shared;
      return own.computeIfAbsent(d.key(), k -> new SplittableRandom(seed ^ (k.hashCode() * 0x9E3779B97F4A7C15L)));
    }
  }

  /**
   * Draws one point: each applicable dimension in order; a {@code when} condition is checked against the
   * values drawn so far, then against {@code base} (the starting settings).
   */
  public Map<String, Object> draw(Generators random, Map<String, Object> base) {
    Map<String, Object> point = new LinkedHashMap<>();
    for (Dimension d : dimensions) {
      Map<String, Object> seen = new LinkedHashMap<>(base);
      seen.putAll(point);
      if (d.applies(seen)) {
        point.put(d.key(), d.draw(random.of(d)));
      } else if (!point.containsKey(d.key())) {
        // The reference value, not the starting settings': theirs may hold only with the choice they made
        // (smoothing_passes = 3 needs base_update = smoothed), and would make the checks refuse every other
        // choice. A dimension of the same key drawn later still overrides it (bpr's lr per optimizer).
        point.put(d.key(), d.typed(REFERENCE.getValue(d.key()).unwrapped()));
      }
    }
    return point;
  }

  /** The starting point: the base settings' value of every dimension that applies to them. */
  public Map<String, Object> start(Config settings) {
    Map<String, Object> point = new LinkedHashMap<>();
    for (Dimension d : dimensions) {
      Map<String, Object> seen = new LinkedHashMap<>();
      for (Dimension e : dimensions) seen.put(e.key(), settings.getValue(e.key()).unwrapped());
      if (d.applies(seen) && !point.containsKey(d.key())) point.put(d.key(), d.typed(settings.getValue(d.key()).unwrapped()));
    }
    return point;
  }

  /**
   * Numeric settings of the point that lie in the outer 5% (log scale for log dimensions) of their range:
   * the best point there suggests the optimum may lie outside what was searched.
   */
  public List<String> onEdge(Map<String, Object> point) {
    List<String> edges = new ArrayList<>();
    for (Dimension d : dimensions) {
      Object v = point.get(d.key());
      if (!d.numeric() || !(v instanceof Number n) || !d.applies(point) || d.kind().equals("int")) continue;
      boolean log = d.kind().equals("log");
      double x = log ? Math.log(n.doubleValue()) : n.doubleValue();
      double lo = log ? Math.log(d.low()) : d.low();
      double hi = log ? Math.log(d.high()) : d.high();
      double share = (x - lo) / (hi - lo);
      if (share < 0.05 || share > 0.95) {
        edges.add(d.key() + " = " + v + " (range " + d.values() + ")");
      }
    }
    return edges;
  }

  /**
   * Settings of the point that no draw could give: a number outside its dimension's range or a choice not
   * listed. Only a starting point can hold them (it is the user's settings, kept as given).
   */
  public List<String> outside(Map<String, Object> point) {
    List<String> out = new ArrayList<>();
    for (Dimension d : dimensions) {
      Object v = point.get(d.key());
      if (v == null || !d.applies(point)) continue;
      boolean inside = d.numeric() && v instanceof Number n
          ? n.doubleValue() >= d.low() && n.doubleValue() <= d.high()
          : d.values().stream().anyMatch(c -> String.valueOf(d.typed(c)).equals(String.valueOf(v)));
      if (!inside) out.add(d.key() + " = " + v + " (" + d.kind() + " " + d.values() + ")");
    }
    return out;
  }

  private static String quoted(String segment) {
    return segment.matches("[A-Za-z0-9_-]+") ? segment : "\"" + segment + "\"";
  }
}
