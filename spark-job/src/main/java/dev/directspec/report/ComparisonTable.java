package dev.directspec.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The comparison table of {@code compare}: one row per (model, method) run with every metric the
 * evaluator wrote on the run's last evaluated epoch, the final effective ranks, epochs, train seconds
 * (evaluation excluded), the run's wall seconds and its peak heap. Written as CSV and Markdown.
 */
public final class ComparisonTable {
  /** One compared run: its method, model, the preset file it used ("" for none) and its history. */
  public record Entry(String method, String model, String preset, RunHistory history) {}

  private final List<Entry> entries;
  private final List<String> metricColumns;

  public ComparisonTable(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    Set<String> metrics = new TreeSet<>(ComparisonTable::byNameThenK);
    for (Entry e : entries) {
      List<RunHistory.Epoch> evaluated = e.history().evaluated();
      if (!evaluated.isEmpty()) metrics.addAll(evaluated.get(evaluated.size() - 1).metrics().keySet());
    }
    this.metricColumns = List.copyOf(metrics);
  }

  public List<String> header() {
    Set<String> h = new LinkedHashSet<>(List.of("method", "model"));
    h.addAll(metricColumns);
    h.addAll(List.of("effective_rank_users", "effective_rank_items", "epochs", "train_seconds", "wall_seconds",
        "peak_heap_mib", "preset"));
    return new ArrayList<>(h);
  }

  public List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    for (Entry e : entries) {
      List<RunHistory.Epoch> evaluated = e.history().evaluated();
      Map<String, Double> last = evaluated.isEmpty() ? Map.of() : evaluated.get(evaluated.size() - 1).metrics();
      Map<String, Object> fin = e.history().finals();
      Map<String, Object> run = e.history().run();
      List<String> row = new ArrayList<>(List.of(e.method(), e.model()));
      for (String m : metricColumns) row.add(last.containsKey(m) ? String.format("%.4f", last.get(m)) : "");
      row.add(number(fin.get("effective_rank_users"), "%.2f"));
      row.add(number(fin.get("effective_rank_items"), "%.2f"));
      row.add(String.valueOf(fin.get("epochs")));
      row.add(number(fin.get("train_seconds"), "%.1f"));
      row.add(number(run.get("wall_seconds"), "%.1f"));
      Object peak = run.get("peak_heap_bytes");
      row.add(peak instanceof Number n ? String.valueOf(Math.round(n.doubleValue() / (1 << 20))) : "");
      row.add(e.preset());
      rows.add(row);
    }
    return rows;
  }

  public String csv() {
    StringBuilder out = new StringBuilder(csvLine(header()));
    rows().forEach(r -> out.append(csvLine(r)));
    return out.toString();
  }

  public String markdown() {
    StringBuilder out = new StringBuilder("| " + String.join(" | ", header()) + " |\n|");
    header().forEach(h -> out.append("---|"));
    out.append('\n');
    rows().forEach(r -> out.append("| ").append(String.join(" | ", r)).append(" |\n"));
    return out.toString();
  }

  private static String csvLine(List<String> cells) {
    StringJoiner line = new StringJoiner(",", "", "\n");
    for (String c : cells) {
      boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n");
      line.add(quote ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
    }
    return line.toString();
  }

  private static String number(Object v, String format) {
    return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format(format, n.doubleValue()) : "";
  }

  /** recall@10 before recall@20 before recall_capped@10: by metric name, then by K as a number. */
  static int byNameThenK(String a, String b) {
    String[] x = a.split("@", 2);
    String[] y = b.split("@", 2);
    int byName = x[0].compareTo(y[0]);
    if (byName != 0 || x.length < 2 || y.length < 2) return byName != 0 ? byName : a.compareTo(b);
    try {
      return Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }
}
