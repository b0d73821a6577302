package dev.directspec.train;

import dev.directspec.settings.MethodSettings;
import dev.directspec.settings.TrainSettings;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train.negatives: sampled negatives per positive, for bpr only, in [1, MAX_NEGATIVES]. */
class NegativesSettingsTest {

  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  private static String rejection(String... overrides) {
    return assertThrows(SettingsException.class, () -> settings(overrides)).getMessage();
  }

  @Test
  void defaultsToOneAndTakesAnyCountUpToTheBoundForBpr() {
    assertEquals(1, settings().method().negatives());
    assertEquals(1, settings("method=bpr", "negatives=1").method().negatives());
    assertEquals(16, settings("method=bpr", "negatives=16").method().negatives());
    assertEquals(MethodSettings.MAX_NEGATIVES,
        settings("method=bpr", "negatives=" + MethodSettings.MAX_NEGATIVES).method().negatives());
  }

  @Test
  void outOfRangeCountsAreRejectedByName() {
    for (String value : List.of("0", "-2", String.valueOf(MethodSettings.MAX_NEGATIVES + 1))) {
      String message = rejection("method=bpr", "negatives=" + value);
      assertTrue(message.contains("train.negatives"), message);
    }
  }

  @Test
  void methodsWithoutSampledNegativesRejectMoreThanOne() {
    for (String method : List.of("directspec+", "directau", "align", "als")) {
      String message = rejection("method=" + method, "negatives=4");
      assertTrue(message.contains("train.negatives applies to method bpr") && message.contains(method), message);
    }
  }

  @Test
  void directSpecPlusSamplesNegativesOnlyWithAWeight() {
    var withWeight = settings("method=directspec+", "negative_weight=0.5", "negatives=4").method();
    assertEquals(4, withWeight.negatives());
    assertTrue(withWeight.samplesNegatives());
    assertTrue(settings("method=directspec+adaptive", "negative_weight=0.5", "negatives=2").method().samplesNegatives());
    assertTrue(!settings("method=directspec+").method().samplesNegatives());
    for (String method : List.of("directau", "align", "bpr", "directspec")) {
      String message = rejection("method=" + method, "negative_weight=0.5");
      assertTrue(message.contains("train.negative_weight applies to directspec+") && message.contains(method), message);
    }
    assertTrue(rejection("method=directspec+", "negative_weight=-1").contains("train.negative_weight"));
  }
}
