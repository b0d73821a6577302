package dev.directspec.train;

import dev.directspec.kernels.DirectSpecPlusObjective;
import dev.directspec.kernels.Workspace;

/**
 * The per-batch part of a training method (TrainSettings.Method), bound to one task's blocks: which
 * kernel computes the loss and gradients, and whether it needs sampled negatives. The epoch-end part
 * (the Gram step) is decided by {@link TrainSettings#balancesAtEpochEnd()}.
 */
abstract class MethodStep {
  protected final Workspace workspace = new Workspace();

  abstract double lossAndGradient(Batch batch);

  boolean needsNegatives() {
    return false;
  }

  static MethodStep create(TrainSettings s, EmbeddingBlock users, EmbeddingBlock items) {
    float shrink = (float) s.shrinkNorm();
    return switch (s.method()) {
      case DIRECTSPEC_PLUS -> new Filtered(new DirectSpecPlusObjective((float) s.alpha(), (float) s.tau(),
          (float) s.tau(), shrink));
      // DirectSpec balances at the epoch-end Gram step; its batches train the plain positive-only loss.
      case DIRECTSPEC, ALIGN -> new Filtered(DirectSpecPlusObjective.align(shrink));
      default -> throw new UnsupportedOperationException("method " + s.method().key + " is not available yet");
    };
  }

  /** DirectSpec+ family: in-batch filter (possibly alpha = 0) and the positive-only loss. */
  private static final class Filtered extends MethodStep {
    private final DirectSpecPlusObjective objective;

    Filtered(DirectSpecPlusObjective objective) {
      this.objective = objective;
    }

    @Override
    double lossAndGradient(Batch b) {
      return objective.lossAndGradient(b.xu, b.xi, b.size, b.dim, b.gu, b.gi, workspace);
    }
  }
}
