package dev.directspec.train;

import dev.directspec.blocks.AdamState;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.kernels.FloatRows;
import org.apache.spark.HashPartitioner;
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
import java.util.List;

/**
 * The Adam moments of a table as a checkpoint table (id, first, second, updates), one row per row
 * that has been updated, so that a resumed run continues with the same optimiser state as the
 * uninterrupted one. Rows stay distributed both ways.
 */
final class AdamCheckpoint {
  private AdamCheckpoint() {}

  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.IntegerType, false)
      .add("first", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("second", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("updates", DataTypes.IntegerType, false);

  static Dataset<Row> toTable(SparkSession spark, JavaRDD<EmbeddingBlock> blocks) {
    JavaRDD<Row> rows = blocks.flatMap(b -> {
      List<Row> out = new ArrayList<>();
      if (b.adam == null) return out.iterator();
      for (int r = 0; r < b.size; r++) {
        if (b.adam.updates[r] == 0) continue;
        int from = r * b.dim;
        out.add(RowFactory.create(b.globalId(r), Arrays.copyOfRange(b.adam.first, from, from + b.dim),
            Arrays.copyOfRange(b.adam.second, from, from + b.dim), b.adam.updates[r]));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The blocks with the moments of the rows in {@code table} (absent rows start from zero). */
  static JavaRDD<EmbeddingBlock> overlay(JavaRDD<EmbeddingBlock> blocks, Dataset<Row> table) {
    int p = blocks.getNumPartitions();
    JavaRDD<Row> keyed = table.javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0) % p, r))
        .partitionBy(new HashPartitioner(p)).values();
    return blocks.zipPartitions(keyed, (bIt, rIt) -> {
      EmbeddingBlock b = bIt.next();
      AdamState state = new AdamState(b.size, b.dim);
      while (rIt.hasNext()) {
        Row row = rIt.next();
        int local = row.getInt(0) / b.numBlocks;
        FloatRows.copy(row.getList(1), state.first, local * b.dim);
        FloatRows.copy(row.getList(2), state.second, local * b.dim);
        state.updates[local] = row.getInt(3);
      }
      return List.of(b.withAdam(state)).iterator();
    });
  }
}
