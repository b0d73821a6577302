package dev.directspec.e2e;

import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of an integration-test class (local[2], loopback, tasks retried up to 3 times). */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start(String name) {
    return SparkSession.builder()
        .master("local[2,3]")
        .appName(name)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.locality.wait", "0s")
        .getOrCreate();
  }
}
