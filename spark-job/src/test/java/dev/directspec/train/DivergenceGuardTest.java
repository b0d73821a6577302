package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.job.TrainJob;
import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 21, item 4: the guards against a run that diverges or trains nothing. */
class DivergenceGuardTest {
  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  /** Gram sums of a table whose every row has norm {@code norm} (d = 2: rows (norm, 0)). */
  private static double[] gram(long rows, double norm) {
    return new double[] {rows * norm * norm, 0, 0, 0};
  }

  private static BlockLayout layout(long users, long items, long interactions) {
    return new BlockLayout(1, users, items, interactions, new int[][] {{(int) interactions}});
  }

  @Test
  void normalNormsPassAndAreReported() {
    TrainSettings s = settings("dim=2");
    FactorNorms norms = DivergenceGuard.check(3, new EpochSums(gram(10, 1.5), gram(20, 0.5), 4.0, 8), layout(10, 20, 8), s);
    assertEquals(1.5, norms.users(), 1e-12);
    assertEquals(0.5, norms.items(), 1e-12);
  }

  @Test
  void aDivergedTableStopsTheRunNamingEpochNormAndLearningRate() {
    TrainSettings s = settings("dim=2", "lr=1e9");
    TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> DivergenceGuard.check(2,
        new EpochSums(gram(10, 1.0), gram(20, 2515.0), 4.0, 8), layout(10, 20, 8), s));
    assertTrue(e.getMessage().startsWith("training diverged in epoch 2: the RMS norm of the item factor rows is "
        + "2515, above train.max_factor_norm = 1000.0"), e.getMessage());
    assertTrue(e.getMessage().contains("the likely cause is train.lr = 1.0E9"), e.getMessage());
  }

  @Test
  void theThresholdIsASetting() {
    EpochSums sums = new EpochSums(gram(10, 50), gram(20, 1), 4.0, 8);
    assertEquals(50, DivergenceGuard.check(1, sums, layout(10, 20, 8), settings("dim=2")).users(), 1e-9);
    assertThrows(TrainingFailedException.class,
        () -> DivergenceGuard.check(1, sums, layout(10, 20, 8), settings("dim=2", "max_factor_norm=40")));
    assertThrows(SettingsException.class, () -> settings("max_factor_norm=0"));
  }

  @Test
  void aNanOrInfiniteLossOrNormStops() {
    TrainSettings s = settings("dim=2");
    TrainingFailedException nanLoss = assertThrows(TrainingFailedException.class, () -> DivergenceGuard.check(4,
        new EpochSums(gram(10, 1), gram(20, 1), Double.NaN, 8), layout(10, 20, 8), s));
    assertTrue(nanLoss.getMessage().startsWith("training diverged in epoch 4: the mean loss is NaN"),
        nanLoss.getMessage());
    assertThrows(TrainingFailedException.class, () -> DivergenceGuard.check(1,
        new EpochSums(gram(10, 1), gram(20, 1), Double.POSITIVE_INFINITY, 8), layout(10, 20, 8), s));
    assertThrows(TrainingFailedException.class, () -> DivergenceGuard.check(1,
        new EpochSums(new double[] {Double.NaN, 0, 0, 0}, gram(20, 1), 4.0, 8), layout(10, 20, 8), s));
  }

  @Test
  void anEpochWithoutStepsStops() {
    TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> DivergenceGuard.check(1,
        new EpochSums(gram(10, 1), gram(20, 1), 0, 0), layout(10, 20, 80), settings("dim=2", "batch_size=4096")));
    assertTrue(e.getMessage().contains("train.batch_size = 4096 exceeds the 80 training interactions"),
        e.getMessage());
  }

  @Test
  void tauIsBoundedWhereTheFiltersSoftmaxIsValid() {
    assertEquals(40.0, settings("tau=40").method().tau());
    for (String key : List.of("tau", "tau0", "tau1")) {
      String message = assertThrows(SettingsException.class, () -> settings(key + "=1000")).getMessage();
      assertEquals("train." + key + " must be in (0.0, 40.0]: 1000.0", message);
    }
  }

  @Test
  void zeroStepsAreRefusedFromTheCountsBeforeTraining() {
    String message = assertThrows(SettingsException.class,
        () -> TrainJob.refuseEmptyEpochs(settings("batch_size=256"), 255, "/data/x")).getMessage();
    assertEquals("train.batch_size = 256 is larger than the 255 training interactions of /data/x: every epoch "
        + "would have 0 steps; lower train.batch_size", message);
    TrainJob.refuseEmptyEpochs(settings("batch_size=256"), 256, "/data/x"); // one step: allowed
  }
}
