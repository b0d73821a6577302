package dev.directspec.baseline;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The als section and method als in the settings (no Spark needed). */
class AlsSettingsTest {
  private static Settings load(String... overrides) {
    return Settings.load(List.of(), List.of(overrides));
  }

  private static String failure(Runnable r) {
    return assertThrows(SettingsException.class, r::run).getMessage();
  }

  @Test
  void defaultsAreTheAnchorsChoice() {
    AlsSettings als = AlsSettings.from(Settings.defaults());
    assertEquals(new AlsSettings(0.1, 40.0, 15, 5), als);
    assertEquals(Method.ALS, TrainSettings.from(load("method=als")).method().kind());
  }

  @Test
  void outOfRangeValuesNameTheKeyAndValue() {
    assertEquals("als.reg_param must be >= 0: -1.0", failure(() -> AlsSettings.from(load("reg_param=-1"))));
    assertEquals("als.implicit_alpha must be >= 0: -2.0", failure(() -> AlsSettings.from(load("implicit_alpha=-2"))));
    assertEquals("als.max_iter must be > 0: 0", failure(() -> AlsSettings.from(load("max_iter=0"))));
    assertEquals("als.checkpoint_interval must be > 0: -1",
        failure(() -> AlsSettings.from(load("checkpoint_interval=-1"))));
  }

  @Test
  void unknownMethodListsAls() {
    String message = failure(() -> TrainSettings.from(load("method=lsa")));
    assertTrue(message.contains(", als: lsa"), message);
  }

  @Test
  void alsRefusesWhatSparksAlsCannotDo() {
    assertTrue(failure(() -> TrainSettings.from(load("method=als", "model=lightgcn")))
        .startsWith("train.model must be mf for method als"));
    assertTrue(failure(() -> TrainSettings.from(load("method=als", "warm_start=/some/model")))
        .startsWith("train.warm_start is not supported by method als"));
  }

  @Test
  void theShortKeyAlphaStillNamesTheFilterStrength() {
    assertEquals(0.5, TrainSettings.from(load("alpha=0.5")).method().alpha());
    assertEquals(40.0, AlsSettings.from(load("alpha=0.5")).alpha());
  }
}
