package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.directspec.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --breakdown} as a user runs it (prep, train, evaluate in this JVM, each with its own local
 * Spark): the buckets add up to the plain evaluation, and without the option nothing new is written. In the
 * extended tier (four Spark sessions, about 100 s on a loaded 2-core machine); the default tier checks the
 * breakdown's Spark path against brute force in BruteForceRankingTest.
 */
@Tag("slow")
class EvaluateBreakdownIT {
  @TempDir
  static Path dir;

  /** 400 users with 3 to 80 interactions (several degree buckets), items drawn with a popularity skew. */
  private static Path skewedCsv() throws IOException {
    Random random = new Random(5);
    StringBuilder csv = new StringBuilder("user,item\n");
    for (int u = 0; u < 400; u++) {
      int interactions = 3 + (int) (77 * Math.pow(random.nextDouble(), 3));
      for (int k = 0; k < interactions; k++) {
        csv.append("u").append(u).append(",i").append((int) (150 * Math.pow(random.nextDouble(), 2))).append('\n');
      }
    }
    return Files.writeString(dir.resolve("interactions.csv"), csv);
  }

  @Test
  void bucketsAddUpToThePlainMetricsAndOnlyTheOptionWritesBreakdownJson() throws Exception {
    String data = dir.resolve("data").toString();
    String run = dir.resolve("run").toString();
    assertEquals(0, Main.run("prep", "--input", skewedCsv().toString(), "--output", data,
        "--set", "directspec.prep.split=random"));
    assertEquals(0, Main.run("train", "--data", data, "--output", run, "--set", "epochs=2", "--set", "blocks=2"));

    Path plain = dir.resolve("plain");
    assertEquals(0, Main.run("evaluate", "--data", data, "--model", run, "--output", plain.toString()));
    assertTrue(Files.exists(plain.resolve("metrics.json")));
    assertFalse(Files.exists(plain.resolve("breakdown.json")), "written without --breakdown");

    Path detailed = dir.resolve("detailed");
    String printed = stdoutOf(() -> Main.run("evaluate", "--data", data, "--model", run, "--breakdown",
        "--output", detailed.toString()));
    assertTrue(printed.contains("users by training interactions:"), printed);
    assertTrue(printed.contains("breakdown written to "), printed);

    ObjectMapper json = new ObjectMapper();
    JsonNode metrics = json.readTree(detailed.resolve("metrics.json").toFile());
    JsonNode before = json.readTree(plain.resolve("metrics.json").toFile());
    for (Iterator<String> keys = before.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      assertEquals(before.get(key).asDouble(), metrics.get(key).asDouble(), 1e-12, key + ": the same ranking");
    }
    JsonNode breakdown = json.readTree(detailed.resolve("breakdown.json").toFile());
    assertEquals(20, breakdown.get("k").asInt(), "the largest of eval.ks");
    long users = 0;
    double recall = 0;
    double ndcg = 0;
    for (JsonNode bucket : breakdown.get("by_user_degree")) {
      long n = bucket.get("users").asLong();
      assertTrue(n > 0, "empty buckets are left out: " + bucket);
      users += n;
      recall += n * bucket.get("recall@20").asDouble();
      ndcg += n * bucket.get("ndcg@20").asDouble();
    }
    assertTrue(breakdown.get("by_user_degree").size() >= 3, breakdown.toString());
    assertEquals(metrics.get("users").asDouble(), users, 0.0, "every evaluated user is in one bucket");
    assertEquals(metrics.get("recall@20").asDouble(), recall / users, 1e-12);
    assertEquals(metrics.get("ndcg@20").asDouble(), ndcg / users, 1e-12);
    JsonNode popularity = breakdown.get("popularity");
    double coverage = popularity.get("coverage@20").asDouble();
    assertTrue(coverage > 0 && coverage <= 1, popularity.toString());
    assertTrue(popularity.get("item_degree").asDouble() > 0, popularity.toString());
    assertTrue(popularity.get("recommended_item_degree@20").asDouble() > 0, popularity.toString());
    assertTrue(popularity.get("test_item_degree").asDouble() > 0, popularity.toString());
  }

  /** What the command prints on stdout; it must exit with 0. */
  private static String stdoutOf(IntSupplier command) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, command.getAsInt());
    } finally {
      System.setOut(original);
    }
    String printed = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    return printed;
  }
}
