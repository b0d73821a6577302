package dev.directspec.prep;

import dev.directspec.folders.ManifestFile;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What manifest.json of a dataset folder says: what was read, with which settings, and the reconciled
 * counts (the file itself: {@link ManifestFile}).
 */
final class Manifest {

  private Manifest() {}

  /**
   * @param skipped files found in the input folders and not read, each with its reason
   * @param name    the dataset's name, or null for none
   */
  static Map<String, Object> build(PrepSettings settings, String split, List<FileLayout> layouts,
      List<InputFiles.Skipped> skipped, PrepPipeline.Outcome outcome, String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", ManifestFile.FORMAT_VERSION);
    if (name != null) m.put(ManifestFile.NAME, name);
    m.put("created", Instant.now().toString());
    m.put("settings", settings.toMap());
    m.put("split", split);
    m.put("inputs", layouts.stream().map(FileLayout::toMap).toList());
    m.put("skipped_files", skipped.stream().map(InputFiles.Skipped::toMap).toList());
    m.put("id_type", outcome.usersNumeric() && outcome.itemsNumeric() ? "long" : "string");
    m.put("user_id_type", outcome.usersNumeric() ? "long" : "string");
    m.put("item_id_type", outcome.itemsNumeric() ? "long" : "string");
    m.put("reconciliation", PrepCounts.RECONCILIATION);
    Map<String, Object> counts = new LinkedHashMap<>(outcome.counts().asMap());
    counts.put("duplicates_policy", settings.duplicates());
    m.put("counts", counts);
    Map<String, String> tables = new LinkedHashMap<>();
    for (String table : List.of("train", "test", "users", "items", "rejected")) {
      tables.put(table, table + "/");
    }
    m.put("tables", tables);
    return m;
  }
}
