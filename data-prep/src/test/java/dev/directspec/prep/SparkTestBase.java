package dev.directspec.prep;

import dev.directspec.config.Settings;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One local SparkSession per test class, a temporary folder per test, plus settings and shared-data helpers. */
abstract class SparkTestBase {
  protected static SparkSession spark;

  /** Inputs and outputs of one test. */
  @TempDir
  protected Path tmp;

  /** Writes a small input file into {@link #tmp} and returns its path. */
  protected String file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  protected String file(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p.toString();
  }

  /** A path in {@link #tmp} for an output folder. */
  protected String out(String name) {
    return tmp.resolve(name).toString();
  }

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("data-prep-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }

  /** Prep settings from reference.conf plus "key=value" overrides, as the CLI resolves them. */
  static PrepSettings settings(String... overrides) {
    return PrepSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  static PrepResult prep(PrepSettings settings, String output, String test, String... inputs) {
    return PrepJob.run(spark, settings, new PrepPaths(List.of(inputs), null, test, output, false));
  }

  /**
   * The shared research data (never copied into the repo): ../../shared/data from the module, or
   * ../shared/data from the project root, or $DIRECTSPEC_DATA. Skips the test with a message if absent.
   */
  static Path sharedData(String relative) {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("DIRECTSPEC_DATA");
    if (env != null) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("../../shared/data"));
    candidates.add(Path.of("../shared/data"));
    for (Path base : candidates) {
      Path p = base.resolve(relative);
      if (Files.exists(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    Assumptions.assumeTrue(false, "shared dataset " + relative + " not found under " + candidates
        + " (set DIRECTSPEC_DATA); skipping");
    return null;
  }
}
