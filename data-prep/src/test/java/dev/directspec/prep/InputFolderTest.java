package dev.directspec.prep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21 items 2 and 3: input folders are read recursively, partitions understood, non-data skipped. */
class InputFolderTest extends SparkTestBase {
  private Path write(String relative, String content) throws IOException {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private String out() {
    return tmp.resolve("out").toString();
  }

  /** "user,item,weight" rows: users u0..u(n-1), each with items 0..perUser-1 shifted by offset. */
  private static String rows(String header, int users, int perUser, int offset) {
    StringBuilder sb = new StringBuilder(header);
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < perUser; i++) {
        sb.append(u + offset).append(',').append(i + offset).append(",1\n");
      }
    }
    return sb.toString();
  }

  private static Map<String, String> skipped(PrepResult r) {
    Map<String, String> m = new TreeMap<>();
    JsonNode list = DatasetFolder.open(spark, r.output()).manifest().path("skipped_files");
    list.forEach(n -> m.put(Path.of(n.path("path").asText().replace("file:", "")).getFileName().toString(),
        n.path("reason").asText()));
    return m;
  }

  /** Fails on the code before #21: sub/ was skipped without a word and its rows never counted. */
  @Test
  void subFoldersAreReadAndEveryRowCounted() throws IOException {
    write("in/part-1.csv", rows("user,item,weight\n", 5, 4, 0));
    write("in/sub/part-2.csv", rows("user,item,weight\n", 5, 4, 100));
    write("in/sub/deeper/part-3.csv", rows("user,item,weight\n", 2, 4, 200));
    PrepResult r = prep(settings(), out(), null, tmp.resolve("in").toString());
    assertEquals(48, r.counts().get("rows_read"));
    assertEquals(12, r.counts().get("users"));
    JsonNode inputs = DatasetFolder.open(spark, r.output()).manifest().path("inputs");
    assertEquals(3, inputs.size());
    assertTrue(inputs.get(2).path("path").asText().endsWith("in/sub/part-2.csv"), inputs.toString());
  }

  /** Fails on the code before #21: a dt=.../part-* export lost every row below the top level. */
  @Test
  void partitionFoldersAreReadAndTheirValuesBecomeColumns() throws IOException {
    write("export/dt=2024-01-01/part-00000.csv", rows("user,item,weight\n", 4, 3, 0));
    write("export/dt=2024-01-02/part-00000.csv", rows("user,item,weight\n", 4, 3, 50));
    write("export/dt=2024-01-02/_SUCCESS", "");
    PrepResult r = prep(settings(), out(), null, tmp.resolve("export").toString());
    assertEquals(24, r.counts().get("rows_read"));
    JsonNode inputs = DatasetFolder.open(spark, r.output()).manifest().path("inputs");
    assertEquals("2024-01-02", inputs.get(1).path("partitions").path("dt").asText(), inputs.toString());

    // A partition key is a column like any other: here the user is only in the folder name.
    write("byuser/user=alice/part-0.csv", "item,rating\nx,1\ny,2\nz,3\n");
    write("byuser/user=bob/part-0.csv", "item,rating\nx,4\ny,5\n");
    write("byuser/user=__HIVE_DEFAULT_PARTITION__/part-0.csv", "item,rating\nx,6\n"); // Spark's null
    write("byuser/user=c%3Dd/part-0.csv", "item,rating\nz,7\n"); // Spark escapes "=" in values
    PrepResult byUser = prep(settings("directspec.prep.test_ratio=0.3", "directspec.prep.max_rejected_share=0.5"), out() + "2", null,
        tmp.resolve("byuser").toString());
    DatasetFolder d = DatasetFolder.open(spark, byUser.output());
    assertEquals("empty user id", d.rejected().first().getString(3));
    assertEquals(1, byUser.counts().get("parse_rejected"));
    assertEquals(List.of("alice", "bob", "c=d"), d.users().orderBy("user_id").collectAsList().stream()
        .map(row -> row.getString(1)).toList());
    assertEquals(22.0, d.train().union(d.test()).agg(org.apache.spark.sql.functions.sum("weight")).first()
        .getDouble(0));
  }

  /** Fails on the code before #21: README.txt was read as data and turned the ids into text. */
  @Test
  void markerHiddenAndNonDataFilesAreSkippedWithTheirReason() throws IOException {
    write("in/part-00000.csv", rows("", 6, 3, 0));
    write("in/README.txt", "Ratings export\nOwner: data team\nRefreshed nightly, 3 columns\n");
    write("in/_SUCCESS", "");
    write("in/.part-00000.csv.crc", "crc");
    write("in/notes.md", "# notes\n");
    write("in/empty.csv", "");
    write("in/_temporary/0/part-00001.csv", "9,9,1\n");
    PrepResult r = prep(settings(), out(), null, tmp.resolve("in").toString());
    assertEquals(18, r.counts().get("rows_read"));
    assertEquals(0, r.counts().get("rejected"));
    assertEquals("long", r.manifest().get("id_type"));
    Map<String, String> skipped = skipped(r);
    // Hadoop's local filesystem hides its own .crc files from listings; other filesystems may show them.
    assertEquals(List.of("README.txt", "_SUCCESS", "_temporary", "empty.csv", "notes.md"),
        new ArrayList<>(skipped.keySet()));
    assertEquals("checksum file (.crc)", DataFileNames.markerReason("part-00000.csv.crc", false));
    assertEquals("read-me file (README*)", skipped.get("README.txt"));
    assertEquals("empty file", skipped.get("empty.csv"));
    assertTrue(skipped.get("notes.md").startsWith("not a data file for prep.format = auto"), skipped.toString());
    assertTrue(skipped.get("_temporary").startsWith("hidden or marker folder"), skipped.toString());
  }

  @Test
  void aFolderWithoutDataFilesFailsAndSaysWhatItSkipped() throws IOException {
    write("docs/README.md", "nothing here\n");
    write("docs/_SUCCESS", "");
    InputDataException e = assertThrows(InputDataException.class,
        () -> prep(settings(), out(), null, tmp.resolve("docs").toString()));
    assertTrue(e.getMessage().contains("--input folder has no data files for prep.format = auto")
        && e.getMessage().contains("README.md (read-me file (README*))"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")));
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of("docs"), siblings.map(p -> p.getFileName().toString()).toList(), "nothing left behind");
    }
  }

  @Test
  void filesUnderDifferentPartitionKeysAreRefused() throws IOException {
    write("mixed/dt=1/part-0.csv", rows("user,item,weight\n", 2, 2, 0));
    write("mixed/part-1.csv", rows("user,item,weight\n", 2, 2, 0));
    InputDataException e = assertThrows(InputDataException.class,
        () -> prep(settings(), out(), null, tmp.resolve("mixed").toString()));
    assertTrue(e.getMessage().contains("mixes partition folder layouts"), e.getMessage());
  }

  @Test
  void formatExtensionsChooseTheFilesOfAFolder() throws IOException {
    write("in/a.csv", rows("user,item,weight\n", 3, 3, 0));
    write("in/b.tsv", "user\titem\n7\t7\n");
    PrepResult r = prep(settings("directspec.prep.format=csv"), out(), null, tmp.resolve("in").toString());
    assertEquals(9, r.counts().get("rows_read"));
    assertTrue(skipped(r).get("b.tsv").startsWith("not a data file for prep.format = csv (extensions [csv, txt]"),
        skipped(r).toString());
  }

  @Test
  void partitionedParquetIsReadWithItsPartitionColumn() {
    StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.LongType)
        .add("day", DataTypes.IntegerType);
    List<Row> data = new ArrayList<>();
    for (int u = 0; u < 4; u++) {
      for (int i = 0; i < 3; i++) {
        data.add(RowFactory.create("u" + u, (long) i, u % 2));
      }
    }
    String in = tmp.resolve("pq").toString();
    spark.createDataFrame(data, schema).write().partitionBy("day").parquet(in);
    PrepResult r = prep(settings("directspec.prep.format=parquet"), out(), null, in);
    assertEquals(12, r.counts().get("rows_read"));
    JsonNode inputs = DatasetFolder.open(spark, r.output()).manifest().path("inputs");
    assertTrue(inputs.get(0).path("partitions").has("day"), inputs.toString());
    assertTrue(skipped(r).containsKey("_SUCCESS"), skipped(r).toString());
  }
}
