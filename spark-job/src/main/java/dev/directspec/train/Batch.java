package dev.directspec.train;

/**
 * The reusable buffers of one mini-batch (allocated once per task): row indices, the gathered
 * B x d rows and their gradients. {@code neg*} are used only by methods with sampled negatives.
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

  Batch(int size, int dim, boolean withNegatives) {
    this.size = size;
    this.dim = dim;
    users = new int[size];
    items = new int[size];
    xu = new float[size * dim];
    xi = new float[size * dim];
    gu = new float[size * dim];
    gi = new float[size * dim];
    negatives = withNegatives ? new int[size] : null;
    xj = withNegatives ? new float[size * dim] : null;
    gj = withNegatives ? new float[size * dim] : null;
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
