package dev.directspec.prep;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Table schemas of the prep pipeline and of the dataset folder the trainer reads. */
public final class Schemas {
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

  /** train/ and test/: dense ids. */
  public static final StructType INTERACTIONS = new StructType(new StructField[] {
      field("user", DataTypes.IntegerType, false),
      field("item", DataTypes.IntegerType, false),
      field("weight", DataTypes.DoubleType, false),
      field("ts", DataTypes.LongType, true)});

  /** rejected/: every row that did not make it, with where it came from and why. */
  public static final StructType REJECTED = new StructType(new StructField[] {
      field("source", DataTypes.StringType, false),
      field("line", DataTypes.LongType, false),
      field("text", DataTypes.StringType, false),
      field("reason", DataTypes.StringType, false)});

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
