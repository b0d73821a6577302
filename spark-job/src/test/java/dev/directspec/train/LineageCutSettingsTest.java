package dev.directspec.train;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.lineage_cut_every: epochs between lineage cuts (and the deletion of earlier shuffle files). */
class LineageCutSettingsTest {

  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  @Test
  void defaultsToTenAndTakesAnyPositiveCount() {
    assertEquals(10, settings().schedule().lineageCutEvery());
    assertEquals(1, settings("lineage_cut_every=1").schedule().lineageCutEvery());
  }

  @Test
  void zeroOrLessIsRejectedByName() {
    for (String value : List.of("0", "-3")) {
      String message = assertThrows(SettingsException.class,
          () -> settings("lineage_cut_every=" + value)).getMessage();
      assertTrue(message.contains("train.lineage_cut_every must be > 0") && message.contains(value), message);
    }
  }
}
