package dev.directspec.train;

import com.typesafe.config.ConfigFactory;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 21, item 9: a checkpoint continues only the run it was written by. */
class ResumeCheckTest {
  @TempDir
  java.nio.file.Path dir;

  private static Settings settings(String... overrides) {
    return Settings.load(List.of(), List.of(overrides));
  }

  /** A work folder with a complete checkpoint after epoch 2, written with {@code saved}. */
  private Path work(Settings saved, String fingerprint) throws Exception {
    java.nio.file.Path w = dir.resolve("run._incomplete");
    Files.createDirectories(w.resolve("checkpoints/epoch-00002"));
    Files.writeString(w.resolve("checkpoints/epoch-00002/_SUCCESS"), "");
    Files.createDirectories(w.resolve("checkpoints/epoch-00003")); // unfinished: does not count
    Files.writeString(w.resolve("settings.conf"), saved.render());
    Files.writeString(w.resolve(ResumeCheck.DATASET_FILE), fingerprint);
    return new Path(w.toUri());
  }

  private static FileSystem fs() throws Exception {
    return FileSystem.getLocal(new Configuration());
  }

  @Test
  void theSameRunResumesFromItsLastCompleteCheckpoint() throws Exception {
    Path w = work(settings("lr=90", "checkpoint_every=2"), "abc");
    assertEquals(2, ResumeCheck.verify(fs(), w, settings("lr=90", "checkpoint_every=2", "epochs=400",
        "eval_every=5"), "abc"));
  }

  @Test
  void differentSettingsAreNamedKeyByKey() throws Exception {
    Path w = work(settings("lr=90"), "abc");
    String message = assertThrows(SettingsException.class,
        () -> ResumeCheck.verify(fs(), w, settings("lr=45", "dim=32", "seed=7"), "abc")).getMessage();
    assertTrue(message.contains("seed: checkpoint 2024, now 7; train.dim: checkpoint 64, now 32; "
        + "train.lr: checkpoint 90, now 45 (only "), message);
  }

  @Test
  void anotherDatasetIsRefused() throws Exception {
    Path w = work(settings(), "abc");
    String message = assertThrows(InputDataException.class,
        () -> ResumeCheck.verify(fs(), w, settings(), "def")).getMessage();
    assertTrue(message.contains("written for dataset fingerprint abc, but --data has fingerprint def"), message);
  }

  @Test
  void noCompleteCheckpointIsZero() throws Exception {
    Files.createDirectories(dir.resolve("empty._incomplete/checkpoints/epoch-00001"));
    assertEquals(0, ResumeCheck.verify(fs(), new Path(dir.resolve("empty._incomplete").toUri()), settings(), "x"));
  }

  @Test
  void numbersCompareByValue() {
    assertEquals(0, ResumeCheck.differences(ConfigFactory.parseString("train { lr = 180 }"),
        ConfigFactory.parseString("train { lr = 180.0 }")).size());
  }
}
