package dev.directspec.kernels;

import java.util.List;

/**
 * The one conversion of a factor row as Spark hands it over (an {@code array<float>} column read with
 * {@code Row.getList}, a {@code java.util.List<Float>}) into the packed float arrays the kernels work on.
 */
public final class FloatRows {
  private FloatRows() {}

  /** The row as a new array. */
  public static float[] toArray(List<Float> row) {
    float[] out = new float[row.size()];
    copy(row, out, 0);
    return out;
  }

  /** Copies the row into {@code into} from offset {@code from} (a packed row-major table). */
  public static void copy(List<Float> row, float[] into, int from) {
    for (int k = 0; k < row.size(); k++) into[from + k] = row.get(k);
  }
}
