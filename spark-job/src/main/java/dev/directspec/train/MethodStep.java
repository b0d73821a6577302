package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.kernels.BatchObjective;
import dev.directspec.kernels.BprObjective;
import dev.directspec.kernels.CoInteraction;
import dev.directspec.kernels.DirectAuObjective;
import dev.directspec.kernels.DirectSpecPlusObjective;
import dev.directspec.kernels.Workspace;
import dev.directspec.settings.TrainSettings;

/**
 * The per-batch part of a training method (Method), bound to one task's blocks: which
 * kernel computes the loss and gradients, and whether it needs sampled negatives. The epoch-end part
 * (the Gram step) is decided by {@link TrainSettings#balancesAtEpochEnd()}.
 */
abstract class MethodStep {
  protected final Workspace workspace = new Workspace();
  private final int negatives;

  /** @param negatives sampled negatives per positive the step reads from the batch, 0 for none */
  MethodStep(int negatives) {
    this.negatives = negatives;
  }

  abstract double lossAndGradient(Batch batch);

  /** Sampled negatives per positive the batch must carry (0: none). */
  final int negativesPerPositive() {
    return negatives;
  }

  static MethodStep create(TrainSettings s, EmbeddingBlock users, EmbeddingBlock items) {
    float shrink = (float) s.method().shrinkNorm();
    float tau = (float) s.method().tau();
    float reg = (float) s.method().reg();
    float negativeWeight = (float) s.method().negativeWeight();
    // bpr always; the DirectSpec+ family only when its loss scores negatives (negative_weight > 0).
    int negatives = s.method().samplesNegatives() ? s.method().negatives() : 0;
    return switch (s.method().kind()) {
      case DIRECTSPEC_PLUS -> {
        var plus = new DirectSpecPlusObjective((float) s.method().alpha(), tau, tau, shrink, reg, negativeWeight);
        yield new Direct(negatives, (b, ws) -> plus.lossAndGradient(b.xu, b.xi, b.size, b.dim, b.gu, b.gi,
            null, null, b.xj, negatives, b.gj, ws));
      }
      case DIRECTSPEC_PLUS_ADAPTIVE -> new Adaptive(
          new DirectSpecPlusObjective((float) s.method().alpha(), tau, tau, shrink, reg, negativeWeight),
          negatives, users, items, (float) s.method().tau0(), (float) s.method().tau1(), s.schedule().batchSize());
      // DirectSpec balances at the epoch-end Gram step; its batches train the plain positive-only loss.
      case DIRECTSPEC, ALIGN -> positive(DirectSpecPlusObjective.align(shrink));
      case BPR -> {
        var bpr = new BprObjective((float) s.method().reg(), negatives);
        yield new Direct(negatives,
            (b, ws) -> bpr.lossAndGradient(b.xu, b.xi, b.xj, b.size, b.dim, b.gu, b.gi, b.gj));
      }
      case DIRECTAU -> positive(new DirectAuObjective((float) s.method().uniformityWeight(), (float) s.method().uniformityT()));
      case ALS -> throw new IllegalStateException("method als is trained by Spark's ALS, not by the epoch loop");
    };
  }

  /** Any positive-pairs-only objective: the "align" loss (DirectSpec's batches) and DirectAU. */
  private static MethodStep positive(BatchObjective objective) {
    return new Direct(0, (b, ws) -> objective.lossAndGradient(b.xu, b.xi, b.size, b.dim, b.gu, b.gi, ws));
  }

  /** One kernel call on the batch's buffers. */
  private interface Kernel {
    double apply(Batch batch, Workspace workspace);
  }

  /** A step that is one kernel call: every method but the adaptive temperature, which fills tau per batch. */
  private static final class Direct extends MethodStep {
    private final Kernel kernel;

    Direct(int negatives, Kernel kernel) {
      super(negatives);
      this.kernel = kernel;
    }

    @Override
    double lossAndGradient(Batch b) {
      return kernel.apply(b, workspace);
    }
  }

  /**
   * DirectSpec+ with the adaptive temperature: tau0 for batch pairs that share a training neighbour,
   * tau1 otherwise, decided per step from the blocks' sparse adjacency (never a |U|^2 or |I|^2 mask).
   */
  private static final class Adaptive extends MethodStep {
    private final DirectSpecPlusObjective objective;
    private final EmbeddingBlock users;
    private final EmbeddingBlock items;
    private final int userNeighbourBound;
    private final int itemNeighbourBound;
    private final float tau0;
    private final float tau1;
    private final CoInteraction coUsers = new CoInteraction();
    private final CoInteraction coItems = new CoInteraction();
    private final float[] tauUsers;
    private final float[] tauItems;

    /** {@code negatives}: sampled negatives per positive, 0 when the objective scores none. */
    Adaptive(DirectSpecPlusObjective objective, int negatives, EmbeddingBlock users, EmbeddingBlock items, float tau0,
        float tau1, int batch) {
      super(negatives);
      this.objective = objective;
      this.users = users;
      this.items = items;
      this.userNeighbourBound = maxNeighbour(users) + 1;
      this.itemNeighbourBound = maxNeighbour(items) + 1;
      this.tau0 = tau0;
      this.tau1 = tau1;
      this.tauUsers = new float[batch * batch];
      this.tauItems = new float[batch * batch];
    }

    private static int maxNeighbour(EmbeddingBlock block) {
      int max = 0;
      for (int n : block.neighbours) max = Math.max(max, n);
      return max;
    }

    @Override
    double lossAndGradient(Batch b) {
      coUsers.fill(users.offsets, users.neighbours, userNeighbourBound, b.users, b.size, tau0, tau1, tauUsers);
      coItems.fill(items.offsets, items.neighbours, itemNeighbourBound, b.items, b.size, tau0, tau1, tauItems);
      return objective.lossAndGradient(b.xu, b.xi, b.size, b.dim, b.gu, b.gi, tauUsers, tauItems, b.xj,
          negativesPerPositive(), b.gj, workspace);
    }
  }
}
