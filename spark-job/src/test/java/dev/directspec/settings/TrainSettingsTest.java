package dev.directspec.settings;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed settings: names read into enums, the bounds the kernels rely on, the flat record of model folders. */
class TrainSettingsTest {

  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  @ParameterizedTest
  @CsvSource({"directspec+, sgd, 180", "directspec+adaptive, sgd, 180", "bpr, sgd, 20", "directau, sgd, 11",
      "align, sgd, 180", "bpr, adam, 0.001", "directspec+, adam, 0.001"})
  void lrAutoIsEachMethodsOwnStartingRate(String method, String optimizer, double lr) {
    assertEquals(lr, settings("directspec.train.method=\"" + method + "\"", "directspec.train.optimizer=" + optimizer)
        .optimizer().lr());
    assertEquals(7.5, settings("directspec.train.method=bpr", "directspec.train.lr=7.5").optimizer().lr());
  }

  @Test
  void lrIsANumberOrAuto() {
    SettingsException e = assertThrows(SettingsException.class, () -> settings("directspec.train.lr=fast"));
    assertTrue(e.getMessage().contains("train.lr expects a number or auto, got \"fast\""), e.getMessage());
  }

  @Test
  void namesBecomeEnums() {
    TrainSettings s = settings("model=lightgcn", "optimizer=adam", "layer_combination=mean",
        "base_update=chain_rule", "gram_balance=on", "method=directau");
    assertEquals(ModelKind.LIGHTGCN, s.model().kind());
    assertEquals(Optimizer.ADAM, s.optimizer().kind());
    assertEquals(LayerCombination.MEAN, s.lightGcn().layerCombination());
    assertEquals(BaseUpdate.CHAIN_RULE, s.lightGcn().baseUpdate());
    assertEquals(1, s.lightGcn().movementPasses());
    assertEquals(GramBalance.ON, s.method().gramBalance());
    assertEquals(Method.DIRECTAU, s.method().kind());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "model=gcn | train.model must be one of [lightgcn, mf]: gcn",
      "optimizer=rmsprop | train.optimizer must be one of [adam, sgd]: rmsprop",
      "layer_combination=max | train.layer_combination must be one of [mean, sum]: max",
      "base_update=exact | train.base_update must be one of [chain_rule, preconditioned, smoothed]: exact",
      "gram_balance=yes | train.gram_balance must be one of [auto, off, on]: yes",
      "batch_size=46341 | train.batch_size must be <= 46340: 46341",
      "dim=50000 | train.dim must be <= 46340: 50000",
      "tau=41 | train.tau must be in (0.0, 40.0]: 41.0",
      "lr=0 | train.lr must be > 0: 0.0"})
  void aValueOutsideItsRangeIsRefusedNamingKeyRuleAndValue(String override, String message) {
    assertEquals(message, assertThrows(SettingsException.class, () -> settings(override)).getMessage());
  }

  @Test
  void rulesJoiningTwoConcernsAreChecked() {
    assertEquals("train.batch_size must be >= 2 for directau: 1",
        assertThrows(SettingsException.class, () -> settings("method=directau", "batch_size=1")).getMessage());
    assertEquals("train.graph_spread > 0 needs train.optimizer = sgd: adam", assertThrows(SettingsException.class,
        () -> settings("graph_spread=0.1", "optimizer=adam")).getMessage());
  }

  @Test
  void modelFoldersRecordTheFlatSettingsOfEarlierVersions() {
    var recorded = settings().recorded();
    assertEquals("mf", recorded.get("model"));
    assertEquals("DIRECTSPEC_PLUS", recorded.get("method"));
    assertEquals("AUTO", recorded.get("gramBalance"));
    // 39 before train.negatives (bpr) was added, 40 before train.negative_weight (directspec+)
    assertEquals(41, recorded.size());
    assertEquals(1, recorded.get("negatives"));
    assertEquals(0.0, recorded.get("negativeWeight"));
    assertEquals(List.of("model", "method", "dim", "batchSize"), List.copyOf(recorded.keySet()).subList(0, 4));
  }
}
