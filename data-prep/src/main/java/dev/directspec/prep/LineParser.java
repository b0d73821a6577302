package dev.directspec.prep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one input line (or Parquet row, as fields) into parsed records of {@link Schemas#PARSED}: an
 * accepted interaction, or a rejection with a reason that names the field. Runs on the executors.
 *
 * <p>Delimited text is split as CSV by {@link DelimitedFields}; a separator of " " means runs of
 * blanks, without quoting.
 *
 * <p>Id rules: ids are external text (trimmed, surrounding quotes removed); empty ids, negative
 * integers ("-5"), and text with undecodable bytes or control characters are rejected. Integers of any
 * size are valid ids: they are mapped to dense ints later. LightGCN lines must hold integers only.
 *
 * <p>Weights must be finite, at most prep.max_weight, and >= 0 unless prep.allow_negative_weights.
 */
final class LineParser implements Serializable {
  private static final Pattern BLANKS = Pattern.compile("[ \t]+");
  private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+");
  private static final Pattern NATURAL = Pattern.compile("[0-9]+");

  private final FileLayout layout;
  private final boolean allowNegativeWeights;
  private final double maxWeight;
  private final DelimitedFields delimited;

  LineParser(FileLayout layout, boolean allowNegativeWeights, double maxWeight) {
    this.layout = layout;
    this.allowNegativeWeights = allowNegativeWeights;
    this.maxWeight = maxWeight;
    this.delimited = layout.delimiter().equals(" ") ? null : new DelimitedFields(layout.delimiter());
  }

  /** Splits one line on the driver (layout guessing); an open quote is judged on the executors. */
  static String[] split(String line, String delimiter) {
    return delimiter.equals(" ") ? BLANKS.split(line.trim(), -1) : new DelimitedFields(delimiter).splitLenient(line);
  }

  /** @param lineNo 1-based line number in the file */
  List<Row> parseLine(long lineNo, String raw) {
    if (layout.header() && lineNo == 1) {
      return List.of();
    }
    String line = lineNo == 1 ? FilePeek.stripBom(raw) : raw;
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    String problem = line.isBlank() ? "blank line" : garbage(line);
    if (problem != null) {
      return List.of(reject(lineNo, 0, line, problem));
    }
    if (layout.format().equals("lightgcn")) {
      return adjacency(lineNo, line);
    }
    String[] fields;
    try {
      fields = delimited == null ? BLANKS.split(line.trim(), -1) : delimited.split(line);
    } catch (IllegalArgumentException e) {
      return List.of(reject(lineNo, 0, line, e.getMessage()));
    }
    if (fields.length != layout.columns()) {
      return List.of(reject(lineNo, 0, line, "expected " + layout.columns() + " fields, found " + fields.length));
    }
    return List.of(fields(lineNo, line, withPartitions(fields)));
  }

  /** Partition values (key=value folders) follow a row's own fields, as Spark appends them. */
  private String[] withPartitions(String[] fields) {
    List<String> values = layout.input().partitionValues();
    if (values.isEmpty()) {
      return fields;
    }
    String[] all = Arrays.copyOf(fields, fields.length + values.size());
    for (int i = 0; i < values.size(); i++) {
      all[fields.length + i] = values.get(i);
    }
    return all;
  }

  /** @param fields one row's values, in the layout's column order (partition values after them) */
  Row fields(long lineNo, String text, String[] fields) {
    String user = ColumnNames.unquote(fields[layout.userIdx()].trim());
    String item = ColumnNames.unquote(fields[layout.itemIdx()].trim());
    String problem = idProblem("user", user);
    problem = problem != null ? problem : idProblem("item", item);
    if (problem != null) {
      return reject(lineNo, 0, text, problem);
    }
    Double weight = 1.0;
    Long ts = null;
    try {
      if (layout.weightIdx() >= 0) {
        weight = weight(ColumnNames.unquote(fields[layout.weightIdx()].trim()));
      }
      if (layout.timeIdx() >= 0) {
        ts = timestamp(ColumnNames.unquote(fields[layout.timeIdx()].trim()));
      }
    } catch (IllegalArgumentException e) {
      return reject(lineNo, 0, text, e.getMessage());
    }
    return RowFactory.create(layout.side(), layout.file(), lineNo, 0, text, user, item,
        weight, ts, null);
  }

  /**
   * "uid iid iid ...": a bad user rejects the line; a bad item token rejects only that token. Accepted
   * pairs carry no text (a long line per pair would be costly); "uid iid" is rebuilt if one is rejected.
   */
  private List<Row> adjacency(long lineNo, String line) {
    String[] tokens = BLANKS.split(line.trim());
    String user = tokens[0];
    String problem = integerProblem("user", user, 1);
    if (problem != null) {
      return List.of(reject(lineNo, 0, line, problem));
    }
    List<Row> rows = new ArrayList<>(tokens.length - 1);
    for (int pos = 1; pos < tokens.length; pos++) {
      String item = tokens[pos];
      String itemProblem = integerProblem("item", item, pos + 1);
      rows.add(itemProblem != null ? reject(lineNo, pos, line, itemProblem)
          : RowFactory.create(layout.side(), layout.file(), lineNo, pos, null, user, item, 1.0, null, null));
    }
    return rows;
  }

  private static String integerProblem(String what, String token, int field) {
    if (NATURAL.matcher(token).matches()) {
      return null;
    }
    String kind = NEGATIVE.matcher(token).matches() ? "is negative" : "is not a non-negative integer";
    return what + " id '" + token + "' (field " + field + ") " + kind;
  }

  private static String idProblem(String what, String id) {
    if (id.isEmpty()) {
      return "empty " + what + " id";
    }
    if (NEGATIVE.matcher(id).matches()) {
      return what + " id '" + id + "' is negative";
    }
    return null;
  }

  private Double weight(String text) {
    double w;
    try {
      w = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("weight '" + text + "' is not a number");
    }
    if (Double.isNaN(w) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("weight '" + text + "' is not finite");
    }
    if (w < 0 && !allowNegativeWeights) {
      throw new IllegalArgumentException("weight '" + text + "' is negative (set prep.allow_negative_weights "
          + "= true if negative weights are meant)");
    }
    if (Math.abs(w) > maxWeight) {
      throw new IllegalArgumentException("weight '" + text + "' is beyond prep.max_weight = " + maxWeight);
    }
    return w;
  }

  private static Long timestamp(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("timestamp '" + text + "' is not an integer");
    }
  }

  /** Hadoop decodes invalid UTF-8 to U+FFFD; control characters other than tab are never data. */
  private static String garbage(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\t')) {
        return "garbage bytes (invalid UTF-8 or control character) at column " + (i + 1);
      }
    }
    return null;
  }

  private Row reject(long lineNo, int pos, String text, String reason) {
    return RowFactory.create(layout.side(), layout.file(), lineNo, pos, text, null, null,
        null, null, reason);
  }
}
