package dev.directspec.train;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.item_norm_power: rows keep their direction and their norm n becomes n^p. */
class ItemNormsTest {

  @Test
  void everyRowKeepsItsDirectionAndItsNormIsRaisedToThePower() {
    float[] rows = {3, 4, 0, 0, 0.6f, 0.8f, 0, 0, 0, 0, 0, 2};
    ItemNorms.raiseNorms(rows, 4, 3, 0.5);
    // Norms 5, 1, 0 (kept as zero), 2 become sqrt(5), 1, 0, sqrt(2).
    float r5 = (float) Math.sqrt(5);
    assertArrayEquals(new float[] {3 / r5, 4 / r5, 0, 0, 0.6f, 0.8f, 0, 0, 0, 0, 0, (float) Math.sqrt(2)}, rows, 1e-6f);
  }

  @Test
  void powerZeroGivesUnitRowsAndPowerOneChangesNothing() {
    float[] rows = {3, 4, -1, 1};
    ItemNorms.raiseNorms(rows, 2, 2, 0);
    assertArrayEquals(new float[] {0.6f, 0.8f, (float) -Math.sqrt(0.5), (float) Math.sqrt(0.5)}, rows, 1e-6f);
    float[] same = {3, 4, -1, 1};
    ItemNorms.raiseNorms(same, 2, 2, 1);
    assertArrayEquals(new float[] {3, 4, -1, 1}, same);
  }

  @Test
  void theSettingDefaultsToTheRawRowsAndIsRangeChecked() {
    assertEquals(1.0, TrainSettings.from(Settings.load(List.of(), List.of())).model().itemNormPower());
    assertEquals(0.7, TrainSettings.from(Settings.load(List.of(), List.of("item_norm_power=0.7"))).model().itemNormPower());
    String message = assertThrows(SettingsException.class,
        () -> TrainSettings.from(Settings.load(List.of(), List.of("item_norm_power=-0.1")))).getMessage();
    assertTrue(message.contains("train.item_norm_power"), message);
    String als = assertThrows(SettingsException.class,
        () -> TrainSettings.from(Settings.load(List.of(), List.of("method=als", "item_norm_power=0.5")))).getMessage();
    assertTrue(als.contains("not supported by method als"), als);
  }
}
