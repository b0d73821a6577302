package dev.directspec.prep;

import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input: it fails with a message naming the problem, or lands in rejected/. */
class BadInputTest extends SparkTestBase {
  private static final String LENIENT = "directspec.prep.max_rejected_share=1.0";

  private String out() {
    return tmp.resolve("out").toString();
  }

  private static List<String> reasons(PrepResult r) {
    return DatasetFolder.open(spark, r.output()).rejected().orderBy("line").collectAsList().stream()
        .map(row -> row.getLong(1) + ": " + row.getString(3)).toList();
  }

  @Test
  void missingPathFails() {
    InputDataException e = assertThrows(InputDataException.class,
        () -> prep(settings(), out(), null, tmp.resolve("nope.csv").toString()));
    assertTrue(e.getMessage().contains("--input path not found") && e.getMessage().contains("nope.csv"), e.getMessage());
  }

  @Test
  void unreadablePathFails() {
    InputDataException e = assertThrows(InputDataException.class,
        () -> prep(settings(), out(), null, "nosuchfs://host/data.csv"));
    assertTrue(e.getMessage().contains("cannot read --input path nosuchfs://host/data.csv"), e.getMessage());
  }

  @Test
  void emptyFileFails() throws IOException {
    String f = file("empty.csv", "");
    InputDataException e = assertThrows(InputDataException.class, () -> prep(settings(), out(), null, f));
    assertTrue(e.getMessage().contains("file is empty") && e.getMessage().contains("empty.csv"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void headerOnlyFileFails() throws IOException {
    String f = file("header.csv", "user,item\n");
    InputDataException e = assertThrows(InputDataException.class, () -> prep(settings(), out(), null, f));
    assertTrue(e.getMessage().contains("no interaction rows") && e.getMessage().contains("header.csv"),
        e.getMessage());
  }

  @Test
  void wrongColumnCountNonNumericNegativeNanGarbageAndTruncatedAreRejected() throws IOException {
    byte[] garbage = "u4,i\u00FF\n".getBytes(StandardCharsets.ISO_8859_1); // 0xFF is never valid UTF-8
    String good = "user,item,weight\nu1,i1,1\nu1,i2,2\nu2,i1,3\nu2,i2,1\nu3,i1,1\nu3,i2,2\n";
    String bad = "u1,i3\nu1,i3,x\n-5,i3,1\nu1,-7,1\nu1,i3,NaN\nu1,i3,Infinity\n,i3,1\nu2,i3,-Infinity\n";
    byte[] start = (good + bad).getBytes(StandardCharsets.UTF_8);
    byte[] end = "u3,i3,1\nu3,".getBytes(StandardCharsets.UTF_8); // truncated: no weight, no newline
    byte[] all = new byte[start.length + garbage.length + end.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(garbage, 0, all, start.length, garbage.length);
    System.arraycopy(end, 0, all, start.length + garbage.length, end.length);
    PrepResult r = prep(settings(LENIENT), out(), null, file("bad.csv", all));
    assertEquals(List.of("8: expected 3 fields, found 2", "9: weight 'x' is not a number",
        "10: user id '-5' is negative", "11: item id '-7' is negative", "12: weight 'NaN' is not finite",
        "13: weight 'Infinity' is not finite", "14: empty user id", "15: weight '-Infinity' is not finite",
        "16: garbage bytes (invalid UTF-8 or control character) at column 5", "18: expected 3 fields, found 2"),
        reasons(r));
    assertEquals(17, r.counts().get("rows_read"));
    assertEquals(7, r.counts().get("accepted"));
  }

  @Test
  void lightgcnNonIntegerTokensAreRejectedOneByOne() throws IOException {
    String f = file("adj.txt", "0 1 2 3 4 5\n1 2 x 4 5 6 7\nab 1 2\n2\n3 1 2 3 4 5 6\n");
    PrepResult r = prep(settings(LENIENT, "directspec.prep.format=lightgcn"), out(), null, f);
    assertEquals(List.of("2: item id 'x' (field 3) is not a non-negative integer",
        "3: user id 'ab' (field 1) is not a non-negative integer"), reasons(r));
    assertEquals(18, r.counts().get("rows_read"));
    assertEquals(3, r.counts().get("users")); // user 2 has no items: no rows, not an error
  }

  @Test
  void idsPastIntRangeWork() throws IOException {
    String f = file("big.csv", "user,item\n3000000000,12345678901234567890123\n3000000000,7\n"
        + "9223372036854775807,7\n9223372036854775807,12345678901234567890123\n");
    PrepResult r = prep(settings("directspec.prep.test_ratio=0.5"), out(), null, f);
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    assertEquals(List.of("3000000000", "9223372036854775807"),
        d.users().orderBy("user").collectAsList().stream().map(row -> row.getString(1)).toList());
    assertEquals("string", r.manifest().get("id_type"));
    assertEquals("long", r.manifest().get("user_id_type"));
    assertEquals(0, r.counts().get("rejected"));
  }

  @Test
  void duplicatePoliciesAreCountedAndApplied() throws IOException {
    String train = file("train.csv", "user,item,weight\na,x,1\na,x,2\na,y,1\nb,x,1\nb,y,1\n");
    String test = file("test.csv", "user,item,weight\na,y,5\nb,x,1\n");
    Map<String, Long> keep = prep(settings("directspec.prep.duplicates=keep"), out() + "k", test, train).counts();
    assertEquals(3, keep.get("duplicate_rows"));
    assertEquals(2, keep.get("pairs_in_both_inputs"));
    assertEquals(2, keep.get("pairs_in_both_splits"));
    assertEquals(0, keep.get("merged_duplicates"));
    assertEquals(5, keep.get("train"));
    Map<String, Long> drop = prep(settings("directspec.prep.duplicates=drop"), out() + "d", test, train).counts();
    assertEquals(3, drop.get("merged_duplicates"));
    assertEquals(4, drop.get("train"));
    assertEquals(0, drop.get("test"));
    PrepResult agg = prep(settings("directspec.prep.duplicates=aggregate"), out() + "a", test, train);
    DatasetFolder d = DatasetFolder.open(spark, agg.output());
    Row ax = d.train().join(d.users(), "user").join(d.items(), "item")
        .filter("user_id = 'a' AND item_id = 'x'").first();
    assertEquals(3.0, ax.getDouble(ax.fieldIndex("weight")));
    assertEquals("aggregate", d.manifest().path("counts").path("duplicates_policy").asText());
  }

  @Test
  void userWithoutTrainingRowsIsReported() throws IOException {
    String train = file("train.csv", "user,item\n1,10\n1,11\n2,10\n");
    String test = file("test.csv", "user,item\n1,12\n2,11\n9,10\n9,11\n");
    PrepResult r = prep(settings(LENIENT), out(), test, train);
    assertEquals(1, r.counts().get("users_without_train"));
    assertEquals(List.of("2: test row: item '12' does not occur in the training rows",
        "4: test row: user '9' has no training rows", "5: test row: user '9' has no training rows"), reasons(r));
    assertEquals(1, r.counts().get("test"));
  }

  @Test
  void rejectedShareCeilingFailsAndKeepsRejectedRows() throws IOException {
    String f = file("mostly-bad.csv", "user,item,weight\n1,2,1\n1,3,NaN\n2,3,x\n2,4,1\n");
    InputDataException e = assertThrows(InputDataException.class,
        () -> prep(settings("directspec.prep.max_rejected_share=0.1"), out(), null, f));
    assertTrue(e.getMessage().contains("2 of 4 rows rejected") && e.getMessage().contains("max_rejected_share"),
        e.getMessage());
    String kept = e.getMessage().substring(e.getMessage().lastIndexOf(" kept in ") + 9);
    assertEquals(2, spark.read().parquet(kept).count());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing published");
  }

  @Test
  void splitsArePerUserAndDeterministic() throws IOException {
    StringBuilder sb = new StringBuilder("user,item,rating,timestamp\n");
    for (int u = 0; u < 20; u++) {
      for (int i = 0; i < 10; i++) {
        sb.append(u).append(',').append(i).append(",4,").append(1000 + (i + u) % 10).append('\n');
      }
    }
    String f = file("ratings.csv", sb.toString());
    Map<String, Long> a = prep(settings("directspec.prep.split=random"), out() + "1", null, f).counts();
    PrepResult b = prep(settings("directspec.prep.split=random"), out() + "2", null, f);
    assertEquals(40, a.get("test"));
    assertEquals(DatasetFolder.open(spark, out() + "1").test().orderBy("user", "item").collectAsList(),
        DatasetFolder.open(spark, b.output()).test().orderBy("user", "item").collectAsList());
    PrepResult t = prep(settings("directspec.prep.split=temporal"), out() + "3", null, f);
    assertEquals(0, DatasetFolder.open(spark, t.output()).test().filter("ts - 1000 < 8").count());
    assertEquals(40, t.counts().get("test"));
  }
}
