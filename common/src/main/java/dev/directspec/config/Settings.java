package dev.directspec.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The resolved configuration: the reference ({@code conf/reference.conf}, on the classpath as
 * {@value #REFERENCE}), then each {@code --config} file, then each {@code --set key=value}, last one wins.
 * Resolved once, before Spark starts; algorithm code receives typed records built from it (see
 * {@link #section}), never raw keys.
 *
 * <p>Invariants: every key lives under {@link Namespace#ROOT} and exists in the reference, so a typo or a
 * key of the old layout fails fast. {@link #config()} and {@link #section} are relative to the namespace.
 */
public final class Settings {
  private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|credential).*");
  private static final String REDACTED = "*** redacted ***";
  /**
   * Not "reference.conf": Typesafe Config merges every classpath resource of that name (other libraries
   * ship their own), and the bundled jar appends them into one file.
   */
  static final String REFERENCE = "dev/directspec/reference.conf";
  private static final String PASS_THROUGH = Namespace.PASS_THROUGH;

  private final Config config;

  private Settings(Config config) {
    this.config = config;
  }

  /** Reference defaults only (tests and library use). */
  public static Settings defaults() {
    return load(List.of(), List.of());
  }

  /**
   * @param configFiles overlay files, applied in order
   * @param overrides   "key=value" strings; key is a full path or a unique last segment
   */
  public static Settings load(List<File> configFiles, List<String> overrides) {
    Config reference = reference();
    Config merged = reference;
    for (File f : configFiles) {
      if (!f.isFile()) {
        throw new SettingsException("config file not found or not a file: " + f);
      }
      Config overlay;
      try {
        overlay = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new SettingsException("cannot parse config file " + f + ": " + e.getMessage());
      }
      checkKnown(reference, overlay, f.toString());
      merged = overlay.withFallback(merged);
    }
    Map<String, String> givenBy = new java.util.HashMap<>();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new SettingsException("--set expects key=value, got: " + override);
      }
      String given = override.substring(0, eq).trim();
      String raw = override.substring(eq + 1).trim();
      if (given.startsWith(PASS_THROUGH + ".")) {
        // Spark properties contain dots themselves: keep the rest of the key as one quoted segment.
        String property = given.substring(PASS_THROUGH.length() + 1).replace("\"", "");
        merged = merged.withValue(PASS_THROUGH + ".\"" + property + "\"", ConfigValueFactory.fromAnyRef(raw));
        continue;
      }
      String key = resolveKey(reference, given);
      merged = merged.withValue(key, parseValue(reference.getValue(key), raw, key));
      givenBy.put(key, "--set " + override);
    }
    Config resolved;
    try {
      resolved = merged.resolve();
    } catch (ConfigException e) {
      throw new SettingsException("cannot resolve settings: " + e.getMessage());
    }
    checkTypes(reference, resolved, givenBy);
    return new Settings(resolved);
  }

  /**
   * Every key keeps the type of its reference default, so a wrong type (lr = fast) fails here with the key,
   * the value and where it came from, not later as a Typesafe stack inside the command.
   */
  private static void checkTypes(Config reference, Config merged, Map<String, String> givenBy) {
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(PASS_THROUGH + ".") || !merged.hasPath(key)) continue;
      com.typesafe.config.ConfigValueType expected = e.getValue().valueType();
      if (NUMBER_OR_AUTO.contains(key)) {
        checkNumberOrAuto(merged, key, givenBy);
        continue;
      }
      try {
        switch (expected) {
          case NUMBER -> merged.getDouble(key);
          case BOOLEAN -> merged.getBoolean(key);
          case LIST -> merged.getList(key);
          case STRING -> merged.getString(key);
          default -> { }
        }
      } catch (ConfigException.WrongType | ConfigException.BadValue wrong) {
        ConfigValue given = merged.getValue(key);
        String source = givenBy.getOrDefault(key, given.origin().description());
        // Named relative to the namespace, as every other settings message ("train.lr must be ...").
        String shown = key.startsWith(Namespace.ROOT + ".") ? key.substring(Namespace.ROOT.length() + 1) : key;
        throw new SettingsException(shown + " expects a " + typeName(expected) + ", got "
            + given.render(ConfigRenderOptions.concise()) + " (" + source + ")");
      }
    }
  }

  /** Keys whose default is the word auto and whose other values are numbers (train.lr = auto: the method's rate). */
  private static final java.util.Set<String> NUMBER_OR_AUTO = java.util.Set.of(Namespace.ROOT + ".train.lr");

  private static void checkNumberOrAuto(Config merged, String key, Map<String, String> givenBy) {
    ConfigValue given = merged.getValue(key);
    Object value = given.unwrapped();
    if (value instanceof Number || "auto".equals(value)) return;
    try {
      if (value instanceof String text) {
        Double.parseDouble(text.trim());
        return;
      }
    } catch (NumberFormatException notANumber) {
      // named below
    }
    String source = givenBy.getOrDefault(key, given.origin().description());
    throw new SettingsException(key.substring(Namespace.ROOT.length() + 1) + " expects a number or auto, got "
        + given.render(ConfigRenderOptions.concise()) + " (" + source + ")");
  }

  private static String typeName(com.typesafe.config.ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "number";
      case BOOLEAN -> "boolean (true or false)";
      case LIST -> "list, e.g. [10, 20]";
      case STRING -> "string";
      default -> type.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The merged settings inside the namespace ("seed", "train.epochs", ...); only record factories read it. */
  public Config config() {
    return config.getConfig(Namespace.ROOT);
  }

  /** A sub-section ("train", "prep", ...) for a record factory to read. */
  public Config section(String path) {
    return config().getConfig(path);
  }

  /** Returns a copy with one more override, a key inside the namespace ("train.method"). */
  public Settings with(String key, Object value) {
    return new Settings(config.withValue(qualified(key), ConfigValueFactory.fromAnyRef(value)));
  }

  /** The full key of a key inside the namespace: "train.method" -> "directspec.train.method". */
  public static String qualified(String key) {
    return Namespace.ROOT + "." + key;
  }

  /** HOCON text of every setting, secrets redacted: printed at start and saved next to outputs. */
  public String render() {
    Config shown = config;
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      if (SECRET.matcher(e.getKey()).matches()) {
        shown = shown.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(REDACTED));
      }
    }
    return shown.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /**
   * One "key = value" line per setting whose value differs from reference.conf or that reference.conf
   * does not hold (Spark pass-through properties), sorted by key, secrets redacted.
   */
  public List<String> differencesFromReference() {
    Config reference = reference().resolve();
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(asMap(config)).entrySet()) {
      String key = e.getKey();
      ConfigValue value = e.getValue();
      boolean same = reference.hasPath(key) && reference.getValue(key).unwrapped().equals(value.unwrapped());
      if (!same) {
        lines.add(key + " = " + (SECRET.matcher(key).matches() ? REDACTED : shown(value)));
      }
    }
    return lines;
  }

  /** A command-line argument with the value masked when it sets a secret ("--set k=v", "k=v"). */
  public static String redactArgument(String argument) {
    int eq = argument.indexOf('=');
    return eq > 0 && SECRET.matcher(argument.substring(0, eq)).matches()
        ? argument.substring(0, eq + 1) + REDACTED : argument;
  }

  private static Map<String, ConfigValue> asMap(Config config) {
    Map<String, ConfigValue> map = new java.util.HashMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }

  private static String shown(ConfigValue value) {
    return value.unwrapped() instanceof String s ? s : value.render(ConfigRenderOptions.concise());
  }

  private static Config reference() {
    return ConfigFactory.parseResources(Settings.class.getClassLoader(), REFERENCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** Full path for a key given by its path or by a last segment that names exactly one setting. */
  static String resolveKey(Config reference, String key) {
    if (key.contains(".") && !Namespace.inside(key)) {
      // A dotted key is a path: outside the namespace it is the old layout, never a suffix to match.
      throw Namespace.outside(reference, key, " (--set)");
    }
    if (reference.hasPathOrNull(key) && !(reference.getValue(key) instanceof com.typesafe.config.ConfigObject)) {
      return key;
    }
    List<String> matches = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      String path = e.getKey();
      if (path.equals(key) || path.endsWith("." + key)) {
        matches.add(path);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new SettingsException("unknown setting '" + key + "'; see conf/reference.conf for every key");
    }
    throw new SettingsException("setting '" + key + "' is ambiguous, use one of " + new TreeSet<>(matches));
  }

  private static void checkKnown(Config reference, Config overlay, String source) {
    for (Map.Entry<String, ConfigValue> e : overlay.entrySet()) {
      if (!Namespace.inside(e.getKey())) {
        throw Namespace.outside(reference, e.getKey(), " in " + source);
      }
      if (!e.getKey().startsWith(PASS_THROUGH + ".") && !reference.hasPathOrNull(e.getKey())) {
        throw new SettingsException("unknown setting '" + e.getKey() + "' in " + source
            + "; see conf/reference.conf for every key");
      }
    }
  }

  /** Parses a --set value as HOCON so lists and numbers keep their type; plain text becomes a string. */
  private static ConfigValue parseValue(ConfigValue referenceValue, String raw, String key) {
    try {
      Config parsed = ConfigFactory.parseString("v = " + raw);
      ConfigValue v = parsed.getValue("v");
      if (referenceValue.valueType() == com.typesafe.config.ConfigValueType.STRING) {
        return ConfigValueFactory.fromAnyRef(v.unwrapped() instanceof String s ? s : raw);
      }
      return v;
    } catch (ConfigException e) {
      return ConfigValueFactory.fromAnyRef(raw);
    }
  }
}
