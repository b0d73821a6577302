package dev.directspec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quality gate and the atomic latest marker of {@code directspec publish}, on the local filesystem. */
class PublishCommandTest {
  @TempDir
  Path dir;

  /** A day's outputs as evaluate --output, train and recommend leave them: committed folders. */
  private Path day(String name, double recall) throws IOException {
    Path run = Files.createDirectories(dir.resolve(name));
    for (String folder : List.of("evaluation", "train", "recommendations")) {
      Files.createDirectories(run.resolve(folder));
      Files.writeString(run.resolve(folder).resolve("_SUCCESS"), "");
    }
    Files.writeString(run.resolve("evaluation/metrics.json"),
        "{\n  \"recall@20\" : " + recall + ",\n  \"ndcg@20\" : 0.1\n}\n");
    return run;
  }

  private int publish(Path run, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("publish", "--metrics", run.resolve("evaluation").toString(),
        "--latest", dir.resolve("latest.json").toString(), "--model", run.resolve("train").toString(),
        "--recommendations", run.resolve("recommendations").toString()));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  private JsonNode latest() throws IOException {
    return new ObjectMapper().readTree(dir.resolve("latest.json").toFile());
  }

  @Test
  void theFirstModelIsPublishedAndTheMarkerNamesItsOutputsAndMetrics() throws Exception {
    Path run = day("2026-12-01", 0.17);
    assertEquals(0, publish(run));
    JsonNode marker = latest();
    assertEquals("file:" + run.resolve("train"), marker.get("model").asText());
    assertTrue(marker.get("recommendations").asText().endsWith("2026-12-01/recommendations"), marker.toString());
    assertEquals(0.17, marker.get("metrics").get("recall@20").asDouble());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.filter(p -> p.getFileName().toString().contains(".tmp-")).count(),
          "the temporary marker is renamed, not left behind");
    }
  }

  @Test
  void aFallWithinTheAllowedShareIsPublishedABiggerOneStopsWithThreeAndKeepsTheMarker() throws Exception {
    assertEquals(0, publish(day("d1", 0.20)));
    // 0.191 is 4.5% below 0.20: within the default 5%.
    assertEquals(0, publish(day("d2", 0.191)));
    assertTrue(latest().get("model").asText().contains("/d2/train"), latest().toString());
    // 0.18 is 5.8% below the now published 0.191.
    String before = Files.readString(dir.resolve("latest.json"));
    assertEquals(Main.EXIT_INPUT, publish(day("d3", 0.18)));
    assertEquals(before, Files.readString(dir.resolve("latest.json")), "a failed gate leaves the marker alone");
    // With a looser gate the same model passes.
    assertEquals(0, publish(dir.resolve("d3"), "--max-drop", "0.10"));
    assertTrue(latest().get("model").asText().contains("/d3/train"), latest().toString());
    // An improvement always passes.
    assertEquals(0, publish(day("d4", 0.25), "--max-drop", "0"));
  }

  @Test
  void gateOnlyChecksWithoutWriting() throws Exception {
    assertEquals(0, publish(day("d1", 0.20)));
    String before = Files.readString(dir.resolve("latest.json"));
    Path worse = day("d2", 0.10);
    int passed = Main.run("publish", "--gate-only", "--metrics", worse.resolve("evaluation/metrics.json").toString(),
        "--latest", dir.resolve("latest.json").toString(), "--max-drop", "0.6");
    assertEquals(0, passed);
    int failed = Main.run("publish", "--gate-only", "--metrics", worse.resolve("evaluation").toString(),
        "--latest", dir.resolve("latest.json").toString());
    assertEquals(Main.EXIT_INPUT, failed);
    assertEquals(before, Files.readString(dir.resolve("latest.json")));
  }

  @Test
  void incompleteOutputsMissingMetricsAndBadOptionsAreRefused() throws Exception {
    Path run = day("d1", 0.2);
    Files.delete(run.resolve("recommendations/_SUCCESS"));
    assertEquals(Main.EXIT_INPUT, publish(run));
    assertFalse(Files.exists(dir.resolve("latest.json")), "nothing published from an incomplete output");

    Path noRecall = day("d2", 0.2);
    Files.writeString(noRecall.resolve("evaluation/metrics.json"), "{\"ndcg@20\": 0.1}");
    assertEquals(Main.EXIT_INPUT, publish(noRecall));
    Files.writeString(noRecall.resolve("evaluation/metrics.json"), "{not json");
    assertEquals(Main.EXIT_INPUT, publish(noRecall));

    assertEquals(Main.EXIT_CONFIG, publish(day("d3", 0.2), "--max-drop", "1.5"));
    assertEquals(Main.EXIT_CONFIG, Main.run("publish", "--metrics", run.resolve("evaluation").toString(),
        "--latest", dir.resolve("latest.json").toString()));
    assertFalse(Files.exists(dir.resolve("latest.json")));
  }
}
