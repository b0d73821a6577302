package dev.directspec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a command prints before it starts working (issue 22, "quiet by default"): the command line, the
 * settings that differ from the reference and where the full set is saved; every setting only with
 * --verbose; an error as the last line. Runs submit/directspec as a user does, stdout and stderr merged,
 * so Spark's own log lines count too.
 */
class QuietOutputIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String LOOPBACK = "directspec.spark.conf.spark.driver.host=127.0.0.1";

  record Run(int code, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }
  }

  private static Run launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("DIRECTSPEC_JAVA_OPTS", "-Xmx1g");
    pb.environment().remove("SPARK_HOME");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher timed out");
    return new Run(p.exitValue(), out.lines().toList());
  }

  /** 300 users x 120 items, 12 interactions each: big enough for a 2-epoch run, small enough for seconds. */
  private static Path tinyCsv(Path dir) throws IOException {
    Random random = new Random(22);
    StringBuilder csv = new StringBuilder("user,item\n");
    for (int u = 0; u < 300; u++) {
      for (int k = 0; k < 12; k++) {
        csv.append("u").append(u).append(",i").append(random.nextInt(120)).append('\n');
      }
    }
    Path file = dir.resolve("interactions.csv");
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void aTrainRunPrintsUnderFortyLinesBeforeItsFirstEpoch(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("dataset");
    Run prep = launch("prep", "--input", tinyCsv(dir).toString(), "--output", data.toString(), "--set", LOOPBACK);
    assertEquals(0, prep.code(), prep.text());

    Path runDir = dir.resolve("run");
    Run train = launch("train", "--data", data.toString(), "--output", runDir.toString(),
        "--set", "epochs=2", "--set", "blocks=2", "--set", LOOPBACK);
    assertEquals(0, train.code(), train.text());

    int firstEpoch = firstIndexStartingWith(train.lines(), "epoch ");
    assertTrue(firstEpoch >= 0, "no epoch line:\n" + train.text());
    assertTrue(firstEpoch < 40, firstEpoch + " lines before the first epoch line:\n" + train.text());

    List<String> before = train.lines().subList(0, firstEpoch);
    assertTrue(before.contains("directspec train --data " + data + " --output " + runDir
        + " --set epochs=2 --set blocks=2 --set " + LOOPBACK), train.text());
    assertTrue(before.contains("  directspec.train.epochs = 2"), train.text());
    assertTrue(before.contains("  directspec.train.blocks = 2"), train.text());
    assertTrue(before.contains("full settings: " + runDir + "/settings.conf (written with the output; "
        + "--verbose prints them)"), train.text());
    // The reference's own comments (the bulk of the old dump) are gone from the quiet output.
    assertTrue(before.stream().noneMatch(l -> l.trim().startsWith("# ")), train.text());
    // The file the output names holds every setting, with the changed values.
    String saved = Files.readString(runDir.resolve("settings.conf"));
    assertTrue(saved.contains("epochs=2") && saved.contains("eval {"), saved);
  }

  @Test
  void verbosePrintsEverySettingAndAnErrorIsTheLastLine() throws Exception {
    Run run = launch("train", "--data", "x", "--output", "y", "--set", "lr_decay=1.5", "--verbose");
    assertEquals(2, run.code(), run.text());
    String last = run.lines().get(run.lines().size() - 1);
    assertTrue(last.startsWith("directspec train: bad configuration: train.lr_decay must be in"), run.text());
    assertTrue(last.endsWith(": 1.5"), run.text());
    assertTrue(run.text().contains("== resolved settings =="), run.text());
    assertTrue(run.lines().size() > 100, run.lines().size() + " lines with --verbose:\n" + run.text());

    Run quiet = launch("train", "--data", "x", "--output", "y", "--set", "lr_decay=1.5");
    assertEquals(2, quiet.code(), quiet.text());
    assertTrue(quiet.lines().size() < 10, quiet.text());
    assertEquals(last, quiet.lines().get(quiet.lines().size() - 1));
    assertTrue(quiet.lines().contains("  directspec.train.lr_decay = 1.5"), quiet.text());
  }

  private static int firstIndexStartingWith(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) return i;
    }
    return -1;
  }
}
