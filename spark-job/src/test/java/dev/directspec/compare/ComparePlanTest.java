package dev.directspec.compare;

import dev.directspec.settings.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ComparePlanTest {

  @Test
  void aModelSpecificPresetWinsAndOtherwiseTheMethodsPresetIsUsed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("syn-bpr.conf"), "directspec.train.lr = 30\n");
    Files.writeString(dir.resolve("syn-lightgcn-bpr.conf"), "directspec.train.lr = 100\n");
    Files.writeString(dir.resolve("syn-directau.conf"), "directspec.train.lr = 11\n");

    ComparePlan plan = ComparePlan.of(List.of("mf", "lightgcn"), List.of("bpr", "directau", "align"), dir.toFile(),
        "syn", List.of(), List.of());

    assertEquals(6, plan.runs().size());
    assertRun(plan.runs().get(0), "mf-bpr", dir.resolve("syn-bpr.conf").toFile(), 30);
    assertRun(plan.runs().get(1), "mf-directau", dir.resolve("syn-directau.conf").toFile(), 11);
    assertNull(plan.runs().get(2).preset(), "align has no preset");
    assertRun(plan.runs().get(3), "lightgcn-bpr", dir.resolve("syn-lightgcn-bpr.conf").toFile(), 100);
    assertRun(plan.runs().get(4), "lightgcn-directau", dir.resolve("syn-directau.conf").toFile(), 11);
    assertEquals("lightgcn", TrainSettings.from(plan.runs().get(4).settings()).model().kind().key());
  }

  @Test
  void aTuneFolderIsReadByMethodWhenNoNamedPresetIsThere(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("directspec+.conf"), "directspec.train.lr = 500\n");
    Files.writeString(dir.resolve("lightgcn-directspec+.conf"), "directspec.train.lr = 3000\n");
    Files.writeString(dir.resolve("shop-bpr.conf"), "directspec.train.lr = 20\n");
    Files.writeString(dir.resolve("bpr.conf"), "directspec.train.lr = 40\n");

    ComparePlan plan = ComparePlan.of(List.of("mf", "lightgcn"), List.of("directspec+", "bpr"), dir.toFile(), "shop",
        List.of(), List.of());

    assertRun(plan.runs().get(0), "mf-directspec+", dir.resolve("directspec+.conf").toFile(), 500);
    assertRun(plan.runs().get(1), "mf-bpr", dir.resolve("shop-bpr.conf").toFile(), 20);
    assertRun(plan.runs().get(2), "lightgcn-directspec+", dir.resolve("lightgcn-directspec+.conf").toFile(), 3000);
    assertRun(plan.runs().get(3), "lightgcn-bpr", dir.resolve("shop-bpr.conf").toFile(), 20);
  }

  @Test
  void shippedGowallaLightGcnPresetsCarryTheLightGcnSchedule() {
    File shipped = new File("../conf/compare");
    ComparePlan plan = ComparePlan.of(List.of("lightgcn"), List.of("directspec+", "bpr"), shipped, "gowalla",
        List.of(), List.of());

    TrainSettings dsPlus = TrainSettings.from(plan.runs().get(0).settings());
    assertEquals(new File(shipped, "gowalla-lightgcn-directspec+.conf"), plan.runs().get(0).preset());
    assertEquals("smoothed", dsPlus.lightGcn().baseUpdate().key());
    assertEquals(3, dsPlus.lightGcn().movementPasses(), "tune's choice: the schedule of conf/gowalla-lightgcn.conf");
    assertEquals(2.0, dsPlus.lightGcn().baseStep(), 1e-12);
    assertEquals(3200.0, dsPlus.optimizer().learningRate(0), 1e-9);
    assertEquals(80, dsPlus.schedule().epochs());
    TrainSettings bpr = TrainSettings.from(plan.runs().get(1).settings());
    assertEquals(new File(shipped, "gowalla-lightgcn-bpr.conf"), plan.runs().get(1).preset());
    assertEquals(0.1, bpr.model().initStd(), 1e-12);
    assertEquals("smoothed", bpr.lightGcn().baseUpdate().key());
    assertEquals(2, bpr.lightGcn().movementPasses());
    assertEquals(1.0, bpr.lightGcn().baseStep(), 1e-12);
    assertEquals("adam", bpr.optimizer().kind().key());
    assertEquals(0.06, bpr.optimizer().learningRate(0), 1e-9);
    assertEquals(150, bpr.schedule().epochs(), "tune's choice: the schedule of conf/gowalla-lightgcn-bpr.conf");
  }

  private static void assertRun(ComparePlan.Run run, String folder, File preset, double lr) {
    assertEquals(folder, run.folder());
    assertEquals(preset, run.preset());
    assertEquals(lr, TrainSettings.from(run.settings()).optimizer().learningRate(0), 1e-9, folder);
  }

  @Test
  void afterTuneThePresetsBudgetWinsOverTheOverrideThatSetTunesFullBudget(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("bpr.conf"), "directspec {\n  train.lr = 0.01\n  train.epochs = 20\n}\n");
    Files.writeString(dir.resolve("als.conf"), "directspec {\n  als.max_iter = 5\n}\n");
    List<String> overrides = List.of("directspec.train.epochs=60", "directspec.als.max_iter=15");

    ComparePlan tuned = ComparePlan.of(List.of("mf"), List.of("bpr", "als"), dir.toFile(), "shop", List.of(),
        overrides, true);
    assertEquals(20, tuned.runs().get(0).settings().config().getInt("train.epochs"));
    assertEquals(0.01, tuned.runs().get(0).settings().config().getDouble("train.lr"), 1e-12);
    assertEquals(5, tuned.runs().get(1).settings().config().getInt("als.max_iter"));

    ComparePlan given = ComparePlan.of(List.of("mf"), List.of("bpr", "als"), dir.toFile(), "shop", List.of(),
        overrides);
    assertEquals(60, given.runs().get(0).settings().config().getInt("train.epochs"), "--presets: overrides win");
    assertEquals(15, given.runs().get(1).settings().config().getInt("als.max_iter"));
  }
}
