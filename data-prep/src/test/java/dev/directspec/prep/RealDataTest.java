package dev.directspec.prep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prep on the real shared datasets: the counts documented in shared/data/README.md. */
class RealDataTest extends SparkTestBase {
  @TempDir
  Path tmp;

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
    assertEquals(0, folder.users().filter("CAST(user_id AS INT) != user").count());
    assertEquals(0, folder.items().filter("CAST(item_id AS INT) != item").count());
    assertTrue(seconds < 60, "gowalla prep took " + seconds + " s");
  }
}
