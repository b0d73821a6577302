package dev.directspec.prep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one input file is read, resolved once on the driver (from the settings, or guessed from the file
 * name and first lines) and shipped to the executors with the line parser.
 *
 * @param input     the file, and the partition values of the key=value folders it sits in
 * @param file      0-based position of the file among all inputs (orders duplicates: first one wins)
 * @param side      0 = --input rows, 1 = --test rows
 * @param format    lightgcn, delimited, parquet, orc, json or table (movielens resolves to delimited with
 *                  known columns)
 * @param delimiter field separator of delimited text; " " means runs of blanks
 * @param columns   expected number of fields per row (delimited, parquet); -1 for lightgcn. Partition
 *                  values follow a delimited row's own fields, so a column index may point at one.
 * @param parquetColumns column names read from a parquet, orc or json file or a table, in the order of the
 *                  field indexes below (the manifest key keeps its first name)
 * @param weightIdx -1 when there is no weight column (every row weighs 1.0)
 * @param timeIdx   -1 when there is no time column
 * @param guess     what was guessed and why, for the log and the manifest ("" when all was given)
 */
public record FileLayout(InputFiles.InputFile input, int file, int side, String format, String delimiter,
    boolean header, int columns, List<String> parquetColumns, int userIdx, int itemIdx, int weightIdx,
    int timeIdx, String guess) implements Serializable {

  public static final int TRAIN = 0;
  public static final int TEST = 1;

  public FileLayout {
    parquetColumns = List.copyOf(parquetColumns);
  }

  public String source() {
    return input.path();
  }

  /** Manifest entry for this input. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(input.table() ? "table" : "path", source());
    m.put("role", side == TRAIN ? "input" : "test");
    m.put("format", format);
    if (format.equals("delimited")) {
      m.put("delimiter", delimiter);
      m.put("header", header);
    }
    if (!format.equals("lightgcn")) {
      m.put("columns", columns);
      m.put("user_col", userIdx);
      m.put("item_col", itemIdx);
      m.put("weight_col", weightIdx < 0 ? null : weightIdx);
      m.put("time_col", timeIdx < 0 ? null : timeIdx);
    }
    if (!parquetColumns.isEmpty()) {
      m.put("parquet_columns", parquetColumns);
    }
    if (!input.partitionKeys().isEmpty()) {
      Map<String, String> partitions = new LinkedHashMap<>();
      for (int i = 0; i < input.partitionKeys().size(); i++) {
        partitions.put(input.partitionKeys().get(i), input.partitionValues().get(i));
      }
      m.put("partitions", partitions);
    }
    m.put("guessed", guess);
    return m;
  }
}
