package dev.directspec.prep;

import dev.directspec.folders.DatasetFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo data: deterministic, about the requested size, and readable by prep. */
class SyntheticDataTest extends SparkTestBase {
  @Test
  void demoDataIsDeterministicAndPreparable() {
    // A fifth of the demo size keeps the test quick; the demo spec differs only in its numbers.
    SyntheticData.Spec demo = SyntheticData.Spec.demo(11);
    SyntheticData.Spec spec = new SyntheticData.Spec(600, 400, 20_000, demo.dims(), demo.affinity(),
        demo.skew(), demo.seed(), demo.partitions());
    assertEquals(SyntheticData.partition(spec, 1), SyntheticData.partition(spec, 1));
    long rows = SyntheticData.write(spark, spec, tmp.resolve("a").toString());
    assertTrue(rows > 16_000 && rows < 24_000, "rows " + rows);
    PrepResult r = prep(settings(), tmp.resolve("prep").toString(), null, tmp.resolve("a").toString());
    assertEquals(rows, r.counts().get("rows_read"));
    assertEquals(0, r.counts().get("parse_rejected"));
    assertEquals(0, r.counts().get("duplicate_rows"));
    assertEquals(600, r.counts().get("users"));
    // Power law: the most popular item is far above the mean item degree.
    long top = DatasetFolder.open(spark, r.output()).train().groupBy("item").count().orderBy(
        org.apache.spark.sql.functions.col("count").desc()).first().getLong(1);
    assertTrue(top > 5 * r.counts().get("train") / r.counts().get("items"), "top item degree " + top);
    List<String> first = spark.read().text(tmp.resolve("a").toString()).limit(1).as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(first.get(0).matches("[0-9]+,[0-9]+"), first.get(0));
  }
}
