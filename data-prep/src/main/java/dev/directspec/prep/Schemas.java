package dev.directspec.prep;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema of the parsed input records (the written tables are described on {@link DatasetFolder}). */
final class Schemas {
  private Schemas() {}

  /**
   * One parsed input record: ok rows have ids and a null reason, rejected rows a reason.
   * (file, line, pos) orders records as they appear in the inputs; pos is the token of a lightgcn line.
   * The file path is looked up from the file index only for rejected rows; text is null for accepted
   * lightgcn pairs.
   */
  static final StructType PARSED = new StructType(new StructField[] {
      field("side", DataTypes.IntegerType, false),
      field("file", DataTypes.IntegerType, false),
      field("line", DataTypes.LongType, false),
      field("pos", DataTypes.IntegerType, false),
      field("text", DataTypes.StringType, true),
      field("user_id", DataTypes.StringType, true),
      field("item_id", DataTypes.StringType, true),
      field("weight", DataTypes.DoubleType, true),
      field("ts", DataTypes.LongType, true),
      field("reason", DataTypes.StringType, true)});

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
