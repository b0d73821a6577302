package dev.directspec.cli;

import dev.directspec.config.SettingsException;
import dev.directspec.prep.InputDataException;
import dev.directspec.prep.OutputExistsException;
import picocli.CommandLine;

/** Maps failures to the documented exit codes, with a one-line reason as the last line on stderr. */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable root = ex;
    while (root.getCause() != null && !(root instanceof SettingsException) && !(root instanceof InputDataException)
        && !(root instanceof OutputExistsException)) {
      root = root.getCause();
    }
    if (root instanceof SettingsException || root instanceof OutputExistsException) {
      System.err.println("directspec " + cmd.getCommandName() + ": bad configuration: " + root.getMessage());
      return Main.EXIT_CONFIG;
    }
    if (root instanceof InputDataException) {
      System.err.println("directspec " + cmd.getCommandName() + ": bad input: " + root.getMessage());
      return Main.EXIT_INPUT;
    }
    // The trace first, so the one-line reason is the last line a log or a terminal shows.
    ex.printStackTrace(System.err);
    System.err.println("directspec " + cmd.getCommandName() + ": failed: " + ex);
    return Main.EXIT_RUNTIME;
  }
}
