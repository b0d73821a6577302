package dev.directspec.prep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

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
      parts.add(ColumnarSource.isColumnar(layout.format()) ? columnar(spark, layout, parser)
          : text(jsc, layout, parser));
    }
    JavaRDD<Row> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    return spark.createDataFrame(all, Schemas.PARSED);
  }

  private static JavaRDD<Row> text(JavaSparkContext jsc, FileLayout layout, LineParser parser) {
    return jsc.textFile(layout.source())
        .zipWithIndex()
        .flatMap(t -> parser.parseLine(t._2() + 1, t._1()).iterator());
  }

  /**
   * Rows of Parquet, ORC, JSON or a table have no lines; "line" is the 1-based row number in the file or
   * table scan, "text" the values.
   */
  private static JavaRDD<Row> columnar(SparkSession spark, FileLayout layout, LineParser parser) {
    Dataset<Row> source = ColumnarSource.read(spark, layout.input(), layout.format());
    Column[] columns = layout.parquetColumns().stream()
        .map(name -> ColumnarSource.asText(source.schema().apply(name)))
        .toArray(Column[]::new);
    return source.select(columns).javaRDD()
        .zipWithIndex()
        .map(t -> {
          String[] fields = new String[t._1().size()];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = t._1().isNullAt(i) ? "" : t._1().getString(i);
          }
          return parser.fields(t._2() + 1, String.join(",", fields), fields);
        });
  }
}
