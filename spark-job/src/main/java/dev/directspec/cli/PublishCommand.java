package dev.directspec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.OutputFolder;
import dev.directspec.folders.TextFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code directspec publish}: the quality gate and the publish step of a scheduled retraining.
 *
 * <p>The gate compares one metric of the new model (evaluate's metrics.json) with the value the
 * {@code latest} marker recorded for the model published before; a fall of more than {@code --max-drop}
 * (a share of the published value) stops with exit 3 and leaves the marker alone. Publishing writes the
 * marker, a small JSON file naming model, recommendations and metrics, next to itself and renames it
 * over the old one: one atomic rename on HDFS and local disks, so a reader sees the old marker or the
 * new one, never a mix. On object stores (s3a, gs) a rename is a copy, but one object is still replaced
 * whole. No Spark session: the command only reads and writes a few small files.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Quality gate on evaluate's metrics.json against the published model, then point the"
        + " latest marker at the new model and recommendations (written next to it, renamed into place).")
final class PublishCommand implements Callable<Integer> {
  @Option(names = "--metrics", required = true, paramLabel = "PATH",
      description = "evaluate --output folder (or its metrics.json) of the new model.")
  String metrics;

  @Option(names = "--latest", required = true, paramLabel = "FILE",
      description = "The marker file, e.g. hdfs:///recsys/directspec/latest.json.")
  String latest;

  @Option(names = "--model", paramLabel = "DIR", description = "The new model (run folder); needed to publish.")
  String model;

  @Option(names = "--recommendations", paramLabel = "DIR",
      description = "The new model's recommend --output folder; needed to publish.")
  String recommendations;

  @Option(names = "--metric", defaultValue = "recall@20", paramLabel = "NAME",
      description = "Metric the gate compares (default recall@20).")
  String metric;

  @Option(names = "--max-drop", defaultValue = "0.05", paramLabel = "SHARE",
      description = "Largest allowed fall below the published value, as a share of it (default 0.05 = 5%%).")
  double maxDrop;

  @Option(names = "--gate-only", description = "Only check the gate (exit 0 or 3); write nothing.")
  boolean gateOnly;

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() throws IOException {
    Check.range("--max-drop", maxDrop, 0, true, 1, true);
    if (!gateOnly && (model == null || recommendations == null)) {
      throw new SettingsException("publish needs --model and --recommendations (or --gate-only)");
    }
    Configuration conf = new Configuration();
    JsonNode fresh = readMetrics(conf);
    double value = fresh.get(metric).asDouble();
    Path marker = new Path(latest);
    FileSystem fs = marker.getFileSystem(conf);
    if (fs.exists(marker)) {
      JsonNode published = readJson(fs, marker);
      JsonNode old = published.path("metrics").get(metric);
      if (old == null || !old.isNumber()) {
        throw new InputDataException("the latest marker " + marker + " has no number metrics." + metric
            + "; cannot compare (publish by hand or remove the marker to start over)");
      }
      double floor = old.asDouble() * (1 - maxDrop);
      String comparison = String.format(Locale.ROOT, "%s %.4f against the published %.4f (%s), floor %.4f at"
          + " --max-drop %.3f", metric, value, old.asDouble(), published.path("model").asText("?"), floor, maxDrop);
      if (value < floor) {
        throw new InputDataException("quality gate failed: " + comparison + "; nothing published");
      }
      System.out.println("quality gate passed: " + comparison);
    } else {
      System.out.println("quality gate passed: no published model yet (" + marker + " does not exist); "
          + metric + " " + value);
    }
    if (gateOnly) return 0;

    requireComplete(conf, model, "--model");
    requireComplete(conf, recommendations, "--recommendations");
    ObjectNode entry = json.createObjectNode();
    entry.put("model", qualified(conf, model));
    entry.put("recommendations", qualified(conf, recommendations));
    entry.put("metrics_file", qualified(conf, metricsFile().toString()));
    entry.set("metrics", fresh);
    entry.put("published_at", Instant.now().toString());
    TextFiles.replace(fs, marker, json.writeValueAsString(entry) + "\n");
    System.out.println("published: " + marker + " -> " + entry.get("model").asText());
    return 0;
  }

  private Path metricsFile() {
    Path path = new Path(metrics);
    return path.getName().endsWith(".json") ? path : new Path(path, EvaluateCommand.METRICS_FILE);
  }

  private JsonNode readMetrics(Configuration conf) throws IOException {
    Path file = metricsFile();
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      throw new InputDataException("no metrics at " + file + " (write them with evaluate --output DIR)");
    }
    JsonNode node = readJson(fs, file);
    if (node.get(metric) == null || !node.get(metric).isNumber()) {
      throw new InputDataException(file + " has no number " + metric + " (it has " + fieldNames(node) + ")");
    }
    return node;
  }

  private JsonNode readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return json.readTree(in);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new InputDataException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String fieldNames(JsonNode node) {
    StringBuilder names = new StringBuilder();
    node.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
    return names.toString();
  }

  /** Publishes only outputs that were committed (their _SUCCESS is written last, just before the rename). */
  private static void requireComplete(Configuration conf, String dir, String option) throws IOException {
    Path path = new Path(dir);
    if (!path.getFileSystem(conf).exists(new Path(path, OutputFolder.SUCCESS))) {
      throw new InputDataException(option + " " + dir + " is not a complete output (no " + OutputFolder.SUCCESS + ")");
    }
  }

  private static String qualified(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(conf).makeQualified(p).toString();
  }

}
