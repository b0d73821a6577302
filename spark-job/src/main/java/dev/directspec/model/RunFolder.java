package dev.directspec.model;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An output folder written atomically: everything goes to {@code <target>._incomplete}, a
 * {@code _SUCCESS} marker is written last, and the folder is renamed into place only then. An existing
 * target is never replaced unless overwrite was asked, and then only once the new output is complete.
 * The in-progress folder has a stable name so that {@code --resume} finds its checkpoints.
 */
public final class RunFolder {
  private final FileSystem fs;
  private final Path target;
  private final Path work;
  private final boolean overwrite;

  public RunFolder(Configuration hadoop, String target, boolean overwrite) {
    try {
      this.target = new Path(target);
      this.fs = this.target.getFileSystem(hadoop);
      this.work = new Path(target + "._incomplete");
      this.overwrite = overwrite;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + target, e);
    }
  }

  /** Fails when the target exists and overwrite is off; prepares the work folder. */
  public void begin(boolean keepWork) {
    try {
      if (fs.exists(target) && !overwrite) {
        throw new OutputExistsException("output " + target + " already exists; pass --overwrite to replace it"
            + " (it is replaced only after the new output is complete)");
      }
      if (!keepWork && fs.exists(work)) fs.delete(work, true);
      fs.mkdirs(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + work, e);
    }
  }

  public String path(String child) {
    return new Path(work, child).toString();
  }

  public boolean exists(String child) {
    try {
      return fs.exists(new Path(work, child));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public void writeText(String child, String text) {
    writeText(fs, new Path(work, child), text);
  }

  public static void writeText(FileSystem fs, Path path, String text) {
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Writes the success marker and moves the folder into place (replacing the old one if allowed). */
  public void commit() {
    try {
      writeText("_SUCCESS", "");
      if (fs.exists(target)) {
        Path old = new Path(target + "._replaced");
        fs.delete(old, true);
        fs.rename(target, old);
        rename(work, target);
        fs.delete(old, true);
      } else {
        rename(work, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + work + " to " + target, e);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) throw new IOException("rename " + from + " -> " + to + " failed");
  }

  /** The target exists and overwrite was not asked. */
  public static final class OutputExistsException extends IllegalStateException {
    public OutputExistsException(String message) {
      super(message);
    }
  }
}
