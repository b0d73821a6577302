package dev.directspec.cli;

import org.apache.spark.SparkUserAppException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Under spark-submit Main.main must not exit the JVM: success returns, failure throws Spark's
 * SparkUserAppException with the documented code (a System.exit here would end this test JVM).
 */
class MainExitTest {
  @Test
  void successReturnsNormally() {
    assertDoesNotThrow(() -> Main.main(new String[] {"train", "--help"}));
  }

  @Test
  void anOldSettingKeyFailsWithCodeTwo() {
    String[] args = {"train", "--data", "d", "--output", "o", "--set", "train.epochs=3"};
    assertEquals(Main.EXIT_CONFIG, Main.run(args));
    SparkUserAppException e = assertThrows(SparkUserAppException.class, () -> Main.main(args));
    assertEquals(Main.EXIT_CONFIG, e.exitCode());
  }

  @Test
  void aUsageErrorFailsWithCodeTwo() {
    SparkUserAppException e = assertThrows(SparkUserAppException.class, () -> Main.main(new String[] {"train"}));
    assertEquals(Main.EXIT_CONFIG, e.exitCode());
  }

  @Test
  void verboseAndQuietTogetherAreAUsageError() {
    assertEquals(Main.EXIT_CONFIG, Main.run("train", "--data", "d", "--output", "o", "--verbose", "--quiet"));
  }
}
