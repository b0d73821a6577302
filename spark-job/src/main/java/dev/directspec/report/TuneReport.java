package dev.directspec.report;

import org.jfree.chart.JFreeChart;

import java.util.List;
import java.util.Map;

/**
 * The report of a tuning ({@code tune}'s report.html): every trial in a table (settings, budget reached,
 * validation figures), one plot per method of each trial's validation recall@20 over the budgets it
 * reached, and the presets written. Self-contained like the run reports.
 */
public final class TuneReport {
  public static final String FILE = "report.html";

  private TuneReport() {}

  /** A method's section: its trials' table, their plot and the preset text. */
  public record Section(String title, List<String> header, List<List<String>> rows, JFreeChart chart, String preset) {}

  public static String html(String title, String note, List<Section> sections, Map<String, ?> facts) {
    Html html = new Html(title);
    html.paragraph(note);
    html.keyValues(facts);
    for (Section s : sections) {
      html.heading(2, s.title());
      html.table(s.header(), s.rows());
      html.figure(Png.dataUri(s.chart()), s.title() + ": validation recall@20 of every trial per budget");
      html.details("Preset written", s.preset());
    }
    return html.finish();
  }
}
