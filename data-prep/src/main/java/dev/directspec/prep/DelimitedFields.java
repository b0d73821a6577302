package dev.directspec.prep;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import java.io.Serializable;

/**
 * Splits one line of delimited text as CSV (RFC 4180: a field may be quoted, a quote inside it is
 * doubled, a quoted field may hold the separator) with univocity-parsers. That is the parser behind
 * Spark's own CSV reader: it is on every Spark classpath (no jar to ship or to clash) and reads quotes
 * the way Spark would. Spark's reader itself is not used because it cannot give a row's line number,
 * which rejected rows need.
 *
 * <p>Each line is parsed on its own, so a quoted field that spans lines cannot be joined: the line
 * where its quote stays open is refused with that reason.
 */
final class DelimitedFields implements Serializable {
  private final String delimiter;
  /** Not serializable; each task builds its own on first use. */
  private transient CsvParser parser;

  DelimitedFields(String delimiter) {
    this.delimiter = delimiter;
  }

  /** @throws IllegalArgumentException with the reason a row is rejected */
  String[] split(String line) {
    String[] fields;
    try {
      fields = parse(line);
    } catch (TextParsingException e) {
      throw new IllegalArgumentException("cannot be parsed as text separated by '"
          + PrepSettings.printable(delimiter) + "'");
    }
    for (String field : fields) {
      if (field.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a quoted field is not closed on its line (fields spanning lines "
            + "are not supported)");
      }
    }
    return fields;
  }

  /** For the driver's look at the first lines: never throws, an open quote is judged per row later. */
  String[] splitLenient(String line) {
    try {
      return parse(line);
    } catch (TextParsingException e) {
      return new String[] {line};
    }
  }

  /**
   * The newline appended to the line marks a quote left open: it then ends up inside a field, where a
   * line read from a file can hold none. A blank line (which univocity skips) gives one empty field.
   */
  private String[] parse(String line) {
    if (parser == null) {
      parser = new CsvParser(settings(delimiter));
    }
    String[] fields = parser.parseLine(line + "\n");
    return fields == null ? new String[] {""} : fields;
  }

  private static CsvParserSettings settings(String delimiter) {
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
    return settings;
  }
}
