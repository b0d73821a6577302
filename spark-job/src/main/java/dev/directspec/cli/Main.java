package dev.directspec.cli;

import org.apache.spark.SparkUserAppException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point under spark-submit ({@code --class dev.directspec.cli.Main}, client and cluster deploy mode):
 * {@code directspec <command> [options]}. Exit codes (see README): 0 success, 2 bad configuration or usage,
 * 3 bad input data, 4 runtime failure.
 *
 * <p>{@link #main} never calls System.exit: in YARN cluster mode the driver is a thread of the
 * ApplicationMaster, which reports an exit from user code as an early shutdown (FAILED, exit 16) even
 * after a good run. Success returns; failure throws Spark's {@link SparkUserAppException}, whose code
 * spark-submit keeps in client mode and the ApplicationMaster logs ("User application exited with status
 * N") in cluster mode. Only the bundled jar's plain-java entry point (BundledMain) exits the JVM.
 */
@Command(name = "directspec", mixinStandardHelpOptions = true, version = "directspec-spark 0.1.0",
    description = "Spark-native trainer that keeps recommender embeddings from collapsing.",
    subcommands = {PrepCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class,
        DemoCommand.class, GenerateCommand.class, CompareCommand.class, TuneCommand.class, ReportCommand.class, PublishCommand.class,
        SimilarCommand.class, ExportCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_INPUT = 3;
  public static final int EXIT_RUNTIME = 4;

  public static void main(String[] args) throws SparkUserAppException {
    int code = run(args);
    if (code != 0) throw new SparkUserAppException(code, null);
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ExitCodes());
    cli.setParameterExceptionHandler((ex, a) -> {
      // Usage first, so the reason is the last line a terminal or a log shows.
      ex.getCommandLine().usage(System.err);
      System.err.println("directspec: " + ex.getMessage());
      return EXIT_CONFIG;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
