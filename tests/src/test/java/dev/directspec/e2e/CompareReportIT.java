package dev.directspec.e2e;

import dev.directspec.compare.CompareJob;
import dev.directspec.compare.ComparePlan;
import dev.directspec.folders.OutputExistsException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare} on a tiny synthetic dataset (directspec+ with a preset, align and ALS without), its
 * table, and its reports rendered in headless Chromium: every plot loads and the console stays clean.
 * Screenshots go to target/report-screenshots/.
 */
class CompareReportIT {
  private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
  @TempDir
  static Path dir;
  static SparkSession spark;
  static String data;
  static Path output;
  static ComparePlan plan;

  @BeforeAll
  static void compareOnce() throws Exception {
    spark = LocalSpark.start("compare-report");
    data = LocalSpark.syntheticDataset(spark, dir, 300, 200, 6_000);
    Path presets = Files.createDirectories(dir.resolve("presets"));
    Files.writeString(presets.resolve("syn-directspec+.conf"), "directspec.train.tau = 0.5\n");
    plan = ComparePlan.of(List.of("mf"), List.of("directspec+", "align", "als"), presets.toFile(), "syn", List.of(),
        List.of("epochs=4", "eval_every=2", "blocks=2", "dim=16", "lr=10", "shrink_norm=0", "seed=11",
            "directspec.als.max_iter=3", "directspec.als.checkpoint_interval=2"));
    output = dir.resolve("compare");
    new CompareJob(spark, plan).run(data, output.toString(), false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void tableHasOneRowPerMethodWithTheEvaluatorsMetricsAndThePresetUsed() throws Exception {
    List<String> lines = Files.readAllLines(output.resolve(CompareJob.CSV));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    assertEquals(4, lines.size(), "header + 3 runs: " + lines);
    for (String column : List.of("method", "model", "recall@20", "ndcg@20", "recall_capped@20", "precision@20",
        "effective_rank_users", "effective_rank_items", "epochs", "train_seconds", "peak_heap_mib", "preset")) {
      assertTrue(header.contains(column), column + " missing from " + header);
    }
    for (int row = 1; row < lines.size(); row++) {
      String[] cells = lines.get(row).split(",");
      double recall = Double.parseDouble(cells[header.indexOf("recall@20")]);
      assertTrue(recall > 0 && recall <= 1, "recall@20 of " + cells[0] + ": " + recall);
      assertTrue(Long.parseLong(cells[header.indexOf("peak_heap_mib")]) > 0, lines.get(row));
    }
    assertEquals(List.of("directspec+", "align", "als"),
        lines.subList(1, 4).stream().map(l -> l.split(",")[0]).toList());
    String dsPlus = lines.get(1);
    assertTrue(dsPlus.endsWith(new File(dir.resolve("presets").toFile(), "syn-directspec+.conf").getPath()), dsPlus);
    assertTrue(lines.get(2).endsWith("(none)"), lines.get(2));
    assertTrue(Files.readString(output.resolve("runs/mf-directspec+/settings.conf")).contains("tau=0.5"),
        "the preset's tau must reach the run");
    assertTrue(Files.readString(output.resolve(CompareJob.MARKDOWN)).startsWith("| method | model |"));
    for (String run : List.of("mf-directspec+", "mf-align", "mf-als")) {
      assertTrue(Files.exists(output.resolve("runs").resolve(run).resolve("report.html")), run + " has no report");
    }
  }

  @Test
  void refusesAnExistingOutputWithoutOverwrite() {
    assertThrows(OutputExistsException.class, () -> new CompareJob(spark, plan).run(data, output.toString(), false));
  }

  @Test
  void reportsRenderInChromiumWithEveryPlotLoadedAndNoConsoleErrors() throws Exception {
    try (Chromium browser = Chromium.start(dir.resolve("chromium-profile"))) {
      // 3 runs x 2 spectra, 2 effective-rank plots, recall and ndcg, and a loss plot for the 2 SGD runs.
      Chromium.Page comparison = browser.open(output.resolve("report.html"), SCREENSHOTS.resolve("comparison.png"));
      assertEquals(12, comparison.imageWidths().size(), "plots in the comparison report");
      assertEquals(List.of(), comparison.problems());
      // One run: 2 spectra, 2 effective ranks, loss, recall, ndcg.
      Chromium.Page run = browser.open(output.resolve("runs/mf-align/report.html"), SCREENSHOTS.resolve("run-align.png"));
      assertEquals(7, run.imageWidths().size(), "plots in the run report");
      assertEquals(List.of(), run.problems());
      assertTrue(Files.size(SCREENSHOTS.resolve("comparison.png")) > 10_000, "screenshot written");

      // The checks can fail: a page with a broken image and a console error is caught by both.
      Path broken = dir.resolve("broken.html");
      Files.writeString(broken, "<!DOCTYPE html><html><body><img src=\"data:image/png;base64,AAAA\">"
          + "<script>console.error('deliberate')</script></body></html>");
      Chromium.Page bad = browser.open(broken, SCREENSHOTS.resolve("broken.png"));
      assertEquals(2, bad.problems().size(), "broken page problems: " + bad.problems());
      assertFalse(bad.consoleErrors().isEmpty());
    }
  }
}
