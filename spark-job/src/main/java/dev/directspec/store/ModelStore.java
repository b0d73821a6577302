package dev.directspec.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.TextFiles;
import dev.directspec.settings.TrainSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

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
    return new ModelStore(spark, path, inspect(spark.sparkContext().hadoopConfiguration(), path));
  }

  /**
   * Reads a model folder's metadata and checks, without Spark, that its factor tables are readable Parquet
   * (every part file has its footer: a truncated or overwritten file fails here, not inside a Spark job).
   *
   * @throws InputDataException the folder is missing, incomplete, corrupt or of a format this build cannot read
   */
  public static JsonNode inspect(Configuration conf, String path) {
    Path meta = new Path(path, "metadata.json");
    try {
      FileSystem fs = meta.getFileSystem(conf);
      if (!fs.exists(meta)) {
        throw new InputDataException("not a model folder (no metadata.json): " + path);
      }
      JsonNode m;
      try (var in = fs.open(meta)) {
        m = JSON.readTree(in);
      } catch (JsonProcessingException e) {
        throw new InputDataException("model metadata " + meta + " is corrupt or truncated: "
            + e.getOriginalMessage());
      }
      int version = m == null ? -1 : m.path("format_version").asInt(-1);
      if (version < 1 || version > FORMAT_VERSION) {
        throw new InputDataException("model " + path + " has format_version " + version
            + "; this build reads 1.." + FORMAT_VERSION);
      }
      for (String table : tables(m)) checkParquet(fs, conf, new Path(path, table));
      return m;
    } catch (IOException e) {
      throw new InputDataException("cannot read model " + path + ": " + e.getMessage(), e);
    }
  }

  private static List<String> tables(JsonNode metadata) {
    return metadata.has("base_factors")
        ? List.of("user_factors", "item_factors", "base_user_factors", "base_item_factors")
        : List.of("user_factors", "item_factors");
  }

  private static void checkParquet(FileSystem fs, Configuration conf, Path table) throws IOException {
    if (!fs.exists(table)) throw new InputDataException("model table missing: " + table);
    for (FileStatus file : fs.listStatus(table)) {
      String name = file.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".") || file.isDirectory()) continue;
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
        reader.getFooter();
      } catch (IOException | RuntimeException e) {
        throw new InputDataException("model file " + file.getPath() + " is truncated or not Parquet ("
            + file.getLen() + " bytes): " + e.getMessage());
      }
    }
  }

  /**
   * Refuses a model trained on other data than {@code manifest}'s dataset unless {@code allowOther}.
   * A model without a fingerprint (saved by the Spark ML estimator, which sees a DataFrame, not a dataset
   * folder) cannot prove it matches and is refused the same way.
   *
   * @return true when the model's fingerprint matches the dataset's
   * @throws InputDataException on a mismatch without allowOther; names both fingerprints and id types
   */
  public static boolean checkDataset(JsonNode metadata, String modelPath, JsonNode manifest, String dataPath,
      boolean allowOther) {
    JsonNode ds = metadata.path("dataset");
    String recorded = ds.path("fingerprint").asText("");
    boolean same = !recorded.isEmpty() && (recorded.equals(DatasetFolder.fingerprint(manifest))
        || recorded.equals(DatasetFolder.legacyFingerprint(manifest)));
    if (same || allowOther) return same;
    String model = recorded.isEmpty()
        ? "has no dataset fingerprint (" + ds.path("source").asText("written before fingerprints") + ")"
        : "was trained on dataset " + ds.path("path").asText("?") + " (fingerprint " + recorded + ", id type "
            + ds.path("id_type").asText("not recorded") + ")";
    throw new InputDataException("model " + modelPath + " " + model + ", but dataset " + dataPath
        + " has fingerprint " + DatasetFolder.fingerprint(manifest) + " (id type " + DatasetFolder.idType(manifest)
        + "); pass --allow-other-dataset to score it anyway by original id (users the model lacks are then "
        + "dropped)");
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
      TextFiles.write(meta.getFileSystem(spark.sparkContext().hadoopConfiguration()), meta,
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
      m.put("model", settings.model().kind().key());
      if (baseFactors) m.put("base_factors", true);
      m.put("method", settings.method().kind().key);
      m.put("dim", settings.model().dim());
      m.put("epochs", epochs);
      m.set("settings", JSON.valueToTree(settings.recorded()));
      if (methodSettings != null) m.set("method_settings", JSON.valueToTree(methodSettings));
      ObjectNode ds = m.putObject("dataset");
      ds.put("path", data.path());
      ds.put("fingerprint", data.fingerprint());
      ds.put("id_type", data.idType());
      ds.put("user_id_type", data.manifest().path("user_id_type").asText("unknown"));
      ds.put("item_id_type", data.manifest().path("item_id_type").asText("unknown"));
      ds.put("users", data.numUsers());
      ds.put("items", data.numItems());
      m.put("created", Instant.now().toString());
      writeMetadata(spark, path, m);
    }
  }
}
