package dev.directspec.prep;

import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The prep record is built from reference.conf and names the setting and value it rejects. */
class PrepSettingsTest {
  private static PrepSettings load(String... overrides) {
    return PrepSettings.from(Settings.load(List.of(), List.of(overrides)));
  }

  private static String error(String... overrides) {
    return assertThrows(SettingsException.class, () -> load(overrides)).getMessage();
  }

  @Test
  void defaultsFromReference() {
    PrepSettings s = load();
    assertEquals("auto", s.format());
    assertEquals("drop", s.duplicates());
    assertNull(s.minWeight());
    assertEquals(2024, s.seed());
  }

  @Test
  void numbersAndColumnsMayBeWrittenAsNumbers() {
    PrepSettings s = load("min_weight=4", "user_col=0", "seed=7");
    assertEquals(4.0, s.minWeight());
    assertEquals("0", s.userCol());
    assertEquals(7, s.seed());
  }

  @Test
  void tabDelimiterCanBeTypedOnACommandLine() {
    assertEquals("\t", load("delimiter=\\t").delimiter());
    assertEquals("\t", load("delimiter=tab").delimiter());
    assertEquals("::", load("delimiter=\"::\"").delimiter());
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertEquals("prep.test_ratio must be in (0.0, 1.0): 1.3", error("directspec.prep.test_ratio=1.3"));
    assertEquals("prep.duplicates must be one of [aggregate, drop, keep]: merge", error("duplicates=merge"));
    assertEquals("prep.min_weight must be a number or \"\": four", error("min_weight=four"));
    assertEquals("prep.kcore must be >= 0: -1", error("kcore=-1"));
    assertEquals("prep.max_rejected_share must be in [0.0, 1.0]: 2.0", error("max_rejected_share=2"));
  }

  @Test
  void splitMustMatchTheTestPath() {
    PrepSettings given = load("split=given");
    assertEquals("prep.split = given needs a --test path", assertThrows(SettingsException.class,
        () -> PrepJob.resolveSplit(given, new PrepPaths(List.of("a"), null, null, "o", false))).getMessage());
    assertEquals("given", PrepJob.resolveSplit(load(), new PrepPaths(List.of("a"), null, "t", "o", false)));
    assertEquals("random", PrepJob.resolveSplit(load(), new PrepPaths(List.of("a"), null, null, "o", false)));
  }
}
