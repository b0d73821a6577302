package dev.directspec.prep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Reads every input file into one table of parsed records ({@link Schemas#PARSED}). Text is read line
 * by line with its real 1-based line number (zipWithIndex per file, in file order), so that a rejected
 * row can be found again in the file.
 */
final class RawReader {
  private RawReader() {}

  @SuppressWarnings("unchecked") // JavaSparkContext.union takes a generic varargs array
  static Dataset<Row> read(SparkSession spark, List<FileLayout> layouts, PrepSettings settings) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (FileLayout layout : layouts) {
      LineParser parser = new LineParser(layout, settings.allowNegativeWeights(), settings.maxWeight());
      parts.add(layout.format().equals("parquet") ? parquet(spark, layout, parser) : text(jsc, layout, parser));
    }
    JavaRDD<Row> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    return spark.createDataFrame(all, Schemas.PARSED);
  }

  private static JavaRDD<Row> text(JavaSparkContext jsc, FileLayout layout, LineParser parser) {
    return jsc.textFile(layout.source())
        .zipWithIndex()
        .flatMap(t -> parser.parseLine(t._2() + 1, t._1()).iterator());
  }

  /** Parquet rows have no lines; "line" is the 1-based row number in the file, "text" the values. */
  private static JavaRDD<Row> parquet(SparkSession spark, FileLayout layout, LineParser parser) {
    Column[] columns = layout.parquetColumns().stream()
        .map(name -> col(name).cast(DataTypes.StringType))
        .toArray(Column[]::new);
    return readParquet(spark, layout.input()).select(columns).javaRDD()
        .zipWithIndex()
        .map(t -> {
          String[] fields = new String[t._1().size()];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = t._1().isNullAt(i) ? "" : t._1().getString(i);
          }
          return parser.fields(t._2() + 1, String.join(",", fields), fields);
        });
  }

  /** A Parquet file with the columns of its key=value folders, as Spark reads a partitioned table. */
  static Dataset<Row> readParquet(SparkSession spark, InputFiles.InputFile input) {
    return input.root() == null ? spark.read().parquet(input.path())
        : spark.read().option("basePath", input.root()).parquet(input.path());
  }
}
