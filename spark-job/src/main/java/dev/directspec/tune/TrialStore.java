package dev.directspec.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.folders.TextFiles;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one method's trials on disk, one JSON file per trial ({@code t007.json}), each rewritten
 * atomically (a temporary file renamed over it) after every rung it finishes. A rerun of the same command
 * reads them and trains only what they lack: a killed tune loses at most the rung that was running.
 */
public final class TrialStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FileSystem fs;
  private final Path folder;

  /** One rung a trial finished: its budget, validation figures, and the run folder that holds its model. */
  public record Result(int budget, double recall, double ndcg, double seconds, String run, String failure) {
    public boolean failed() {
      return failure != null;
    }

    /** Worse before better: recall@20, then ndcg@20; a failed rung ranks below every finished one. */
    static final Comparator<Result> BY_KEY = Comparator.<Result>comparingDouble(r -> r.key()[0])
        .thenComparingDouble(r -> r.key()[1]);

    /** Ranking key: recall@20, then ndcg@20; a failed rung ranks below every finished one. */
    double[] key() {
      return failed() ? new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY} : new double[] {recall, ndcg};
    }
  }

  /** A trial: its number (1 = the starting point), its settings and the rungs it finished. */
  public record Trial(int id, Map<String, Object> point, List<Result> results) {
    public Result last() {
      return results.isEmpty() ? null : results.get(results.size() - 1);
    }

    public Result at(int budget) {
      for (Result r : results) if (r.budget() == budget) return r;
      return null;
    }

    /** The trial's best rung (recall@20, then ndcg@20; the smaller budget on a tie), or null before any. */
    public Result best() {
      Result best = null;
      for (Result r : results) if (best == null || Result.BY_KEY.compare(r, best) > 0) best = r;
      return best;
    }
  }

  public TrialStore(FileSystem fs, Path folder) {
    this.fs = fs;
    this.folder = folder;
  }

  public Path folder() {
    return folder;
  }

  /** The trial saved under this number, or null. */
  public Trial load(int id) {
    Path file = file(id);
    try {
      if (!fs.exists(file)) return null;
      return parse(JSON.readTree(TextFiles.read(fs, file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tune state " + file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the trial's state atomically ({@link TextFiles#replace}): a kill leaves the old or the new one. */
  public void save(Trial trial) {
    Path file = file(trial.id());
    try {
      TextFiles.replace(fs, file, JSON.writeValueAsString(toJson(trial)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tune state " + file + ": " + e.getMessage(), e);
    }
  }

  /** The training seconds (without job start and evaluation) of a finished rung, from its run's metrics.json. */
  public double trainSeconds(Result r) {
    Path metrics = new Path(r.run(), "metrics.json");
    try {
      JsonNode seconds = JSON.readTree(TextFiles.read(fs, metrics)).path("final").path("train_seconds");
      if (!seconds.isNumber()) throw new IOException("no final.train_seconds");
      return seconds.asDouble();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the training time of " + metrics + ": " + e.getMessage(), e);
    }
  }

  Path file(int id) {
    return new Path(folder, String.format("t%03d.json", id));
  }

  static ObjectNode toJson(Trial trial) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", trial.id());
    root.set("point", JSON.valueToTree(trial.point()));
    ArrayNode results = root.putArray("results");
    for (Result r : trial.results()) {
      ObjectNode o = results.addObject();
      o.put("budget", r.budget());
      if (r.failed()) {
        o.put("failure", r.failure());
      } else {
        o.put("recall@20", r.recall());
        o.put("ndcg@20", r.ndcg());
      }
      o.put("seconds", r.seconds());
      o.put("run", r.run());
    }
    return root;
  }

  static Trial parse(JsonNode root) {
    Map<String, Object> point = new LinkedHashMap<>();
    root.get("point").fields().forEachRemaining(f -> point.put(f.getKey(), value(f.getValue())));
    List<Result> results = new ArrayList<>();
    for (JsonNode r : root.get("results")) {
      String failure = r.has("failure") ? r.get("failure").asText() : null;
      results.add(new Result(r.get("budget").asInt(), failure == null ? r.get("recall@20").asDouble() : Double.NaN,
          failure == null ? r.get("ndcg@20").asDouble() : Double.NaN, r.get("seconds").asDouble(),
          r.get("run").asText(), failure));
    }
    return new Trial(root.get("id").asInt(), point, results);
  }

  private static Object value(JsonNode v) {
    if (v.isInt()) return v.asInt();
    if (v.isNumber()) return v.asDouble();
    if (v.isBoolean()) return v.asBoolean();
    return v.asText();
  }
}
