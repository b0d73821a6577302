package dev.directspec.prep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The manifest's counts, in the order they arise, and their reconciliation:
 * rows_read = accepted + rejected + merged_duplicates + removed_by_threshold + removed_by_kcore,
 * where accepted = train + test rows written and rejected = rows written to rejected/.
 */
final class PrepCounts {
  static final String RECONCILIATION =
      "rows_read = accepted + rejected + merged_duplicates + removed_by_threshold + removed_by_kcore";

  private final Map<String, Long> values = new LinkedHashMap<>();

  void put(String key, long value) {
    values.put(key, value);
  }

  long get(String key) {
    Long v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("count not computed yet: " + key);
    }
    return v;
  }

  /** Fails (a bug, not bad input) when the books do not balance. */
  void reconcile() {
    long explained = get("accepted") + get("rejected") + get("merged_duplicates")
        + get("removed_by_threshold") + get("removed_by_kcore");
    if (explained != get("rows_read")) {
      throw new IllegalStateException("counts do not reconcile: " + RECONCILIATION + " gives "
          + get("rows_read") + " != " + explained + " " + values);
    }
  }

  Map<String, Long> asMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
