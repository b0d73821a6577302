package dev.directspec.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a launcher profile, a Spark properties file, for {@code submit/directspec}: the launcher needs a
 * few of its values (master, deploy mode, driver memory, ...) before it starts a JVM. The file is read
 * with {@link Properties} in UTF-8 and trimmed, as spark-submit's {@code --properties-file} reads it,
 * so the launcher and Spark cannot disagree on a value.
 *
 * <pre>java -cp JAR dev.directspec.cli.ProfileReader [--check] FILE KEY...</pre>
 *
 * Prints a {@code KEY=VALUE} line for every requested key the file sets (a requested value holding a
 * line break is refused: the launcher reads lines). With {@code --check} it first refuses, with exit 2
 * and a line naming file and key, what spark-submit would silently drop or pass on unexpanded: keys
 * outside {@code spark.*} (also the old one-option-per-line profile format) and shell-style
 * {@code ${NAME}} references.
 */
public final class ProfileReader {
  // ${NAME} and ${NAME:-default}: a shell's syntax that neither spark-submit nor Spark expands. Spark's
  // own ${env:NAME} / ${system:NAME} / ${spark.key} references are left to Spark (see docs/airflow.md).
  private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

  private ProfileReader() {}

  public static void main(String[] args) {
    boolean check = args.length > 0 && args[0].equals("--check");
    int first = check ? 1 : 0;
    if (args.length <= first) {
      System.err.println("usage: ProfileReader [--check] FILE KEY...");
      System.exit(Main.EXIT_CONFIG);
    }
    Path file = Path.of(args[first]);
    Properties properties;
    try {
      properties = load(file);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("directspec: cannot read profile " + file + ": " + e.getMessage());
      System.exit(Main.EXIT_CONFIG);
      return;
    }
    if (check) {
      String problem = problem(file, properties);
      if (problem != null) {
        System.err.println("directspec: " + problem);
        System.exit(Main.EXIT_CONFIG);
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = first + 1; i < args.length; i++) {
      String value = properties.getProperty(args[i]);
      if (value == null) continue;
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        System.err.println("directspec: " + file + ": " + args[i] + " holds a line break");
        System.exit(Main.EXIT_CONFIG);
      }
      out.append(args[i]).append('=').append(value.strip()).append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }

  static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return properties;
  }

  /** The first thing spark-submit would not do as the profile's author meant, or null. */
  static String problem(Path file, Properties properties) {
    for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
      if (key.startsWith("--")) {
        return file + ": '" + key + " " + properties.getProperty(key) + "' is the old profile format (one"
            + " spark-submit option per line); a profile is now a Spark properties file: 'spark.master yarn',"
            + " 'spark.executor.memory 8g' (see submit/profiles/)";
      }
      if (!key.startsWith("spark.")) {
        return file + ": " + key + " is not a Spark property (spark.*); spark-submit would ignore it";
      }
      Matcher m = SHELL_VARIABLE.matcher(properties.getProperty(key));
      if (m.find()) {
        return file + ": " + key + " = " + properties.getProperty(key) + ": Spark does not expand " + m.group()
            + " in a properties file; give the value on the command line (--master, --spark-conf " + key
            + "=...) or in your own copy of the profile";
      }
    }
    return null;
  }
}
