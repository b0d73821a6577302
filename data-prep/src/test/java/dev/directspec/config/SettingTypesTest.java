package dev.directspec.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 21, item 7: a value of the wrong type is a configuration error naming key, value and type. */
class SettingTypesTest {
  private static String failure(List<String> overrides) {
    return assertThrows(SettingsException.class, () -> Settings.load(List.of(), overrides)).getMessage();
  }

  @Test
  void aWordWhereANumberBelongsIsNamed() {
    assertEquals("train.lr expects a number or auto, got \"fast\" (--set lr=fast)", failure(List.of("lr=fast")));
    assertEquals("train.epochs expects a number, got \"many\" (--set epochs=many)", failure(List.of("epochs=many")));
  }

  @Test
  void fractionsOfDecimalDefaultsStayAllowed() {
    // alpha = 1.0 and reg = 0.0 are kept as ints by HOCON; they are decimal settings all the same.
    assertEquals(0.5, Settings.load(List.of(), List.of("alpha=0.5", "reg=0.0001")).config().getDouble("train.alpha"));
  }

  @Test
  void booleansAndListsAreCheckedToo() {
    assertTrue(failure(List.of("eval_at_end=maybe")).startsWith("train.eval_at_end expects a boolean"));
    assertTrue(failure(List.of("directspec.eval.ks=ten")).startsWith("eval.ks expects a list"));
  }

  @Test
  void aConfigFileNamesItsLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.conf"), "directspec {\n  train {\n    lr = fast\n  }\n}\n");
    String message = assertThrows(SettingsException.class, () -> Settings.load(List.of(file.toFile()), List.of()))
        .getMessage();
    assertTrue(message.startsWith("train.lr expects a number or auto, got \"fast\" ("), message);
    assertTrue(message.contains("bad.conf: 3"), message);
  }

  @Test
  void numbersGivenAsTextStillWork() {
    assertEquals(0.5, Settings.load(List.of(), List.of("lr=\"0.5\"")).config().getDouble("train.lr"));
    assertEquals("auto", Settings.load(List.of(), List.of("lr=auto")).config().getString("train.lr"));
  }
}
