package dev.directspec.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.directspec.config.Namespace;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.TextFiles;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether an unfinished run folder ({@code <run>._incomplete}) may be continued by this command: the
 * settings that shape the trajectory (train.*, als.*, seed) and the dataset fingerprint must be those the
 * checkpoints were written with, or the resumed run would silently mix two different runs. Reads only the
 * filesystem, so the CLI calls it before Spark starts.
 */
public final class ResumeCheck {
  /** Written beside settings.conf in the work folder: the fingerprint of the dataset being trained on. */
  public static final String DATASET_FILE = "dataset_fingerprint.txt";
  /** Keys that only say how long and how observed a run is; continuing with other values is the same run. */
  private static final Set<String> MAY_DIFFER = Set.of("train.epochs", "train.eval_every", "train.eval_at_end",
      "train.checkpoint_every", "train.lineage_cut_every");

  private ResumeCheck() {}

  /**
   * @param work        the run's work folder ({@code <run>._incomplete})
   * @param fingerprint the fingerprint of the dataset this command trains on
   * @return the last epoch with a complete checkpoint, 0 when there is none
   * @throws SettingsException  the checkpoint's settings differ (names each differing key and both values)
   * @throws InputDataException the checkpoint was written for another dataset
   */
  public static int verify(FileSystem fs, Path work, Settings settings, String fingerprint) {
    int latest = Checkpoints.latest(fs, new Path(work, Checkpoints.FOLDER));
    if (latest == 0) return 0;
    String recorded = read(fs, new Path(work, DATASET_FILE));
    if (recorded != null && !recorded.trim().equals(fingerprint)) {
      throw new InputDataException("the checkpoint in " + work + " was written for dataset fingerprint "
          + recorded.trim() + ", but --data has fingerprint " + fingerprint + "; resume with the same --data, or "
          + "start over without --resume");
    }
    String conf = read(fs, new Path(work, "settings.conf"));
    if (conf == null) {
      throw new InputDataException("the checkpoint in " + work + " has no settings.conf: cannot tell which "
          + "settings it was trained with; start over without --resume");
    }
    Map<String, String> differing = differences(parse(conf, work), settings.config());
    if (!differing.isEmpty()) {
      throw new SettingsException("--resume: the checkpoint in " + work + " was trained with other settings: "
          + String.join("; ", differing.values()) + " (only " + String.join(", ", new java.util.TreeSet<>(MAY_DIFFER))
          + " may change on resume; start over without --resume to train with the new settings)");
    }
    return latest;
  }

  /** "key: checkpoint X, now Y" for every trajectory-shaping key whose values differ. */
  static Map<String, String> differences(Config saved, Config now) {
    Map<String, String> out = new TreeMap<>();
    for (String section : new String[] {"train", "als"}) {
      Config a = saved.hasPath(section) ? saved.getConfig(section) : ConfigFactory.empty();
      Config b = now.hasPath(section) ? now.getConfig(section) : ConfigFactory.empty();
      for (Map.Entry<String, ConfigValue> e : b.entrySet()) {
        String key = section + "." + e.getKey();
        if (MAY_DIFFER.contains(key)) continue;
        Object mine = e.getValue().unwrapped();
        Object theirs = a.hasPath(e.getKey()) ? a.getValue(e.getKey()).unwrapped() : null;
        if (theirs != null && !same(theirs, mine)) out.put(key, key + ": checkpoint " + theirs + ", now " + mine);
      }
    }
    if (saved.hasPath("seed") && saved.getLong("seed") != now.getLong("seed")) {
      out.put("seed", "seed: checkpoint " + saved.getLong("seed") + ", now " + now.getLong("seed"));
    }
    return out;
  }

  /** Numbers compare by value (HOCON keeps 180 and 180.0 as different types). */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return a.equals(b);
  }

  private static Config parse(String conf, Path work) {
    try {
      Config saved = ConfigFactory.parseString(conf);
      // settings.conf holds the whole namespace; the comparison reads keys relative to it, as Settings.config().
      return saved.hasPath(Namespace.ROOT) ? saved.getConfig(Namespace.ROOT) : saved;
    } catch (ConfigException e) {
      throw new InputDataException("the settings.conf of the checkpoint in " + work + " is unreadable: "
          + e.getMessage());
    }
  }

  private static String read(FileSystem fs, Path file) {
    try {
      if (!fs.exists(file)) return null;
      return TextFiles.read(fs, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
