package dev.directspec.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The short settings summary a command prints by default, and the masking of secrets in it. */
class SettingsDifferencesTest {
  @Test
  void referenceSettingsHaveNoDifferences() {
    assertEquals(List.of(), Settings.defaults().differencesFromReference());
  }

  @Test
  void listsOnlyChangedAndPassThroughKeysSortedOneLineEach() {
    Settings settings = Settings.load(List.of(), List.of("epochs=7", "seed=2024", "directspec.prep.delimiter=;",
        "directspec.eval.ks=[5,50]", "directspec.spark.conf.spark.driver.host=127.0.0.1"));
    // seed=2024 repeats the reference's value, so it is not a difference.
    assertEquals(2024, Settings.defaults().config().getLong("seed"));
    assertEquals(List.of("directspec.eval.ks = [5,50]", "directspec.prep.delimiter = ;",
        "directspec.spark.conf.\"spark.driver.host\" = 127.0.0.1", "directspec.train.epochs = 7"),
        settings.differencesFromReference());
  }

  @Test
  void secretValuesAreMasked() {
    Settings settings = Settings.load(List.of(),
        List.of("directspec.spark.conf.spark.authenticate.secret=hunter2"));
    assertEquals(List.of("directspec.spark.conf.\"spark.authenticate.secret\" = *** redacted ***"),
        settings.differencesFromReference());
    assertEquals("spark.conf.spark.authenticate.secret=*** redacted ***",
        Settings.redactArgument("spark.conf.spark.authenticate.secret=hunter2"));
    assertEquals("train.epochs=7", Settings.redactArgument("train.epochs=7"));
    assertEquals("--verbose", Settings.redactArgument("--verbose"));
  }
}
