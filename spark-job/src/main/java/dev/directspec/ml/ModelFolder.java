package dev.directspec.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.store.ModelStore;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes {@link DirectSpecRecommenderModel} as a model folder ({@link ModelStore}'s format):
 * metadata.json (format_version, method, dim, settings, params, id_types), Parquet user_factors
 * (user_id, user, features) and item_factors (item_id, item, features), and, for a model fitted by the
 * estimator, seen (user, item): the training pairs by index, for excludeSeen.
 */
final class ModelFolder {
  private static final List<String> MODEL_PARAMS = List.of("userCol", "itemCol", "predictionCol",
      "coldStartStrategy", "excludeSeen", "topK");
  private static final String SEEN = "seen";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFolder() {}

  static final class Writer extends MLWriter {
    private final DirectSpecRecommenderModel model;

    Writer(DirectSpecRecommenderModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      try {
        writeFolder(path);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the model to " + path, e);
      }
    }

    @SuppressWarnings("unchecked")
    private static String encode(Param<?> p, Object value) {
      return ((Param<Object>) p).jsonEncode(value);
    }

    private void writeFolder(String path) throws IOException {
      SparkSession spark = sparkSession();
      // Spark's own metadata/ directory names the class, which is how PipelineModel.load finds read().
      DefaultParamsWriter.saveMetadata(model, path, spark);
      model.userTable().select("user_id", "user", "features").write()
          .parquet(new Path(path, "user_factors").toString());
      model.itemTable().select("item_id", "item", "features").write()
          .parquet(new Path(path, "item_factors").toString());
      if (model.seenTable() != null) {
        model.seenTable().write().parquet(new Path(path, SEEN).toString());
      }
      ObjectNode m = ModelStore.newMetadata();
      m.setAll(model.training());
      ObjectNode params = m.has("params") ? (ObjectNode) m.get("params") : m.putObject("params");
      for (Param<?> p : model.params()) {
        params.set(p.name(), JSON.readTree(encode(p, model.getOrDefault(p))));
      }
      m.set("params", params);
      m.put("uid", model.uid());
      m.put("created", Instant.now().toString());
      ModelStore.writeMetadata(spark, path, m);
    }
  }

  static final class Reader extends MLReader<DirectSpecRecommenderModel> {
    @Override
    public DirectSpecRecommenderModel load(String path) {
      SparkSession spark = sparkSession();
      String dir = modelDir(spark, path);
      ModelStore store = ModelStore.open(spark, dir);
      JsonNode meta = store.metadata();
      Dataset<Row> users = columns(store.userFactors(), dir, "user_factors", "user_id", "user", "features");
      Dataset<Row> items = columns(store.itemFactors(), dir, "item_factors", "item_id", "item", "features");
      ObjectNode training = (ObjectNode) meta.deepCopy();
      training.remove(List.of("format_version", "uid", "created"));
      String uid = meta.path("uid").asText("");
      Dataset<Row> seen = exists(spark, new Path(dir, SEEN)) ? spark.read().parquet(new Path(dir, SEEN).toString())
          : null;
      DirectSpecRecommenderModel model = new DirectSpecRecommenderModel(
          uid.isEmpty() ? Identifiable.randomUID("directspec") : uid, users, items, seen, training);
      JsonNode params = meta.path("params");
      for (String name : MODEL_PARAMS) {
        // Folders written by the CLI have no params: the defaults (user, item) are its column names.
        if (params.hasNonNull(name)) {
          @SuppressWarnings("unchecked")
          Param<Object> p = (Param<Object>) model.getParam(name);
          model.set(p, p.jsonDecode(params.get(name).toString()));
        }
      }
      return model;
    }

    private static boolean exists(SparkSession spark, Path path) {
      try {
        return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }

    /** A run folder of the CLI holds the model in model/: accept both, as the CLI does. */
    private static String modelDir(SparkSession spark, String path) {
      try {
        Path nested = new Path(path, "model/metadata.json");
        FileSystem fs = nested.getFileSystem(spark.sparkContext().hadoopConfiguration());
        boolean direct = fs.exists(new Path(path, "metadata.json"));
        return !direct && fs.exists(nested) ? new Path(path, "model").toString() : path;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }

    private static Dataset<Row> columns(Dataset<Row> table, String dir, String name, String... required) {
      List<String> present = Arrays.asList(table.columns());
      for (String c : required) {
        if (!present.contains(c)) {
          throw new IllegalArgumentException("model " + dir + ": " + name + " has no column " + c
              + " (columns: " + present + ")");
        }
      }
      return table.select(required[0], required[1], required[2]);
    }
  }
}
