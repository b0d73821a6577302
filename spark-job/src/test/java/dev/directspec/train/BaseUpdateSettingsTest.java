package dev.directspec.train;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How LightGCN's round movement reaches the base table: train.base_update, smoothing_passes, base_step. */
class BaseUpdateSettingsTest {

  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  private static String rejected(String... overrides) {
    return assertThrows(SettingsException.class, () -> settings(overrides)).getMessage();
  }

  @Test
  void passesFollowTheBaseUpdateAndSmoothingPasses() {
    assertEquals(0, settings("base_update=preconditioned").lightGcn().movementPasses());
    assertEquals(1, settings("base_update=chain_rule").lightGcn().movementPasses());
    assertEquals(2, settings("base_update=smoothed").lightGcn().movementPasses());
    assertEquals(3, settings("base_update=smoothed", "smoothing_passes=3").lightGcn().movementPasses());
    assertEquals(1.0, settings().lightGcn().baseStep());
    assertEquals(2.5, settings("base_step=2.5").lightGcn().baseStep());
  }

  @Test
  void outOfRangeOrInapplicableValuesAreRejectedByName() {
    String chainRule = rejected("base_update=chain_rule", "smoothing_passes=3");
    assertTrue(chainRule.contains("train.smoothing_passes applies to train.base_update = smoothed only"), chainRule);
    assertTrue(rejected("base_update=smoothed", "smoothing_passes=1").contains("train.smoothing_passes"));
    assertTrue(rejected("base_update=smoothed", "smoothing_passes=7").contains("train.smoothing_passes"));
    assertTrue(rejected("base_step=0").contains("train.base_step"));
    assertTrue(rejected("base_step=17").contains("train.base_step"));
  }
}
