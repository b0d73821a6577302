package dev.directspec.store;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.kernels.FloatRows;
import dev.directspec.blocks.EmbeddingBlock;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Converts between embedding blocks and factor tables (dense id, features array) so that models,
 * checkpoints and warm starts share one Parquet form. Rows stay distributed in both directions.
 */
public final class FactorTables {
  private FactorTables() {}

  public static StructType schema(String idColumn) {
    return new StructType()
        .add(idColumn, DataTypes.IntegerType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  }

  /** One row per table row: (dense id, features). */
  public static Dataset<Row> toTable(SparkSession spark, JavaRDD<EmbeddingBlock> blocks, String idColumn) {
    return toTable(spark, blocks, idColumn, false);
  }

  /**
   * @param onlyConnected keep only rows with at least one interaction: ids that never occur in the
   *                      data keep their random initial factors, which must not score as if trained
   */
  public static Dataset<Row> toTable(SparkSession spark, JavaRDD<EmbeddingBlock> blocks, String idColumn,
      boolean onlyConnected) {
    JavaRDD<Row> rows = blocks.flatMap(b -> {
      List<Row> out = new ArrayList<>(b.size);
      for (int r = 0; r < b.size; r++) {
        if (onlyConnected && b.degree(r) == 0) continue;
        out.add(RowFactory.create(b.globalId(r), Arrays.copyOfRange(b.factors, r * b.dim, (r + 1) * b.dim)));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, schema(idColumn));
  }

  /**
   * Replaces the factors of the rows present in {@code table} (columns idColumn int, features);
   * rows absent keep their current (fresh) factors. Used by resume, warm start and evaluate.
   */
  public static JavaRDD<EmbeddingBlock> overlay(JavaRDD<EmbeddingBlock> blocks, Dataset<Row> table, String idColumn) {
    int p = blocks.getNumPartitions();
    JavaPairRDD<Integer, Tuple2<Integer, float[]>> keyed = table.select(idColumn, "features").javaRDD()
        .mapToPair(r -> {
          int id = r.getInt(0);
          return new Tuple2<>(id % p, new Tuple2<>(id, FloatRows.toArray(r.getList(1))));
        })
        .partitionBy(new HashPartitioner(p));
    return blocks.zipPartitions(keyed.values(), (bIt, rIt) -> {
      EmbeddingBlock b = bIt.next().mutableCopy();
      copyRows(b, rIt);
      return List.of(b).iterator();
    });
  }

  private static void copyRows(EmbeddingBlock b, Iterator<Tuple2<Integer, float[]>> rows) {
    while (rows.hasNext()) {
      Tuple2<Integer, float[]> row = rows.next();
      if (row._2().length != b.dim) {
        throw new IllegalArgumentException("stored factors have dimension " + row._2().length
            + " but train.dim is " + b.dim);
      }
      int local = row._1() / b.numBlocks;
      if (local < b.size) System.arraycopy(row._2(), 0, b.factors, local * b.dim, b.dim);
    }
  }
}
