package dev.directspec.cli;

import com.typesafe.config.ConfigException;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.OutputExistsException;
import dev.directspec.folders.OutputLocationException;
import dev.directspec.train.TrainingFailedException;
import picocli.CommandLine;

/**
 * Maps failures to the documented exit codes (docs/failures.md), with a one-line reason as the last line
 * on stderr: a configuration or output-location problem 2, unusable input data (dataset, model,
 * checkpoint) 3, a run that failed at runtime 4 (with the stack, printed first, only for failures nobody
 * anticipated).
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable root = ex;
    while (root.getCause() != null && !known(root)) {
      root = root.getCause();
    }
    String prefix = "directspec " + cmd.getCommandName() + ": ";
    if (root instanceof SettingsException || root instanceof ConfigException) {
      System.err.println(prefix + "bad configuration: " + root.getMessage());
      return Main.EXIT_CONFIG;
    }
    if (root instanceof OutputExistsException || root instanceof OutputLocationException) {
      System.err.println(prefix + "bad output: " + root.getMessage());
      return Main.EXIT_CONFIG;
    }
    if (root instanceof InputDataException) {
      System.err.println(prefix + "bad input: " + root.getMessage());
      return Main.EXIT_INPUT;
    }
    if (root instanceof TrainingFailedException) {
      System.err.println(prefix + "training stopped: " + root.getMessage());
      return Main.EXIT_RUNTIME;
    }
    // The trace first, so the one-line reason is the last line a log or a terminal shows.
    ex.printStackTrace(System.err);
    System.err.println("directspec " + cmd.getCommandName() + ": failed: " + ex);
    return Main.EXIT_RUNTIME;
  }

  private static boolean known(Throwable t) {
    return t instanceof SettingsException || t instanceof ConfigException || t instanceof InputDataException
        || t instanceof OutputExistsException || t instanceof OutputLocationException
        || t instanceof TrainingFailedException;
  }
}
