package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.graph.Propagation;
import dev.directspec.settings.TrainSettings;
import dev.directspec.spectrum.Spectrum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LightGCN epochs (docs/method.md 5) on the MF machinery. The schedule, per round (train.rounds per epoch):
 * <ol>
 *   <li>the propagated table {@code F = sum_k w_k A_hat^k E} is current (one sparse exchange per layer);</li>
 *   <li>the P strata run the method's mini-batch steps (train.optimizer; Adam's moments stay with the
 *       rows of F) on the rows of F, exactly as for MF, moving F to F';</li>
 *   <li>the movement goes back through the propagation by the chain rule, {@code E += P_w (F' - F)} with
 *       {@code P_w = sum_k w_k A_hat^k} (symmetric, so the forward operator is its own transpose): for
 *       one SGD step this is exactly SGD on E; within a round the steps see F as fixed (stale by at most
 *       one round). train.base_update = preconditioned uses {@code E += F' - F} instead, smoothed
 *       {@code E += P_w^n (F' - F)} with n = train.smoothing_passes (both still descent directions, P_w
 *       being positive semi-definite); train.base_step scales the movement added to E;</li>
 *   <li>{@code F} is propagated again from the new E.</li>
 * </ol>
 * Propagation costs 2K exchanges per round instead of per step, which is what makes full propagation
 * affordable without a dense graph. The epoch-end Gram step of {@code directspec} balances the
 * spectrum of the propagated table (the one that is scored and that collapses): its T is computed from
 * F' and applied to F' before the movement goes back to E.
 */
final class LightGcnRounds {
  private final JavaSparkContext sc;
  private final TrainSettings settings;
  private final BlockLayout layout;
  private final EpochLoop trainer;
  private final Strata strata;

  LightGcnRounds(JavaSparkContext sc, TrainSettings settings, BlockLayout layout, EpochLoop trainer,
      Strata strata) {
    this.sc = sc;
    this.settings = settings;
    this.layout = layout;
    this.trainer = trainer;
    this.strata = strata;
  }

  EpochLoop.Result train(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, int firstEpoch,
      EpochLoop.EpochListener listener) {
    Propagation propagation = new Propagation(users, items, layout.numBlocks, settings.model().dim(), settings.lightGcn().layers(),
        settings.lightGcn().layerCombination().key());
    sc.setJobDescription("propagate the initial table (" + settings.lightGcn().layers() + " layers)");
    Propagation.Tables base = new Propagation.Tables(users, items);
    Propagation.Tables initial = base; // the caller's cached blocks, freed once the first round has used them
    Propagation.Tables propagated = propagation.propagate(base, "propagated table", false);
    if (settings.optimizer().usesAdam()) {
      // Moments restored from a checkpoint arrive on the base blocks; they belong to the propagated rows.
      propagated = withAdamOf(propagated, base, "propagated table", false);
      base = withoutAdam(base);
    }
    for (int epoch = firstEpoch; epoch < settings.schedule().epochs(); epoch++) {
      long start = System.nanoTime();
      List<List<EpochSums>> roundLosses = new ArrayList<>();
      PhaseClock clock = new PhaseClock();
      for (int round = 0; round < settings.schedule().rounds(); round++) {
        State next = round(propagation, base, propagated, epoch, round, clock, roundLosses);
        initial.unpersist();
        base = next.base();
        propagated = next.propagated();
      }
      EpochSums sums = epochSums(roundLosses, propagated);
      FactorNorms norms = DivergenceGuard.check(epoch + 1, sums, layout, settings);
      double[] sigmaUsers = Spectrum.of(sums.gramUsers(), settings.model().dim()).singularValues();
      double[] sigmaItems = Spectrum.of(sums.gramItems(), settings.model().dim()).singularValues();
      clock.lap("spectrum");
      if (trainer.cutsLineage(epoch)) {
        // Drops the last round's cached outcome, which still reaches the epochs before the cut, so that the
        // collection frees their shuffle files now, not after the next epoch's first stratum.
        strata.cutLineage();
        clock.lap("lineage_cut");
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      EpochReport report = new EpochReport(epoch + 1, sums.meanLoss(), trainSeconds,
          settings.optimizer().learningRate(epoch), sigmaUsers, sigmaItems, clock.seconds(), norms);
      listener.onEpoch(report, result(base, propagated));
    }
    return result(base, propagated);
  }

  /**
   * One round: the strata's steps on the rows of F, the movement back to E, F propagated again. Returns the
   * new tables; the given ones are freed. Its own frame holds the round's intermediate tables, so they are
   * unreachable once it returns.
   */
  private State round(Propagation propagation, Propagation.Tables base, Propagation.Tables propagated,
      int epoch, int round, PhaseClock clock, List<List<EpochSums>> roundLosses) {
    trainer.describe(epoch, ", round " + (round + 1) + " steps");
    JavaRDD<BlockPair> end = strata.run(strata.pairs(propagated.users(), propagated.items()), epoch,
        round * layout.numBlocks, layout.numBlocks, false);
    // One loss per user block (P figures): collected now, so that the round's outcome need not stay cached.
    roundLosses.add(end.map(o -> new EpochSums(null, null, o.lossSum(), o.steps())).collect());
    strata.settled(end);
    clock.lap("steps");
    Propagation.Tables trained = new Propagation.Tables(strata.users(end.map(BlockPair::users)),
        strata.items(strata.homeItems(end, epoch)));
    Propagation.Tables balanced = null;
    if (round == settings.schedule().rounds() - 1 && settings.method().balancesAtEpochEnd()) {
      trained = trained.persist("trained propagated table");
      balanced = trained;
      trained = balance(trained);
      clock.lap("gram_step");
    }
    boolean cut = round == settings.schedule().rounds() - 1 && trainer.cutsLineage(epoch);
    trainer.describe(epoch, ", round " + (round + 1) + " back-propagation");
    Propagation.Tables difference = difference(trained, propagated);
    Propagation.Tables movement = difference;
    for (int pass = 1; pass <= settings.lightGcn().movementPasses(); pass++) {
      Propagation.Tables smoother = propagation.propagate(movement, "base movement (pass " + pass + ")", false);
      // Each pass persists its result; the difference itself is never persisted.
      if (pass > 1) movement.unpersist();
      movement = smoother;
    }
    clock.lap("back_propagation");
    double step = settings.lightGcn().baseStep();
    Propagation.Tables nextBase = new Propagation.Tables(
        Propagation.addScaled(base.users(), movement.users(), step),
        Propagation.addScaled(base.items(), movement.items(), step)).persist("base table e" + (epoch + 1));
    if (cut) {
      // The base table carries every earlier round in its lineage; cutting it bounds recovery. Written now,
      // not by the next epoch's first job that reaches it, so that the cut releases the older rounds at once.
      nextBase.users().checkpoint();
      nextBase.items().checkpoint();
      nextBase.materialize();
      clock.lap("lineage_cut");
    }
    trainer.describe(epoch, ", round " + (round + 1) + " propagation");
    Propagation.Tables nextPropagated = propagation.propagate(nextBase, "propagated table e" + (epoch + 1), cut);
    if (settings.optimizer().usesAdam()) {
      nextPropagated = withAdamOf(nextPropagated, trained, "propagated table e" + (epoch + 1), cut);
    }
    clock.lap("propagation");
    movement.unpersist();
    if (balanced != null) balanced.unpersist();
    base.unpersist();
    propagated.unpersist();
    return new State(nextBase, nextPropagated);
  }

  /** The base table E and its propagation F after a round. */
  private record State(Propagation.Tables base, Propagation.Tables propagated) {}

  /** Wall seconds per phase of an epoch, summed over rounds (each phase ends with its own Spark job). */
  private static final class PhaseClock {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last = System.nanoTime();

    void lap(String phase) {
      long now = System.nanoTime();
      seconds.merge(phase, (now - last) / 1e9, Double::sum);
      last = now;
    }

    Map<String, Double> seconds() {
      return seconds;
    }
  }

  private EpochLoop.Result result(Propagation.Tables base, Propagation.Tables propagated) {
    return new EpochLoop.Result(propagated.users(), propagated.items(), base.users(), base.items(),
        strata::release);
  }

  /**
   * The propagated rows keep the Adam moments they had when they were trained (the optimiser state
   * belongs to the rows of F that the steps move). Persisted and computed here so that the state does
   * not keep the round's cell outcomes in the lineage.
   */
  private static Propagation.Tables withAdamOf(Propagation.Tables propagated, Propagation.Tables trained,
      String name, boolean checkpoint) {
    Propagation.Tables carried = new Propagation.Tables(
        propagated.users().zipPartitions(trained.users(),
            (p, t) -> List.of(p.next().withAdam(t.next().adam)).iterator()),
        propagated.items().zipPartitions(trained.items(),
            (p, t) -> List.of(p.next().withAdam(t.next().adam)).iterator()))
        .persist(name);
    if (checkpoint) {
      carried.users().checkpoint();
      carried.items().checkpoint();
    }
    carried.materialize();
    propagated.unpersist();
    return carried;
  }

  private static Propagation.Tables withoutAdam(Propagation.Tables t) {
    return new Propagation.Tables(t.users().map(b -> b.withAdam(null)), t.items().map(b -> b.withAdam(null)));
  }

  private static Propagation.Tables difference(Propagation.Tables after, Propagation.Tables before) {
    return new Propagation.Tables(Propagation.addScaled(after.users(), before.users(), -1),
        Propagation.addScaled(after.items(), before.items(), -1));
  }

  /** The DirectSpec Gram step on the trained propagated rows (one d x d reduction per table). */
  private Propagation.Tables balance(Propagation.Tables t) {
    EpochSums grams = gramSums(t).treeReduce(EpochSums::merge);
    GramStep.Balance u = GramStep.allPassKeepingEnergy(Spectrum.of(grams.gramUsers(), settings.model().dim()),
        settings.method().gramAlpha());
    GramStep.Balance i = GramStep.allPassKeepingEnergy(Spectrum.of(grams.gramItems(), settings.model().dim()),
        settings.method().gramAlpha());
    return new Propagation.Tables(EpochLoop.applyBalance(t.users(), sc.broadcast(u.t())),
        EpochLoop.applyBalance(t.items(), sc.broadcast(i.t())));
  }

  /**
   * The loss of every round and the Gram matrices of the propagated table, in one job. The rounds' losses
   * are one partition per user block, as the Gram matrices are, so the sums are added in the same order
   * as when the rounds' outcomes were read from the cache.
   */
  private EpochSums epochSums(List<List<EpochSums>> roundLosses, Propagation.Tables propagated) {
    JavaRDD<EpochSums> parts = gramSums(propagated);
    for (List<EpochSums> losses : roundLosses) {
      parts = parts.union(sc.parallelize(losses, losses.size()));
    }
    return parts.treeReduce(EpochSums::merge);
  }

  private static JavaRDD<EpochSums> gramSums(Propagation.Tables t) {
    return t.users().zipPartitions(t.items(),
        (uIt, iIt) -> List.of(EpochSums.ofBlocks(uIt.next(), iIt.next(), 0, 0)).iterator());
  }
}
