package dev.directspec.train;

import dev.directspec.blocks.AdamState;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.settings.TrainSettings;

/**
 * Applies one mini-batch's gradients to the rows of a block (train.optimizer). A row drawn more than
 * once in a batch (as a positive and as a negative, or twice) receives the sum of its gradients, as
 * autograd gives it; Adam then takes one step on that sum.
 */
abstract class RowOptimizer {

  /** Adds {@code grad[k]} to row {@code rows[k]}'s gradient of the current step (k < rows.length). */
  abstract void add(int[] rows, float[] grad);

  /** Takes the step on the rows added since the last step, with learning rate {@code lr}. */
  abstract void step(float lr);

  static RowOptimizer create(TrainSettings s, EmbeddingBlock block, int batchRows) {
    return s.optimizer().usesAdam()
        ? new Adam(block, batchRows, (float) s.optimizer().adamBeta1(), (float) s.optimizer().adamBeta2(), (float) s.optimizer().adamEps())
        : new Sgd(block);
  }

  /** Plain SGD, the authors' optimiser: {@code x -= lr * g}. */
  private static final class Sgd extends RowOptimizer {
    private final float[] table;
    private final int dim;
    // At most two gradient sets per step: positives and negatives of the item table.
    private final int[][] rowSets = new int[2][];
    private final float[][] gradSets = new float[2][];
    private int sets;

    Sgd(EmbeddingBlock block) {
      this.table = block.factors;
      this.dim = block.dim;
    }

    @Override
    void add(int[] rows, float[] grad) {
      rowSets[sets] = rows;
      gradSets[sets++] = grad;
    }

    @Override
    void step(float lr) {
      for (int s = 0; s < sets; s++) Batch.scatterSgd(table, rowSets[s], dim, gradSets[s], lr);
      sets = 0;
    }
  }

  /** Sparse Adam on the rows of one block (see {@link AdamState}). */
  private static final class Adam extends RowOptimizer {
    private final float[] table;
    private final AdamState state;
    private final int dim;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final int[] slotOf;
    private final int[] touched;
    private final float[] gradient;
    private int count;

    Adam(EmbeddingBlock block, int batchRows, float beta1, float beta2, float eps) {
      if (block.adam == null) throw new IllegalStateException("block " + block.block + " has no Adam state");
      this.table = block.factors;
      this.state = block.adam;
      this.dim = block.dim;
      this.beta1 = beta1;
      this.beta2 = beta2;
      this.eps = eps;
      this.slotOf = new int[block.size];
      java.util.Arrays.fill(slotOf, -1);
      this.touched = new int[batchRows];
      this.gradient = new float[batchRows * dim];
    }

    @Override
    void add(int[] rows, float[] grad) {
      for (int k = 0; k < rows.length; k++) {
        int r = rows[k];
        int slot = slotOf[r];
        if (slot < 0) {
          slot = count++;
          slotOf[r] = slot;
          touched[slot] = r;
          System.arraycopy(grad, k * dim, gradient, slot * dim, dim);
        } else {
          for (int j = 0; j < dim; j++) gradient[slot * dim + j] += grad[k * dim + j];
        }
      }
    }

    @Override
    void step(float lr) {
      for (int slot = 0; slot < count; slot++) {
        int r = touched[slot];
        slotOf[r] = -1;
        int t = ++state.updates[r];
        double rootCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr * rootCorrection2 / (1 - Math.pow(beta1, t)));
        // eps is added to the bias-corrected root, as in Kingma and Ba's Algorithm 1 and PyTorch.
        float epsScaled = (float) (eps * rootCorrection2);
        int base = r * dim;
        int g = slot * dim;
        for (int j = 0; j < dim; j++) {
          float grad = gradient[g + j];
          float m = beta1 * state.first[base + j] + (1 - beta1) * grad;
          float v = beta2 * state.second[base + j] + (1 - beta2) * grad * grad;
          state.first[base + j] = m;
          state.second[base + j] = v;
          table[base + j] -= stepSize * m / ((float) Math.sqrt(v) + epsScaled);
        }
      }
      count = 0;
    }
  }
}
