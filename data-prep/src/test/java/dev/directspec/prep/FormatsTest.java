package dev.directspec.prep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.folders.DatasetFolder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Input layouts other than the real datasets cover, and the k-core filter. */
class FormatsTest extends SparkTestBase {
  @Test
  void movielensDoubleColonIsGuessed() throws IOException {
    String f = file("ratings.dat", "1::10::5::100\n1::11::3::101\n1::12::4::102\n2::10::4::103\n2::12::5::104\n");
    PrepResult r = prep(settings("directspec.prep.min_weight=4"), tmp.resolve("out").toString(), null, f);
    JsonNode input = DatasetFolder.open(spark, r.output()).manifest().path("inputs").get(0);
    assertEquals("::", input.path("delimiter").asText());
    assertEquals(2, input.path("weight_col").asInt());
    assertEquals(3, input.path("time_col").asInt());
    assertEquals(4, r.counts().get("after_threshold"));
    assertEquals(1, r.counts().get("removed_by_threshold"));
  }

  @Test
  void parquetWithNamedColumns() {
    StructType schema = new StructType().add("customer", DataTypes.StringType).add("product", DataTypes.LongType)
        .add("score", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create("c1", 5L, 1.0), RowFactory.create("c1", 6L, 2.0),
        RowFactory.create("c2", 5L, Double.NaN), RowFactory.create(null, 6L, 1.0), RowFactory.create("c2", 6L, 1.0));
    String in = tmp.resolve("in.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(in);
    PrepResult r = prep(settings("directspec.prep.format=parquet", "user_col=customer", "item_col=product", "weight_col=score",
        "directspec.prep.max_rejected_share=1", "directspec.prep.test_ratio=0.5"), tmp.resolve("out").toString(), null, in);
    List<String> reasons = DatasetFolder.open(spark, r.output()).rejected().orderBy("line").collectAsList().stream()
        .map(row -> row.getLong(1) + ": " + row.getString(3)).toList();
    assertEquals(List.of("3: weight 'NaN' is not finite", "4: empty user id"), reasons);
    assertEquals(3, r.counts().get("accepted"));
  }

  @Test
  void headerlessTsvByPosition() throws IOException {
    String f = file("log.tsv", "i1\t7\tu1\ni2\t8\tu1\ni1\t9\tu2\ni2\t9\tu2\n");
    PrepResult r = prep(settings("header=false", "user_col=2", "item_col=0", "weight_col=1", "split=random",
        "test_ratio=0.1"), tmp.resolve("out").toString(), null, f);
    DatasetFolder d = DatasetFolder.open(spark, r.output());
    assertEquals(List.of("u1", "u2"), d.users().orderBy("user").collectAsList().stream().map(x -> x.getString(1)).toList());
    assertEquals(33.0, d.train().union(d.test()).agg(org.apache.spark.sql.functions.sum("weight"))
        .first().getDouble(0));
  }

  @Test
  void kcoreRemovesUntilStable() throws IOException {
    // c has one item; removing c leaves item z with one user (b), and then b with one item.
    String f = file("k.csv", "user,item\na,x\na,y\nb,x\nb,y\nb,z\nc,z\nd,x\nd,y\n");
    PrepResult r = prep(settings("kcore=2", "split=random", "test_ratio=0.3"), tmp.resolve("out").toString(), null, f);
    Map<String, Long> c = r.counts();
    assertEquals(2, c.get("removed_by_kcore")); // (c,z) then (b,z)
    assertEquals(6, c.get("after_kcore"));
    assertEquals(3, c.get("users"));
  }
}
