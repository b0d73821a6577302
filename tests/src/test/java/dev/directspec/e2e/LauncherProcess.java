package dev.directspec.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of submit/directspec as a child process, its stdout and stderr in one log file. The launcher
 * execs the JVM, so this process is the driver JVM itself (killing it kills the driver).
 */
final class LauncherProcess {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final Process process;
  final Path log;

  private LauncherProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static LauncherProcess start(Path log, Map<String, String> env, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().putAll(env);
    return new LauncherProcess(pb.start(), log);
  }

  boolean exited() {
    return !process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the log matches {@code regex} and returns the match; fails if the process ends first. */
  Matcher await(String regex, long timeoutSeconds) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(output());
      if (m.find()) return m;
      if (!process.isAlive()) {
        m = pattern.matcher(output());
        if (m.find()) return m;
        throw new AssertionError("run ended (exit " + process.exitValue() + ") before /" + regex + "/:\n" + tail());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no /" + regex + "/ within " + timeoutSeconds + " s:\n" + tail());
  }

  int waitFor(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("run did not finish within " + timeoutSeconds + " s:\n" + tail());
    }
    return process.exitValue();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** The highest N of the "epoch N/M" progress lines so far. */
  OptionalInt lastEpochDone() {
    Matcher m = Pattern.compile("(?m)^epoch +(\\d+)/\\d+ ").matcher(output());
    OptionalInt last = OptionalInt.empty();
    while (m.find()) last = OptionalInt.of(Integer.parseInt(m.group(1)));
    return last;
  }

  String tail() {
    String out = output();
    return out.substring(Math.max(0, out.length() - 6000));
  }
}
