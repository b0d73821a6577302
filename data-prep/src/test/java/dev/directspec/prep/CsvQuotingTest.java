package dev.directspec.prep;

import dev.directspec.config.SettingsException;
import dev.directspec.folders.DatasetFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21 item 6 and #22's --format csv|tsv: delimited text is parsed as CSV, quotes and all. */
class CsvQuotingTest extends SparkTestBase {
  private static List<String> reasons(PrepResult r) {
    return DatasetFolder.open(spark, r.output()).rejected().orderBy("line").collectAsList().stream()
        .map(row -> row.getLong(1) + ": " + row.getString(3)).toList();
  }

  /**
   * Fails on the code before #21: the quoted weight was "not a number" (every row rejected) and the
   * comma inside "Toy Story, The" split the row.
   */
  @Test
  void aFullyQuotedExportParsesWithQuotedWeightsTimestampsAndSeparators() throws IOException {
    String f = file("export.csv", ""
        + "\"userId\",\"movieId\",\"rating\",\"timestamp\"\n"
        + "\"1\",\"Toy Story, The\",\"4\",\"964982703\"\n"
        + "\"1\",\"Heat\",\"4.5\",\"964981247\"\n"
        + "\"2\",\"Toy Story, The\",\"3\",\"964982224\"\n"
        + "\"2\",\"say \"\"hi\"\"\",\"5\",\"964983815\"\n"
        + "\"3\",\"Heat\",\"2\",\"964982931\"\n"
        + "\"3\",\"say \"\"hi\"\"\",\"1\",\"964982400\"\n");
    PrepResult r = prep(settings("directspec.prep.test_ratio=0.4"), out("out"), null, f);
    assertEquals(0, r.counts().get("rejected"), reasons(r).toString());
    assertEquals(6, r.counts().get("accepted"));
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    assertEquals(List.of("Heat", "Toy Story, The", "say \"hi\""), d.items().orderBy("item_id").collectAsList()
        .stream().map(row -> row.getString(1)).toList());
    assertEquals(19.5, d.train().union(d.test()).agg(org.apache.spark.sql.functions.sum("weight")).first()
        .getDouble(0));
    assertEquals(6, d.train().union(d.test()).filter("ts > 964981000").count());
  }

  @Test
  void aQuoteLeftOpenIsRejectedWithItsReasonAndNothingIsLost() throws IOException {
    String f = file("open.csv", "user,item,weight\n1,a,1\n1,b,1\n2,\"multi\nline\",1\n2,a,1\n2,b,1\n3,a,1\n3,b,1\n");
    PrepResult r = prep(settings("directspec.prep.max_rejected_share=0.5"), out("out"), null, f);
    assertEquals(List.of("4: a quoted field is not closed on its line (fields spanning lines are not supported)",
        "5: expected 3 fields, found 2"), reasons(r));
    assertEquals(8, r.counts().get("rows_read"));
    assertEquals(6, r.counts().get("accepted"));
  }

  /** Fails on the code before #22: "prep.format must be one of [auto, delimited, lightgcn, ...]: csv". */
  @Test
  void csvAndTsvFormatsAreTheDelimitedReaderWithTheirSeparator() throws IOException {
    String csv = file("data.txt", "user,item\n1,10\n1,11\n2,10\n2,11\n");
    PrepResult c = prep(settings("directspec.prep.format=csv"), out("c"), null, csv);
    assertEquals(4, c.counts().get("accepted"));
    assertEquals(",", DatasetFolder.open(spark, c.output()).manifest().path("inputs").get(0).path("delimiter")
        .asText());
    // A tab file whose ids hold commas: tsv must not guess "," from the first line.
    String tsv = file("data.tsv", "user\titem\nsmith, j\t10\nsmith, j\t11\ndoe, a\t10\ndoe, a\t11\n");
    PrepResult t = prep(settings("directspec.prep.format=tsv"), out("t"), null, tsv);
    assertEquals(4, t.counts().get("accepted"));
    assertEquals(List.of("doe, a", "smith, j"), DatasetFolder.open(spark, t.output()).users().orderBy("user_id")
        .collectAsList().stream().map(row -> row.getString(1)).toList());
    SettingsException e = assertThrows(SettingsException.class, () -> settings("directspec.prep.format=csv",
        "directspec.prep.delimiter=;"));
    assertEquals("prep.format = csv reads fields separated by ',', but prep.delimiter = ';'; use prep.format = "
        + "delimited for another separator", e.getMessage());
    assertTrue(PrepSettings.FORMATS.containsAll(List.of("csv", "tsv")));
  }
}
