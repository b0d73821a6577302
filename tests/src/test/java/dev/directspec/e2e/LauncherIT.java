package dev.directspec.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit/directspec as a user runs it: printed command, help, and the documented exit codes. */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Run(int code, String output) {}

  private static Run launch(String... args) throws IOException, InterruptedException {
    return launch(Map.of(), args);
  }

  private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("DIRECTSPEC_JAVA_OPTS", "-Xmx1g");
    pb.environment().remove("SPARK_HOME");
    pb.environment().putAll(env);
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

  /** Under spark-submit (client mode) the code travels in a SparkUserAppException; spark-submit exits with it. */
  @Test
  void sparkSubmitClientModeExitsWithTheDocumentedCodes(@TempDir Path dir) throws Exception {
    Run old = launch("--master", "local[1]", "train", "--data", "x", "--output", "y", "--set", "train.epochs=3");
    assertEquals(2, old.code(), old.output());
    assertTrue(old.output().contains("org.apache.spark.deploy.SparkSubmit"), old.output());
    assertTrue(old.output().contains("'train.epochs' (--set) is outside the directspec namespace; write directspec.train.epochs"),
        old.output());
    Run missing = launch("--master", "local[1]", "--spark-conf", "spark.driver.host=127.0.0.1", "--spark-conf",
        "spark.ui.enabled=false", "prep", "--input", dir.resolve("nope.csv").toString(), "--output", dir.resolve("out").toString());
    assertEquals(3, missing.code(), missing.output());
    assertTrue(missing.output().contains("nope.csv"), missing.output());
    assertTrue(Files.notExists(dir.resolve("out")));
  }

  @Test
  void profilesPrintTheirSparkSubmitAndCommandLineOptionsWin() throws Exception {
    Run standalone = launch(Map.of("SPARK_MASTER_URL", "spark://10.0.0.1:7077"), "--profile", "standalone",
        "--spark-conf", "spark.executor.memory=1g", "--dry-run", "train", "--data", "d", "--output", "o");
    assertEquals(0, standalone.code(), standalone.output());
    String line = standalone.output();
    assertTrue(line.contains("--master spark://10.0.0.1:7077 --deploy-mode client"), line);
    assertTrue(line.indexOf("spark.executor.memory=4g") < line.indexOf("spark.executor.memory=1g"),
        "the command line's --spark-conf must come after (and so win over) the profile's: " + line);
    assertTrue(line.contains("-Xmx1g"), "DIRECTSPEC_JAVA_OPTS sets the driver heap: " + line);

    Run yarn = launch(Map.of(), "--profile", "yarn", "--dry-run", "train", "--data", "hdfs:///d",
        "--output", "hdfs:///o", "--config", "conf/gowalla.conf", "--config", "/in/the/image.conf");
    assertEquals(0, yarn.code(), yarn.output());
    assertTrue(yarn.output().contains("--master yarn --deploy-mode cluster"), yarn.output());
    assertTrue(yarn.output().contains("--files " + ROOT.resolve("conf/gowalla.conf")), yarn.output());
    assertTrue(yarn.output().contains("--config gowalla.conf --config /in/the/image.conf"), yarn.output());
    assertTrue(yarn.output().contains("spark.yarn.jars="), yarn.output());

    Run k8s = launch(Map.of("SPARK_HOME", "/opt/spark", "K8S_API_SERVER", "k8s.example:6443",
        "DIRECTSPEC_IMAGE", "registry.example/directspec:0.1.0"), "--profile", "kubernetes", "--dry-run", "train",
        "--data", "s3a://b/d", "--output", "s3a://b/o");
    assertEquals(0, k8s.code(), k8s.output());
    assertTrue(k8s.output().contains("directspec: running: /opt/spark/bin/spark-submit --class dev.directspec.cli.Main"
        + " --master k8s://https://k8s.example:6443 --deploy-mode cluster"), k8s.output());
    assertTrue(k8s.output().contains("spark.kubernetes.container.image=registry.example/directspec:0.1.0"), k8s.output());
    assertTrue(k8s.output().contains("local:///opt/directspec/directspec-app.jar train"), k8s.output());
    assertTrue(Files.isRegularFile(ROOT.resolve("submit/kubernetes/pod-template.yaml")));

    Run local = launch(Map.of(), "--profile", "local", "--dry-run", "demo");
    assertEquals(0, local.code(), local.output());
    assertTrue(local.output().contains("--master local\\[\\*\\]"), local.output());
  }

  @Test
  void aProfileMissingItsVariableOrUnknownExitsWithTwo() throws Exception {
    Run missing = launch(Map.of(), "--profile", "standalone", "--dry-run", "train");
    assertEquals(2, missing.code(), missing.output());
    assertTrue(missing.output().contains("standalone.conf:"), missing.output());
    assertTrue(missing.output().contains("needs the environment variable SPARK_MASTER_URL"), missing.output());
    Run unknown = launch(Map.of(), "--profile", "nope", "--dry-run", "train");
    assertEquals(2, unknown.code(), unknown.output());
    assertTrue(unknown.output().contains("unknown profile 'nope'"), unknown.output());
  }

  @Test
  void secretsAreMaskedInThePrintedCommand() throws Exception {
    Run run = launch(Map.of(), "--master", "local[1]", "--dry-run", "--spark-conf", "spark.authenticate.secret=s3cr3t-a",
        "train", "--set", "directspec.spark.conf.spark.authenticate.secret=s3cr3t-b", "--set=directspec.spark.conf.fs.s3a.access.token=s3cr3t-c");
    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("spark.authenticate.secret=\\*\\*\\*\\*\\*"), run.output());
    for (String secret : List.of("s3cr3t-a", "s3cr3t-b", "s3cr3t-c")) {
      assertTrue(!run.output().contains(secret), secret + " printed: " + run.output());
    }
  }
}
