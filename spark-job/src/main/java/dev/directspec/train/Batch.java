package dev.directspec.train;

/**
 * The reusable buffers of one mini-batch (allocated once per task): row indices, the gathered
 * B x d rows and their gradients. {@code neg*} are used only by methods with sampled negatives: N per
 * positive (train.negatives), positive b's n-th at row b N + n.
 */
final class Batch {
  final int size;
  final int dim;
  final int[] users;
  final int[] items;
  final int[] negatives;
  final float[] xu;
  final float[] xi;
  final float[] xj;
  final float[] gu;
  final float[] gi;
  final float[] gj;

  /** {@code negativesPerPositive} = 0: no negative buffers. */
  Batch(int size, int dim, int negativesPerPositive) {
    this.size = size;
    this.dim = dim;
    users = new int[size];
    items = new int[size];
    xu = new float[size * dim];
    xi = new float[size * dim];
    gu = new float[size * dim];
    gi = new float[size * dim];
    boolean withNegatives = negativesPerPositive > 0;
    negatives = withNegatives ? new int[size * negativesPerPositive] : null;
    xj = withNegatives ? new float[size * negativesPerPositive * dim] : null;
    gj = withNegatives ? new float[size * negativesPerPositive * dim] : null;
  }

  static void gather(float[] table, int[] rows, int dim, float[] out) {
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(table, rows[k] * dim, out, k * dim, dim);
    }
  }

  /** table[rows[k]] -= lr * grad[k]; a row drawn twice receives both gradients, as autograd does. */
  static void scatterSgd(float[] table, int[] rows, int dim, float[] grad, float lr) {
    for (int k = 0; k < rows.length; k++) {
      int base = rows[k] * dim;
      int g = k * dim;
      for (int j = 0; j < dim; j++) {
        table[base + j] -= lr * grad[g + j];
      }
    }
  }
}
