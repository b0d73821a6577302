package dev.directspec.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics.json as the reports read it: one {@link Epoch} per trained epoch (ALS: one, at its
 * iteration count) and the {@code final} and {@code run} objects as ordered maps.
 */
public record RunHistory(String label, List<Epoch> epochs, Map<String, Object> finals, Map<String, Object> run) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One epoch record; {@code loss} is NaN when the method has none (ALS), metrics empty when not evaluated. */
  public record Epoch(int epoch, double loss, double effectiveRankUsers, double effectiveRankItems,
      double[] sigmaUsers, double[] sigmaItems, Map<String, Double> metrics) {}

  /** Parses metrics.json text; {@code where} names the file in error messages. */
  public static RunHistory parse(String label, String metricsJson, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(metricsJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a metrics.json (" + where + "): " + e.getMessage(), e);
    }
    if (root == null || !root.path("epochs").isArray() || !root.path("final").isObject()) {
      throw new IllegalArgumentException("metrics.json without \"epochs\" and \"final\": " + where);
    }
    List<Epoch> epochs = new ArrayList<>();
    for (JsonNode e : root.get("epochs")) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      e.properties().forEach(f -> {
        if (f.getKey().contains("@") && f.getValue().isNumber()) metrics.put(f.getKey(), f.getValue().asDouble());
      });
      epochs.add(new Epoch(e.path("epoch").asInt(), number(e.path("loss")), number(e.path("effective_rank_users")),
          number(e.path("effective_rank_items")), doubles(e.path("singular_values_users")),
          doubles(e.path("singular_values_items")), metrics));
    }
    return new RunHistory(label, epochs, map(root.get("final")), map(root.path("run")));
  }

  /** The epochs that carry ranking metrics, in order. */
  public List<Epoch> evaluated() {
    return epochs.stream().filter(e -> !e.metrics().isEmpty()).toList();
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int k = 0; k < out.length; k++) out[k] = a.get(k).asDouble();
    return out;
  }

  private static Map<String, Object> map(JsonNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    object.properties().forEach(f -> out.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
    return out;
  }
}
