package dev.directspec.train;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** Peak heap use of this JVM (the driver; in local mode also the executors), summed over heap pools. */
public final class PeakMemory {
  private PeakMemory() {}

  /** Starts a new peak from the current use (compare trains several runs in one JVM). */
  public static void reset() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }
  }

  public static long peakHeapBytes() {
    long total = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) total += pool.getPeakUsage().getUsed();
    }
    return total;
  }
}
