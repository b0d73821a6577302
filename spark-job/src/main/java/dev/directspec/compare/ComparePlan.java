package dev.directspec.compare;

import dev.directspec.baseline.AlsSettings;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import dev.directspec.tune.MethodTuner;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code compare} trains: one run per (model, method), each with its dataset's preset (the values
 * tuned on a validation split, docs/experiments/tuning.md), then the user's overlays and overrides, then
 * the method and model themselves. Built and validated before Spark starts.
 */
public record ComparePlan(List<Run> runs) {
  /** Encoders this build trains (train.model). */
  static final Set<String> TRAINED_MODELS = Set.of("mf", "lightgcn");

  /** One run of the comparison; {@code preset} is the preset file used, or null when none exists. */
  public record Run(String model, String method, File preset, Settings settings) {
    /** Folder name of the run inside the comparison's runs/ folder. */
    public String folder() {
      return model + "-" + method;
    }
  }

  /**
   * @param presetDir folder of {@code <name>[-<model>]-<method>.conf} presets
   * @param name      the dataset's preset name (e.g. citeulike)
   */
  public static ComparePlan of(List<String> models, List<String> methods, File presetDir, String name,
      List<File> configFiles, List<String> overrides) {
    return of(models, methods, presetDir, name, configFiles, overrides, false);
  }

  /**
   * @param tuned the presets were just written by {@code tune} from these same overlays and overrides: their
   *              budget (train.epochs, als.max_iter) is one of the settings tune chose, so it wins over the
   *              overrides', which set tune's full budget (compare --tune --set epochs=60)
   */
  public static ComparePlan of(List<String> models, List<String> methods, File presetDir, String name,
      List<File> configFiles, List<String> overrides, boolean tuned) {
    if (methods.isEmpty()) throw new SettingsException("--methods must name at least one method");
    List<Run> runs = new ArrayList<>();
    for (String model : distinct(models, "--model")) {
      if (!TRAINED_MODELS.contains(model)) {
        throw new SettingsException("--model " + model + " is not trained by this build (it trains " + TRAINED_MODELS
            + "); use --model mf");
      }
      for (String method : distinct(methods, "--methods")) {
        Method.of(method); // names the allowed methods when this one is unknown
        File preset = preset(presetDir, name, model, method);
        List<File> files = new ArrayList<>();
        if (preset != null) files.add(preset);
        files.addAll(configFiles);
        List<String> sets = new ArrayList<>(overrides);
        sets.add(Settings.qualified("train.model") + "=" + model);
        sets.add(Settings.qualified("train.method") + "=" + method);
        Settings settings = Settings.load(files, sets);
        if (tuned && preset != null) settings = withBudgetOf(preset, method, settings);
        TrainSettings.from(settings);
        AlsSettings.from(settings);
        runs.add(new Run(model, method, preset, settings));
      }
    }
    return new ComparePlan(runs);
  }

  private static Settings withBudgetOf(File preset, String method, Settings settings) {
    String key = MethodTuner.budgetKey(method);
    return settings.with(key, Settings.load(List.of(preset), List.of()).config().getInt(key));
  }

  /**
   * The first file that exists of {@code <name>-<model>-<method>.conf} (non-MF models),
   * {@code <name>-<method>.conf}, then the names {@code tune} writes into its folder:
   * {@code <model>-<method>.conf} (non-MF models) and {@code <method>.conf}.
   */
  static File preset(File dir, String name, String model, String method) {
    List<String> names = new ArrayList<>();
    if (!model.equals("mf")) names.add(name + "-" + model + "-" + method + ".conf");
    names.add(name + "-" + method + ".conf");
    if (!model.equals("mf")) names.add(model + "-" + method + ".conf");
    names.add(method + ".conf");
    for (String n : names) {
      File f = new File(dir, n);
      if (f.isFile()) return f;
    }
    return null;
  }

  private static List<String> distinct(List<String> values, String option) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      String t = v.trim();
      if (t.isEmpty()) throw new SettingsException(option + " has an empty entry: " + String.join(",", values));
      if (out.contains(t)) throw new SettingsException(option + " names " + t + " twice");
      out.add(t);
    }
    return out;
  }
}
