package dev.directspec.graph;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.ShiftPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * LightGCN's propagation {@code F = sum_k w_k A_hat^k E} (docs/method.md 5) over the blocked tables, with
 * no matrix of the graph anywhere: each layer is one exchange of d-vectors along edges, user blocks
 * to item blocks and back, routed by {@link GraphRouting} so that a block receives only the rows it
 * needs. {@code A_hat} is symmetric, so the same operator carries gradients back to the base table.
 *
 * <p>Inputs and outputs keep the trainer's arrangement: partition b holds block b of each table.
 */
public final class Propagation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numBlocks;
  private final int dim;
  private final double[] layerWeights;
  private final JavaRDD<GraphRouting> userRouting;
  private final JavaRDD<GraphRouting> itemRouting;

  /** Users and items of one table pair, each with partition b = block b. */
  public record Tables(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items) {
    public Tables persist(String name) {
      return new Tables(users.setName(name + " (users)").persist(StorageLevel.MEMORY_AND_DISK()),
          items.setName(name + " (items)").persist(StorageLevel.MEMORY_AND_DISK()));
    }

    public void unpersist() {
      users.unpersist(false);
      items.unpersist(false);
    }

    /** Computes both tables in one job (writing their checkpoints if they are marked for one). */
    public void materialize() {
      users.zipPartitions(items, (u, i) -> List.of(0).iterator()).count();
    }
  }

  /**
   * @param layers      K
   * @param combination "sum" (weights 1, the DirectSpec code) or "mean" (1/(K+1), LightGCN)
   */
  public Propagation(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, int numBlocks, int dim,
      int layers, String combination) {
    this.numBlocks = numBlocks;
    this.dim = dim;
    this.layerWeights = layerWeights(layers, combination);
    this.userRouting = users.map(GraphRouting::of).setName("user routing").persist(StorageLevel.MEMORY_AND_DISK());
    this.itemRouting = items.map(GraphRouting::of).setName("item routing").persist(StorageLevel.MEMORY_AND_DISK());
  }

  public static double[] layerWeights(int layers, String combination) {
    double[] w = new double[layers + 1];
    java.util.Arrays.fill(w, combination.equals("mean") ? 1.0 / (layers + 1) : 1.0);
    return w;
  }

  /**
   * {@code sum_k w_k A_hat^k X}; the result is persisted and computed (checkpointed first when
   * {@code checkpoint}, to cut the lineage), the intermediate layers freed.
   */
  public Tables propagate(Tables x, String name, boolean checkpoint) {
    Tables sum = scaled(x, layerWeights[0]);
    Tables current = x;
    List<Tables> intermediate = new ArrayList<>();
    for (int k = 1; k < layerWeights.length; k++) {
      current = layer(current).persist(name + ": layer " + k);
      intermediate.add(current);
      sum = addScaled(sum, current, layerWeights[k]);
    }
    Tables result = sum.persist(name);
    if (checkpoint) {
      result.users().checkpoint();
      result.items().checkpoint();
    }
    result.materialize();
    intermediate.forEach(Tables::unpersist);
    return result;
  }

  /** One multiplication by A_hat: users from items, items from users. */
  public Tables layer(Tables x) {
    return new Tables(receive(send(x.items(), itemRouting), userRouting),
        receive(send(x.users(), userRouting), itemRouting));
  }

  /** Source block c's messages, keyed by the destination block of the other table. */
  private JavaPairRDD<Integer, Tuple2<Integer, float[]>> send(JavaRDD<EmbeddingBlock> blocks,
      JavaRDD<GraphRouting> routing) {
    int p = numBlocks;
    JavaRDD<Tuple2<Integer, Tuple2<Integer, float[]>>> messages = blocks.zipPartitions(routing, (bIt, rIt) -> {
      EmbeddingBlock b = bIt.next();
      GraphRouting r = rIt.next();
      List<Tuple2<Integer, Tuple2<Integer, float[]>>> out = new ArrayList<>();
      for (int t = 0; t < p; t++) {
        if (r.sendsTo(t)) out.add(new Tuple2<>(t, new Tuple2<>(b.block, r.pack(b.factors, b.dim, t))));
      }
      return out.iterator();
    });
    return JavaPairRDD.fromJavaRDD(messages).partitionBy(new ShiftPartitioner(p, 0));
  }

  private JavaRDD<EmbeddingBlock> receive(JavaPairRDD<Integer, Tuple2<Integer, float[]>> messages,
      JavaRDD<GraphRouting> routing) {
    int p = numBlocks;
    int dim = this.dim;
    return messages.values().zipPartitions(routing, (mIt, rIt) -> {
      GraphRouting r = rIt.next();
      float[][] bySource = new float[p][];
      while (mIt.hasNext()) {
        Tuple2<Integer, float[]> m = mIt.next();
        bySource[m._1()] = m._2();
      }
      return List.of(new EmbeddingBlock(r.block, p, r.size, dim, r.receive(bySource, dim), r.offsets,
          r.neighbours)).iterator();
    });
  }

  private static Tables scaled(Tables x, double w) {
    return new Tables(x.users().map(b -> scale(b, w)), x.items().map(b -> scale(b, w)));
  }

  private static EmbeddingBlock scale(EmbeddingBlock b, double w) {
    float[] f = new float[b.factors.length];
    for (int k = 0; k < f.length; k++) f[k] = (float) (b.factors[k] * w);
    return b.withFactors(f);
  }

  private static Tables addScaled(Tables a, Tables b, double w) {
    return new Tables(addScaled(a.users(), b.users(), w), addScaled(a.items(), b.items(), w));
  }

  /** {@code a + w b} block by block (both with partition b = block b). */
  public static JavaRDD<EmbeddingBlock> addScaled(JavaRDD<EmbeddingBlock> a, JavaRDD<EmbeddingBlock> b, double w) {
    return a.zipPartitions(b, (aIt, bIt) -> {
      EmbeddingBlock x = aIt.next();
      EmbeddingBlock y = bIt.next();
      float[] f = new float[x.factors.length];
      for (int k = 0; k < f.length; k++) f[k] = (float) (x.factors[k] + w * y.factors[k]);
      return List.of(x.withFactors(f)).iterator();
    });
  }
}
