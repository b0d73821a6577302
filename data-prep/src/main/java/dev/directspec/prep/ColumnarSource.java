package dev.directspec.prep;

import dev.directspec.folders.InputDataException;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_timestamp;

/**
 * Inputs Spark reads with a schema rather than as lines: Parquet, ORC and JSON-lines files, and catalog
 * tables ({@code --input-table}, read with {@code spark.table}, so a Hive metastore table works wherever the
 * session has Hive support). Their columns are resolved by name like a delimited file's header.
 */
final class ColumnarSource {
  /** Formats read by {@link #read}; "table" is a catalog table, the others files. */
  static final Set<String> FORMATS = Set.of("parquet", "orc", "json", "table");

  private ColumnarSource() {}

  static boolean isColumnar(String format) {
    return FORMATS.contains(format);
  }

  /** A file with the columns of its key=value folders (as Spark reads a partitioned folder), or a table. */
  static Dataset<Row> read(SparkSession spark, InputFiles.InputFile input, String format) {
    if (format.equals("table")) return table(spark, input.path());
    var reader = spark.read().format(format);
    if (input.root() != null) reader = reader.option("basePath", input.root());
    return reader.load(input.path());
  }

  private static Dataset<Row> table(SparkSession spark, String name) {
    try {
      return spark.table(name);
    } catch (Exception e) { // AnalysisException is checked in Java's eyes, though Scala declares nothing
      if (e instanceof RuntimeException r) throw r;
      if (!(e instanceof AnalysisException)) throw new IllegalStateException(e);
      String catalog = spark.conf().get("spark.sql.catalogImplementation", "in-memory");
      throw new InputDataException("--input-table " + name + ": not readable through the session's catalog "
          + "(spark.sql.catalogImplementation = " + catalog + "): " + firstLine(e.getMessage())
          + (catalog.equals("hive") ? "" : "; a Hive metastore table needs Spark's Hive support (docs/tables.md)"), e);
    }
  }

  /**
   * A column as the text the line parser reads. Timestamps and dates become Unix seconds, the integer
   * form prep.time_col expects of text files, so a table's native time column needs no conversion.
   */
  static Column asText(StructField field) {
    Column c = col(quoted(field.name()));
    if (field.dataType() instanceof TimestampType || field.dataType() instanceof TimestampNTZType
        || field.dataType() instanceof DateType) {
      c = unix_timestamp(c.cast(DataTypes.TimestampType));
    }
    return c.cast(DataTypes.StringType);
  }

  /** Column names with dots or spaces are legal in tables; backquotes keep Spark from parsing them. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }
}
