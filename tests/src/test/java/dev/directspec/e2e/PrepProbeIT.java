package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #21, input-data half (items 2, 3, 5, 6, 10) and #22's {@code --format csv|tsv}, probed through
 * submit/directspec as a scheduler would run it: each corrupt input is generated here, and each case
 * checks the exit code, the message or the manifest, and that nothing is left behind. The training
 * half has its own probe class.
 */
@Tag("slow")
class PrepProbeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  record Run(int code, String output) {}

  private Run prep(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("prep"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "prep-", ".log");
    LauncherProcess p = LauncherProcess.start(log, Map.of("DIRECTSPEC_JAVA_OPTS",
        "-Xmx1g -Dspark.driver.host=127.0.0.1 -Dspark.ui.enabled=false"), command);
    int code = p.waitFor(600);
    return new Run(code, p.output());
  }

  private Path write(String relative, String content) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private static JsonNode manifest(Path out) throws IOException {
    return JSON.readTree(out.resolve("manifest.json").toFile());
  }

  private static long count(Path out, String key) throws IOException {
    JsonNode value = manifest(out).path("counts").path(key);
    assertTrue(value.isNumber(), "manifest has no count " + key);
    return value.asLong();
  }

  /** Work folders of an output that did not finish: .tmp-XXXX (prep) and ._incomplete (train). */
  private List<String> leftovers() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-") || n.endsWith("._incomplete")).toList();
    }
  }

  /** "user,item,rating,timestamp" rows for users [from, from + users), items 0..perUser-1. */
  private static String ratings(int from, int users, int perUser) {
    StringBuilder sb = new StringBuilder("user,item,rating,timestamp\n");
    for (int u = from; u < from + users; u++) {
      for (int i = 0; i < perUser; i++) {
        sb.append(u).append(',').append(i).append(',').append(1 + (u + i) % 5).append(',')
            .append(1_700_000_000 + u * 100 + i).append('\n');
      }
    }
    return sb.toString();
  }

  /** Items 2 and 3: a dt=... export with sub-folders, markers and a read-me loses no row. */
  @Test
  void aPartitionedExportWithMarkersAndReadMeLosesNoRow() throws Exception {
    write("export/dt=2026-11-30/part-00000.csv", ratings(0, 6, 5));
    write("export/dt=2026-12-01/part-00000.csv", ratings(6, 6, 5));
    write("export/dt=2026-12-01/late/part-00001.csv", ratings(12, 4, 5));
    write("export/dt=2026-12-01/_SUCCESS", "");
    write("export/README.txt", "Ratings export\nOwner: data team\nRefreshed nightly\n");
    write("export/dt=2026-12-01/empty.csv", "");
    Path out = dir.resolve("out");
    Run run = prep("--input", dir.resolve("export").toString(), "--output", out.toString());
    assertEquals(0, run.code(), run.output());
    assertEquals(80, count(out, "rows_read"));
    assertEquals(80, count(out, "accepted"));
    assertEquals(16, count(out, "users"));
    JsonNode m = manifest(out);
    assertEquals("long", m.path("id_type").asText(), "the read-me was not read as data");
    assertEquals(3, m.path("inputs").size());
    assertEquals("2026-12-01", m.path("inputs").get(2).path("partitions").path("dt").asText(), m.toString());
    List<String> skipped = new ArrayList<>();
    m.path("skipped_files").forEach(s -> skipped.add(Path.of(s.path("path").asText()).getFileName() + ": "
        + s.path("reason").asText()));
    assertEquals(List.of("README.txt: read-me file (README*)", "_SUCCESS: hidden or marker file (name starts with "
        + "'_' or '.')", "empty.csv: empty file"), skipped.stream().sorted().toList());
  }

  /** Item 3: a folder with nothing to read fails before any output exists, naming what it skipped. */
  @Test
  void aFolderWithoutDataFilesExitsThreeAndLeavesNothing() throws Exception {
    write("docs/README.md", "# how we export\n");
    write("docs/notes.json", "{}\n");
    write("docs/_SUCCESS", "");
    Run run = prep("--input", dir.resolve("docs").toString(), "--output", dir.resolve("out").toString());
    assertEquals(3, run.code(), run.output());
    assertTrue(run.output().contains("--input folder has no data files for prep.format = auto"), run.output());
    assertTrue(run.output().contains("README.md (read-me file (README*))"), run.output());
    assertTrue(run.output().contains("notes.json (not a data file"), run.output());
    assertFalse(Files.exists(dir.resolve("out")));
    assertEquals(List.of(), leftovers());
  }

  /** Item 2: as Spark, files of one input must sit under the same partition keys. */
  @Test
  void mixedPartitionLayoutsExitThreeAndLeaveNothing() throws Exception {
    write("mixed/region=eu/part-0.csv", ratings(0, 3, 3));
    write("mixed/part-1.csv", ratings(3, 3, 3));
    Run run = prep("--input", dir.resolve("mixed").toString(), "--output", dir.resolve("out").toString());
    assertEquals(3, run.code(), run.output());
    assertTrue(run.output().contains("mixes partition folder layouts"), run.output());
    assertTrue(run.output().contains("part-0.csv has [region]") && run.output().contains("part-1.csv has []"),
        run.output());
    assertFalse(Files.exists(dir.resolve("out")));
    assertEquals(List.of(), leftovers());
  }

  /** Item 5: negative and huge weights are malformed rows; the failure names file, line and reason. */
  @Test
  void negativeAndHugeWeightsAreRejectedNamingFileAndLine() throws Exception {
    String good = ratings(0, 5, 4);
    Path f = write("weights.csv", good + "9,1,-2,1700000000\n9,2,1e40,1700000001\n9,3,4,1700000002\n");
    Path out = dir.resolve("out");
    Run strict = prep("--input", f.toString(), "--output", out.toString());
    assertEquals(3, strict.code(), strict.output());
    assertTrue(strict.output().contains("2 of 23 rows rejected as malformed"), strict.output());
    assertTrue(strict.output().contains("weights.csv line 22: weight '-2' is negative"), strict.output());
    assertTrue(strict.output().contains("weights.csv line 23: weight '1e40' is beyond prep.max_weight = 1.0E9"),
        strict.output());
    assertFalse(Files.exists(out), "nothing published");

    Path lenient = dir.resolve("lenient");
    Run allowed = prep("--input", f.toString(), "--output", lenient.toString(),
        "--set", "directspec.prep.allow_negative_weights=true", "--set", "directspec.prep.max_rejected_share=0.1");
    assertEquals(0, allowed.code(), allowed.output());
    assertEquals(1, count(lenient, "parse_rejected"));
    assertEquals(22, count(lenient, "accepted"));
    assertEquals(23, count(lenient, "rows_read"));
  }

  /** Item 6 and #22: a fully quoted export, commas inside quotes, read with --format csv. */
  @Test
  void aFullyQuotedCsvExportParsesWithFormatCsv() throws Exception {
    StringBuilder sb = new StringBuilder("\"user\",\"item\",\"rating\",\"timestamp\"\n");
    String[] items = {"Heat", "Toy Story, The", "say \"\"hi\"\"", "Up"};
    for (int u = 0; u < 8; u++) {
      for (String item : items) {
        sb.append("\"u").append(u).append("\",\"").append(item).append("\",\"").append(1 + u % 5)
            .append("\",\"").append(1_700_000_000 + u).append("\"\n");
      }
    }
    Path f = write("export.txt", sb.toString());
    Path out = dir.resolve("out");
    Run run = prep("--format", "csv", "--input", f.toString(), "--output", out.toString());
    assertEquals(0, run.code(), run.output());
    assertEquals(32, count(out, "accepted"));
    assertEquals(0, count(out, "rejected"));
    assertEquals(4, count(out, "items"), "\"Toy Story, The\" is one item, not split at its comma");
  }

  /** Item 6: a quote left open is a rejected row with its reason, never a silently shifted one. */
  @Test
  void anOpenQuoteAndTsvFormat() throws Exception {
    StringBuilder sb = new StringBuilder("user\titem\tweight\n");
    for (int u = 0; u < 6; u++) {
      sb.append("smith, ").append(u).append("\tx\t1\n").append("smith, ").append(u).append("\ty\t2\n");
    }
    sb.append("doe\t\"broken\t1\n"); // line 14: the quote never closes
    Path f = write("log.tsv", sb.toString());
    Path out = dir.resolve("out");
    Run run = prep("--format", "tsv", "--input", f.toString(), "--output", out.toString(),
        "--set", "directspec.prep.max_rejected_share=0.1");
    assertEquals(0, run.code(), run.output());
    assertEquals(13, count(out, "rows_read"));
    assertEquals(1, count(out, "parse_rejected"));
    assertEquals(6, count(out, "users"), "ids with commas are whole in a tab-separated file");

    Run conflict = prep("--format", "csv", "--set", "directspec.prep.delimiter=;", "--input", f.toString(),
        "--output", dir.resolve("never").toString());
    assertEquals(2, conflict.code(), conflict.output());
    assertTrue(conflict.output().contains("prep.format = csv reads fields separated by ','"), conflict.output());
    assertEquals(List.of(), leftovers());
  }

  /** Item 10: rows the split sets aside are not bad input; a valid file is never refused for them. */
  @Test
  void theFirstRowsOfMovieLensLatestSmallPrep() throws Exception {
    Path ratings = sharedData("ml-latest-small/ratings.csv");
    List<String> head = Files.readAllLines(ratings).subList(0, 3001);
    Path f = dir.resolve("ratings.csv");
    Files.write(f, head);
    Path out = dir.resolve("out");
    Run run = prep("--input", f.toString(), "--output", out.toString());
    assertEquals(0, run.code(), run.output());
    assertEquals(3000, count(out, "rows_read"));
    assertEquals(3000, count(out, "accepted"));
    assertEquals(0, count(out, "split_rejected"));
    assertEquals(0, count(out, "parse_rejected"));
  }

  /** The shared research data, found as data-prep's tests find it; skips with a message if absent. */
  private static Path sharedData(String relative) {
    List<Path> bases = new ArrayList<>();
    String env = System.getenv("DIRECTSPEC_DATA");
    if (env != null) {
      bases.add(Path.of(env));
    }
    bases.add(Path.of("../../shared/data"));
    bases.add(Path.of("../shared/data"));
    for (Path base : bases) {
      if (Files.exists(base.resolve(relative))) {
        return base.resolve(relative).toAbsolutePath().normalize();
      }
    }
    Assumptions.assumeTrue(false, "shared dataset " + relative + " not found under " + bases
        + " (set DIRECTSPEC_DATA); skipping");
    return null;
  }
}
