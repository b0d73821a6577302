import dev.directspec.config.Settings;
import dev.directspec.prep.PrepJob;
import dev.directspec.prep.PrepPaths;
import dev.directspec.prep.PrepResult;
import dev.directspec.prep.PrepSettings;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.List;

/**
 * Benchmark driver (run as a single-file source program by prep-gowalla.sh, so the module needs no
 * main class of its own): PrepBench OUTPUT TEST INPUT [key=value ...]; prints the wall seconds of the
 * prep job alone and of the whole run including Spark start-up.
 */
public class PrepBench {
  public static void main(String[] args) {
    long start = System.nanoTime();
    SparkSession spark = SparkSession.builder().master(System.getProperty("bench.master", "local[2]"))
        .appName("prep-bench").config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    try {
      PrepSettings settings = PrepSettings.from(Settings.load(List.of(),
          Arrays.asList(args).subList(3, args.length)));
      long prepStart = System.nanoTime();
      PrepResult result = PrepJob.run(spark, settings, new PrepPaths(List.of(args[2]), null, args[1], args[0], true));
      double prepSeconds = (System.nanoTime() - prepStart) / 1e9;
      System.out.println("counts " + result.counts());
      System.out.printf("prep wall seconds: %.1f (including Spark start-up: %.1f)%n", prepSeconds,
          (System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
  }
}
