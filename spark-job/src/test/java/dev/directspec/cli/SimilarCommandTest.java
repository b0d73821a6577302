package dev.directspec.cli;

import dev.directspec.ml.DirectSpecRecommender;
import dev.directspec.ml.DirectSpecRecommenderModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code directspec similar} prints the model's own similarItems lists and names the ids it does not know. */
@Tag("slow")
class SimilarCommandTest {
  @TempDir
  Path dir;

  @Test
  void printsTheModelsSimilarItemsAndNamesUnknownIds() throws Exception {
    String path = dir.resolve("model").toString();
    List<String> expected = new ArrayList<>();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("similar-command")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      for (int j = 0; j < 5; j++) rows.add(RowFactory.create("u" + u, "sku-" + ((u + 2 * j) % 15)));
    }
    Dataset<Row> events = spark.createDataFrame(rows,
        new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType));
    DirectSpecRecommenderModel model = new DirectSpecRecommender().setDim(4).setEpochs(2).setBatchSize(16)
        .setNumBlocks(2).setSeed(9).fit(events);
    model.write().save(path);
    Dataset<Row> wanted = events.filter("item IN ('sku-3', 'sku-7')");
    for (Row r : model.similarItems(wanted, 3).orderBy("item").collectAsList()) {
      List<Row> list = r.getList(1);
      for (int k = 0; k < list.size(); k++) {
        expected.add(r.getString(0) + "\t" + (k + 1) + "\t" + list.get(k).getString(0) + "\t" + list.get(k).getFloat(1));
      }
    }
    // The command reuses this session and stops it when it ends.
    String out = capture(System.out, System::setOut,
        () -> assertEquals(0, Main.run("similar", "--model", path, "--items", "sku-3,sku-7", "--k", "3")));
    List<String> printed = Arrays.stream(out.split("\n")).filter(l -> l.startsWith("sku-")).collect(Collectors.toList());
    assertEquals(expected, printed);
    assertTrue(out.contains("id\trank\tsimilar_id\tsimilarity"), out);

    String err = capture(System.err, System::setErr,
        () -> assertEquals(Main.EXIT_INPUT, Main.run("similar", "--model", path, "--items", "sku-3,nope,gone")));
    assertTrue(err.contains("has no item with id nope, gone"), err);
    assertEquals(Main.EXIT_CONFIG, Main.run("similar", "--model", path));
  }

  private static String capture(PrintStream original, java.util.function.Consumer<PrintStream> set, Runnable r) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    set.accept(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      set.accept(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
