package dev.directspec.tune;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {

  @Test
  void drawsStayInTheirRangesAndTheSameSeedDrawsTheSamePoints() {
    SearchSpace space = SearchSpace.of("mf", "directspec+");
    Settings base = Settings.defaults().with("train.method", "directspec+");
    List<Map<String, Object>> a = MethodTuner.points(space, base, 7, 20);
    List<Map<String, Object>> b = MethodTuner.points(space, base, 7, 20);
    List<Map<String, Object>> c = MethodTuner.points(space, base, 8, 20);
    assertEquals(a, b);
    assertNotEquals(a.subList(1, 20), c.subList(1, 20));
    assertEquals(Map.of("train.lr", 180.0, "train.alpha", 1.0, "train.tau", 3.0, "train.shrink_norm", 0.03,
        "train.rounds", 1, "train.item_norm_power", 1.0), a.get(0), "trial 1 is the starting settings");
    for (Map<String, Object> p : a.subList(1, 20)) {
      double lr = (Double) p.get("train.lr");
      assertTrue(lr >= 60 && lr <= 6000, "lr " + lr);
      double alpha = (Double) p.get("train.alpha");
      assertTrue(alpha >= 0.3 && alpha <= 1, "alpha " + alpha);
      double tau = (Double) p.get("train.tau");
      assertTrue(tau >= 1.5 && tau <= 5, "tau " + tau);
      double power = (Double) p.get("train.item_norm_power");
      assertTrue(power >= 0.5 && power <= 4, "item_norm_power " + power);
      assertTrue(List.of(1, 2).contains(p.get("train.rounds")), "rounds " + p.get("train.rounds"));
    }
  }

  @Test
  void pointsTheSettingsChecksRefuseAreDrawnAgain() {
    Settings base = Settings.defaults().with("train.method", "directspec+adaptive");
    for (Map<String, Object> p : MethodTuner.points(SearchSpace.of("mf", "directspec+adaptive"), base, 5, 40)) {
      assertTrue((Double) p.get("train.tau0") < (Double) p.get("train.tau1"), "tau0 < tau1: " + p);
    }
  }

  @Test
  void logDimensionsSpreadOverDecadesNotJustTheTopOne() {
    SearchSpace.Dimension lr = SearchSpace.of("mf", "directau").dimensions().get(0);
    SplittableRandom random = new SplittableRandom(1);
    int below10 = 0;
    for (int i = 0; i < 1000; i++) if (((Double) lr.draw(random)) < 10) below10++;
    // log-uniform on [1, 300]: P(x < 10) = log(10) / log(300) = 0.40
    assertTrue(below10 > 330 && below10 < 470, "draws below 10: " + below10);
  }

  @Test
  void anOwnStreamDimensionLeavesTheOtherDrawsAsTheyWere() {
    var lr = new SearchSpace.Dimension("train.lr", "log", List.of(1.0, 100.0), null);
    var alpha = new SearchSpace.Dimension("train.alpha", "uniform", List.of(0.3, 1.0), null);
    List<Object> weights = List.of(0.0, 0.25, 0.5, 1.0);
    var own = new SearchSpace.Dimension("train.negative_weight", "choice", weights, null, true);
    var shared = new SearchSpace.Dimension("train.negative_weight", "choice", weights, null, false);
    List<Map<String, Object>> before = draws(List.of(lr, alpha), 20);
    List<Map<String, Object>> withOwn = draws(List.of(lr, own, alpha), 20);
    List<Map<String, Object>> withShared = draws(List.of(lr, shared, alpha), 20);
    java.util.Set<Object> drawn = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      assertEquals(before.get(i).get("train.lr"), withOwn.get(i).get("train.lr"));
      assertEquals(before.get(i).get("train.alpha"), withOwn.get(i).get("train.alpha"));
      drawn.add(withOwn.get(i).get("train.negative_weight"));
    }
    assertTrue(drawn.size() > 1, "the own stream draws different values: " + drawn);
    // The control: drawn from the shared generator, the same dimension shifts every later draw.
    assertNotEquals(before.get(1).get("train.lr"), withShared.get(1).get("train.lr"));
  }

  private static List<Map<String, Object>> draws(List<SearchSpace.Dimension> dims, int count) {
    SearchSpace space = new SearchSpace("mf", "directspec+", dims, List.of());
    var random = new SearchSpace.Generators(7);
    List<Map<String, Object>> points = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) points.add(space.draw(random, Map.of()));
    return points;
  }

  @Test
  void conditionalDimensionsFollowTheChoiceDrawnBeforeThem() {
    SearchSpace space = SearchSpace.of("mf", "bpr");
    var random = new SearchSpace.Generators(3);
    for (int i = 0; i < 50; i++) {
      Map<String, Object> p = space.draw(random, Map.of());
      double lr = (Double) p.get("train.lr");
      if (p.get("train.optimizer").equals("adam")) assertTrue(lr <= 0.05, "adam lr " + lr);
      else assertTrue(lr >= 2, "sgd lr " + lr);
    }
  }

  @Test
  void aConditionalSettingOfTheStartDoesNotNarrowTheChoiceItDependsOn() {
    // The Gowalla LightGCN preset sets smoothing_passes = 3, which the checks allow with smoothed only: a point
    // drawing chain_rule or preconditioned must not inherit it, or every such point is refused and redrawn.
    SearchSpace space = SearchSpace.of("lightgcn", "directspec+");
    Settings base = Settings.defaults().with("train.model", "lightgcn").with("train.base_update", "smoothed")
        .with("train.smoothing_passes", 3);
    java.util.Set<Object> updates = new java.util.HashSet<>();
    for (Map<String, Object> p : MethodTuner.points(space, base, 2024, 30).subList(1, 30)) {
      updates.add(p.get("train.base_update"));
      if (!p.get("train.base_update").equals("smoothed")) assertEquals(2, p.get("train.smoothing_passes"), p.toString());
    }
    assertEquals(java.util.Set.of("chain_rule", "preconditioned", "smoothed"), updates);
  }

  @Test
  void aKeyTheBuildDoesNotDefineIsSkippedAndNamed() {
    SearchSpace space = SearchSpace.of("mf", "bpr");
    boolean defined = Settings.defaults().config().hasPath("train.negatives");
    assertEquals(!defined, space.skipped().contains("train.negatives"));
    assertEquals(defined, space.dimensions().stream().anyMatch(d -> d.key().equals("train.negatives")));
  }

  @Test
  void lightGcnHasItsOwnScheduleSpaceAndFallsBackToMfForOtherMethods() {
    assertTrue(SearchSpace.of("lightgcn", "directspec+").dimensions().stream()
        .anyMatch(d -> d.key().equals("train.base_update")));
    assertEquals(SearchSpace.of("mf", "als").dimensions(), SearchSpace.of("lightgcn", "als").dimensions());
    assertThrows(SettingsException.class, () -> SearchSpace.of("mf", "nosuchmethod"));
  }

  @Test
  void pointsInTheOuterTwentiethOfARangeAreOnItsEdge() {
    SearchSpace space = SearchSpace.of("mf", "directau");
    assertEquals(1, space.onEdge(Map.of("train.lr", 1.1, "train.uniformity_weight", 1.0)).size());
    assertEquals(0, space.onEdge(Map.of("train.lr", 20.0, "train.uniformity_weight", 1.0)).size());
    assertEquals(2, space.onEdge(Map.of("train.lr", 290.0, "train.uniformity_weight", 0.2)).size());
  }

  @Test
  void aStartingPointOutsideTheSpaceIsNamedSettingBySetting() {
    SearchSpace space = SearchSpace.of("mf", "directspec+");
    Map<String, Object> inside = new LinkedHashMap<>(Map.of("train.lr", 180.0, "train.rounds", 2));
    assertEquals(List.of(), space.outside(inside));
    Map<String, Object> start = new LinkedHashMap<>(Map.of("train.lr", 9000.0, "train.rounds", 4));
    List<String> outside = space.outside(start);
    assertEquals(2, outside.size(), outside.toString());
    assertTrue(outside.stream().anyMatch(s -> s.startsWith("train.rounds = 4 (choice")), outside.toString());
  }
}
