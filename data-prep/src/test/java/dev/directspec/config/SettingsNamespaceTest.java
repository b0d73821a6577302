package dev.directspec.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every setting lives under directspec { ... }; keys of the old layout are refused with the new key. */
class SettingsNamespaceTest {
  @TempDir
  Path dir;

  private static Settings set(String... overrides) {
    return Settings.load(List.of(), List.of(overrides));
  }

  private static String refusedSet(String override) {
    return assertThrows(SettingsException.class, () -> set(override)).getMessage();
  }

  private File file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text).toFile();
  }

  private String refusedFile(String text) throws IOException {
    File f = file("overlay.conf", text);
    String message = assertThrows(SettingsException.class, () -> Settings.load(List.of(f), List.of())).getMessage();
    assertTrue(message.contains(f.toString()), "names the file: " + message);
    return message;
  }

  @Test
  void theReferenceIsNamespacedAndItsResourceIsNotNamedReferenceConf() {
    assertEquals("dev/directspec/reference.conf", Settings.REFERENCE);
    Settings defaults = Settings.defaults();
    assertEquals(300, defaults.config().getInt("train.epochs"));
    assertEquals(2024L, defaults.config().getLong("seed"));
    assertTrue(defaults.render().trim().startsWith("directspec"), defaults.render());
    // Every classpath resource of the reference's name is merged: only ours, with one top-level key.
    assertEquals(java.util.Set.of("directspec"), com.typesafe.config.ConfigFactory
        .parseResources(Settings.class.getClassLoader(), Settings.REFERENCE).root().keySet());
  }

  @Test
  void shortAndFullKeysWorkWithSet() {
    assertEquals(40, set("epochs=40").config().getInt("train.epochs"));
    assertEquals(41, set("directspec.train.epochs=41").config().getInt("train.epochs"));
    assertEquals(7L, set("seed=7").config().getLong("seed"));
    assertEquals("random", set("split=random").config().getString("prep.split"));
    assertEquals(5, set("directspec.als.max_iter=5").config().getInt("als.max_iter"));
  }

  @Test
  void oldKeysGivenWithSetAreRefusedNamingTheNewKey() {
    String epochs = refusedSet("train.epochs=40");
    assertTrue(epochs.contains("'train.epochs'") && epochs.contains("write directspec.train.epochs"), epochs);
    assertTrue(refusedSet("prep.split=random").contains("write directspec.prep.split"));
    assertTrue(refusedSet("als.max_iter=3").contains("write directspec.als.max_iter"));
    assertTrue(refusedSet("eval.ks=[5]").contains("write directspec.eval.ks"));
    assertTrue(refusedSet("spark.master=local[1]").contains("write directspec.spark.master"));
    assertTrue(refusedSet("spark.conf.spark.foo=1").contains("write directspec.spark.conf.spark.foo"));
    String renamed = refusedSet("spark.sql_shuffle_partitions=4");
    assertTrue(renamed.contains("write directspec.spark.conf.\"spark.sql.shuffle.partitions\""), renamed);
    assertTrue(refusedSet("nope.epochs=1").contains("unknown setting 'nope.epochs'"));
  }

  @Test
  void oldKeysInAConfigFileAreRefusedNamingTheNewKey() throws IOException {
    assertTrue(refusedFile("train { epochs = 3 }\n").contains("write directspec.train.epochs"));
    assertTrue(refusedFile("seed = 3\n").contains("write directspec.seed"));
    assertTrue(refusedFile("spark.conf { \"spark.locality.wait\" = 1s }\n")
        .contains("write directspec.spark.conf.\"spark.locality.wait\""));
    assertTrue(refusedFile("directspec.train.epochz = 3\n").contains("unknown setting 'directspec.train.epochz'"));
  }

  @Test
  void aNamespacedFileAndTheSparkPassThroughWork() throws IOException {
    File f = file("ok.conf", "directspec {\n  train { epochs = 3 }\n  spark.conf { \"spark.foo.bar\" = 9 }\n}\n");
    Settings s = Settings.load(List.of(f), List.of("directspec.spark.conf.spark.baz=1"));
    assertEquals(3, s.config().getInt("train.epochs"));
    assertEquals("9", String.valueOf(s.section("spark").getConfig("conf").getValue("\"spark.foo.bar\"").unwrapped()));
    assertEquals("1", s.section("spark").getConfig("conf").getString("\"spark.baz\""));
  }

  @Test
  void everyShippedPresetLoads() throws IOException {
    List<Path> presets;
    try (var files = Files.walk(Path.of("../conf"))) {
      presets = files.filter(p -> p.toString().endsWith(".conf") && !p.endsWith("reference.conf")).toList();
    }
    assertTrue(presets.size() >= 10, "presets under ../conf: " + presets);
    for (Path p : presets) {
      Settings.load(List.of(p.toFile()), List.of());
    }
  }
}
