package dev.directspec.tune;

import dev.directspec.config.SettingsException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code tune --budget} allows: a number of full trainings per method ({@code 3}), or wall time for the
 * whole tuning ({@code 30m}, {@code 1.5h}, {@code 900s}). A time budget is shared among the methods in turn
 * (each gets what earlier methods left, divided by the methods still to tune) and turned into a schedule
 * from what trial 1's first rung took: the same command on a faster machine explores more points.
 * {@code tune.md} gives the schedule it became; a rerun of a stopped tuning plans the same one from the
 * recorded times.
 *
 * @param text      as given, recorded in the tuning's state so that a rerun must give the same
 * @param trainings full trainings per method, or 0 for a time budget
 * @param seconds   wall seconds for the whole tuning, or 0 for a budget in trainings
 */
public record TuneBudget(String text, double trainings, double seconds) {
  private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(s|sec|m|min|h)");

  public static TuneBudget parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double seconds = n * switch (m.group(2)) {
        case "h" -> 3600;
        case "m", "min" -> 60;
        default -> 1;
      };
      if (seconds > 0) return new TuneBudget(text.trim(), 0, seconds);
    } else {
      try {
        double trainings = Double.parseDouble(t);
        if (trainings > 0 && Double.isFinite(trainings)) return new TuneBudget(String.valueOf(trainings), trainings, 0);
      } catch (NumberFormatException e) {
        // not a number either: the message below says what is accepted
      }
    }
    throw new SettingsException("--budget must be a number of full trainings per method (3, 0.5) or a wall time "
        + "for the whole tuning (30m, 1.5h, 900s), above 0; got '" + text + "'");
  }

  public static TuneBudget trainings(double trainings) {
    return parse(String.valueOf(trainings));
  }

  public boolean isTime() {
    return seconds > 0;
  }

  public String describe() {
    return isTime() ? text + " of wall time for all methods" : trainings + " full trainings per method";
  }
}
