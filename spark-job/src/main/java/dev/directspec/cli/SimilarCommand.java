package dev.directspec.cli;

import dev.directspec.config.Check;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.ml.DirectSpecRecommenderModel;
import dev.directspec.store.ModelStore;
import dev.directspec.folders.InputDataException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code directspec similar}: the nearest items (or users) of a few ids, by the model's own factors. */
@Command(name = "similar", mixinStandardHelpOptions = true,
    description = {"Most similar items (--items) or users (--users) of the given original ids, by the cosine "
        + "of their factor rows as the model scores them (for LightGCN the propagated rows); the id itself is "
        + "left out.", "Prints a tab-separated table: id, rank (1 = most similar), similar_id, similarity."})
final class SimilarCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  ModelOption model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Query query;

  static final class Query {
    @Option(names = "--items", split = ",", paramLabel = "ID", description = "Original item ids, comma-separated.")
    List<String> items;

    @Option(names = "--users", split = ",", paramLabel = "ID", description = "Original user ids, comma-separated.")
    List<String> users;
  }

  @Option(names = "--k", defaultValue = "20", paramLabel = "K", description = "Neighbours per id (default 20).")
  int k;

  @Override
  public Integer call() throws Exception {
    Check.positive("--k", k);
    Settings settings = common.resolve("similar", null);
    String dir = model.dir();
    ModelStore.inspect(SparkSessions.hadoopConfiguration(settings), dir);
    boolean items = query.items != null;
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(items ? query.items : query.users));
    try (SparkSession spark = SparkSessions.open(settings, "similar", false)) {
      DirectSpecRecommenderModel m = DirectSpecRecommenderModel.load(dir).withOriginalIds();
      String column = items ? m.getItemCol() : m.getUserCol();
      Dataset<Row> wanted = spark.createDataset(ids, Encoders.STRING()).toDF(column);
      Dataset<Row> factors = items ? m.itemFactors() : m.userFactors();
      Set<String> known = new LinkedHashSet<>(factors.join(wanted, factors.col("id").equalTo(wanted.col(column)),
          "left_semi").select("id").as(Encoders.STRING()).collectAsList());
      List<String> unknown = ids.stream().filter(id -> !known.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new InputDataException("model " + dir + " has no " + (items ? "item" : "user") + " with id "
            + String.join(", ", unknown));
      }
      // At most ids x k rows: the answer itself, printed in the order the ids were given.
      Map<String, List<Row>> lists = new HashMap<>();
      for (Row r : (items ? m.similarItems(wanted, k) : m.similarUsers(wanted, k)).collectAsList()) {
        lists.put(r.getString(0), r.getList(1));
      }
      StringBuilder out = new StringBuilder("id\trank\tsimilar_id\tsimilarity\n");
      for (String id : ids) {
        List<Row> list = lists.getOrDefault(id, List.of());
        for (int r = 0; r < list.size(); r++) {
          out.append(id).append('\t').append(r + 1).append('\t').append(list.get(r).getString(0)).append('\t')
              .append(list.get(r).getFloat(1)).append('\n');
        }
      }
      System.out.print(out);
    }
    return 0;
  }
}
