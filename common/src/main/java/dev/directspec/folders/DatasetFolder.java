package dev.directspec.folders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset folder written by {@link PrepJob}, opened for reading (by the trainer): the tables as
 * Datasets and the manifest. Refuses folders without _SUCCESS (an unfinished or failed prep).
 */
public final class DatasetFolder {
  private final SparkSession spark;
  private final Path path;
  private final JsonNode manifest;

  private DatasetFolder(SparkSession spark, Path path, JsonNode manifest) {
    this.spark = spark;
    this.path = path;
    this.manifest = manifest;
  }

  public static DatasetFolder open(SparkSession spark, String folder) {
    return new DatasetFolder(spark, new Path(folder), manifest(spark.sparkContext().hadoopConfiguration(), folder));
  }

  /**
   * The manifest of a complete dataset folder, read without Spark (commands check their inputs before a
   * SparkSession exists).
   *
   * @throws InputDataException the folder is missing, unfinished, unreadable or of another format version
   */
  public static JsonNode manifest(Configuration conf, String folder) {
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new InputDataException("dataset folder not found: " + folder + "; run prep first");
      }
      if (!fs.exists(new Path(path, OutputFolder.SUCCESS))) {
        throw new InputDataException("not a complete dataset folder (no " + OutputFolder.SUCCESS + "): "
            + folder + "; run prep first");
      }
      JsonNode manifest = ManifestFile.read(fs, path);
      int version = manifest.path("format_version").asInt(-1);
      if (version != ManifestFile.FORMAT_VERSION) {
        throw new InputDataException("dataset folder " + folder + " has format_version " + version
            + ", this build reads " + ManifestFile.FORMAT_VERSION);
      }
      return manifest;
    } catch (IOException e) {
      throw new InputDataException("cannot open dataset folder " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a model records to name the data it was trained on: a hash of the manifest without its
   * {@code created} time, so the same inputs prepared again with the same settings keep their fingerprint
   * while other data, settings or a different split change it.
   */
  public static String fingerprint(JsonNode manifest) {
    ObjectNode content = manifest.deepCopy();
    content.remove("created");
    return sha256Prefix(content.toString());
  }

  /** The fingerprint models written before {@link #fingerprint} existed recorded: the whole manifest's hash. */
  public static String legacyFingerprint(JsonNode manifest) {
    return sha256Prefix(manifest.toString());
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The manifest's id type ("long" when both user and item ids are numbers, else "string"). */
  public static String idType(JsonNode manifest) {
    return manifest.path("id_type").asText("unknown");
  }

  public String fingerprint() {
    return fingerprint(manifest);
  }

  public String idType() {
    return idType(manifest);
  }

  /** user int, item int, weight double, ts long (nullable). */
  public Dataset<Row> train() {
    return table("train");
  }

  public Dataset<Row> test() {
    return table("test");
  }

  /** user int, user_id string (the external id). */
  public Dataset<Row> users() {
    return table("users");
  }

  /** item int, item_id string (the external id). */
  public Dataset<Row> items() {
    return table("items");
  }

  /** source, line, text, reason of every row that was not used. */
  public Dataset<Row> rejected() {
    return table("rejected");
  }

  public JsonNode manifest() {
    return manifest;
  }

  /** The numeric counts of the manifest (duplicates_policy, a text, is in the manifest only). */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : manifest.path("counts").properties()) {
      if (e.getValue().isIntegralNumber()) {
        counts.put(e.getKey(), e.getValue().asLong());
      }
    }
    return counts;
  }

  public int numUsers() {
    return (int) manifest.path("counts").path("users").asLong();
  }

  public int numItems() {
    return (int) manifest.path("counts").path("items").asLong();
  }

  public String path() {
    return path.toString();
  }

  private Dataset<Row> table(String name) {
    return spark.read().parquet(new Path(path, name).toString());
  }
}
