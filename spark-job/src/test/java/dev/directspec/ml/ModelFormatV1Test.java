package dev.directspec.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model folder committed under src/test/resources/models/v1 was saved by the first version of the
 * model writer; every later version must keep loading it with the same factors and predictions.
 */
class ModelFormatV1Test {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("ml-format-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String fixture() throws URISyntaxException {
    return Path.of(ModelFormatV1Test.class.getResource("/models/v1/metadata.json").toURI()).getParent().toString();
  }

  static Dataset<Row> pairs() {
    return spark.sql("SELECT * FROM VALUES (0, 0), (1, 2), (4, 3), (9, 1) AS t(user, item)");
  }

  @Test
  void theV1FixtureStillLoads() throws Exception {
    DirectSpecRecommenderModel model = DirectSpecRecommenderModel.load(fixture());
    assertEquals(4, model.getDim());
    assertEquals("directspec+", model.getMethod());
    assertEquals(5, model.userFactors().count());
    assertEquals(4, model.itemFactors().count());
    List<Row> rows = model.transform(pairs()).orderBy("user", "item").collectAsList();
    float[] u1 = DirectSpecRecommenderTest.vector(model.userFactors().filter("id = 1").first());
    float[] i2 = DirectSpecRecommenderTest.vector(model.itemFactors().filter("id = 2").first());
    assertEquals(DirectSpecRecommenderTest.dot(u1, i2), rows.get(1).getFloat(2), 1e-6);
    // Values as saved: a change in how factors are read or scored shows up here.
    assertEquals(EXPECTED_1_2, rows.get(1).getFloat(2), 1e-6);
    assertTrue(Float.isNaN(rows.get(3).getFloat(2)), "user 9 is not in the model");
  }

  /** A CLI run folder: model/ without Spark's metadata/, uid or params (those the CLI never writes). */
  @Test
  void loadsACliRunFolder(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("run/model");
    for (String table : List.of("user_factors", "item_factors")) {
      Path to = Files.createDirectories(model.resolve(table));
      try (var files = Files.list(Path.of(fixture(), table))) {
        for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode meta = (ObjectNode) json.readTree(Path.of(fixture(), "metadata.json").toFile());
    meta.remove(List.of("params", "uid"));
    Files.writeString(model.resolve("metadata.json"), json.writeValueAsString(meta));
    DirectSpecRecommenderModel loaded = DirectSpecRecommenderModel.load(tmp.resolve("run").toString());
    assertEquals("user", loaded.getUserCol());
    List<Row> rows = loaded.transform(pairs()).orderBy("user", "item").collectAsList();
    assertEquals(EXPECTED_1_2, rows.get(1).getFloat(2), 1e-6);
  }

  static final float EXPECTED_1_2 = 0.18464272f;

  /** Writes a new fixture: mvn test -Dtest=ModelFormatV1Test -Ddirectspec.writeModelFixture=DIR */
  @Test
  @EnabledIfSystemProperty(named = "directspec.writeModelFixture", matches = ".+")
  void writeFixture() throws Exception {
    Dataset<Row> data = spark.sql("SELECT * FROM VALUES (0, 0), (0, 1), (1, 2), (1, 3), (2, 0), (2, 2), "
        + "(3, 1), (3, 3), (4, 0), (4, 3) AS t(user, item)");
    DirectSpecRecommenderModel model = new DirectSpecRecommender().setDim(4).setEpochs(2).setBatchSize(4)
        .setNumBlocks(1).setLr(20).setSeed(1).fit(data);
    model.write().overwrite().save(System.getProperty("directspec.writeModelFixture"));
    model.transform(pairs()).show();
  }
}
