package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.directspec.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export} (issue 23, item 3): the npy files read back bit for bit by an independent reader equal the
 * model's scored factor tables, their ids follow the same rows, the Parquet export holds the same, and the
 * exported vectors reproduce the scores recommend wrote for 100 random (user, item) pairs. The model uses
 * item_norm_power = 0.5, so the check fails if the export held the trained rather than the scored items.
 */
class ServingExportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** 300 numeric user ids x 120 string item ids ("i17"), 12 interactions each: both kinds of ids file. */
  private Path csv() throws IOException {
    Random random = new Random(23);
    StringBuilder csv = new StringBuilder("user,item\n");
    for (int u = 0; u < 300; u++) {
      for (int k = 0; k < 12; k++) csv.append(1000 + u).append(",i").append(random.nextInt(120)).append('\n');
    }
    Path file = dir.resolve("interactions.csv");
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void npyAndParquetExportsReproduceTheModelsScores() throws Exception {
    String data = dir.resolve("data").toString();
    String run = dir.resolve("run").toString();
    String recs = dir.resolve("recs").toString();
    Path npy = dir.resolve("export-npy");
    Path parquet = dir.resolve("export-parquet");
    assertEquals(0, Main.run("prep", "--input", csv().toString(), "--output", data, "--set", "split=random"));
    assertEquals(0, Main.run("train", "--data", data, "--output", run, "--set", "epochs=2", "--set", "blocks=2",
        "--set", "item_norm_power=0.5", "--set", "seed=5"));
    assertEquals(0, Main.run("recommend", "--data", data, "--model", run, "--k", "120", "--output", recs));
    assertEquals(0, Main.run("export", "--model", run, "--output", npy.toString()));
    assertEquals(0, Main.run("export", "--model", run + "/model", "--output", parquet.toString(), "--format", "parquet"));

    assertEquals(2, Main.run("export", "--model", run, "--output", npy.toString()), "existing output refused");
    assertEquals(2, Main.run("export", "--model", run, "--output", dir.resolve("x").toString(), "--format", "csv"));
    assertEquals(3, Main.run("export", "--model", dir.resolve("none").toString(), "--output",
        dir.resolve("y").toString()), "missing model");
    assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")), "failed exports leave nothing");

    JsonNode schema = JSON.readTree(npy.resolve("schema.json").toFile());
    assertEquals("dot", schema.path("metric").asText());
    assertEquals("float32", schema.path("dtype").asText());
    int d = schema.path("dimension").asInt();
    assertEquals(64, d);
    assertEquals("user_ids.npy", schema.path("files").path("user_ids").path("path").asText(), schema.toString());
    assertEquals("item_ids.txt", schema.path("files").path("item_ids").path("path").asText(), schema.toString());

    SparkSession spark = LocalSpark.start("serving-export-check");
    try {
      Exported users = checkSide(spark, npy, run, "user", d);
      Exported items = checkSide(spark, npy, run, "item", d);
      assertTrue(differsFromBase(spark, run, items), "item_norm_power = 0.5: the scored items are not the trained ones");
      checkParquetExport(spark, parquet, users, "users");
      checkParquetExport(spark, parquet, items, "items");
      checkScores(spark, recs, users, items);
    } finally {
      spark.stop();
    }
  }

  /** One side's export: original id (as text) to its row of the npy array. */
  private record Exported(Map<String, Integer> rows, NpyReader vectors) {}

  private static Exported checkSide(SparkSession spark, Path npy, String run, String side, int d) throws IOException {
    List<Row> model = spark.read().parquet(run + "/model/" + side + "_factors").orderBy(side)
        .select(side + "_id", "features").collectAsList();
    NpyReader vectors = NpyReader.read(npy.resolve(side + "_vectors.npy"));
    assertEquals("<f4", vectors.descr());
    assertArrayEquals(new long[] {model.size(), d}, vectors.shape());
    List<String> ids = side.equals("user") ? int64Ids(NpyReader.read(npy.resolve("user_ids.npy")))
        : Files.readAllLines(npy.resolve("item_ids.txt"));
    assertEquals(model.size(), ids.size());
    Map<String, Integer> rows = new HashMap<>();
    for (int r = 0; r < model.size(); r++) {
      assertEquals(String.valueOf(model.get(r).get(0)), ids.get(r), side + " id of row " + r);
      assertArrayEquals(bits(model.get(r).getList(1)), vectors.rowBits(r), side + " vector of row " + r);
      rows.put(ids.get(r), r);
    }
    return new Exported(rows, vectors);
  }

  private static List<String> int64Ids(NpyReader ids) {
    assertEquals("<i8", ids.descr());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ids.shape()[0]; i++) out.add(Long.toString(ids.int64(i)));
    return out;
  }

  private static int[] bits(List<Float> values) {
    int[] b = new int[values.size()];
    for (int k = 0; k < b.length; k++) b[k] = Float.floatToRawIntBits(values.get(k));
    return b;
  }

  private static boolean differsFromBase(SparkSession spark, String run, Exported items) {
    for (Row r : spark.read().parquet(run + "/model/base_item_factors").select("item_id", "features").collectAsList()) {
      int row = items.rows().get(String.valueOf(r.get(0)));
      if (!java.util.Arrays.equals(bits(r.getList(1)), items.vectors().rowBits(row))) return true;
    }
    return false;
  }

  private static void checkParquetExport(SparkSession spark, Path parquet, Exported npy, String table) {
    List<Row> rows = spark.read().parquet(parquet.resolve(table).toString()).collectAsList();
    assertEquals(npy.rows().size(), rows.size());
    for (Row r : rows) {
      String id = String.valueOf(r.get(r.fieldIndex("id")));
      int row = npy.rows().get(id);
      assertArrayEquals(npy.vectors().rowBits(row), bits(r.getList(r.fieldIndex("vector"))), table + " " + id);
    }
  }

  /** 100 random pairs of recommend's output: the dot product of the exported vectors is its score. */
  private static void checkScores(SparkSession spark, String recs, Exported users, Exported items) {
    List<Row> scored = spark.read().parquet(recs + "/recommendations").select("user_id", "item_id", "score")
        .orderBy("user_id", "item_id").collectAsList();
    assertTrue(scored.size() > 10_000, "recommend --k 120 scores every pair outside training: " + scored.size());
    Random random = new Random(100);
    double worst = 0;
    for (int n = 0; n < 100; n++) {
      Row r = scored.get(random.nextInt(scored.size()));
      float[] u = users.vectors().row(users.rows().get(String.valueOf(r.get(0))));
      float[] i = items.vectors().row(items.rows().get(String.valueOf(r.get(1))));
      double dot = 0;
      for (int k = 0; k < u.length; k++) dot += (double) u[k] * i[k];
      double score = r.getFloat(2);
      double error = Math.abs(dot - score) / Math.max(1e-3, Math.abs(score));
      worst = Math.max(worst, error);
      // float32 scores from a float matrix product: about 1e-7 relative, more where terms cancel.
      assertTrue(Math.abs(dot - score) <= 1e-5 * Math.max(1.0, Math.abs(score)),
          "pair " + r + ": dot of the exported vectors " + dot + " vs recommend's score " + score);
    }
    System.out.printf("export: 100 random pairs, largest relative difference to recommend's score %.3g%n", worst);
  }
}
