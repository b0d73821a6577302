package dev.directspec.tune;

import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.directspec.config.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The preset a tuning writes for one method: a settings overlay that {@code train --config} and
 * {@code compare --presets} read unchanged. It holds every train/als setting in which the tuned base
 * differed from the reference (what --config/--set gave tune), then the best trial's point and the budget
 * (epochs, ALS iterations) of its best rung, under a header that says how it was chosen.
 */
public final class Presets {
  /** Settings tune itself forces on trials; a preset leaves them to the user. */
  private static final Set<String> TUNE_ONLY = Set.of("train.eval_every", "train.eval_at_end",
      "train.checkpoint_every", "train.warm_start");

  private Presets() {}

  /** {@code <method>.conf} for MF, {@code <model>-<method>.conf} otherwise (as compare looks them up). */
  public static String fileName(String model, String method) {
    return (model.equals("mf") ? "" : model + "-") + method + ".conf";
  }

  /**
   * @param command the tune command line, for the header
   * @param date    ISO date-time of the tuning, for the header
   */
  public static String text(MethodTuner.Outcome o, String command, String date, String validation) {
    TrialStore.Result best = o.chosen();
    StringBuilder b = new StringBuilder();
    b.append("# ").append(o.model()).append(" ").append(o.method()).append(" preset written by directspec tune on ")
        .append(date).append('\n');
    b.append("# command: directspec ").append(command).append('\n');
    b.append(String.format("# validation (%s: a per-user holdout of the train table; the test table was not read):"
        + " recall@20 %.4f, ndcg@20 %.4f at %d %s (trial %d of %d)%n", validation, best.recall(), best.ndcg(),
        best.budget(), MethodTuner.budgetKey(o.method()), o.best().id(), o.trials().size()));
    b.append("# schedule: successive halving ").append(o.schedule().describe()).append('\n');
    b.append("# space searched (trial 1 = the starting settings):\n");
    for (SearchSpace.Dimension d : o.space().dimensions()) b.append("#   ").append(d.describe()).append('\n');
    List<String> edges = o.space().onEdge(o.best().point());
    if (!edges.isEmpty() && o.best().id() != 1) {
      b.append("# WARNING: the best point is on the edge of the searched range, the optimum may lie outside it: ")
          .append(String.join("; ", edges)).append('\n');
    }
    List<String> outside = o.space().outside(o.best().point());
    if (!outside.isEmpty()) {
      b.append("# NOTE: the starting settings lie outside the searched space and were kept as given: ")
          .append(String.join("; ", outside)).append('\n');
    }
    b.append("directspec {\n");
    values(o).forEach((k, v) -> b.append("  ").append(k).append(" = ").append(render(v)).append('\n'));
    b.append("}\n");
    return b.toString();
  }

  /** The preset's settings, keys inside the namespace, in a stable order. */
  static Map<String, Object> values(MethodTuner.Outcome o) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("train.method", o.method());
    values.put("train.model", o.model());
    for (String line : o.base().differencesFromReference()) {
      int eq = line.indexOf(" = ");
      String key = line.substring(0, eq).substring(Settings.qualified("").length());
      if ((key.startsWith("train.") || key.startsWith("als.")) && !TUNE_ONLY.contains(key)) {
        values.put(key, o.base().config().getValue(key).unwrapped());
      }
    }
    values.putAll(o.best().point());
    values.put(MethodTuner.budgetKey(o.method()), o.chosen().budget());
    return values;
  }

  static String render(Object value) {
    return ConfigValueFactory.fromAnyRef(value).render(ConfigRenderOptions.concise());
  }

  /** Keys of the point, for the report. */
  static List<String> keys(List<TrialStore.Trial> trials) {
    List<String> keys = new ArrayList<>();
    for (TrialStore.Trial t : trials) for (String k : t.point().keySet()) if (!keys.contains(k)) keys.add(k);
    return keys;
  }
}
