package dev.directspec.config;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The commands' --verbose and --quiet. Without either the log configuration is left as the cluster (or
 * the bundled run's quiet default) set it; with one, every logger is set before Spark starts, so Spark's
 * start-up lines follow it too. A spark.log.level property, applied by Spark at start-up, still wins.
 */
public final class LogLevel {
  private LogLevel() {}

  public static void apply(boolean verbose, boolean quiet) {
    if (verbose && quiet) throw new SettingsException("--verbose and --quiet exclude each other");
    if (verbose || quiet) Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, verbose ? Level.INFO : Level.ERROR);
  }
}
