package dev.directspec.prep;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Expands input paths (files, directories, globs; any Hadoop filesystem) into the data files to read. */
final class InputFiles {
  private static final Logger LOG = LoggerFactory.getLogger(InputFiles.class);

  private InputFiles() {}

  /**
   * @param option the command-line option the paths came from, named in error messages
   * @return data files in a stable order; hidden files (_SUCCESS, .crc) and empty files inside
   *     directories are skipped, because Spark writes both
   */
  static List<String> expand(Configuration conf, List<String> paths, String option) {
    List<String> files = new ArrayList<>();
    for (String raw : paths) {
      files.addAll(expandOne(conf, raw, option));
    }
    return files;
  }

  private static List<String> expandOne(Configuration conf, String raw, String option) {
    Path path = new Path(raw);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new InputDataException(option + " path not found: " + raw);
      }
      List<String> files = new ArrayList<>();
      for (FileStatus status : sorted(matches)) {
        if (status.isDirectory()) {
          files.addAll(directoryFiles(fs, status.getPath(), option));
        } else if (status.getLen() == 0) {
          throw new InputDataException(option + " file is empty: " + status.getPath());
        } else {
          files.add(status.getPath().toString());
        }
      }
      return files;
    } catch (IOException e) {
      throw new InputDataException("cannot read " + option + " path " + raw + ": " + e.getMessage(), e);
    }
  }

  private static List<String> directoryFiles(FileSystem fs, Path dir, String option) throws IOException {
    List<String> files = new ArrayList<>();
    for (FileStatus child : sorted(fs.listStatus(dir))) {
      String name = child.getPath().getName();
      if (child.isDirectory() || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (child.getLen() == 0) {
        LOG.warn("skipping empty file {} in {} directory {}", name, option, dir);
        continue;
      }
      files.add(child.getPath().toString());
    }
    if (files.isEmpty()) {
      throw new InputDataException(option + " directory has no non-empty data files: " + dir);
    }
    return files;
  }

  private static List<FileStatus> sorted(FileStatus[] statuses) {
    List<FileStatus> list = new ArrayList<>(Arrays.asList(statuses));
    list.sort(Comparator.comparing(s -> s.getPath().toString()));
    return list;
  }
}
