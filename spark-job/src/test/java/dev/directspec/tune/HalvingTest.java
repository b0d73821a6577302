package dev.directspec.tune;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalvingTest {

  @Test
  void threeRungsAThirdApartAndAThirdOfThePointsSurviveEach() {
    Halving h = Halving.plan(300, 3, true);
    assertEquals(List.of(34, 100, 300), h.rungs());
    // One starting point costs 34/300 + (66/300)/3 + (200/300)/9 = 0.261 trainings: 11 points fit in 3.
    assertEquals(List.of(11, 3, 1), h.points());
    assertTrue(h.keepsStart());
    assertTrue(h.fullTrainings() <= 3, "the schedule stays within its budget: " + h.fullTrainings());
    assertEquals(11 * 34 / 300.0 + 3 * 66 / 300.0 + 200 / 300.0, h.fullTrainings(), 1e-12);
  }

  @Test
  void onePointIsTheStartingPointItself() {
    Halving h = Halving.plan(300, 0.5, true);
    assertEquals(List.of(1, 1, 1), h.points());
    assertFalse(h.keepsStart());
    assertEquals(1.0, h.fullTrainings(), 1e-12);
  }

  @Test
  void aBudgetNextToNothingStillTrainsTheOnePointAPresetNeeds() {
    assertEquals(List.of(1, 1, 1), Halving.plan(300, 1e-9, true, 0.2).points());
  }

  @Test
  void aCostPerRunBesidesTheEpochsLeavesRoomForFewerPoints() {
    // Starting a job and evaluating cost a tenth of a training per rung run: 7 points, not 11, fit in 3.
    Halving h = Halving.plan(300, 3, true, 0.1);
    assertEquals(List.of(7, 2, 1), h.points());
    assertEquals((7 * 34 + 2 * 66 + 200) / 300.0 + 10 * 0.1, h.fullTrainings(), 1e-12);
  }

  @Test
  void retrainingSurvivorsCostsMoreSoFewerPointsStart() {
    Halving warm = Halving.plan(15, 3, true);
    Halving cold = Halving.plan(15, 3, false);
    assertEquals(List.of(2, 5, 15), cold.rungs());
    assertTrue(cold.startingPoints() < warm.startingPoints(), cold.describe() + " vs " + warm.describe());
    assertTrue(cold.fullTrainings() <= 3);
  }

  @Test
  void aBudgetOfNFullTrainingsExploresMoreThanNPoints() {
    for (double budget : new double[] {2, 5, 10}) {
      Halving h = Halving.plan(100, budget, true);
      assertTrue(h.startingPoints() >= 3 * budget, budget + ": " + h.describe());
      assertTrue(h.fullTrainings() <= budget + 1e-9, budget + ": " + h.describe());
    }
  }

  @Test
  void tinyBudgetsKeepOnePointAndShortTrainingsDropRepeatedRungs() {
    // 3 points would cost 3 x 12 + 22 + 66 epochs = 1.24 trainings: the survivor floor of one per rung.
    assertTrue(Halving.plan(100, 1, true).fullTrainings() <= 1);
    assertEquals(List.of(1, 1, 1), Halving.plan(300, 0.1, true).points());
    assertEquals(List.of(1, 2), Halving.plan(2, 1, true).rungs());
    assertEquals(List.of(1), Halving.plan(1, 1, true).rungs());
  }
}
