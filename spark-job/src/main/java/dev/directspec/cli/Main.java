package dev.directspec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the bundled and the thin jar: {@code directspec <command> [options]}.
 * Exit codes (see README): 0 success, 2 bad configuration or usage, 3 bad input data, 4 runtime failure.
 */
@Command(name = "directspec", mixinStandardHelpOptions = true, version = "directspec-spark 0.1.0",
    description = "Spark-native trainer that keeps recommender embeddings from collapsing.",
    subcommands = {PrepCommand.class, TrainCommand.class, EvaluateCommand.class, RecommendCommand.class,
        DemoCommand.class, GenerateCommand.class, CompareCommand.class, ReportCommand.class, PublishCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_INPUT = 3;
  public static final int EXIT_RUNTIME = 4;

  public static void main(String[] args) {
    System.exit(run(args));
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
