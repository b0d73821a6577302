package dev.directspec.tune;

import dev.directspec.config.Settings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetsAndStoreTest {

  private static MethodTuner.Outcome outcome(Settings base, Map<String, Object> bestPoint) {
    SearchSpace space = SearchSpace.of("mf", "directau");
    Halving schedule = Halving.plan(90, 2, true);
    List<TrialStore.Trial> trials = new ArrayList<>();
    trials.add(new TrialStore.Trial(1, space.start(base.config()), new ArrayList<>(List.of(
        new TrialStore.Result(10, 0.10, 0.05, 3, "/runs/t001-10", null)))));
    TrialStore.Trial best = new TrialStore.Trial(2, bestPoint, new ArrayList<>(List.of(
        new TrialStore.Result(10, 0.12, 0.06, 3, "/runs/t002-10", null),
        new TrialStore.Result(90, 0.2345, 0.1234, 9, "/runs/t002-90", null))));
    trials.add(best);
    return new MethodTuner.Outcome("mf", "directau", space, schedule, base, trials, MethodTuner.best(trials),
        MethodTuner.best(trials).best());
  }

  @Test
  void aPresetIsASettingsFileTrainReadsWithTheBestPointAndTheFullBudget(@TempDir java.nio.file.Path dir)
      throws IOException {
    Settings base = Settings.load(List.of(), List.of("directspec.train.method=directau", "directspec.train.dim=32",
        "directspec.train.eval_every=0", "directspec.train.epochs=90"));
    Map<String, Object> point = new LinkedHashMap<>(Map.of("train.lr", 1.05, "train.uniformity_weight", 2.0));
    String text = Presets.text(outcome(base, point), "tune --data d --methods directau", "2026-12-02", "val");
    assertTrue(text.contains("recall@20 0.2345, ndcg@20 0.1234 at 90 train.epochs (trial 2 of 2)"), text);
    assertTrue(text.contains("# command: directspec tune --data d --methods directau"), text);
    assertTrue(text.contains("WARNING: the best point is on the edge"), "lr 1.05 is at the bottom of [1, 300]");
    File file = dir.resolve(Presets.fileName("mf", "directau")).toFile();
    Files.writeString(file.toPath(), text);
    Settings read = Settings.load(List.of(file), List.of());
    assertEquals("directau", read.config().getString("train.method"));
    assertEquals(1.05, read.config().getDouble("train.lr"));
    assertEquals(2.0, read.config().getDouble("train.uniformity_weight"));
    assertEquals(90, read.config().getInt("train.epochs"));
    assertEquals(32, read.config().getInt("train.dim"), "what tune was given carries over");
    assertFalse(text.contains("eval_every"), "tune's own evaluation schedule is not the preset's");
  }

  @Test
  void noEdgeWarningInsideTheRange() {
    Settings base = Settings.defaults().with("train.method", "directau");
    String text = Presets.text(outcome(base, Map.of("train.lr", 20.0, "train.uniformity_weight", 1.0)), "tune",
        "2026-12-02", "val");
    assertFalse(text.contains("WARNING"), text);
    assertFalse(text.contains("NOTE"), text);
    assertEquals("lightgcn-bpr.conf", Presets.fileName("lightgcn", "bpr"));
    String beyond = Presets.text(outcome(base, Map.of("train.lr", 500.0, "train.uniformity_weight", 1.0)), "tune",
        "2026-12-02", "val");
    assertTrue(beyond.contains("NOTE: the starting settings lie outside the searched space and were kept as given:"
        + " train.lr = 500.0 (log"), beyond);
  }

  @Test
  void trialStateSurvivesARoundTripAndAKillBetweenRemoveAndRename(@TempDir java.nio.file.Path dir)
      throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    TrialStore store = new TrialStore(fs, new Path(dir.toString()));
    assertNull(store.load(1));
    TrialStore.Trial t = new TrialStore.Trial(1, new LinkedHashMap<>(Map.of("train.lr", 33.3, "train.rounds", 2,
        "train.optimizer", "adam")), new ArrayList<>());
    t.results().add(new TrialStore.Result(10, 0.1, 0.05, 1.5, "/r/t001-10", null));
    t.results().add(new TrialStore.Result(30, Double.NaN, Double.NaN, 0.5, "/r/t001-30", "diverged"));
    store.save(t);
    TrialStore.Trial back = store.load(1);
    assertEquals(t.point(), back.point());
    assertEquals(0.1, back.at(10).recall());
    assertTrue(back.at(30).failed());
    // A kill while the next state was being written leaves a partial temporary beside it, which is ignored.
    Files.writeString(dir.resolve(".t001.json.tmp-0badf00d"), "{\"id\": 1, \"poi");
    assertEquals(t.point(), store.load(1).point());
    t.results().add(new TrialStore.Result(90, 0.2, 0.1, 3.0, "/r/t001-90", null));
    store.save(t);
    assertEquals(0.2, store.load(1).at(90).recall(), "a save replaces the state");
  }

  @Test
  void failedRungsRankLastAndTiesGoToNdcgThenTheEarlierTrial() {
    List<TrialStore.Trial> trials = List.of(
        trial(1, 0.2, 0.1), trial(2, Double.NaN, Double.NaN), trial(3, 0.2, 0.11), trial(4, 0.2, 0.1));
    assertEquals(List.of(3, 1, 4, 2), MethodTuner.ranked(trials, 10).stream().map(TrialStore.Trial::id).toList());
  }

  private static TrialStore.Trial trial(int id, double recall, double ndcg) {
    return new TrialStore.Trial(id, Map.of(), List.of(new TrialStore.Result(10, recall, ndcg, 1, "r",
        Double.isNaN(recall) ? "diverged" : null)));
  }

  @Test
  void theChosenPointIsTheBestValidationFigureOfAnyRungNotTheLastSurvivor() {
    Settings base = Settings.load(List.of(), List.of("directspec.train.method=bpr", "directspec.train.epochs=60"));
    // As on ML-100K: trial 5 was best at 20 epochs and cut; trial 2 survived to 60 and fell below it.
    List<TrialStore.Trial> trials = new ArrayList<>(List.of(
        new TrialStore.Trial(2, Map.of("train.lr", 0.01), new ArrayList<>(List.of(
            new TrialStore.Result(7, 0.20, 0.10, 1, "/runs/t002-7", null),
            new TrialStore.Result(20, 0.27, 0.13, 2, "/runs/t002-20", null),
            new TrialStore.Result(60, 0.25, 0.12, 4, "/runs/t002-60", null)))),
        new TrialStore.Trial(5, Map.of("train.lr", 0.003), new ArrayList<>(List.of(
            new TrialStore.Result(7, 0.19, 0.09, 1, "/runs/t005-7", null),
            new TrialStore.Result(20, 0.2825, 0.14, 2, "/runs/t005-20", null)))),
        new TrialStore.Trial(6, Map.of("train.lr", 1.0), new ArrayList<>(List.of(
            new TrialStore.Result(7, Double.NaN, Double.NaN, 1, "/runs/t006-7", "diverged"))))));
    TrialStore.Trial best = MethodTuner.best(trials);
    assertEquals(5, best.id());
    assertEquals(20, best.best().budget());
    SearchSpace space = SearchSpace.of("mf", "bpr");
    MethodTuner.Outcome o = new MethodTuner.Outcome("mf", "bpr", space, Halving.plan(60, 2, true), base, trials,
        best, best.best());
    Map<String, Object> values = Presets.values(o);
    assertEquals(20, values.get("train.epochs"), "the preset trains as long as the chosen rung: " + values);
    assertEquals(0.003, values.get("train.lr"));
    assertTrue(Presets.text(o, "tune", "2026-12-02", "val").contains("recall@20 0.2825, ndcg@20 0.1400 at 20"
        + " train.epochs (trial 5 of 3)"));
  }

  @Test
  void aTrialWhoseEveryRungFailedIsNeverChosenOverOneThatTrained() {
    List<TrialStore.Trial> trials = List.of(
        new TrialStore.Trial(1, Map.of(), List.of(new TrialStore.Result(7, Double.NaN, Double.NaN, 1, "/r1", "NaN loss"))),
        new TrialStore.Trial(2, Map.of(), List.of(new TrialStore.Result(7, 0.01, 0.005, 1, "/r2", null))));
    assertEquals(2, MethodTuner.best(trials).id());
  }

  @Test
  void theFullBudgetsSurvivorIsKeptWhenAnEarlierRungIsBetterOnlyByNoise() {
    TrialStore.Result full = new TrialStore.Result(300, 0.21889, 0.1521, 9, "/t003-300", null);
    // CiteULike directspec+: 0.21900 at 100 epochs, 0.21889 at 300.
    assertTrue(MethodTuner.withinTolerance(full, new TrialStore.Result(100, 0.21900, 0.1522, 3, "/t003-100", null)));
    // ML-100K bpr: 0.2825 at 20 epochs against 0.2501 at 60.
    assertFalse(MethodTuner.withinTolerance(new TrialStore.Result(60, 0.2501, 0.2378, 4, "/t007-60", null),
        new TrialStore.Result(20, 0.2825, 0.2725, 2, "/t005-20", null)));
    assertFalse(MethodTuner.withinTolerance(new TrialStore.Result(300, Double.NaN, Double.NaN, 1, "/x", "diverged"),
        new TrialStore.Result(100, 0.1, 0.1, 1, "/y", null)));
  }

  @Test
  void theStartingPointContinuesPastACutOnlyWhenCloseBehindTheSurvivors() {
    List<TrialStore.Trial> alive = List.of(trial(1, 0.2156), trial(2, 0.2257), trial(3, 0.2200), trial(4, 0.1500));
    // CiteULike at 100 epochs: the authors' settings 4.5% behind the one survivor continue with it.
    assertEquals(List.of(2, 1), ids(MethodTuner.survivors(alive, 100, 1, alive.get(0))));
    // Without a starting point to keep (the last rung, or one point), halving alone decides.
    assertEquals(List.of(2), ids(MethodTuner.survivors(alive, 100, 1, null)));
    assertEquals(List.of(2, 3, 1), ids(MethodTuner.survivors(alive, 100, 3, alive.get(0))));
    // Far behind (defaults that do not suit the data): cut as any other point.
    List<TrialStore.Trial> far = List.of(trial(1, 0.1500), trial(2, 0.2257));
    assertEquals(List.of(2), ids(MethodTuner.survivors(far, 100, 1, far.get(0))));
    List<TrialStore.Trial> failed = List.of(new TrialStore.Trial(1, Map.of(), List.of(
        new TrialStore.Result(100, Double.NaN, Double.NaN, 1, "/t001-100", "diverged"))), trial(2, 0.2257));
    assertEquals(List.of(2), ids(MethodTuner.survivors(failed, 100, 1, failed.get(0))));
  }

  @Test
  void theStartingSettingsStandWhenNoPointBeatsThemByMoreThanValidationResolves() {
    TrialStore.Trial authors = new TrialStore.Trial(1, Map.of("train.lr", 180.0), List.of(
        result(34, 0.1626), result(100, 0.2156), result(300, 0.2261)));
    TrialStore.Trial drawn = new TrialStore.Trial(4, Map.of("train.lr", 88.9), List.of(
        result(34, 0.1700), result(100, 0.2257), result(300, 0.2266)));
    MethodTuner.Choice tie = MethodTuner.choose(List.of(authors, drawn), drawn, 300);
    assertEquals(1, tie.trial().id());
    assertEquals(300, tie.result().budget());
    // A clear win (2% here) replaces them.
    TrialStore.Trial better = new TrialStore.Trial(5, Map.of("train.lr", 60.0), List.of(
        result(34, 0.1700), result(100, 0.2257), result(300, 0.2310)));
    MethodTuner.Choice win = MethodTuner.choose(List.of(authors, drawn, better), better, 300);
    assertEquals(5, win.trial().id());
    // Cut before the full budget, the starting settings cannot stand on a figure they never reached.
    TrialStore.Trial cut = new TrialStore.Trial(1, Map.of("train.lr", 180.0), List.of(result(34, 0.1626)));
    assertEquals(4, MethodTuner.choose(List.of(cut, drawn), drawn, 300).trial().id());
  }

  private static TrialStore.Result result(int budget, double recall) {
    return new TrialStore.Result(budget, recall, recall * 0.7, 1, "/r" + budget, null);
  }

  private static TrialStore.Trial trial(int id, double recall) {
    return new TrialStore.Trial(id, Map.of("train.lr", id * 10.0),
        List.of(new TrialStore.Result(100, recall, recall * 0.8, 1, String.format("/t%03d-100", id), null)));
  }

  private static List<Integer> ids(List<TrialStore.Trial> trials) {
    return trials.stream().map(TrialStore.Trial::id).toList();
  }
}
