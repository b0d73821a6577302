package dev.directspec.prep;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which names in an input folder hold data for a format, and why the others are skipped. */
final class DataFileNames {
  private static final Set<String> TEXT = Set.of("csv", "tsv", "tab", "txt", "dat", "data", "psv");
  private static final Map<String, Set<String>> EXTENSIONS = Map.of(
      "csv", Set.of("csv", "txt"),
      "tsv", Set.of("tsv", "tab", "txt"),
      "parquet", Set.of("parquet"),
      "orc", Set.of("orc"),
      "json", Set.of("json", "jsonl", "ndjson"));
  /** Hadoop's codecs decompress these transparently, so "x.csv.gz" is a csv file. */
  private static final Set<String> COMPRESSED = Set.of("gz", "bz2", "deflate", "lz4", "snappy", "zst");

  private DataFileNames() {}

  /** Why a name is never data (Spark's and Hadoop's markers, checksums, hidden files, read-mes), or null. */
  static String markerReason(String name, boolean directory) {
    if (name.startsWith("_") || name.startsWith(".")) {
      return directory ? "hidden or marker folder (name starts with '_' or '.')"
          : "hidden or marker file (name starts with '_' or '.')";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!directory && lower.endsWith(".crc")) {
      return "checksum file (.crc)";
    }
    if (!directory && lower.startsWith("readme")) {
      return "read-me file (README*)";
    }
    return null;
  }

  static boolean isData(String name, String format) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    if (dot > 0 && COMPRESSED.contains(lower.substring(dot + 1))) {
      lower = lower.substring(0, dot);
      dot = lower.lastIndexOf('.');
    }
    if (dot < 0) {
      return lower.startsWith("part-"); // Hadoop's text output (saveAsTextFile) has no extension
    }
    return extensions(format).contains(lower.substring(dot + 1));
  }

  private static Set<String> extensions(String format) {
    Set<String> own = EXTENSIONS.get(format);
    if (own != null) {
      return own;
    }
    if (format.equals("auto")) {
      Set<String> any = new HashSet<>(TEXT);
      any.add("parquet");
      any.add("orc"); // not json: a folder's manifest.json or metadata.json is no interaction data
      return any;
    }
    return TEXT; // delimited, movielens, lightgcn
  }

  static String notDataReason(String format) {
    return "not a data file for prep.format = " + format + " (extensions " + new TreeSet<>(extensions(format))
        + ", optionally compressed, or part-*)";
  }
}
