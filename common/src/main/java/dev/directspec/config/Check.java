package dev.directspec.config;

import java.util.Set;

/** Validators for settings records; each message names the setting, the rule and the value. */
public final class Check {
  private Check() {}

  public static int positive(String name, int value) {
    if (value <= 0) throw new SettingsException(name + " must be > 0: " + value);
    return value;
  }

  public static int nonNegative(String name, int value) {
    if (value < 0) throw new SettingsException(name + " must be >= 0: " + value);
    return value;
  }

  public static double positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) throw new SettingsException(name + " must be > 0: " + value);
    return value;
  }

  public static double nonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) throw new SettingsException(name + " must be >= 0: " + value);
    return value;
  }

  /** Closed-open or closed range check: value in [lo, hi] (inclusive flags say which ends count). */
  public static double range(String name, double value, double lo, boolean loIncl, double hi, boolean hiIncl) {
    boolean ok = (loIncl ? value >= lo : value > lo) && (hiIncl ? value <= hi : value < hi);
    if (!ok) {
      throw new SettingsException(name + " must be in " + (loIncl ? "[" : "(") + lo + ", " + hi
          + (hiIncl ? "]" : ")") + ": " + value);
    }
    return value;
  }

  public static String oneOf(String name, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw new SettingsException(name + " must be one of " + new java.util.TreeSet<>(allowed) + ": " + value);
    }
    return value;
  }
}
