package dev.directspec.prep;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Atomic replacement of the dataset folder on any Hadoop filesystem: everything is written to a
 * sibling {@code <name>.tmp-<id>} folder, {@code _SUCCESS} is written last, then the folder is renamed
 * into place. An existing output is only moved aside (and then deleted) once the new one is complete.
 */
final class OutputFolder {
  private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);
  static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path tmp;
  private final boolean overwrite;

  private OutputFolder(FileSystem fs, Path target, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.tmp = new Path(target.getParent(), target.getName() + ".tmp-" + id);
  }

  /** Refuses an existing output unless overwrite, before any work is done. */
  static OutputFolder prepare(Configuration conf, String output, boolean overwrite) {
    try {
      Path path = new Path(output);
      FileSystem fs = path.getFileSystem(conf);
      OutputFolder folder = new OutputFolder(fs, fs.makeQualified(path), overwrite);
      folder.refuseExisting();
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output folder " + output + ": " + e.getMessage(), e);
    }
  }

  Path tmp() {
    return tmp;
  }

  String target() {
    return target.toString();
  }

  FileSystem fs() {
    return fs;
  }

  /** Marks the temporary folder complete and moves it into place (replacing the old one if allowed). */
  void commit() {
    try {
      fs.create(new Path(tmp, SUCCESS), false).close();
      refuseExisting();
      Path old = null;
      if (fs.exists(target)) {
        old = new Path(target.getParent(), target.getName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
        rename(target, old);
      }
      if (!fs.rename(tmp, target)) {
        if (old != null) {
          rename(old, target);
        }
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
      if (old != null) {
        fs.delete(old, true);
        LOG.info("replaced previous output {}", target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the new dataset into " + target + ": " + e.getMessage(), e);
    }
  }

  /** Removes the temporary folder after a failure that leaves nothing worth keeping. */
  void discard() {
    try {
      fs.delete(tmp, true);
    } catch (IOException e) {
      LOG.warn("could not delete temporary folder {}: {}", tmp, e.getMessage());
    }
  }

  private void refuseExisting() throws IOException {
    if (!overwrite && fs.exists(target)) {
      throw new OutputExistsException("output folder already exists: " + target
          + " (pass the overwrite flag to replace it; nothing was written)");
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
