package dev.directspec.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tune} through the launcher on a tiny synthetic dataset whose test table is garbage (so a tuning
 * that read it would fail): stopped after two trained rungs by the fault-injection hook, then rerun with
 * the same command, it keeps those two, trains only the rest, and writes a preset compare takes.
 */
@Tag("slow")
class TuneIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String LOOPBACK = "directspec.spark.conf.spark.driver.host=127.0.0.1";

  record Run(int code, String text) {
    long count(String fragment) {
      return text.lines().filter(l -> l.contains(fragment)).count();
    }

    /** Rungs trained by this run: "tune directspec+: trial N at B: validation recall@20 ...". */
    long trainedRungs() {
      return text.lines().filter(l -> l.matches("tune \\S+: trial \\d+ at \\d+: validation recall@20 .*")).count();
    }
  }

  private static Run launch(String javaOpts, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("DIRECTSPEC_JAVA_OPTS", "-Xmx1g " + javaOpts);
    pb.environment().remove("SPARK_HOME");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher timed out");
    return new Run(p.exitValue(), out);
  }

  /** A small generated dataset prepared with {@code prep --name syn}. */
  private static Path syntheticDataset(Path dir) throws IOException, InterruptedException {
    Path raw = dir.resolve("raw");
    Run gen = launch("", "generate", "--interactions", "6000", "--users", "200", "--items", "300",
        "--test-ratio", "0.2", "--output", raw.toString(), "--set", LOOPBACK);
    assertEquals(0, gen.code(), gen.text());
    Path data = dir.resolve("syn");
    Run prep = launch("", "prep", "--input", raw.resolve("train").toString(), "--test", raw.resolve("test").toString(),
        "--name", "syn", "--output", data.toString(), "--set", LOOPBACK);
    assertEquals(0, prep.code(), prep.text());
    return data;
  }

  @Test
  void tuneNeverReadsTheTestTableAndARerunContinuesWhereItStopped(@TempDir Path dir) throws Exception {
    Path data = syntheticDataset(dir);
    assertTrue(Files.readString(data.resolve("manifest.json")).contains("\"name\" : \"syn\""));
    // The test table becomes unreadable: any read of it fails the command.
    try (var files = Files.list(data.resolve("test"))) {
      for (Path f : files.toList()) Files.writeString(f, "not parquet");
    }

    Path out = dir.resolve("tuned");
    String[] tune = {"tune", "--data", data.toString(), "--methods", "directspec+", "--output", out.toString(),
        "--budget", "2", "--set", "epochs=3", "--set", "blocks=2", "--set", LOOPBACK};
    Run stopped = launch("-Ddirectspec.inject.tune_stop_after=2", tune);
    assertEquals(4, stopped.code(), stopped.text());
    assertTrue(stopped.text().contains("injected stop after 2 trained rungs"), stopped.text());
    assertEquals(2, stopped.trainedRungs(), stopped.text());
    assertFalse(Files.exists(out.resolve("directspec+.conf")), "no preset from a stopped tuning");

    Run resumed = launch("", tune);
    assertEquals(0, resumed.code(), resumed.text());
    assertEquals(1, resumed.count("validation split " + out.resolve("validation") + " kept"), resumed.text());
    // Schedule 3 x 1 epoch -> 1 x 3 epochs: the two rungs of the first run are kept, the other two trained,
    // and one more when trial 1 (the starting settings) continues to 3 epochs after a cut close behind.
    assertEquals(2, resumed.count(": kept from an earlier run"), resumed.text());
    assertEquals(2 + resumed.count("continues although halving cut it"), resumed.trainedRungs(), resumed.text());
    String preset = Files.readString(out.resolve("directspec+.conf"));
    // The preset trains as long as the best validation point it was chosen at, a 1- or a 3-epoch rung.
    java.util.regex.Matcher chosen = java.util.regex.Pattern.compile("at (\\d+) train\\.epochs \\(trial").matcher(preset);
    assertTrue(chosen.find(), preset);
    assertTrue(List.of("1", "3").contains(chosen.group(1)), preset);
    assertTrue(preset.contains("train.epochs = " + chosen.group(1)), preset);
    assertTrue(preset.contains("# validation ("), preset);
    assertTrue(Files.readString(out.resolve("report.html")).contains("<img"), "the report has its plot");
    assertTrue(Files.readString(out.resolve("tune.md")).contains("| 3 |"), "one row per trial");
  }

  @Test
  void aTimeBudgetIsPricedByTheFirstRungAndARerunPlansTheSameSchedule(@TempDir Path dir) throws Exception {
    Path data = syntheticDataset(dir);
    Path out = dir.resolve("tuned");
    String[] tune = {"tune", "--data", data.toString(), "--methods", "directspec+", "--output", out.toString(),
        "--budget", "90s", "--set", "epochs=9", "--set", "blocks=2", "--set", LOOPBACK};
    Run first = launch("", tune);
    assertEquals(0, first.code(), first.text());
    assertEquals(1, first.count("so one full training is about"), first.text());
    String schedule = Files.readString(out.resolve("tune.md")).lines().filter(l -> l.startsWith("Schedule:"))
        .findFirst().orElseThrow();
    assertTrue(Files.exists(out.resolve("directspec+.conf")));
    assertTrue(Files.readString(out.resolve("report.html")).contains("90s of wall time"), "the report names the budget");

    // The survivor continued from its saved state twice (1 -> 3 -> 9 epochs); its own settings trained
    // straight to 9 epochs on the validation split end exactly where it did.
    Path trials = out.resolve("trials/mf-directspec+");
    Path survivor;
    try (var runs = Files.list(trials)) {
      survivor = runs.filter(r -> r.getFileName().toString().matches("t\\d{3}-9")).findFirst().orElseThrow();
    }
    try (var left = Files.list(trials)) {
      assertEquals(List.of(), left.filter(r -> r.toString().endsWith(".state")).toList(), "states removed at the end");
    }
    String settings = Files.readString(survivor.resolve("settings.conf"));
    assertTrue(settings.contains("epochs=9") && settings.contains("\"warm_start\"=\"\""), "the survivor's run is "
        + "its settings at 9 epochs, not a warm start of a shorter run:\n" + settings);
    assertTrue(first.count("(continues from 3)") > 0, first.text());
    Run straight = launch("", "train", "--data", out.resolve("validation").toString(), "--config",
        survivor.resolve("settings.conf").toString(), "--output", dir.resolve("straight").toString(), "--set", LOOPBACK);
    assertEquals(0, straight.code(), straight.text());
    String tuned = Files.readString(survivor.resolve("metrics.json"));
    String trainedStraight = Files.readString(dir.resolve("straight/metrics.json"));
    for (String metric : List.of("recall@20", "ndcg@20", "effective_rank_users", "effective_rank_items")) {
      assertEquals(first(metric, tuned), first(metric, trainedStraight), metric + " of " + survivor);
    }

    // The rerun prices the plan from the recorded first rung: the same schedule, nothing trained again.
    Files.delete(out.resolve("directspec+.conf"));
    Run again = launch("", tune);
    assertEquals(0, again.code(), again.text());
    assertEquals(0, again.trainedRungs(), again.text());
    assertTrue(Files.readString(out.resolve("tune.md")).contains(schedule), schedule + "\n" + again.text());
    assertTrue(Files.exists(out.resolve("directspec+.conf")));

    Run bad = launch("", "tune", "--data", data.toString(), "--methods", "directspec+", "--output",
        dir.resolve("other").toString(), "--budget", "30 minutes", "--set", LOOPBACK);
    assertEquals(2, bad.code(), bad.text());
    assertTrue(bad.text().contains("--budget must be"), bad.text());
  }

  /** The first value of a metric in a metrics.json: the "final" object comes first. */
  private static String first(String metric, String metricsJson) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(metric)
        + "\" : ([-0-9.Ee]+)").matcher(metricsJson);
    assertTrue(m.find(), metric + " in " + metricsJson);
    return m.group(1);
  }
}
