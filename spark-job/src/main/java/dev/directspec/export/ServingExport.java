package dev.directspec.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.store.ModelStore;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.OutputFolder;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.not;

/**
 * {@code export}: a model's user and item vectors for a nearest-neighbour index (docs/serving.md). The
 * vectors are the model's scored rows, so {@code user_vector . item_vector} is the score evaluate and
 * recommend rank by (LightGCN's propagation and train.item_norm_power are already in them); the trained
 * base tables of such models are not exported. Rows are in the order of the dataset's dense ids, and the
 * ids file of a side lists the original id of every vector row in the same order.
 *
 * <p>npy arrays are single files, so their rows stream through the driver one Spark partition at a time
 * (toLocalIterator): the driver holds one partition, never a table. Parquet is written by the executors.
 * The folder is written aside and renamed into place ({@link OutputFolder}).
 */
public final class ServingExport {
  public static final Set<String> FORMATS = Set.of("npy", "parquet");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int SCHEMA_VERSION = 1;

  private final SparkSession spark;
  private final String modelDir;
  private final ModelStore model;

  public ServingExport(SparkSession spark, String modelDir) {
    this.spark = spark;
    this.modelDir = modelDir;
    this.model = ModelStore.open(spark, modelDir);
  }

  /** Writes the export folder; returns its schema.json content. */
  public JsonNode write(String output, String format, boolean overwrite) {
    OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, overwrite);
    try {
      ObjectNode schema = schema(format);
      ObjectNode files = schema.putObject("files");
      for (String side : List.of("user", "item")) {
        Dataset<Row> table = side.equals("user") ? model.userFactors() : model.itemFactors();
        long rows = format.equals("npy") ? npy(out, side, table, files) : parquet(out, side, table, files);
        schema.with("counts").put(side + "s", rows);
      }
      out.writeText("schema.json", JSON.writeValueAsString(schema));
      out.commit();
      return schema;
    } catch (IOException | RuntimeException e) {
      out.discard();
      if (e instanceof RuntimeException r) throw r;
      throw new UncheckedIOException("cannot write the export " + output + ": " + e.getMessage(), (IOException) e);
    }
  }

  private ObjectNode schema(String format) {
    JsonNode meta = model.metadata();
    ObjectNode s = JSON.createObjectNode();
    s.put("schema_version", SCHEMA_VERSION);
    s.put("format", format);
    s.put("dimension", model.dim());
    s.put("dtype", "float32");
    s.put("metric", "dot");
    s.put("normalized", false);
    s.put("score", "score(user, item) = dot(user vector, item vector), as evaluate and recommend rank; use an "
        + "inner-product index and do not normalise (cosine would change the ranking)");
    ObjectNode source = s.putObject("model");
    source.put("path", modelDir);
    source.put("model", meta.path("model").asText("mf"));
    source.put("method", meta.path("method").asText(""));
    source.put("item_norm_power", meta.path("settings").path("itemNormPower").asDouble(1.0));
    source.put("dataset_fingerprint", meta.path("dataset").path("fingerprint").asText(""));
    s.putObject("counts");
    return s;
  }

  /** The side's rows as (original id, features), in dense-id order; checks the columns first. */
  private Dataset<Row> ordered(String side, Dataset<Row> table) {
    for (String column : List.of(side + "_id", side, "features")) {
      if (!List.of(table.columns()).contains(column)) {
        throw new InputDataException("model " + modelDir + ": " + side + "_factors has no column " + column);
      }
    }
    return table.orderBy(side).select(side + "_id", "features");
  }

  private long parquet(OutputFolder out, String side, Dataset<Row> table, ObjectNode files) {
    String name = side + "s";
    ordered(side, table).toDF("id", "vector").write().parquet(out.path(name));
    ObjectNode f = files.putObject(name);
    f.put("path", name + "/");
    f.put("holds", "Parquet: id (the original " + side + " id), vector (array<float>, the " + side
        + " vector as scored), in the order of the dataset's dense " + side + " ids");
    return spark.read().parquet(out.path(name)).count();
  }

  private long npy(OutputFolder out, String side, Dataset<Row> table, ObjectNode files) throws IOException {
    Dataset<Row> rows = ordered(side, table);
    boolean numericIds = integerIds(rows);
    long n = rows.count();
    int d = model.dim();
    String vectors = side + "_vectors.npy";
    String ids = side + "_ids" + (numericIds ? ".npy" : ".txt");
    try (FSDataOutputStream vectorFile = out.fs().create(new Path(out.tmp(), vectors), false);
        FSDataOutputStream idFile = out.fs().create(new Path(out.tmp(), ids), false);
        NpyWriter vectorArray = new NpyWriter(vectorFile, NpyWriter.FLOAT32, n, d);
        IdWriter idWriter = numericIds ? new NumericIds(new NpyWriter(idFile, NpyWriter.INT64, n))
            : new TextIds(new OutputStreamWriter(idFile, StandardCharsets.UTF_8))) {
      Iterator<Row> it = rows.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        List<Float> f = r.getList(1);
        float[] v = new float[f.size()];
        for (int k = 0; k < v.length; k++) v[k] = f.get(k);
        vectorArray.floats(v);
        idWriter.write(numericIds ? Long.valueOf(r.get(0).toString()) : r.get(0));
      }
    }
    ObjectNode v = files.putObject(side + "_vectors");
    v.put("path", vectors);
    v.put("dtype", NpyWriter.FLOAT32);
    v.putArray("shape").add(n).add(d);
    v.put("holds", "the " + side + " vectors as scored, one row per " + side + ", in the order of the dataset's "
        + "dense ids (NumPy .npy v1.0, C order)");
    ObjectNode i = files.putObject(side + "_ids");
    i.put("path", ids);
    i.put("holds", "the original id of row r of " + vectors + (numericIds ? " (int64 .npy)"
        : " (UTF-8 text, one id per line)"));
    if (numericIds) i.put("dtype", NpyWriter.INT64);
    return n;
  }

  /**
   * Whether every id is a long written canonically ("42", not "042" or "+42"): models keep ids as text, and
   * only canonical ones turn into int64 and back without two ids becoming one.
   */
  private static boolean integerIds(Dataset<Row> rows) {
    DataType type = rows.schema().apply(0).dataType();
    if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)) return true;
    if (!type.equals(DataTypes.StringType)) return false;
    Column id = rows.col(rows.columns()[0]);
    Column canonical = id.rlike("^(0|-?[1-9][0-9]*)$").and(id.try_cast(DataTypes.LongType).isNotNull());
    return rows.where(not(canonical)).isEmpty();
  }

  /** The ids file of a side: int64 npy for numeric ids, lines of text for the others. */
  private interface IdWriter extends AutoCloseable {
    void write(Object id) throws IOException;

    @Override
    void close() throws IOException;
  }

  private record NumericIds(NpyWriter array) implements IdWriter {
    @Override
    public void write(Object id) throws IOException {
      array.int64(((Number) id).longValue());
    }

    @Override
    public void close() throws IOException {
      array.close();
    }
  }

  private record TextIds(Writer text) implements IdWriter {
    @Override
    public void write(Object id) throws IOException {
      String s = String.valueOf(id);
      if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
        throw new InputDataException("id " + s.replace("\n", "\\n") + " holds a line break, which a text ids "
            + "file cannot: export --format parquet instead");
      }
      text.write(s);
      text.write('\n');
    }

    @Override
    public void close() throws IOException {
      text.flush();
    }
  }
}
