package dev.directspec.prep;

import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputExistsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prep on the real research datasets (DIRECTSPEC_DATA): the counts documented in that folder's README.md. */
@Tag("slow")
class RealDataTest extends SparkTestBase {
  @Test
  void gowallaGivenSplit() {
    Path dir = sharedData("gowalla");
    long start = System.nanoTime();
    PrepResult r = prep(settings(), tmp.resolve("gowalla").toString(), dir.resolve("test.txt").toString(),
        dir.resolve("train.txt").toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println("gowalla prep seconds: " + seconds + " counts " + r.counts());
    Map<String, Long> c = r.counts();
    assertEquals(29_858, c.get("users"));
    assertEquals(40_981, c.get("items"));
    assertEquals(810_128, c.get("train"));
    assertEquals(217_242, c.get("test"));
    assertEquals(0, c.get("rejected"));
    assertEquals("long", r.manifest().get("id_type"));
    // 0-based integer ids map to themselves.
    DatasetFolder folder = DatasetFolder.open(spark, r.output());
    assertEquals("struct<user:int,item:int,weight:double,ts:bigint>", folder.train().schema().simpleString());
    assertEquals(folder.train().schema(), folder.test().schema());
    assertEquals("struct<user:int,user_id:string>", folder.users().schema().simpleString());
    assertEquals("struct<item:int,item_id:string>", folder.items().schema().simpleString());
    assertEquals("struct<source:string,line:bigint,text:string,reason:string>",
        folder.rejected().schema().simpleString());
    assertEquals(0, folder.users().filter("CAST(user_id AS INT) != user").count());
    assertEquals(0, folder.items().filter("CAST(item_id AS INT) != item").count());
    // Speed is measured by data-prep/bench/prep-gowalla.sh, not asserted here: a wall-clock bound in a
    // unit test fails on a loaded runner (140 s seen beside other jobs) without saying anything wrong.
    System.out.printf("gowalla prep took %.1f s%n", seconds);
  }

  @Test
  void citeulikeKeepsDuplicatesForPaperParity() {
    Path dir = sharedData("citeulike");
    PrepResult r = prep(settings("directspec.prep.duplicates=keep"), tmp.resolve("citeulike").toString(),
        dir.resolve("test.csv").toString(), dir.resolve("train.csv").toString());
    Map<String, Long> c = r.counts();
    System.out.println("citeulike counts " + c);
    assertEquals(166_025 + 44_512, c.get("rows_read"));
    assertEquals(33, c.get("duplicate_rows"));
    assertEquals(11, c.get("pairs_in_both_inputs"));
    assertEquals(0, c.get("merged_duplicates"));
    assertEquals(0, c.get("parse_rejected"));
    assertEquals(5_551, c.get("users"));
  }

  @Test
  void movielens100kThresholdAndTemporalSplit() throws IOException {
    Path file = sharedData("ml-100k/u.data");
    long liked = Files.readAllLines(file).stream().filter(l -> Integer.parseInt(l.split("\t")[2]) >= 4).count();
    PrepResult r = prep(settings("directspec.prep.min_weight=4", "directspec.prep.split=temporal", "directspec.prep.test_ratio=0.2"),
        tmp.resolve("ml").toString(), null, file.toString());
    Map<String, Long> c = r.counts();
    System.out.println("ml-100k counts " + c);
    assertEquals(100_000, c.get("rows_read"));
    assertEquals(liked, c.get("after_threshold"));
    assertEquals(100_000 - liked, c.get("removed_by_threshold"));
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    // Temporal: no user has a test row older than one of their training rows.
    long violations = d.test().groupBy("user").min("ts").join(d.train().groupBy("user").max("ts"), "user")
        .filter("`min(ts)` < `max(ts)`").count();
    assertEquals(0, violations);
  }

  @Test
  void lastfmCrlfHeaderNoFinalNewline() {
    Path file = sharedData("lastfm-hetrec/user_artists.dat");
    PrepResult r = prep(settings(), tmp.resolve("lastfm").toString(), null, file.toString());
    System.out.println("lastfm counts " + r.counts());
    assertEquals(92_834, r.counts().get("rows_read"));
    assertEquals(0, r.counts().get("parse_rejected"));
    assertEquals(1_892, r.counts().get("users"));
  }

  /**
   * Issue #21 item 10; fails on the code before it with "260 of 3000 rows rejected (share 0.0867)
   * exceeds prep.max_rejected_share": the random split put items' only rows into test.
   */
  @Test
  void firstRowsOfMovieLensLatestSmallPrepWithTheDefaults() throws IOException {
    List<String> lines = Files.readAllLines(sharedData("ml-latest-small/ratings.csv")).subList(0, 3001);
    Path head = tmp.resolve("ratings.csv");
    Files.write(head, lines);
    PrepResult r = prep(settings(), tmp.resolve("ml-head").toString(), null, head.toString());
    System.out.println("ml-latest-small head counts " + r.counts());
    Map<String, Long> c = r.counts();
    assertEquals(3000, c.get("rows_read"));
    assertEquals(0, c.get("parse_rejected"));
    assertEquals(0, c.get("split_rejected"));
    assertEquals(3000, c.get("accepted"));
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    assertEquals(0, d.test().join(d.train().select("item").distinct(), new String[] {"item"}, "left_anti").count());
  }

  /** A real file with injected faults: the job finishes and rejected/ explains every bad line. */
  @Test
  void corruptedCopyIsRejectedLineByLineAndOutputIsReplacedOnlyWithOverwrite() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(sharedData("lastfm-hetrec/user_artists.dat")).subList(0, 3001));
    Map<Integer, String> expected = Map.of(
        11, "expected 3 fields, found 2", 21, "garbage bytes", 31, "user id '-2' is negative",
        51, "weight 'NaN' is not finite", 61, "blank line", 71, "expected 3 fields, found 4");
    lines.set(10, lines.get(10).substring(0, lines.get(10).indexOf('\t') + 2));
    lines.set(20, lines.get(20) + "\u0001\u0002");
    lines.set(30, "-" + lines.get(30));
    lines.set(40, "99999999999999999999\t" + lines.get(40).split("\t")[1] + "\t7");
    lines.set(50, lines.get(50).substring(0, lines.get(50).lastIndexOf('\t')) + "\tNaN");
    lines.set(60, "");
    lines.set(70, lines.get(70) + "\t1");
    Path copy = tmp.resolve("user_artists.dat");
    Files.write(copy, String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8));
    String out = tmp.resolve("corrupted").toString();
    PrepSettings s = settings("directspec.prep.max_rejected_share=0.5");
    PrepResult r = prep(s, out, null, copy.toString());
    DatasetFolder d = DatasetFolder.open(spark, out);
    for (Map.Entry<Integer, String> e : expected.entrySet()) {
      String reason = d.rejected().filter("line = " + e.getKey()).first().getString(3);
      assertTrue(reason.startsWith(e.getValue()), "line " + e.getKey() + ": " + reason);
    }
    assertEquals(6, r.counts().get("parse_rejected"));
    assertEquals(1, d.users().filter("user_id = '99999999999999999999'").count());
    Map<String, Long> c = d.counts();
    assertEquals(c.get("rows_read"), c.get("accepted") + c.get("rejected") + c.get("merged_duplicates")
        + c.get("removed_by_threshold") + c.get("removed_by_kcore"));
    assertThrows(OutputExistsException.class, () -> prep(s, out, null, copy.toString()));
    PrepResult again = PrepJob.run(spark, settings("directspec.prep.max_rejected_share=0.5", "directspec.prep.test_ratio=0.5"),
        new PrepPaths(List.of(copy.toString()), null, null, out, true));
    assertTrue(DatasetFolder.open(spark, out).counts().get("test") > r.counts().get("test"));
    assertEquals(again.counts(), DatasetFolder.open(spark, out).counts());
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of(), siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-") || n.contains(".old-")).toList());
    }
  }
}
