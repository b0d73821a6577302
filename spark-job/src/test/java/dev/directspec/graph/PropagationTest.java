package dev.directspec.graph;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.FactorInit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed propagation against a direct computation from the edge list in doubles, and the
 * gradient it carries back against finite differences of a loss on the propagated rows.
 */
class PropagationTest {
  static final int USERS = 23;
  static final int ITEMS = 17;
  static final int DIM = 4;
  static final int BLOCKS = 3;
  static SparkSession spark;
  static List<int[]> edges;
  static BlockLayout.Tables tables;

  @BeforeAll
  static void graph() {
    spark = SparkSession.builder().master("local[2]").appName("propagation-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate();
    SplittableRandom rng = new SplittableRandom(11);
    Set<Long> seen = new LinkedHashSet<>();
    // Users 20..22 and item 16 stay isolated: their rows must propagate to zero, not NaN.
    while (seen.size() < 70) seen.add((long) rng.nextInt(20) * ITEMS + rng.nextInt(ITEMS - 1));
    edges = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (long e : seen) {
      edges.add(new int[] {(int) (e / ITEMS), (int) (e % ITEMS)});
      rows.add(RowFactory.create((int) (e / ITEMS), (int) (e % ITEMS)));
    }
    StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
    Dataset<Row> train = spark.createDataFrame(rows, schema);
    tables = BlockLayout.build(train, USERS, ITEMS, BLOCKS, DIM, 8, new FactorInit(5));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void propagationMatchesADirectSparseComputation() {
    for (String combination : List.of("sum", "mean")) {
      Propagation p = new Propagation(tables.users(), tables.items(), BLOCKS, DIM, 3, combination);
      Propagation.Tables f = p.propagate(new Propagation.Tables(tables.users(), tables.items()), "f", false);
      double[][] e = stacked(tables.users(), tables.items());
      double[][] expected = direct(e, Propagation.layerWeights(3, combination));
      double[][] actual = stacked(f.users(), f.items());
      double maxError = 0;
      for (int v = 0; v < expected.length; v++) {
        for (int j = 0; j < DIM; j++) {
          maxError = Math.max(maxError, Math.abs(expected[v][j] - actual[v][j]) / Math.max(1, Math.abs(expected[v][j])));
        }
      }
      assertTrue(maxError < 1e-5, combination + ": max relative error " + maxError);
      for (int j = 0; j < DIM; j++) {
        assertEquals(e[USERS - 1][j] * (combination.equals("sum") ? 1 : 0.25), actual[USERS - 1][j], 1e-7,
            "an isolated user keeps only its layer-0 row");
      }
    }
  }

  /**
   * L(E) = -sum_b log sigmoid(f_u . f_i) over a fixed batch of pairs, F = P_w E. The gradient the
   * trainer uses is P_w applied to dL/dF (the same operator, A_hat being symmetric); central finite
   * differences of L through the direct propagation must agree.
   */
  @Test
  void gradientThroughThePropagationMatchesFiniteDifferences() {
    double[] w = Propagation.layerWeights(3, "mean");
    Propagation p = new Propagation(tables.users(), tables.items(), BLOCKS, DIM, 3, "mean");
    double[][] e = stacked(tables.users(), tables.items());
    int[][] batch = {{0, 3}, {4, 9}, {7, 3}, {12, 15}, {19, 0}};
    double[][] f = direct(e, w);
    double[][] gradF = new double[e.length][DIM];
    for (int[] pair : batch) {
      double[] fu = f[pair[0]];
      double[] fi = f[USERS + pair[1]];
      double s = 1 / (1 + Math.exp(dot(fu, fi)));
      for (int j = 0; j < DIM; j++) {
        gradF[pair[0]][j] -= s * fi[j];
        gradF[USERS + pair[1]][j] -= s * fu[j];
      }
    }
    Propagation.Tables g = p.propagate(tables(gradF), "gradient", false);
    double[][] gradE = stacked(g.users(), g.items());
    double h = 1e-5;
    double maxError = 0;
    for (int v = 0; v < e.length; v += 2) {
      for (int j = 0; j < DIM; j++) {
        double keep = e[v][j];
        e[v][j] = keep + h;
        double plus = loss(direct(e, w), batch);
        e[v][j] = keep - h;
        double minus = loss(direct(e, w), batch);
        e[v][j] = keep;
        double numeric = (plus - minus) / (2 * h);
        maxError = Math.max(maxError, Math.abs(numeric - gradE[v][j]) / Math.max(1e-3, Math.abs(numeric)));
      }
    }
    assertTrue(maxError < 1e-4, "max relative error of dL/dE " + maxError);
  }

  private static double loss(double[][] f, int[][] batch) {
    double l = 0;
    for (int[] pair : batch) l += Math.log1p(Math.exp(-dot(f[pair[0]], f[USERS + pair[1]])));
    return l;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += a[j] * b[j];
    return s;
  }

  /** sum_k w_k A_hat^k E straight from the edge list, users stacked above items. */
  private static double[][] direct(double[][] e, double[] w) {
    int[] degree = new int[USERS + ITEMS];
    for (int[] edge : edges) {
      degree[edge[0]]++;
      degree[USERS + edge[1]]++;
    }
    double[][] sum = new double[e.length][DIM];
    double[][] layer = e;
    for (int k = 0; k < w.length; k++) {
      if (k > 0) {
        double[][] next = new double[e.length][DIM];
        for (int[] edge : edges) {
          int u = edge[0];
          int i = USERS + edge[1];
          double a = 1 / Math.sqrt((double) degree[u] * degree[i]);
          for (int j = 0; j < DIM; j++) {
            next[u][j] += a * layer[i][j];
            next[i][j] += a * layer[u][j];
          }
        }
        layer = next;
      }
      for (int v = 0; v < e.length; v++) {
        for (int j = 0; j < DIM; j++) sum[v][j] += w[k] * layer[v][j];
      }
    }
    return sum;
  }

  /** The blocks' rows as one table in doubles, users then items (collected: a test-sized graph). */
  private static double[][] stacked(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items) {
    double[][] out = new double[USERS + ITEMS][DIM];
    for (EmbeddingBlock b : users.collect()) copy(b, out, 0);
    for (EmbeddingBlock b : items.collect()) copy(b, out, USERS);
    return out;
  }

  private static void copy(EmbeddingBlock b, double[][] out, int offset) {
    for (int r = 0; r < b.size; r++) {
      for (int j = 0; j < DIM; j++) out[offset + b.globalId(r)][j] = b.factors[r * DIM + j];
    }
  }

  /** A stacked table as blocks with the layout's adjacency. */
  private static Propagation.Tables tables(double[][] x) {
    return new Propagation.Tables(tables.users().map(b -> withRows(b, x, 0)),
        tables.items().map(b -> withRows(b, x, USERS)));
  }

  private static EmbeddingBlock withRows(EmbeddingBlock b, double[][] x, int offset) {
    float[] f = new float[b.size * DIM];
    for (int r = 0; r < b.size; r++) {
      for (int j = 0; j < DIM; j++) f[r * DIM + j] = (float) x[offset + b.globalId(r)][j];
    }
    return b.withFactors(f);
  }
}
