package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Resolves the {@link FileLayout} of one input file from the settings; every "auto" is guessed from the
 * file name and first lines, and what was guessed is logged and recorded in the manifest.
 */
final class LayoutGuesser {
  private static final Logger LOG = LoggerFactory.getLogger(LayoutGuesser.class);
  private static final Pattern INTEGER = Pattern.compile("[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?");

  private final SparkSession spark;
  private final PrepSettings settings;

  LayoutGuesser(SparkSession spark, PrepSettings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  FileLayout resolve(InputFiles.InputFile input, int index, int side) {
    List<String> guesses = new ArrayList<>();
    if (input.table()) {
      return columnar(input, index, side, "table", guesses);
    }
    String file = input.path();
    FilePeek peek = FilePeek.of(spark.sparkContext().hadoopConfiguration(), file);
    String format = settings.reader();
    if (format.equals("auto")) {
      format = guessFormat(peek);
      guesses.add("format=" + format);
    }
    FileLayout layout = switch (format) {
      case "parquet", "orc", "json" -> columnar(input, index, side, format, guesses);
      case "lightgcn" -> new FileLayout(input, index, side, "lightgcn", " ", false, -1, List.of(), 0, 1, -1, -1,
          String.join(", ", guesses));
      default -> delimited(peek, input, index, side, format.equals("movielens"), guesses);
    };
    if (!guesses.isEmpty()) {
      LOG.info("input {}: guessed {}", file, layout.guess());
    }
    return layout;
  }

  private static String guessFormat(FilePeek peek) {
    String name = peek.name().toLowerCase(Locale.ROOT);
    if (peek.parquet() || name.endsWith(".parquet")) {
      return "parquet";
    }
    if (name.endsWith(".orc")) {
      return "orc";
    }
    if (name.equals("u.data") || name.startsWith("ratings.")) {
      return "movielens";
    }
    String first = peek.firstLine();
    if (first.contains("::") || first.contains("\t") || first.contains(",") || first.contains(";")) {
      return "delimited";
    }
    // Blank-separated integers: adjacency lists have varying or long lines, plain pairs do not.
    boolean allIntegers = true;
    boolean varying = false;
    int width = -1;
    for (String line : peek.lines()) {
      String[] tokens = line.trim().split("\\s+");
      allIntegers &= Arrays.stream(tokens).allMatch(t -> INTEGER.matcher(t).matches());
      varying |= (width >= 0 && tokens.length != width) || tokens.length > 4;
      width = tokens.length;
    }
    return allIntegers && varying ? "lightgcn" : "delimited";
  }

  private FileLayout delimited(FilePeek peek, InputFiles.InputFile input, int index, int side, boolean movielens,
      List<String> guesses) {
    String file = peek.path();
    if (peek.lines().isEmpty()) {
      throw new InputDataException("input file is empty: " + file);
    }
    String delimiter = settings.separator();
    if (delimiter.equals("auto")) {
      delimiter = guessDelimiter(peek.firstLine());
      guesses.add("delimiter=" + printable(delimiter));
    }
    List<String> first = normalised(LineParser.split(peek.firstLine(), delimiter));
    boolean header;
    if (settings.header().equals("auto")) {
      header = guessHeader(peek, delimiter, first);
      guesses.add("header=" + header);
    } else {
      header = Boolean.parseBoolean(settings.header());
    }
    int columns = first.size();
    // A row's fields are its own, then the partition values (as Spark appends partition columns).
    List<String> names = new ArrayList<>(header ? first : java.util.Collections.nCopies(columns, ""));
    names.addAll(input.partitionKeys());
    // MovieLens files are user, item, rating, timestamp; generic text guesses the same order.
    int user = ColumnNames.resolve("user_col", settings.userCol(), ColumnNames.USER, names, header, columns, 0, file);
    int item = ColumnNames.resolve("item_col", settings.itemCol(), ColumnNames.ITEM, names, header, columns, 1, file);
    int weightFallback = header && !movielens ? -1 : 2;
    int timeFallback = header && !movielens ? -1 : 3;
    int weight = ColumnNames.resolve("weight_col", settings.weightCol(), ColumnNames.WEIGHT, names, header, columns,
        weightFallback, file);
    int time = ColumnNames.resolve("time_col", settings.timeCol(), ColumnNames.TIME, names, header, columns,
        timeFallback, file);
    if (user < 0 || item < 0 || user == item) {
      throw new InputDataException("cannot find distinct user and item columns in " + file + " (line 1: '"
          + peek.firstLine() + "'); set prep.user_col and prep.item_col");
    }
    guesses.add("columns user=" + user + " item=" + item + " weight=" + weight + " time=" + time);
    return new FileLayout(input, index, side, "delimited", delimiter, header, columns, List.of(), user, item,
        weight, time, String.join(", ", guesses));
  }

  private static String guessDelimiter(String line) {
    for (String candidate : List.of("::", "\t", ",", ";", "|")) {
      if (line.contains(candidate)) {
        return candidate;
      }
    }
    return " ";
  }

  /** A header either uses a known column name, or is text where the next line has only numbers. */
  private static boolean guessHeader(FilePeek peek, String delimiter, List<String> first) {
    if (first.stream().anyMatch(ColumnNames::isKnown)) {
      return true;
    }
    if (peek.lines().size() < 2 || first.stream().allMatch(f -> NUMBER.matcher(f).matches())) {
      return false;
    }
    List<String> second = normalised(LineParser.split(peek.lines().get(1), delimiter));
    return second.size() == first.size() && second.stream().allMatch(f -> NUMBER.matcher(f).matches());
  }

  /** Parquet, ORC, JSON or a catalog table: columns resolved by name, as in a file with a header. */
  private FileLayout columnar(InputFiles.InputFile input, int index, int side, String format, List<String> guesses) {
    String file = input.path();
    StructField[] fields = ColumnarSource.read(spark, input, format).schema().fields();
    List<String> names = Arrays.stream(fields).map(f -> f.name().toLowerCase(Locale.ROOT)).toList();
    int n = names.size();
    int user = ColumnNames.resolve("user_col", settings.userCol(), ColumnNames.USER, names, true, n, 0, file);
    int item = ColumnNames.resolve("item_col", settings.itemCol(), ColumnNames.ITEM, names, true, n, 1, file);
    int weight = ColumnNames.resolve("weight_col", settings.weightCol(), ColumnNames.WEIGHT, names, true, n, -1, file);
    int time = ColumnNames.resolve("time_col", settings.timeCol(), ColumnNames.TIME, names, true, n, -1, file);
    List<String> read = new ArrayList<>(List.of(fields[user].name(), fields[item].name()));
    if (weight >= 0) {
      read.add(fields[weight].name());
    }
    if (time >= 0) {
      read.add(fields[time].name());
    }
    guesses.add("columns " + read);
    return new FileLayout(input, index, side, format, ",", false, read.size(), read, 0, 1,
        weight >= 0 ? 2 : -1, time >= 0 ? read.size() - 1 : -1, String.join(", ", guesses));
  }

  private static List<String> normalised(String[] fields) {
    return Arrays.stream(fields).map(ColumnNames::normalise).toList();
  }

  private static String printable(String delimiter) {
    return delimiter.equals("\t") ? "\\t" : delimiter;
  }
}
