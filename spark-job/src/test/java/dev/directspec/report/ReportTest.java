package dev.directspec.report;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
  /** Three epochs of a 3-dimensional table, evaluated at epochs 2 and 3 (the shape TrainJob writes). */
  static final String METRICS = """
      {"final": {"recall@20": 0.3, "ndcg@20": 0.2, "effective_rank_users": 2.5, "effective_rank_items": 2.9,
                 "epochs": 3, "train_seconds": 1.5},
       "epochs": [
         {"epoch": 1, "loss": 0.9, "effective_rank_users": 2.9, "effective_rank_items": 2.9,
          "singular_values_users": [3, 2.9, 2.8], "singular_values_items": [3, 2.9, 2.8]},
         {"epoch": 2, "loss": 0.8, "effective_rank_users": 2.7, "effective_rank_items": 2.9,
          "singular_values_users": [3, 2, 1], "singular_values_items": [3, 2.9, 2.8],
          "recall@20": 0.25, "recall@10": 0.2, "recall_capped@10": 0.21, "ndcg@20": 0.15, "eval_seconds": 0.1},
         {"epoch": 3, "loss": 0.7, "effective_rank_users": 2.5, "effective_rank_items": 2.9,
          "singular_values_users": [3, 1, 0.5], "singular_values_items": [3, 2.9, 2.8],
          "recall@20": 0.3, "recall@10": 0.22, "recall_capped@10": 0.23, "ndcg@20": 0.2, "eval_seconds": 0.1}],
       "run": {"wall_seconds": 4.0, "peak_heap_bytes": 104857600}}
      """;

  @Test
  void historyKeepsEpochsSpectraAndTheEvaluatedEpochs() {
    RunHistory run = RunHistory.parse("ds", METRICS, "fixture");
    assertEquals(3, run.epochs().size());
    assertArrayEquals(new double[] {3, 1, 0.5}, run.epochs().get(2).sigmaUsers());
    assertEquals(List.of(2, 3), run.evaluated().stream().map(RunHistory.Epoch::epoch).toList());
    assertFalse(run.evaluated().get(0).metrics().containsKey("eval_seconds"));
  }

  @Test
  void notAMetricsFileIsRefusedNamingTheFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunHistory.parse("x", "{\"a\": 1}", "/runs/x/metrics.json"));
    assertTrue(e.getMessage().contains("/runs/x/metrics.json"), e.getMessage());
  }

  @Test
  void tableOrdersMetricsByNameThenKAndQuotesCsvCells() {
    RunHistory run = RunHistory.parse("ds", METRICS, "fixture");
    ComparisonTable table = new ComparisonTable(List.of(new ComparisonTable.Entry("directspec+", "mf", "a,b.conf", run)));
    assertEquals(List.of("method", "model", "ndcg@20", "recall@10", "recall@20", "recall_capped@10",
        "effective_rank_users", "effective_rank_items", "epochs", "train_seconds", "wall_seconds", "peak_heap_mib",
        "preset"), table.header());
    String[] csv = table.csv().split("\n");
    assertEquals("directspec+,mf,0.2000,0.2200,0.3000,0.2300,2.50,2.90,3,1.5,4.0,100,\"a,b.conf\"", csv[1]);
    assertTrue(table.markdown().startsWith("| method | model | ndcg@20 |"), table.markdown());
  }

  @Test
  void spectrumLinesSpanFirstToLastEpoch() {
    List<RunHistory.Epoch> all = RunHistory.parse("ds", METRICS, "fixture").epochs();
    assertEquals(List.of(1, 2, 3), Charts.spectrumEpochs(all).stream().map(RunHistory.Epoch::epoch).toList());
    List<RunHistory.Epoch> many = new java.util.ArrayList<>();
    for (int k = 0; k < 40; k++) many.add(all.get(k % 3));
    assertEquals(Charts.SPECTRUM_EPOCHS, Charts.spectrumEpochs(many).size());
  }

  @Test
  void runReportInlinesEveryPlotAsAPngAndEscapesText() {
    String html = RunReport.html(RunHistory.parse("ds <b>", METRICS, "fixture"), "train.lr = 1 # <x>", "{}");
    Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int n = 0;
    while (images.find()) {
      byte[] png = Base64.getDecoder().decode(images.group(1));
      assertEquals((byte) 0x89, png[0]);
      assertEquals("PNG", new String(png, 1, 3));
      n++;
    }
    assertEquals(7, n, "2 spectra, 2 effective ranks, loss, recall@20, ndcg@20");
    assertTrue(html.contains("ds &lt;b&gt;") && html.contains("# &lt;x&gt;"));
    assertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"),
        "a report must not load anything from the network");
  }
}
