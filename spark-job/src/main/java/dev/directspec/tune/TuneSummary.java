package dev.directspec.tune;

import dev.directspec.report.Charts;
import dev.directspec.report.TuneReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trial tables of a tuning, as Markdown (tune.md) and as the HTML report. */
final class TuneSummary {
  private TuneSummary() {}

  static List<String> header(MethodTuner.Outcome o) {
    List<String> h = new ArrayList<>(List.of("trial"));
    h.addAll(Presets.keys(o.trials()));
    String budget = MethodTuner.budgetKey(o.method());
    h.addAll(List.of(budget + " reached", "best at", "val recall@20", "val ndcg@20", "seconds", "chosen"));
    return h;
  }

  /**
   * One row per trial: its settings, the last rung it reached, and its best rung's validation figures (the
   * chosen row is the best of these, at its best rung).
   */
  static List<List<String>> rows(MethodTuner.Outcome o) {
    List<List<String>> rows = new ArrayList<>();
    for (TrialStore.Trial t : o.trials()) {
      List<String> row = new ArrayList<>(List.of(String.valueOf(t.id())));
      for (String k : Presets.keys(o.trials())) row.add(t.point().containsKey(k) ? String.valueOf(t.point().get(k)) : "");
      TrialStore.Result best = t.best();
      double seconds = t.results().stream().mapToDouble(TrialStore.Result::seconds).sum();
      if (best == null) {
        row.addAll(List.of("-", "-", "-", "-", "-", ""));
      } else {
        row.add(String.valueOf(t.last().budget()));
        row.add(String.valueOf(best.budget()));
        row.add(best.failed() ? "failed: " + best.failure() : String.format("%.4f", best.recall()));
        row.add(best.failed() ? "" : String.format("%.4f", best.ndcg()));
        row.add(String.format("%.0f", seconds));
        row.add(t.id() == o.best().id() ? "yes" : "");
      }
      rows.add(row);
    }
    return rows;
  }

  static String markdown(List<MethodTuner.Outcome> outcomes, String command) {
    StringBuilder b = new StringBuilder("# directspec tune\n\n`directspec ").append(command).append("`\n");
    for (MethodTuner.Outcome o : outcomes) {
      b.append("\n## ").append(o.model()).append(' ').append(o.method()).append("\n\nSchedule: ")
          .append(o.schedule().describe()).append("\n\n");
      List<String> header = header(o);
      b.append("| ").append(String.join(" | ", header)).append(" |\n|");
      b.append("---|".repeat(header.size())).append('\n');
      for (List<String> row : rows(o)) b.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return b.toString();
  }

  static String html(List<MethodTuner.Outcome> outcomes, String command, String date, String data,
      String validation, TuneBudget budget) {
    List<TuneReport.Section> sections = new ArrayList<>();
    for (MethodTuner.Outcome o : outcomes) {
      Map<String, List<double[]>> lines = new LinkedHashMap<>();
      for (TrialStore.Trial t : o.trials()) {
        List<double[]> points = new ArrayList<>();
        for (TrialStore.Result r : t.results()) if (!r.failed()) points.add(new double[] {r.budget(), r.recall()});
        lines.put("trial " + t.id(), points);
      }
      String title = o.model() + " " + o.method();
      sections.add(new TuneReport.Section(title, header(o), rows(o),
          Charts.polylines(title + ": validation recall@20 per trial", MethodTuner.budgetKey(o.method()),
              "recall@20 (validation)", lines),
          Presets.text(o, command, date, validation)));
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("command", "directspec " + command);
    facts.put("date", date);
    facts.put("dataset", data);
    facts.put("validation split", validation + " (per user " + ValidationSplit.HOLDOUT + " of the train rows)");
    facts.put("budget", budget.describe());
    return TuneReport.html("directspec tune: " + data, "Every trial trained on the validation split's train "
        + "rows and was evaluated on its held-out rows (full ranking, training items excluded); the dataset's "
        + "test table was not read. Successive halving: after each rung the best third continue.", sections, facts);
  }
}
