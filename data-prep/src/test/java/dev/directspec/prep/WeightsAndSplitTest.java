package dev.directspec.prep;

import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21 items 5 and 10: weight bounds, and rows the split sets aside are not bad input. */
class WeightsAndSplitTest extends SparkTestBase {
  private static List<String> rejected(PrepResult r) {
    return DatasetFolder.open(spark, r.output()).rejected().orderBy("line").collectAsList().stream()
        .map(row -> Path.of(row.getString(0)).getFileName() + ":" + row.getLong(1) + ": " + row.getString(3))
        .toList();
  }

  /** Fails on the code before #21: -3 and 1e40 were accepted and fed ALS confidence and min_weight. */
  @Test
  void negativeAndHugeWeightsAreRejectedNamingFileAndLine() throws IOException {
    String f = file("w.csv", "user,item,weight\n1,a,1\n1,b,0\n2,a,-3\n2,b,1e40\n2,c,\"2\"\n3,a,1e9\n3,c,1\n");
    PrepResult r = prep(settings("directspec.prep.max_rejected_share=0.5"), out("strict"), null, f);
    assertEquals(List.of("w.csv:4: weight '-3' is negative (set prep.allow_negative_weights = true if negative "
        + "weights are meant)", "w.csv:5: weight '1e40' is beyond prep.max_weight = 1.0E9"), rejected(r));
    assertEquals(5, r.counts().get("accepted"));

    PrepResult lenient = prep(settings("directspec.prep.max_rejected_share=0.5", "directspec.prep.allow_negative_weights=true",
        "directspec.prep.max_weight=1e50"), out("lenient"), null, f);
    assertEquals(0, lenient.counts().get("rejected"));
    DatasetFolder d = DatasetFolder.open(spark, lenient.output());
    assertEquals(-3.0, d.train().union(d.test()).agg(org.apache.spark.sql.functions.min("weight")).first()
        .getDouble(0));
    assertEquals(true, d.manifest().path("settings").path("allow_negative_weights").asBoolean());
  }

  @Test
  void tooManyMalformedRowsFailWithTheFirstOnesNamed() throws IOException {
    String f = file("bad.csv", "user,item,weight\n1,a,1\n1,b,-1\n2,a,1e40\n2,b,1\n");
    InputDataException e = assertThrows(InputDataException.class, () -> prep(settings(), out("out"), null, f));
    assertTrue(e.getMessage().startsWith("2 of 4 rows rejected as malformed (share 0.5000) exceeds "
        + "prep.max_rejected_share = 0.05 (first: "), e.getMessage());
    assertTrue(e.getMessage().contains("bad.csv line 3: weight '-1' is negative")
        && e.getMessage().contains("bad.csv line 4: weight '1e40' is beyond prep.max_weight"), e.getMessage());
  }

  /**
   * Fails on the code before #21: items whose rows all landed in test were set aside (10 of 40 rows
   * here, share 0.25 > 0.05) and prep exited "bad input".
   */
  @Test
  void theRandomSplitKeepsEveryItemInTrainAndIsDeterministic() throws IOException {
    StringBuilder sb = new StringBuilder("user,item,timestamp\n");
    int ts = 0;
    for (int u = 0; u < 10; u++) {
      for (String item : List.of("shared1", "shared2", "shared3", "only" + u)) { // only-u: no one else has it
        sb.append(u).append(',').append(item).append(',').append(ts++).append('\n');
      }
    }
    String f = file("long-tail.csv", sb.toString());
    PrepResult a = prep(settings("directspec.prep.split=random", "directspec.prep.test_ratio=0.5"), out("a"), null, f);
    Map<String, Long> c = a.counts();
    assertEquals(0, c.get("split_rejected"));
    assertEquals(0, c.get("rejected"));
    assertEquals(13, c.get("items"));
    assertEquals(10, c.get("users"));
    assertEquals(40, c.get("train") + c.get("test"));
    // round(4 * 0.5) = 2 test rows per user, taken from rows other than the 13 anchors; a user holding
    // k of the 3 shared anchors has 3 - k such rows, so at most 2 test rows are missing in all.
    assertTrue(c.get("test") >= 18 && c.get("test") <= 20, c.toString());
    DatasetFolder d = DatasetFolder.open(spark, a.output());
    assertEquals(0, d.test().join(d.train().select("item").distinct(), new String[] {"item"}, "left_anti")
        .count(), "every test item is in train");
    PrepResult b = prep(settings("directspec.prep.split=random", "directspec.prep.test_ratio=0.5"), out("b"), null, f);
    List<Row> testA = d.test().orderBy("user", "item").collectAsList();
    assertEquals(testA, DatasetFolder.open(spark, b.output()).test().orderBy("user", "item").collectAsList());
  }

  /**
   * temporal: an item's earliest row stays in train, and a user's test rows stop at its latest such
   * anchor, so test rows stay later than the user's training rows. Fails on the code before #21: items
   * c, d and each user's own item then occurred in test only, and their 12 of 24 rows were set aside
   * as rejected (share 0.5, exit 3).
   */
  @Test
  void theTemporalSplitKeepsEveryItemInTrainAndTestRowsLatest() throws IOException {
    StringBuilder sb = new StringBuilder("user,item,timestamp\n");
    for (int u = 0; u < 6; u++) {
      // shared items early, then (for odd users) an item of their own, then a late shared item.
      sb.append(u).append(",a,").append(10 * u).append('\n').append(u).append(",b,").append(10 * u + 1).append('\n');
      sb.append(u).append(u % 2 == 1 ? ",own" + u : ",c").append(',').append(10 * u + 2).append('\n');
      sb.append(u).append(",d,").append(100 + u).append('\n');
    }
    String f = file("temporal.csv", sb.toString());
    PrepResult t = prep(settings("directspec.prep.split=temporal", "directspec.prep.test_ratio=0.5"), out("t"), null, f);
    assertEquals(0, t.counts().get("split_rejected"));
    assertEquals(0, t.counts().get("rejected"));
    DatasetFolder d = DatasetFolder.open(spark, t.output());
    assertEquals(0, d.test().join(d.train().select("item").distinct(), new String[] {"item"}, "left_anti").count());
    assertEquals(0, d.test().groupBy("user").min("ts").join(d.train().groupBy("user").max("ts"), "user")
        .filter("`min(ts)` < `max(ts)`").count(), "a test row older than a training row of its user");
    // Two test rows per user (round(4 * 0.5)), but user 0 holds the anchors of a, b, c and d and gives
    // none, and users 1, 3, 5 give only d: their own item, second latest, is an anchor and stops them.
    assertEquals(7, t.counts().get("test"));
  }

  /** Set-aside test rows of a given split are reported apart and do not count against the ceiling. */
  @Test
  void setAsideTestRowsDoNotCountAsMalformed() throws IOException {
    String train = file("train.csv", "user,item\n1,10\n1,11\n2,10\n2,11\n3,10\n3,11\n");
    String test = file("test.csv", "user,item\n1,10\n2,12\n3,13\n");
    PrepResult r = prep(settings(), out("out"), test, train);
    assertEquals(2, r.counts().get("split_rejected"));
    assertEquals(0, r.counts().get("parse_rejected"));
    assertEquals(2, r.counts().get("rejected"));
  }
}
