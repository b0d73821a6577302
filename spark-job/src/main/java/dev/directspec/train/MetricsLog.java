package dev.directspec.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's metrics.json: one record per epoch (loss, training seconds, spectra, effective ranks and,
 * on evaluated epochs, the ranking metrics with their own eval_seconds) and a {@code final} object
 * with a fixed set of keys that scripts and checks read.
 */
public final class MetricsLog {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Keys of the final object, in order; the last two are filled from the run, not the evaluator. */
  public static final List<String> FINAL_METRICS = List.of("recall@10", "recall@20", "recall_capped@10",
      "recall_capped@20", "ndcg@10", "ndcg@20", "precision@20", "hit_rate@20");

  private final ArrayNode epochs;
  private Map<String, Double> lastMetrics;

  public MetricsLog() {
    this(JSON.createArrayNode());
  }

  private MetricsLog(ArrayNode epochs) {
    this.epochs = epochs;
  }

  /** Restores a log saved by {@link #toJson} (resume). */
  public static MetricsLog fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      MetricsLog log = new MetricsLog((ArrayNode) root.get("epochs"));
      for (JsonNode e : log.epochs) {
        if (e.has("recall@20")) log.lastMetrics = metricsOf(e);
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a saved metrics log", e);
    }
  }

  public ObjectNode epoch(EpochReport report) {
    ObjectNode r = epochs.addObject();
    r.put("epoch", report.epoch());
    r.put("loss", report.loss());
    r.put("seconds", report.seconds());
    r.put("learning_rate", report.learningRate());
    r.put("effective_rank_users", report.effectiveRankUsers());
    r.put("effective_rank_items", report.effectiveRankItems());
    if (!report.phaseSeconds().isEmpty()) {
      ObjectNode phases = r.putObject("phase_seconds");
      report.phaseSeconds().forEach(phases::put);
    }
    if (Double.isFinite(report.norms().users())) {
      r.put("factor_rms_norm_users", report.norms().users());
      r.put("factor_rms_norm_items", report.norms().items());
    }
    putArray(r.putArray("singular_values_users"), report.sigmaUsers());
    putArray(r.putArray("singular_values_items"), report.sigmaItems());
    return r;
  }

  public void addMetrics(ObjectNode record, Map<String, Double> metrics, double evalSeconds) {
    metrics.forEach(record::put);
    record.put("eval_seconds", evalSeconds);
    lastMetrics = metrics;
  }

  public String progressLine(ObjectNode r, int totalEpochs) {
    StringBuilder line = new StringBuilder(String.format(
        "epoch %3d/%d  loss %.5f  %.2f s  lr %.3g  erank users %.2f items %.2f  sigma_max/min users %.3g/%.3g",
        r.get("epoch").asInt(), totalEpochs, r.get("loss").asDouble(), r.get("seconds").asDouble(),
        r.get("learning_rate").asDouble(), r.get("effective_rank_users").asDouble(),
        r.get("effective_rank_items").asDouble(), first(r, "singular_values_users"), last(r, "singular_values_users")));
    if (r.has("phase_seconds")) {
      line.append("  (");
      r.get("phase_seconds").fields().forEachRemaining(p -> line.append(String.format("%s %.1f s, ", p.getKey(),
          p.getValue().asDouble())));
      line.setLength(line.length() - 2);
      line.append(")");
    }
    if (r.has("recall@20")) {
      line.append(String.format("  recall@20 %.4f  recall_capped@20 %.4f  ndcg@20 %.4f  (eval %.1f s)",
          r.get("recall@20").asDouble(), r.get("recall_capped@20").asDouble(), r.get("ndcg@20").asDouble(),
          r.get("eval_seconds").asDouble()));
    }
    return line.toString();
  }

  public int lastEpoch() {
    return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).get("epoch").asInt();
  }

  public double trainSeconds() {
    double total = 0;
    for (JsonNode e : epochs) total += e.get("seconds").asDouble();
    return total;
  }

  /** The final object: the last evaluation's metrics, the last epoch's ranks, epochs and train time. */
  public Map<String, Object> finalRecord() {
    Map<String, Object> out = new LinkedHashMap<>();
    // Without an evaluation (train.eval_at_end = false) the metric keys stay, with null values.
    for (String k : FINAL_METRICS) out.put(k, lastMetrics == null ? null : lastMetrics.get(k));
    JsonNode lastEpoch = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    out.put("effective_rank_users", lastEpoch == null ? null : lastEpoch.get("effective_rank_users").asDouble());
    out.put("effective_rank_items", lastEpoch == null ? null : lastEpoch.get("effective_rank_items").asDouble());
    out.put("epochs", lastEpoch());
    out.put("train_seconds", trainSeconds());
    return out;
  }

  /** Records metrics measured outside an epoch (a run with no epochs to train). */
  public void setFinalMetrics(Map<String, Double> metrics) {
    lastMetrics = metrics;
  }

  public String toJson(Map<String, Object> run) {
    ObjectNode root = JSON.createObjectNode();
    root.set("final", JSON.valueToTree(finalRecord()));
    root.set("epochs", epochs);
    root.set("run", JSON.valueToTree(run));
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Double> metricsOf(JsonNode e) {
    Map<String, Double> m = new LinkedHashMap<>();
    e.fields().forEachRemaining(f -> {
      if (f.getKey().contains("@")) m.put(f.getKey(), f.getValue().asDouble());
    });
    return m;
  }

  private static void putArray(ArrayNode a, double[] values) {
    for (double v : values) a.add(v);
  }

  private static double first(ObjectNode r, String key) {
    return r.get(key).get(0).asDouble();
  }

  private static double last(ObjectNode r, String key) {
    JsonNode a = r.get(key);
    return a.get(a.size() - 1).asDouble();
  }
}
