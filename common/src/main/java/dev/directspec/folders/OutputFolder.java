package dev.directspec.folders;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.security.AccessControlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * An output folder written atomically on any Hadoop filesystem (dataset, run and recommendation
 * folders alike): everything goes to a sibling work folder, {@code _SUCCESS} is written last, then the
 * folder is renamed into place. An existing output is refused unless overwrite was asked, and then
 * only moved aside (and deleted) once the new one is complete.
 *
 * <p>The work folder is {@code <name>.tmp-<random>} for one-shot jobs; a {@link #resumable} folder uses
 * the stable {@code <name>._incomplete}, so that a restarted job finds its checkpoints there.
 */
public final class OutputFolder {
  private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path tmp;
  private final boolean overwrite;

  private OutputFolder(FileSystem fs, Path target, Path tmp, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.tmp = tmp;
    this.overwrite = overwrite;
  }

  /** A one-shot output: refuses an existing one unless overwrite, before any work is done. */
  public static OutputFolder prepare(Configuration conf, String output, boolean overwrite) {
    return open(conf, output, overwrite, false, false);
  }

  /**
   * A resumable output: the work folder has a stable name; with {@code resume} an existing one is
   * kept (its checkpoints continue the run), otherwise it is cleared.
   */
  public static OutputFolder resumable(Configuration conf, String output, boolean overwrite, boolean resume) {
    return open(conf, output, overwrite, true, resume);
  }

  private static OutputFolder open(Configuration conf, String output, boolean overwrite, boolean stable,
      boolean keepWork) {
    try {
      Path path = new Path(output);
      FileSystem fs = path.getFileSystem(conf);
      Path target = fs.makeQualified(path);
      String suffix = stable ? "._incomplete" : ".tmp-" + UUID.randomUUID().toString().substring(0, 8);
      OutputFolder folder = new OutputFolder(fs, target, new Path(target.getParent(), target.getName() + suffix),
          overwrite);
      folder.refuseExisting();
      if (!keepWork && fs.exists(folder.tmp)) {
        LOG.info("clearing the unfinished output {} (pass --resume to continue it)", folder.tmp);
        fs.delete(folder.tmp, true);
      }
      createWorkFolder(fs, folder.tmp, output);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output folder " + output + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks, without creating anything, that {@code output} could be written: it does not exist (unless
   * overwrite) and its nearest existing ancestor is a writable folder. Commands call it before Spark starts.
   */
  public static void checkCreatable(Configuration conf, String output, boolean overwrite) {
    try {
      Path path = new Path(output);
      FileSystem fs = path.getFileSystem(conf);
      Path target = fs.makeQualified(path);
      new OutputFolder(fs, target, target, overwrite).refuseExisting();
      Path ancestor = target.getParent();
      while (ancestor != null && !fs.exists(ancestor)) ancestor = ancestor.getParent();
      if (ancestor == null) return;
      if (!fs.getFileStatus(ancestor).isDirectory()) {
        throw new OutputLocationException("cannot create output folder " + output + ": " + ancestor
            + " is a file, not a folder (nothing was written)");
      }
      try {
        fs.access(ancestor, FsAction.WRITE);
      } catch (AccessControlException e) {
        throw new OutputLocationException("cannot create output folder " + output + ": no write permission on "
            + ancestor + " (nothing was written)");
      }
    } catch (IOException e) {
      throw new OutputLocationException("cannot check output folder " + output + ": " + e.getMessage());
    }
  }

  /** Where a {@link #resumable} output keeps its unfinished work (and checkpoints) before the commit. */
  public static Path resumableWorkFolder(Configuration conf, String output) {
    try {
      Path path = new Path(output);
      Path target = path.getFileSystem(conf).makeQualified(path);
      return new Path(target.getParent(), target.getName() + "._incomplete");
    } catch (IOException e) {
      throw new OutputLocationException("cannot resolve output folder " + output + ": " + e.getMessage());
    }
  }

  /** mkdirs reports some failures by returning false, others by throwing: both stop the job here. */
  private static void createWorkFolder(FileSystem fs, Path tmp, String output) {
    boolean created;
    try {
      created = fs.mkdirs(tmp);
    } catch (IOException e) {
      throw new OutputLocationException("cannot create output folder " + output + " (work folder " + tmp
          + "): " + e.getMessage());
    }
    if (!created) {
      throw new OutputLocationException("cannot create output folder " + output + " (work folder " + tmp
          + "): the filesystem refused to create it; is a parent a file or read-only?");
    }
  }

  public Path tmp() {
    return tmp;
  }

  /** A path inside the work folder. */
  public String path(String child) {
    return new Path(tmp, child).toString();
  }

  public String target() {
    return target.toString();
  }

  public FileSystem fs() {
    return fs;
  }

  public void writeText(String child, String text) {
    TextFiles.write(fs, new Path(tmp, child), text);
  }

  /** Marks the work folder complete and moves it into place (replacing the old one if allowed). */
  public void commit() {
    try {
      fs.create(new Path(tmp, SUCCESS), true).close();
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
      throw new UncheckedIOException("cannot move the new output into " + target + ": " + e.getMessage(), e);
    }
  }

  /** Removes the work folder after a failure that leaves nothing worth keeping. */
  public void discard() {
    try {
      fs.delete(tmp, true);
    } catch (IOException e) {
      LOG.warn("could not delete temporary folder {}: {}", tmp, e.getMessage());
    }
  }

  private void refuseExisting() throws IOException {
    if (!overwrite && fs.exists(target)) {
      throw new OutputExistsException("output folder already exists: " + target
          + " (pass --overwrite to replace it once the new output is complete; nothing was written)");
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
