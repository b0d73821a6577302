package dev.directspec.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, items 1, 4, 7, 8, 9: what the commands refuse before a SparkSession exists. Every case here
 * fails within the command's preflight, so no Spark starts (a started session would show in the time and
 * in Spark's log lines); each asserts the exit code, the message and that nothing was written.
 */
class PreflightTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedErr;

  @BeforeEach
  void captureStderr() {
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(savedErr);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A dataset folder as prep leaves it, as far as the preflight reads it: _SUCCESS and the manifest. */
  static Path dataset(Path at, long trainRows, String idType) throws IOException {
    Files.createDirectories(at);
    Files.writeString(at.resolve("manifest.json"), "{\"format_version\": 1, \"id_type\": \"" + idType
        + "\", \"counts\": {\"train\": " + trainRows + ", \"users\": 10, \"items\": 12}}");
    Files.writeString(at.resolve("_SUCCESS"), "");
    return at;
  }

  static Path v1Model() throws URISyntaxException {
    return Path.of(PreflightTest.class.getResource("/models/v1/metadata.json").toURI()).getParent();
  }

  /** A copy of the v1 fixture's tables under new metadata (e.g. with a dataset fingerprint). */
  static Path modelWithMetadata(Path at, String metadata) throws Exception {
    copy(v1Model(), at);
    Files.writeString(at.resolve("metadata.json"), metadata);
    return at;
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-") || n.endsWith("._incomplete") || n.startsWith("out")).toList();
    }
  }

  @Test
  void aSettingOfTheWrongTypeExitsTwoWithOneLineNamingKeyValueAndType() throws Exception {
    int code = Main.run("train", "--data", dir.resolve("d").toString(), "--output", dir.resolve("out").toString(),
        "--set", "lr=fast");
    assertEquals(2, code, stderr());
    assertTrue(stderr().contains("train.lr expects a number or auto, got \"fast\" (--set lr=fast)"), stderr());
    assertFalse(stderr().contains("ConfigException"), stderr());
    assertEquals(1, stderr().strip().lines().count(), stderr());
  }

  /** Train command lines refused before Spark starts: the dataset's rows (0 = no dataset), extra arguments. */
  static Stream<Arguments> refusedTrainRuns() {
    return Stream.of(
        Arguments.of("a missing dataset", 0, List.of(), 3, "dataset folder not found: "),
        Arguments.of("a batch larger than the data", 80, List.of("--set", "batch_size=4096"), 2,
            "train.batch_size = 4096 is larger than the 80 training interactions"),
        Arguments.of("zero epochs without a warm start", 800, List.of("--set", "epochs=0"), 2,
            "train.epochs = 0 trains nothing; it is allowed only with train.warm_start"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTrainRuns")
  void aRefusedTrainRunExitsWithItsCodeAndMessageAndLeavesNothing(String what, long rows, List<String> extra,
      int exitCode, String message) throws Exception {
    Path data = rows == 0 ? dir.resolve("nope") : dataset(dir.resolve("d"), rows, "long");
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--output",
        dir.resolve("out").toString()));
    args.addAll(extra);
    int code = Main.run(args.toArray(String[]::new));
    assertEquals(exitCode, code, stderr());
    assertTrue(stderr().contains(rows == 0 ? message + data : message), stderr());
    assertEquals(List.of(), leftovers());
  }

  /**
   * The commands besides train (see above) that read --data, a mixin nested in theirs, each with its other
   * required options: the path given reaches the preflight.
   */
  static Stream<Arguments> commandsReadingADataset() {
    return Stream.of(
        Arguments.of(List.of("evaluate", "--model", "model")),
        Arguments.of(List.of("recommend", "--model", "model", "--output", "out")),
        Arguments.of(List.of("tune", "--methods", "bpr", "--output", "out")),
        Arguments.of(List.of("compare", "--methods", "bpr", "--output", "out")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsReadingADataset")
  void everyCommandReadingADatasetRefusesAMissingOneBeforeSpark(List<String> command) throws Exception {
    Path data = dir.resolve("nope");
    List<String> args = new ArrayList<>();
    for (String a : command) args.add(a.equals("out") || a.equals("model") ? dir.resolve(a).toString() : a);
    args.addAll(List.of("--data", data.toString()));
    assertEquals(3, Main.run(args.toArray(String[]::new)), stderr());
    assertTrue(stderr().contains("dataset folder not found: " + data), stderr());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void tauOutsideTheFiltersSafeRangeIsRefused() {
    int code = Main.run("train", "--data", "d", "--output", "o", "--set", "tau=1000");
    assertEquals(2, code, stderr());
    assertTrue(stderr().contains("train.tau must be in (0.0, 40.0]: 1000.0"), stderr());
  }

  @Test
  void resumeWithoutACheckpointExitsThreeAndCreatesNothing() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    int code = Main.run("train", "--data", data.toString(), "--output", dir.resolve("out").toString(), "--resume");
    assertEquals(3, code, stderr());
    assertTrue(stderr().contains("--resume: no complete checkpoint in "), stderr());
    assertTrue(stderr().contains("out._incomplete"), stderr());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void anOutputUnderAFileExitsTwoBeforeAnythingRuns() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    int code = Main.run("train", "--data", data.toString(), "--output", file.resolve("run").toString());
    assertEquals(2, code, stderr());
    assertTrue(stderr().contains("cannot create output folder " + file.resolve("run")), stderr());
    assertTrue(stderr().contains("is a file, not a folder"), stderr());
  }

  @Test
  void anExistingOutputIsRefusedBeforeSparkStarts() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    Files.createDirectories(dir.resolve("out"));
    int code = Main.run("train", "--data", data.toString(), "--output", dir.resolve("out").toString());
    assertEquals(2, code, stderr());
    assertTrue(stderr().contains("output folder already exists"), stderr());
  }

  @Test
  void aModelOfAnotherDatasetIsRefusedNamingBothFingerprints() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "string");
    Path model = modelWithMetadata(dir.resolve("m"), "{\"format_version\": 1, \"dim\": 4, \"dataset\": "
        + "{\"path\": \"/elsewhere/ml\", \"fingerprint\": \"0123456789abcdef01234567\", \"id_type\": \"long\"}}");
    int code = Main.run("evaluate", "--data", data.toString(), "--model", model.toString());
    assertEquals(3, code, stderr());
    assertTrue(stderr().contains("was trained on dataset /elsewhere/ml (fingerprint 0123456789abcdef01234567, "
        + "id type long), but dataset " + data + " has fingerprint "), stderr());
    assertTrue(stderr().contains("(id type string); pass --allow-other-dataset"), stderr());
    int rec = Main.run("recommend", "--data", data.toString(), "--model", model.toString(), "--output",
        dir.resolve("out").toString());
    assertEquals(3, rec, stderr());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aModelWithoutFingerprintNeedsTheExplicitFlag() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    int code = Main.run("evaluate", "--data", data.toString(), "--model", v1Model().toString());
    assertEquals(3, code, stderr());
    assertTrue(stderr().contains("has no dataset fingerprint (DirectSpecRecommender.fit)"), stderr());
  }

  @Test
  void aTruncatedModelFileExitsThree() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    Path model = dir.resolve("m");
    copy(v1Model(), model);
    Path part;
    try (Stream<Path> files = Files.list(model.resolve("item_factors"))) {
      part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(part);
    Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    int code = Main.run("evaluate", "--data", data.toString(), "--model", model.toString(), "--allow-other-dataset");
    assertEquals(3, code, stderr());
    assertTrue(stderr().contains("model file " + part.toUri().toString().replace("file:///", "file:/"))
        || stderr().contains(part.getFileName().toString()), stderr());
    assertTrue(stderr().contains("is truncated or not Parquet"), stderr());
  }

  @Test
  void corruptModelMetadataExitsThree() throws Exception {
    Path data = dataset(dir.resolve("d"), 800, "long");
    Path model = modelWithMetadata(dir.resolve("m"), "{\"format_version\": 1, \"dim\": ");
    int code = Main.run("evaluate", "--data", data.toString(), "--model", model.toString());
    assertEquals(3, code, stderr());
    assertTrue(stderr().contains("is corrupt or truncated"), stderr());
  }
}
