package dev.directspec.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.folders.OutputFolder;

import java.util.List;
import java.util.Map;

/**
 * The self-contained HTML report of one training run (report.html in its run folder): final metrics,
 * the singular-value spectra of users and items over epochs, effective rank, loss and Recall/NDCG per
 * evaluated epoch, then the settings and the dataset manifest.
 */
public final class RunReport {
  public static final String FILE = "report.html";

  private RunReport() {}

  public static String html(RunHistory run, String settings, String manifest) {
    Html html = new Html("directspec run: " + run.label());
    html.heading(2, "Final figures (last epoch, never the best)");
    html.keyValues(formatted(run.finals()));
    addPlots(html, List.of(run), true);
    html.heading(2, "Run");
    html.keyValues(formatted(run.run()));
    html.details("Settings (settings.conf)", settings);
    html.details("Dataset manifest (manifest.json)", manifest);
    return html.finish();
  }

  /** Spectra of each run, then effective ranks, loss (when asked) and the two headline metrics. */
  static void addPlots(Html html, List<RunHistory> runs, boolean loss) {
    html.heading(2, "Spectrum: singular values over epochs");
    html.paragraph("Each line is one epoch's singular values divided by the largest. A balanced table keeps "
        + "them spread (lines near 1); a collapsing one ends with one dominant value and the rest near 0.");
    for (RunHistory run : runs) {
      html.figure(Png.dataUri(Charts.spectrum(run, "users")), run.label() + " users spectrum");
      html.figure(Png.dataUri(Charts.spectrum(run, "items")), run.label() + " items spectrum");
    }
    html.heading(2, "Effective rank and loss per epoch");
    html.figure(Png.dataUri(Charts.perEpoch("Effective rank of users per epoch", "effective rank", runs,
        RunHistory.Epoch::effectiveRankUsers)), "effective rank users");
    html.figure(Png.dataUri(Charts.perEpoch("Effective rank of items per epoch", "effective rank", runs,
        RunHistory.Epoch::effectiveRankItems)), "effective rank items");
    if (loss) {
      html.figure(Png.dataUri(Charts.perEpoch("Training loss per epoch", "loss", runs, RunHistory.Epoch::loss)),
          "loss");
    }
    html.heading(2, "Ranking quality per evaluated epoch");
    html.figure(Png.dataUri(Charts.metric("recall@20", runs)), "recall@20");
    html.figure(Png.dataUri(Charts.metric("ndcg@20", runs)), "ndcg@20");
  }

  static Map<String, String> formatted(Map<String, Object> values) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, format(v)));
    return out;
  }

  static String format(Object v) {
    if (v instanceof Double d) return Double.isNaN(d) ? "" : String.format("%.4f", d);
    if (v instanceof Float f) return String.format("%.4f", f);
    return v == null ? "" : String.valueOf(v);
  }

  /**
   * Writes report.html into a run folder being written. A report that fails to render costs the run
   * nothing: the failure is printed and the run folder is still committed.
   */
  public static void writeInto(OutputFolder out, String label, String metricsJson, String settings,
      JsonNode manifest) {
    try {
      RunHistory run = RunHistory.parse(label, metricsJson, out.target() + "/metrics.json");
      out.writeText(FILE, html(run, settings, manifest.toPrettyString()));
    } catch (RuntimeException | LinkageError e) {
      System.err.println("report not written for " + out.target() + ": " + e);
    }
  }

  /** How runs are named in reports: the method, and the encoder when it is not MF. */
  public static String label(String method, String model) {
    return model.equals("mf") ? method : method + " (" + model + ")";
  }
}
