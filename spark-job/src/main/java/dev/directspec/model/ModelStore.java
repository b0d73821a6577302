package dev.directspec.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.prep.DatasetFolder;
import dev.directspec.prep.OutputFolder;
import dev.directspec.train.EmbeddingBlock;
import dev.directspec.train.TrainSettings;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A model folder (docs/design.md "Model folder"): {@code metadata.json} (format version, method,
 * settings, dataset fingerprint) and Parquet {@code user_factors} / {@code item_factors} keyed by the
 * original ids ({@code user_id}, {@code item_id}) beside the dense index of the training dataset.
 */
public final class ModelStore {
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SparkSession spark;
  private final String path;
  private final JsonNode metadata;

  private ModelStore(SparkSession spark, String path, JsonNode metadata) {
    this.spark = spark;
    this.path = path;
    this.metadata = metadata;
  }

  /** Opens a model folder, checking that it is complete and of a format this version reads. */
  public static ModelStore open(SparkSession spark, String path) {
    Path meta = new Path(path, "metadata.json");
    try {
      FileSystem fs = meta.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(meta)) {
        throw new IllegalArgumentException("not a model folder (no metadata.json): " + path);
      }
      JsonNode m;
      try (var in = fs.open(meta)) {
        m = JSON.readTree(in);
      }
      int version = m.path("format_version").asInt(-1);
      if (version < 1 || version > FORMAT_VERSION) {
        throw new IllegalArgumentException("model " + path + " has format_version " + version
            + "; this build reads 1.." + FORMAT_VERSION);
      }
      return new ModelStore(spark, path, m);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
  }

  public JsonNode metadata() {
    return metadata;
  }

  public int dim() {
    return metadata.get("dim").asInt();
  }

  public Dataset<Row> userFactors() {
    return table("user_factors");
  }

  public Dataset<Row> itemFactors() {
    return table("item_factors");
  }

  private Dataset<Row> table(String name) {
    return spark.read().parquet(new Path(path, name).toString());
  }

  /** (user, features) as scored, for the users of a dataset matched by original id; unknown users are absent. */
  public Dataset<Row> userFactorsFor(Dataset<Row> datasetUsers) {
    return matched(datasetUsers, userFactors(), "user");
  }

  public Dataset<Row> itemFactorsFor(Dataset<Row> datasetItems) {
    return matched(datasetItems, itemFactors(), "item");
  }

  /**
   * The table a warm start continues from: a LightGCN model scores with its propagated factors but
   * trains its base table, saved beside them as {@code base_*_factors}.
   */
  public Dataset<Row> trainableFactorsFor(Dataset<Row> datasetRows, String side) {
    String base = "base_" + side + "_factors";
    return matched(datasetRows, metadata.has("base_factors") ? table(base) : table(side + "_factors"), side);
  }

  private static Dataset<Row> matched(Dataset<Row> datasetRows, Dataset<Row> factors, String side) {
    return datasetRows.join(factors.drop(side), side + "_id").select(side, "features");
  }

  /** A short hash of the dataset's manifest: a model records exactly which prepared data it saw. */
  static String fingerprint(DatasetFolder data) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(data.manifest().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A metadata object that starts with this build's format version; writers add the rest. */
  public static ObjectNode newMetadata() {
    ObjectNode m = JSON.createObjectNode();
    m.put("format_version", FORMAT_VERSION);
    return m;
  }

  /** Writes metadata.json last: its presence is what marks a model folder complete. */
  public static void writeMetadata(SparkSession spark, String path, ObjectNode metadata) {
    try {
      Path meta = new Path(path, "metadata.json");
      OutputFolder.writeText(meta.getFileSystem(spark.sparkContext().hadoopConfiguration()), meta,
          JSON.writeValueAsString(metadata));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model metadata in " + path, e);
    }
  }

  /** Writes a model folder (called inside an atomic run folder). */
  public static final class Writer {
    private final SparkSession spark;
    private final String path;

    public Writer(SparkSession spark, String path) {
      this.spark = spark;
      this.path = path;
    }

    public void write(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, DatasetFolder data,
        TrainSettings settings, int epochs) {
      write(FactorTables.toTable(spark, users, "user"), FactorTables.toTable(spark, items, "item"), data, settings,
          epochs, null);
    }

    /**
     * A model whose scored factors differ from the tables it trains (LightGCN's propagated rows, or item rows
     * rescaled by train.item_norm_power), saved with the base tables a warm start continues from.
     */
    public void write(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, JavaRDD<EmbeddingBlock> baseUsers,
        JavaRDD<EmbeddingBlock> baseItems, DatasetFolder data, TrainSettings settings, int epochs) {
      if (baseUsers == users && baseItems == items) {
        write(users, items, data, settings, epochs);
        return;
      }
      writeTable(FactorTables.toTable(spark, baseUsers, "user"), data.users(), "user", "base_user_factors");
      writeTable(FactorTables.toTable(spark, baseItems, "item"), data.items(), "item", "base_item_factors");
      write(FactorTables.toTable(spark, users, "user"), FactorTables.toTable(spark, items, "item"), data, settings,
          epochs, null, true);
    }

    private void writeTable(Dataset<Row> factors, Dataset<Row> ids, String side, String name) {
      factors.join(ids, side).select(side + "_id", side, "features").write().parquet(new Path(path, name).toString());
    }

    /**
     * Writes factor tables trained elsewhere (e.g. by Spark's ALS).
     *
     * @param users          (user int, features array&lt;float&gt;) keyed by the dataset's dense ids
     * @param items          (item int, features array&lt;float&gt;)
     * @param methodSettings settings of the method beyond {@code train} (saved as "method_settings"), or null
     */
    public void write(Dataset<Row> users, Dataset<Row> items, DatasetFolder data, TrainSettings settings, int epochs,
        Object methodSettings) {
      write(users, items, data, settings, epochs, methodSettings, false);
    }

    private void write(Dataset<Row> users, Dataset<Row> items, DatasetFolder data, TrainSettings settings, int epochs,
        Object methodSettings, boolean baseFactors) {
      writeTable(users, data.users(), "user", "user_factors");
      writeTable(items, data.items(), "item", "item_factors");
      ObjectNode m = newMetadata();
      m.put("model", settings.model());
      if (baseFactors) m.put("base_factors", true);
      m.put("method", settings.method().key);
      m.put("dim", settings.dim());
      m.put("epochs", epochs);
      m.set("settings", JSON.valueToTree(settings));
      if (methodSettings != null) m.set("method_settings", JSON.valueToTree(methodSettings));
      ObjectNode ds = m.putObject("dataset");
      ds.put("path", data.path());
      ds.put("fingerprint", fingerprint(data));
      ds.put("users", data.numUsers());
      ds.put("items", data.numItems());
      m.put("created", Instant.now().toString());
      writeMetadata(spark, path, m);
    }
  }
}
