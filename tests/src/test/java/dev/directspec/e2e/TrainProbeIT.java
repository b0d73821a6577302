package dev.directspec.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, the model and training rows (items 1, 4, 7, 8, 9), probed through submit/directspec as a
 * scheduler runs it: exit code, message and what is left on disk. The inputs are generated here: dataset A
 * (60 users x 40 items) and dataset B (30 of A's users and 30 others, same items). Cases that fail before
 * Spark starts cost about a second each; the eight that need Spark are batched into few tests.
 */
@Tag("slow")
class TrainProbeIT {
  @TempDir
  static Path dir;
  static Path dataA;
  static Path dataB;

  record Run(int code, String output) {}

  private static Run launch(String name, Map<String, String> env, String... args) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(Map.of("DIRECTSPEC_JAVA_OPTS", "-Xmx1g"));
    all.putAll(env);
    LauncherProcess p = LauncherProcess.start(dir.resolve(name + ".log"), all, List.of(args));
    int code = p.waitFor(600);
    return new Run(code, p.output());
  }

  private static Run launch(String name, String... args) throws Exception {
    return launch(name, Map.of(), args);
  }

  /** Small settings every training case shares: one block, tiny factors, no checkpoints unless asked. */
  private static String[] train(String data, String output, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data, "--output", output, "--set", "dim=8",
        "--set", "epochs=2", "--set", "blocks=1", "--set", "batch_size=32", "--set", "lr=90"));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  private static void writeCsv(Path file, int[] users, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int u : users) {
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < 40; i++) items.add(i);
      java.util.Collections.shuffle(items, r);
      for (int i : items.subList(0, 10)) sb.append(u).append(',').append(i).append('\n');
    }
    Files.writeString(file, sb);
  }

  /** Work folders of atomic outputs that a failed command may not leave behind. */
  private static List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains(".tmp-") || n.endsWith("._incomplete")).sorted().toList();
    }
  }

  @BeforeAll
  static void prepare() throws Exception {
    writeCsv(dir.resolve("a.csv"), java.util.stream.IntStream.range(0, 60).toArray(), 1);
    int[] usersB = java.util.stream.IntStream.concat(java.util.stream.IntStream.range(0, 30),
        java.util.stream.IntStream.range(100, 130)).toArray();
    writeCsv(dir.resolve("b.csv"), usersB, 2);
    dataA = dir.resolve("A");
    dataB = dir.resolve("B");
    for (Path data : List.of(dataA, dataB)) {
      String csv = data.equals(dataA) ? "a.csv" : "b.csv";
      Run prep = launch("prep-" + data.getFileName(), "prep", "--input", dir.resolve(csv).toString(),
          "--output", data.toString(), "--set", "max_rejected_share=0.5");
      assertEquals(0, prep.code(), prep.output());
    }
  }

  @Test
  void prepChecksInputsAndOutputBeforeSparkAndLeavesNothing() throws Exception {
    Run missing = launch("prep-missing", "prep", "--input", dir.resolve("nope.csv").toString(), "--output",
        dir.resolve("p1").toString());
    assertEquals(3, missing.code(), missing.output());
    assertTrue(missing.output().contains("nope.csv"), missing.output());
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Run underFile = launch("prep-under-file", "prep", "--input", dir.resolve("a.csv").toString(), "--output",
        file.resolve("p2").toString());
    assertEquals(2, underFile.code(), underFile.output());
    assertTrue(underFile.output().contains("is a file, not a folder"), underFile.output());
    Run exists = launch("prep-exists", "prep", "--input", dir.resolve("a.csv").toString(), "--output",
        dataA.toString());
    assertEquals(2, exists.code(), exists.output());
    assertTrue(exists.output().contains("output folder already exists"), exists.output());
    assertEquals(List.of(), leftovers());
    assertFalse(Files.exists(dir.resolve("p1")));
  }

  @Test
  void trainRefusesBadSettingsAndMissingInputsBeforeSpark() throws Exception {
    String out = dir.resolve("t-early").toString();
    Run fast = launch("train-lr-fast", train(dataA.toString(), out, "--set", "lr=fast"));
    assertEquals(2, fast.code(), fast.output());
    assertTrue(fast.output().contains("train.lr expects a number or auto, got \"fast\" (--set lr=fast)"), fast.output());
    assertFalse(fast.output().contains("ConfigException"), fast.output());
    assertFalse(fast.output().contains("\tat "), fast.output());

    Run missing = launch("train-missing", train(dir.resolve("no-data").toString(), out));
    assertEquals(3, missing.code(), missing.output());
    assertTrue(missing.output().contains("dataset folder not found"), missing.output());

    Run batch = launch("train-batch", train(dataA.toString(), out, "--set", "batch_size=4096"));
    assertEquals(2, batch.code(), batch.output());
    assertTrue(batch.output().matches("(?s).*train.batch_size = 4096 is larger than the \\d+ training "
        + "interactions.*"), batch.output());

    Run tau = launch("train-tau", train(dataA.toString(), out, "--set", "tau=1000"));
    assertEquals(2, tau.code(), tau.output());
    assertTrue(tau.output().contains("train.tau must be in (0.0, 40.0]: 1000.0"), tau.output());

    Run noEpochs = launch("train-epochs0", train(dataA.toString(), out, "--set", "epochs=0"));
    assertEquals(2, noEpochs.code(), noEpochs.output());
    assertTrue(noEpochs.output().contains("train.epochs = 0 trains nothing"), noEpochs.output());

    Run resume = launch("train-resume-none", train(dataA.toString(), out, "--resume"));
    assertEquals(3, resume.code(), resume.output());
    assertTrue(resume.output().contains("--resume: no complete checkpoint in"), resume.output());

    Path file = Files.writeString(dir.resolve("b-file"), "x");
    Run underFile = launch("train-under-file", train(dataA.toString(), file.resolve("run").toString()));
    assertEquals(2, underFile.code(), underFile.output());
    assertTrue(underFile.output().contains("cannot create output folder"), underFile.output());

    assertEquals(List.of(), leftovers());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void aDivergingRunStopsWithFourAndPublishesNothing() throws Exception {
    Run run = launch("train-diverge", train(dataA.toString(), dir.resolve("t-div").toString(), "--set", "lr=1e9"));
    assertEquals(4, run.code(), run.output());
    assertTrue(run.output().contains("training diverged in epoch 1: the RMS norm of the"), run.output());
    assertTrue(run.output().contains("the likely cause is train.lr = 1.0E9"), run.output());
    assertFalse(Files.exists(dir.resolve("t-div")), "a diverged run must not publish a run folder");
  }

  @Test
  void modelsAreCheckedAgainstTheirDataset() throws Exception {
    Path runA = dir.resolve("run-a");
    Run trained = launch("train-a", train(dataA.toString(), runA.toString()));
    assertEquals(0, trained.code(), trained.output());
    String model = runA.resolve("model").toString();

    Run other = launch("eval-other", "evaluate", "--data", dataB.toString(), "--model", model);
    assertEquals(3, other.code(), other.output());
    assertTrue(other.output().matches("(?s).*model " + model + " was trained on dataset \\S*" + dataA.getFileName()
        + " \\(fingerprint [0-9a-f]{24}, id type long\\), but dataset " + dataB + " has fingerprint [0-9a-f]{24} "
        + "\\(id type long\\).*"), other.output());
    Run recOther = launch("rec-other", "recommend", "--data", dataB.toString(), "--model", model, "--k", "5",
        "--output", dir.resolve("recs-refused").toString());
    assertEquals(3, recOther.code(), recOther.output());
    Run warmOther = launch("warm-other", train(dataB.toString(), dir.resolve("warm-b").toString(),
        "--set", "warm_start=" + model));
    assertEquals(3, warmOther.code(), warmOther.output());

    // With the flag: only the 30 users the model knows get recommendations (5 each), none scored 0 for the rest.
    Run recAllowed = launch("rec-allowed", "recommend", "--data", dataB.toString(), "--model", model, "--k", "5",
        "--output", dir.resolve("recs-b").toString(), "--allow-other-dataset");
    assertEquals(0, recAllowed.code(), recAllowed.output());
    assertTrue(recAllowed.output().contains("the model has no factors for 30 of the dataset's 60 users: they are "
        + "left out"), recAllowed.output());
    assertTrue(recAllowed.output().contains("150 recommendations written to"), recAllowed.output());

    Run rescore = launch("warm-epochs0", train(dataA.toString(), dir.resolve("rescored").toString(),
        "--set", "epochs=0", "--set", "warm_start=" + model));
    assertEquals(0, rescore.code(), rescore.output());
    assertTrue(rescore.output().contains("train.epochs = 0: no training; the warm-start model is re-scored"),
        rescore.output());

    Path broken = dir.resolve("broken-model");
    copyTree(runA.resolve("model"), broken);
    Path part;
    try (Stream<Path> files = Files.list(broken.resolve("user_factors"))) {
      part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.write(part, Arrays.copyOf(Files.readAllBytes(part), (int) Files.size(part) / 3));
    Run truncated = launch("eval-truncated", "evaluate", "--data", dataA.toString(), "--model", broken.toString());
    assertEquals(3, truncated.code(), truncated.output());
    assertTrue(truncated.output().contains("is truncated or not Parquet"), truncated.output());

    Path file = Files.writeString(dir.resolve("c-file"), "x");
    Run underFile = launch("rec-under-file", "recommend", "--data", dataA.toString(), "--model", model,
        "--output", file.resolve("recs").toString());
    assertEquals(2, underFile.code(), underFile.output());
    assertEquals(List.of(), leftovers());
    assertFalse(Files.exists(dir.resolve("recs-refused")));
  }

  @Test
  void resumeContinuesOnlyTheSameRun() throws Exception {
    String out = dir.resolve("run-r").toString();
    String[] base = {"--set", "epochs=4", "--set", "checkpoint_every=1"};
    // The job dies in epoch 3 as a lost driver would, after the checkpoints of epochs 1 and 2.
    Run died = launch("resume-dies", Map.of("DIRECTSPEC_JAVA_OPTS", "-Xmx1g -Ddirectspec.inject.failure=3:0:0:always"),
        train(dataA.toString(), out, base));
    assertEquals(4, died.code(), died.output());
    assertTrue(Files.isDirectory(Path.of(out + "._incomplete")), died.output());

    Run changed = launch("resume-changed", train(dataA.toString(), out, append(base, "--set", "lr=45",
        "--set", "seed=7", "--resume")));
    assertEquals(2, changed.code(), changed.output());
    assertTrue(changed.output().contains("seed: checkpoint 2024, now 7; train.lr: checkpoint 90, now 45"),
        changed.output());
    Run otherData = launch("resume-other-data", train(dataB.toString(), out, append(base, "--resume")));
    assertEquals(3, otherData.code(), otherData.output());
    assertTrue(otherData.output().contains("was written for dataset fingerprint"), otherData.output());

    Run resumed = launch("resume-same", train(dataA.toString(), out, append(base, "--resume")));
    assertEquals(0, resumed.code(), resumed.output());
    assertTrue(resumed.output().contains("resumed from the checkpoint after epoch 2"), resumed.output());
    assertEquals(List.of(), leftovers());
  }

  private static String[] append(String[] a, String... b) {
    List<String> all = new ArrayList<>(Arrays.asList(a));
    all.addAll(Arrays.asList(b));
    return all.toArray(String[]::new);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }
}
