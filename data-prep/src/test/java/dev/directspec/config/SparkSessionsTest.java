package dev.directspec.config;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session builder sets nothing the Spark configuration already has. spark-submit hands its --conf
 * values to the driver as system properties (SparkSubmit in client mode, the ApplicationMaster in YARN
 * cluster mode), which is what this test sets.
 */
class SparkSessionsTest {
  private static final Map<String, String> SUBMITTED = Map.of(
      "spark.master", "local[1]",
      "spark.app.name", "chosen by the user",
      "spark.driver.host", "127.0.0.1",
      "spark.ui.enabled", "false",
      "spark.sql.shuffle.partitions", "3",
      "spark.ui.showConsoleProgress", "true");

  @AfterEach
  void clear() {
    SUBMITTED.keySet().forEach(System::clearProperty);
  }

  @Test
  void aValuePassedWithConfSurvivesAndTheLogLevelIsLeftAlone() throws Exception {
    SUBMITTED.forEach(System::setProperty);
    Configurator.setRootLevel(Level.ERROR);
    try (SparkSession spark = SparkSessions.open(Settings.defaults(), "prep", false)) {
      assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
      assertEquals("true", spark.sparkContext().getConf().get("spark.ui.showConsoleProgress"));
      assertEquals("chosen by the user", spark.sparkContext().appName());
      assertEquals("local[1]", spark.sparkContext().master());
      // A recommendation the user did not set still applies.
      assertEquals("0s", spark.sparkContext().getConf().get("spark.locality.wait"));
      assertEquals(Level.ERROR, LogManager.getRootLogger().getLevel());
    }
  }

  @Test
  void recommendationsApplyWhenNothingIsSet() throws Exception {
    Settings settings = Settings.load(List.of(), List.of("master=local[1]", "directspec.spark.conf.spark.ui.enabled=false"));
    try (SparkSession spark = SparkSessions.open(settings, "prep", false)) {
      assertEquals("8", spark.conf().get("spark.sql.shuffle.partitions"));
      assertEquals("false", spark.sparkContext().getConf().get("spark.ui.showConsoleProgress"));
      assertEquals("directspec prep", spark.sparkContext().appName());
      assertEquals("local[1]", spark.sparkContext().master());
    }
  }
}
