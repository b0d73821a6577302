package dev.directspec.tune;

import dev.directspec.config.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuneBudgetTest {

  @Test
  void aNumberIsFullTrainingsPerMethodAndADurationIsWallTimeForTheWholeTuning() {
    TuneBudget n = TuneBudget.parse("3");
    assertFalse(n.isTime());
    assertEquals(3.0, n.trainings());
    assertEquals("3.0", n.text()); // the form older tunings recorded in tune.json, so they still continue
    assertEquals(1800, TuneBudget.parse("30m").seconds());
    assertEquals(1800, TuneBudget.parse("30min").seconds());
    assertEquals(5400, TuneBudget.parse("1.5h").seconds());
    assertEquals(900, TuneBudget.parse(" 900s ").seconds());
    assertTrue(TuneBudget.parse("2h").isTime());
  }

  @Test
  void anythingElseIsRefusedWithWhatIsAccepted() {
    for (String bad : new String[] {"0", "-1", "30x", "m", "", "NaN", "Infinity", "0m", "3 trainings"}) {
      SettingsException e = assertThrows(SettingsException.class, () -> TuneBudget.parse(bad), bad);
      assertTrue(e.getMessage().contains("30m") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void eachMethodGetsWhatTheMethodsBeforeItLeftDividedByThoseStillToTune() {
    assertEquals(600, TuneJob.timeShare(1800, List.of(), 3), 1e-9);
    MethodTuner.Outcome fast = outcome(100, 50); // ALS left 1,650 s of 1,800 for the two others
    assertEquals(825, TuneJob.timeShare(1800, List.of(fast), 3), 1e-9);
    MethodTuner.Outcome slow = outcome(1500, 400); // over its share: the last method gets what is left, not less than 0
    assertEquals(0, TuneJob.timeShare(1800, List.of(fast, slow), 3), 1e-9);
  }

  private static MethodTuner.Outcome outcome(double... seconds) {
    List<TrialStore.Result> results = new ArrayList<>();
    for (double s : seconds) results.add(new TrialStore.Result(10, 0.1, 0.1, s, "/r", null));
    TrialStore.Trial t = new TrialStore.Trial(1, Map.of(), results);
    return new MethodTuner.Outcome("mf", "als", null, Halving.plan(15, 1, false), null, List.of(t), t, t.last());
  }
}
