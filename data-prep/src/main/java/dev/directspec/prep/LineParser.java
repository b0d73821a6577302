package dev.directspec.prep;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one input line (or Parquet row, as fields) into parsed records of {@link Schemas#PARSED}: an
 * accepted interaction, or a rejection with a reason that names the field. Runs on the executors.
 *
 * <p>Delimited text is split as CSV (RFC 4180: a field may be quoted, a quote inside it is doubled, and
 * a quoted field may hold the separator) by univocity-parsers, the parser behind Spark's own CSV
 * reader, so it is on every Spark classpath and reads the way Spark would. Each line is parsed on its
 * own to keep its real line number; a quoted field left open at the end of its line (a field that
 * spans lines) is rejected with that reason. A separator of " " means runs of blanks, without quoting.
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
  /** Not serializable; each task builds its own on first use. */
  private transient CsvParser csv;

  LineParser(FileLayout layout, boolean allowNegativeWeights, double maxWeight) {
    this.layout = layout;
    this.allowNegativeWeights = allowNegativeWeights;
    this.maxWeight = maxWeight;
  }

  /** Splits one line on the driver (layout guessing); unclosed quotes are left to the executors. */
  static String[] split(String line, String delimiter) {
    if (delimiter.equals(" ")) {
      return BLANKS.split(line.trim(), -1);
    }
    String[] fields = csvParser(delimiter).parseLine(line + "\n");
    return fields == null ? new String[] {""} : fields;
  }

  /**
   * The newline appended to the line marks a quote left open: it then ends up inside a field, where a
   * line read from a file can hold none.
   */
  private static CsvParser csvParser(String delimiter) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(delimiter);
    settings.getFormat().setQuote('"');
    settings.getFormat().setQuoteEscape('"');
    settings.getFormat().setLineSeparator("\n");
    settings.getFormat().setComment('\0'); // "#" starts no comment: it may begin an id
    settings.setNullValue("");
    settings.setEmptyValue("");
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(100_000);
    return new CsvParser(settings);
  }

  private String[] fieldsOf(String line) {
    if (layout.delimiter().equals(" ")) {
      return BLANKS.split(line.trim(), -1);
    }
    if (csv == null) {
      csv = csvParser(layout.delimiter());
    }
    String[] fields = csv.parseLine(line + "\n");
    if (fields == null) {
      throw new IllegalArgumentException("blank line");
    }
    for (String field : fields) {
      if (field.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a quoted field is not closed on its line (fields spanning lines "
            + "are not supported)");
      }
    }
    return fields;
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
      fields = fieldsOf(line);
    } catch (IllegalArgumentException e) {
      return List.of(reject(lineNo, 0, line, e.getMessage()));
    } catch (TextParsingException e) {
      return List.of(reject(lineNo, 0, line, "cannot be parsed as text separated by '"
          + PrepSettings.printable(layout.delimiter()) + "'"));
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
    String[] all = java.util.Arrays.copyOf(fields, fields.length + values.size());
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
