package dev.directspec.config;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the one SparkSession of a command. Under spark-submit the master, resources and every property
 * come from spark-submit (--conf, --properties-file, spark-defaults.conf): the builder sets nothing the
 * Spark configuration already has, and leaves the log level alone. Run from the bundled jar with plain
 * java, the {@code directspec.spark.master} setting applies and the driver stays on loopback.
 */
public final class SparkSessions {
  private static final String CATALOG = "spark.sql.catalogImplementation";

  private SparkSessions() {}

  /** The test Spark's own builder makes before enableHiveSupport (which throws without these classes). */
  static boolean hiveClassesPresent() {
    try {
      Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder");
      Class.forName("org.apache.hadoop.hive.conf.HiveConf");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The Hadoop configuration the command's SparkSession will use (core-site/hdfs-site from the classpath
   * plus spark.hadoop.* properties), built without starting Spark: commands check their inputs and outputs
   * with it first, so a missing path fails in a second, not after executors were allocated.
   */
  public static Configuration hadoopConfiguration(Settings settings) {
    SparkConf conf = new SparkConf();
    for (var entry : settings.section("spark").getConfig("conf").entrySet()) {
      String key = entry.getKey().replace("\"", "");
      if (!conf.contains(key)) conf.set(key, String.valueOf(entry.getValue().unwrapped()));
    }
    return SparkHadoopUtil.get().newConfiguration(conf);
  }

  /**
   * @param catalogTables the command reads or writes catalog tables: the session then gets Spark's Hive
   *                      support when its classes are on the classpath (a Spark distribution built with
   *                      Hive) and no configuration chose a catalog (spark.sql.catalogImplementation), as
   *                      spark-shell and spark-sql do; otherwise the catalog is Spark's in-memory one
   */
  public static SparkSession open(Settings settings, String command, boolean catalogTables) {
    Config spark = settings.section("spark");
    // Under spark-submit, SparkSubmit (client mode) or the ApplicationMaster (YARN cluster mode) has put
    // every property into system properties, which is what a new SparkConf reads.
    SparkConf conf = new SparkConf();
    boolean submitted = conf.contains("spark.master");
    SparkSession.Builder builder = SparkSession.builder();
    if (!conf.contains("spark.app.name")) builder.appName(spark.getString("app_name") + " " + command);
    if (!submitted) {
      // Bundled local run: loopback only, so no network setup is needed on a laptop or CI box.
      builder.master(spark.getString("master"))
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    if (catalogTables && !conf.contains(CATALOG) && hiveClassesPresent()) builder.enableHiveSupport();
    for (var entry : spark.getConfig("conf").entrySet()) {
      String key = entry.getKey().replace("\"", "");
      if (!conf.contains(key)) builder.config(key, String.valueOf(entry.getValue().unwrapped()));
    }
    return builder.getOrCreate();
  }
}
