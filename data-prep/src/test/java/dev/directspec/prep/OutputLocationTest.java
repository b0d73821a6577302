package dev.directspec.prep;

import dev.directspec.folders.OutputExistsException;
import dev.directspec.folders.OutputFolder;
import dev.directspec.folders.OutputLocationException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 21, items 7 and 8: an output that cannot be created fails at once and leaves nothing. */
class OutputLocationTest {
  @TempDir
  Path dir;

  private long entries() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void anOutputBelowAFileIsRefusedByTheCheckAndByTheFolderItself() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    String target = file.resolve("sub/out").toString();
    String checked = assertThrows(OutputLocationException.class,
        () -> OutputFolder.checkCreatable(new Configuration(), target, false)).getMessage();
    assertTrue(checked.contains("is a file, not a folder"), checked);
    // Without the check, mkdirs' failure used to be ignored and the job ran to a Spark stack at the end.
    String opened = assertThrows(OutputLocationException.class,
        () -> OutputFolder.prepare(new Configuration(), target, false)).getMessage();
    assertTrue(opened.startsWith("cannot create output folder " + target), opened);
    assertEquals(1, entries());
  }

  @Test
  void theCheckCreatesNothing() throws Exception {
    OutputFolder.checkCreatable(new Configuration(), dir.resolve("a/b/c").toString(), false);
    assertEquals(0, entries());
    Files.createDirectories(dir.resolve("exists"));
    assertThrows(OutputExistsException.class,
        () -> OutputFolder.checkCreatable(new Configuration(), dir.resolve("exists").toString(), false));
    OutputFolder.checkCreatable(new Configuration(), dir.resolve("exists").toString(), true);
  }
}
