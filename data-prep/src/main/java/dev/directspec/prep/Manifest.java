package dev.directspec.prep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** manifest.json of a dataset folder: what was read, with which settings, and the reconciled counts. */
public final class Manifest {
  static final String FILE = "manifest.json";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Manifest() {}

  /** Key of the dataset's name (prep --name), by which compare finds its presets. */
  public static final String NAME = "name";

  /**
   * @param skipped files found in the input folders and not read, each with its reason
   * @param name    the dataset's name, or null for none
   */
  static Map<String, Object> build(PrepSettings settings, String split, List<FileLayout> layouts,
      List<InputFiles.Skipped> skipped, PrepPipeline.Outcome outcome, String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", FORMAT_VERSION);
    if (name != null) m.put(NAME, name);
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

  static void write(FileSystem fs, Path folder, Map<String, Object> manifest) {
    try (FSDataOutputStream out = fs.create(new Path(folder, FILE), true)) {
      JSON.writeValue((java.io.OutputStream) out, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + new Path(folder, FILE) + ": " + e.getMessage(), e);
    }
  }

  static JsonNode read(FileSystem fs, Path folder) {
    Path file = new Path(folder, FILE);
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new InputDataException("cannot read dataset manifest " + file + ": " + e.getMessage(), e);
    }
  }
}
