package dev.directspec.folders;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small UTF-8 text files (settings, metrics, markers) on any Hadoop filesystem, read and written whole. */
public final class TextFiles {
  private TextFiles() {}

  public static String read(FileSystem fs, Path path) {
    try (FSDataInputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Replaces {@code path} atomically: written to a uniquely named file in the same folder (so the rename
   * never crosses filesystems, and two writers never share it), then renamed over the target. A reader sees
   * the old text or the new, never half of one; on failure the temporary file is removed.
   */
  public static void replace(FileSystem fs, Path path, String text) {
    Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      write(fs, tmp, text);
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, path, Options.Rename.OVERWRITE);
    } catch (IOException | UncheckedIOException e) {
      try {
        fs.delete(tmp, false);
      } catch (IOException ignored) {
        // the original failure is the one to report
      }
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(),
          e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
    }
  }

  /** Creates or replaces {@code path} (not atomically: see {@link #replace}). */
  public static void write(FileSystem fs, Path path, String text) {
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}
