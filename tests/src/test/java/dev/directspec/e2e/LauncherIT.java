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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  void profilesArePropertiesFilesForSparkSubmitAndCommandLineOptionsWin() throws Exception {
    Run standalone = launch(Map.of(), "--profile", "standalone", "--master", "spark://10.0.0.1:7077",
        "--spark-conf", "spark.executor.memory=1g", "--dry-run", "train", "--data", "d", "--output", "o");
    assertEquals(0, standalone.code(), standalone.output());
    String line = standalone.output();
    assertTrue(line.contains("--master spark://10.0.0.1:7077 --deploy-mode client --properties-file "
        + ROOT.resolve("submit/profiles/standalone.conf") + " --load-spark-defaults"), line);
    // spark-submit's --conf wins over a properties file; the launcher passes the command line's as --conf.
    assertTrue(line.contains("--conf spark.executor.memory=1g"), line);
    assertTrue(line.contains("-Xmx1g"), "DIRECTSPEC_JAVA_OPTS sets the driver heap: " + line);
    assertTrue(line.contains("app.jar train --set blocks=16 --data d"), "the profile pins the blocks: " + line);

    Run yarn = launch(Map.of(), "--profile", "yarn", "--dry-run", "train", "--data", "hdfs:///d",
        "--output", "hdfs:///o", "--config", "conf/gowalla.conf", "--config", "/in/the/image.conf");
    assertEquals(0, yarn.code(), yarn.output());
    assertTrue(yarn.output().contains("--master yarn --deploy-mode cluster"), yarn.output());
    assertTrue(yarn.output().contains("--files " + ROOT.resolve("conf/gowalla.conf")), yarn.output());
    assertTrue(yarn.output().contains("--config gowalla.conf --config /in/the/image.conf"), yarn.output());
    assertTrue(yarn.output().contains("spark.yarn.jars="), yarn.output());

    Run k8s = launch(Map.of("SPARK_HOME", "/opt/spark"), "--profile", "kubernetes",
        "--master", "k8s://https://k8s.example:6443",
        "--spark-conf", "spark.kubernetes.container.image=registry.example/directspec:0.1.0", "--dry-run", "train",
        "--data", "s3a://b/d", "--output", "s3a://b/o", "--set", "blocks=32");
    assertEquals(0, k8s.code(), k8s.output());
    assertTrue(k8s.output().contains("directspec: running: /opt/spark/bin/spark-submit --class dev.directspec.cli.Main"
        + " --master k8s://https://k8s.example:6443 --deploy-mode cluster"), k8s.output());
    assertTrue(k8s.output().contains("spark.kubernetes.container.image=registry.example/directspec:0.1.0"),
        k8s.output());
    assertTrue(k8s.output().contains("spark.kubernetes.driver.podTemplateFile="
        + ROOT.resolve("submit/kubernetes/pod-template.yaml")), k8s.output());
    assertTrue(k8s.output().contains("local:///opt/directspec/directspec-app.jar train --data"), k8s.output());
    assertTrue(!k8s.output().contains("blocks=16"), "the command line's --set blocks wins: " + k8s.output());

    Run local = launch(Map.of(), "--profile", "local", "--dry-run", "demo");
    assertEquals(0, local.code(), local.output());
    assertTrue(local.output().contains("--master local\\[\\*\\]"), local.output());
  }

  @Test
  void yourOwnPropertiesFileGoesOnTopOfTheProfile(@TempDir Path dir) throws Exception {
    Path mine = dir.resolve("mine.properties");
    Files.writeString(mine, "spark.master yarn\nspark.authenticate.secret s3cr3t\nspark.directspec.train.blocks 12\n");
    Run run = launch(Map.of(), "--profile", "standalone", "--properties-file", mine.toString(), "--dry-run",
        "evaluate", "--data", "d", "--model", "m");
    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("--master yarn"), "your file's master wins over the profile's: " + run.output());
    assertTrue(run.output().contains("--load-spark-defaults --extra-properties-file " + mine), run.output());
    assertTrue(run.output().contains("evaluate --set blocks=12"), run.output());
    assertTrue(!run.output().contains("s3cr3t"), run.output());

    Run alone = launch(Map.of(), "--properties-file", mine.toString(), "--dry-run", "prep", "--input", "x");
    assertEquals(0, alone.code(), alone.output());
    assertTrue(alone.output().contains("--master yarn --properties-file " + mine + " --conf"), alone.output());
    assertTrue(!alone.output().contains("blocks="), "prep takes no block count: " + alone.output());
  }

  @Test
  void aBadOrIncompleteProfileExitsWithTwoAndSaysWhy(@TempDir Path dir) throws Exception {
    Run noMaster = launch(Map.of(), "--profile", "standalone", "--dry-run", "train");
    assertEquals(2, noMaster.code(), noMaster.output());
    assertTrue(noMaster.output().contains("profile standalone sets no spark.master"), noMaster.output());
    Run unknown = launch(Map.of(), "--profile", "nope", "--dry-run", "train");
    assertEquals(2, unknown.code(), unknown.output());
    assertTrue(unknown.output().contains("unknown profile 'nope'"), unknown.output());

    Path old = dir.resolve("old.conf");
    Files.writeString(old, "--master yarn\n--conf spark.executor.memory=4g\n");
    Run oldFormat = launch(Map.of(), "--profile", old.toString(), "--dry-run", "train");
    assertEquals(2, oldFormat.code(), oldFormat.output());
    assertTrue(oldFormat.output().contains(old + ": '--conf spark.executor.memory=4g' is the old profile format"),
        oldFormat.output());

    Path variable = dir.resolve("variable.conf");
    Files.writeString(variable, "spark.master yarn\nspark.yarn.queue ${QUEUE:-default}\n");
    Run unexpanded = launch(Map.of(), "--profile", variable.toString(), "--dry-run", "train");
    assertEquals(2, unexpanded.code(), unexpanded.output());
    assertTrue(unexpanded.output().contains("spark.yarn.queue = ${QUEUE:-default}: Spark does not expand"),
        unexpanded.output());

    Path notSpark = dir.resolve("not-spark.conf");
    Files.writeString(notSpark, "spark.master yarn\nexecutor.memory 4g\n");
    Run ignored = launch(Map.of(), "--profile", notSpark.toString(), "--dry-run", "train");
    assertEquals(2, ignored.code(), ignored.output());
    assertTrue(ignored.output().contains("executor.memory is not a Spark property"), ignored.output());

    Path badBlocks = dir.resolve("bad-blocks.conf");
    Files.writeString(badBlocks, "spark.master yarn\nspark.directspec.train.blocks 0\n");
    Run zero = launch(Map.of(), "--profile", badBlocks.toString(), "--dry-run", "train");
    assertEquals(2, zero.code(), zero.output());
    assertTrue(zero.output().contains("spark.directspec.train.blocks must be a positive integer: 0"), zero.output());

    Run upload = launch(Map.of("SPARK_HOME", "/opt/spark"), "--profile", "kubernetes", "--master",
        "k8s://https://k8s.example:6443", "--dry-run", "train", "--config", "conf/gowalla.conf");
    assertEquals(2, upload.code(), upload.output());
    assertTrue(upload.output().contains("set spark.kubernetes.file.upload.path"), upload.output());
  }

  @Test
  void launcherHelpListsItsOptionsAndEveryCommandOfTheJavaCli() throws Exception {
    for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.<String>of())) {
      Run help = launch(args.toArray(String[]::new));
      assertEquals(args.isEmpty() ? 2 : 0, help.code(), help.output());
      for (String option : List.of("--profile NAME|FILE", "--master URL", "--deploy-mode MODE", "--driver-memory SIZE",
          "--files LIST", "--spark-conf K=V", "--properties-file FILE", "--dry-run", "-h, --help")) {
        assertTrue(help.output().contains(option), option + " missing from: " + help.output());
      }
    }
    // The Java CLI's own list of commands (picocli's usage) is the reference the launcher's text must cover.
    Process cli = new ProcessBuilder("java", "-cp", ROOT.resolve("submit/target/directspec-bundled.jar").toString(),
        "dev.directspec.cli.Main").redirectErrorStream(true).start();
    String usage = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(cli.waitFor(2, TimeUnit.MINUTES), usage);
    String commands = usage.substring(usage.indexOf("Commands:"));
    Matcher m = Pattern.compile("(?m)^  ([a-z]+) ").matcher(commands);
    Run help = launch("--help");
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(help.output().contains("\n  " + m.group(1) + " "), "launcher help lacks command " + m.group(1));
    }
    assertTrue(found >= 9, "expected the Java CLI to list its commands: " + usage);
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
