package dev.directspec.cli;

/**
 * Entry point of {@code java -jar directspec-bundled.jar} (its manifest's Main-Class): a plain JVM that
 * this program owns, so it exits with the documented code. Under spark-submit the entry point is
 * {@link Main}, which never exits the JVM; this class is only in the bundled jar.
 */
public final class BundledMain {
  /** Quiet logging of the bundled run: conf/log4j2.properties, shipped in this jar only. */
  static final String LOG_CONFIG = "classpath:dev/directspec/log4j2.properties";

  private BundledMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("spark.submit.deployMode") != null) {
      // spark-submit given this jar without --class takes the manifest's class: its rules apply then
      // (SparkSubmit and the YARN ApplicationMaster both set spark.submit.deployMode before main).
      Main.main(args);
      return;
    }
    // Before anything logs: a -Dlog4j2.configurationFile (or LOG4J_CONFIGURATION_FILE) of the user wins.
    if (System.getProperty("log4j2.configurationFile") == null && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
      System.setProperty("log4j2.configurationFile", LOG_CONFIG);
    }
    System.exit(Main.run(args));
  }
}
