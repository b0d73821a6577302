package dev.directspec.e2e;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit/directspec as a user runs it: printed command, help, and the documented exit codes. */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Run(int code, String output) {}

  private static Run launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("DIRECTSPEC_JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher timed out");
    return new Run(p.exitValue(), out);
  }

  @Test
  void printsTheExactCommandAndHelpForEveryCommand() throws Exception {
    for (String cmd : List.of("prep", "train", "evaluate", "recommend", "demo")) {
      Run run = launch(cmd, "--help");
      assertEquals(0, run.code(), run.output());
      assertTrue(run.output().contains("directspec: running: java"), run.output());
      assertTrue(run.output().contains("Usage: directspec " + cmd), run.output());
    }
  }

  @Test
  void aMasterGoesThroughSparkSubmit() throws Exception {
    Run run = launch("--master", "local[2]", "evaluate", "--help");
    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("org.apache.spark.deploy.SparkSubmit --class dev.directspec.cli.Main --master"),
        run.output());
    assertTrue(run.output().contains("Usage: directspec evaluate"), run.output());
  }

  @Test
  void badSettingExitsWithTwoAndNamesTheKeyAndValue() throws Exception {
    Run run = launch("train", "--data", "x", "--output", "y", "--set", "alpha=1.3");
    assertEquals(2, run.code(), run.output());
    assertTrue(run.output().contains("train.alpha must be in [0.0, 1.0]: 1.3"), run.output());
    Run unknown = launch("train", "--data", "x", "--output", "y", "--set", "alpah=0.5");
    assertEquals(2, unknown.code(), unknown.output());
    assertTrue(unknown.output().contains("unknown setting 'alpah'"), unknown.output());
  }

  @Test
  void missingInputExitsWithThree(@TempDir Path dir) throws Exception {
    Run run = launch("prep", "--input", dir.resolve("nope.csv").toString(), "--output", dir.resolve("out").toString());
    assertEquals(3, run.code(), run.output());
    assertTrue(run.output().contains("nope.csv"), run.output());
    assertTrue(Files.notExists(dir.resolve("out")));
  }
}
