package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Expands input paths (files, folders, globs; any Hadoop filesystem) into the data files to read and
 * the files passed over, each with its reason, for the manifest.
 *
 * <p>A folder is walked recursively. As in Spark, a {@code key=value} folder below the given folder
 * is a partition: its value becomes a column of every file under it, and every file of one input must
 * sit under the same partition keys. Files and folders whose name starts with "_" or "." ({@code
 * _SUCCESS}, {@code _temporary}, {@code .part-0.crc}), {@code *.crc} and {@code README*} files,
 * empty files, and files without one of the format's extensions are skipped. A file named directly is
 * always read: the user chose it.
 */
final class InputFiles {
  private static final Logger LOG = LoggerFactory.getLogger(InputFiles.class);

  /**
   * One data file; partition keys and values come from the key=value folders between root and file.
   *
   * @param table true for a catalog table ({@code --input-table}): path is then the table's name, root null,
   *              and its partition columns are ordinary columns
   */
  record InputFile(String path, String root, List<String> partitionKeys, List<String> partitionValues,
      boolean table) implements java.io.Serializable {
    InputFile {
      partitionKeys = List.copyOf(partitionKeys);
      partitionValues = List.copyOf(partitionValues);
    }

    InputFile(String path, String root, List<String> partitionKeys, List<String> partitionValues) {
      this(path, root, partitionKeys, partitionValues, false);
    }

    static InputFile table(String name) {
      return new InputFile(name, null, List.of(), List.of(), true);
    }
  }

  record Skipped(String path, String reason) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", path);
      m.put("reason", reason);
      return m;
    }
  }

  record Listing(List<InputFile> files, List<Skipped> skipped) {}

  private InputFiles() {}

  /**
   * @param format the prep.format setting: which file extensions hold data inside a folder
   * @param option the command-line option the paths came from, named in error messages
   */
  static Listing expand(Configuration conf, List<String> paths, String format, String option) {
    Listing all = new Listing(new ArrayList<>(), new ArrayList<>());
    for (String raw : paths) {
      expandOne(conf, raw, format, option, all);
    }
    return all;
  }

  private static void expandOne(Configuration conf, String raw, String format, String option, Listing out) {
    Path path = new Path(raw);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new InputDataException(option + " path not found: " + raw);
      }
      boolean glob = new GlobPattern(path.toString()).hasWildcard();
      for (FileStatus status : sorted(matches)) {
        String name = status.getPath().getName();
        String marker = glob ? DataFileNames.markerReason(name, status.isDirectory()) : null;
        if (marker != null) {
          out.skipped().add(new Skipped(status.getPath().toString(), marker));
        } else if (status.isDirectory()) {
          walkFolder(fs, status.getPath(), format, option, out);
        } else if (status.getLen() == 0) {
          throw new InputDataException(option + " file is empty: " + status.getPath());
        } else {
          out.files().add(new InputFile(status.getPath().toString(), null, List.of(), List.of()));
        }
      }
    } catch (IOException e) {
      throw new InputDataException("cannot read " + option + " path " + raw + ": " + e.getMessage(), e);
    }
  }

  private static void walkFolder(FileSystem fs, Path root, String format, String option, Listing out)
      throws IOException {
    int before = out.files().size();
    int skippedBefore = out.skipped().size();
    walk(fs, root, root, format, List.of(), List.of(), out);
    List<InputFile> found = out.files().subList(before, out.files().size());
    if (found.isEmpty()) {
      List<String> why = out.skipped().subList(skippedBefore, out.skipped().size()).stream().limit(5)
          .map(s -> new Path(s.path()).getName() + " (" + s.reason() + ")").toList();
      throw new InputDataException(option + " folder has no data files for prep.format = " + format + ": "
          + root + (why.isEmpty() ? " is empty" : "; skipped " + String.join(", ", why)));
    }
    // Spark refuses a table whose files sit under different partition keys; the columns would differ.
    Map<List<String>, List<InputFile>> byKeys = found.stream()
        .collect(Collectors.groupingBy(InputFile::partitionKeys));
    if (byKeys.size() > 1) {
      String examples = byKeys.values().stream().map(l -> l.get(0).path() + " has " + l.get(0).partitionKeys())
          .collect(Collectors.joining("; "));
      throw new InputDataException(option + " folder " + root + " mixes partition folder layouts (every file "
          + "needs the same key=value folders): " + examples);
    }
  }

  private static void walk(FileSystem fs, Path root, Path dir, String format, List<String> keys,
      List<String> values, Listing out) throws IOException {
    for (FileStatus child : sorted(fs.listStatus(dir))) {
      Path path = child.getPath();
      String name = path.getName();
      String marker = DataFileNames.markerReason(name, child.isDirectory());
      if (marker != null) {
        out.skipped().add(new Skipped(path.toString(), marker));
      } else if (child.isDirectory()) {
        int eq = name.indexOf('=');
        if (eq > 0) {
          walk(fs, root, path, format, append(keys, name.substring(0, eq).toLowerCase(Locale.ROOT)),
              append(values, partitionValue(name.substring(eq + 1))), out);
        } else {
          walk(fs, root, path, format, keys, values, out);
        }
      } else if (child.getLen() == 0) {
        LOG.warn("skipping empty file {}", path);
        out.skipped().add(new Skipped(path.toString(), "empty file"));
      } else if (!DataFileNames.isData(name, format)) {
        out.skipped().add(new Skipped(path.toString(), DataFileNames.notDataReason(format)));
      } else {
        out.files().add(new InputFile(path.toString(), root.toString(), keys, values));
      }
    }
  }

  /** Spark escapes special characters in partition folder names and writes a null value as Hive does. */
  private static String partitionValue(String raw) {
    return raw.equals(ExternalCatalogUtils.DEFAULT_PARTITION_NAME()) ? ""
        : ExternalCatalogUtils.unescapePathName(raw);
  }

  private static List<String> append(List<String> list, String value) {
    List<String> copy = new ArrayList<>(list);
    copy.add(value);
    return copy;
  }

  private static List<FileStatus> sorted(FileStatus[] statuses) {
    List<FileStatus> list = new ArrayList<>(Arrays.asList(statuses));
    list.sort(Comparator.comparing(s -> s.getPath().toString()));
    return list;
  }
}
