package dev.directspec.report;

import java.util.List;
import java.util.Map;

/**
 * The self-contained HTML report of a {@code compare} run (or the demo): the comparison table, the
 * spectra of every run side by side (so a collapsing method shows next to a balanced one), effective
 * rank and Recall/NDCG of all runs on shared axes, then each run's loss and settings and the dataset
 * manifest.
 */
public final class ComparisonReport {
  public static final String FILE = "report.html";

  private ComparisonReport() {}

  /** @param settings each run's settings.conf text, keyed by the run's label */
  public static String html(String title, ComparisonTable table, List<RunHistory> runs, Map<String, String> settings,
      String manifest, String note) {
    Html html = new Html(title);
    if (!note.isEmpty()) html.paragraph(note);
    html.heading(2, "Comparison (last epoch of each run, never the best)");
    html.table(table.header(), table.rows());
    RunReport.addPlots(html, runs, false);
    html.heading(2, "Loss per epoch, per run (scales differ between objectives)");
    for (RunHistory run : runs) {
      if (run.epochs().stream().anyMatch(e -> Double.isFinite(e.loss()))) {
        html.figure(Png.dataUri(Charts.perEpoch(run.label() + ": training loss per epoch", "loss", List.of(run),
            RunHistory.Epoch::loss)), run.label() + " loss");
      }
    }
    html.heading(2, "Settings per run");
    settings.forEach((label, text) -> html.details(label, text));
    html.details("Dataset manifest (manifest.json)", manifest);
    return html.finish();
  }
}
