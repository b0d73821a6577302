package dev.directspec.ranking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code evaluate --breakdown} reports (built by {@link BreakdownSums#result}): where a model's recall comes
 * from (users by training degree) and how popular what it recommends is, next to what the test split holds.
 *
 * @param k                     the cut-off of every figure (the largest of eval.ks)
 * @param buckets               non-empty buckets of users by training degree, smallest degrees first
 * @param recommendedItemDegree mean over users of the mean training degree of their top-K items
 * @param testItemDegree        the same for their test items: the popularity the truth has
 * @param itemDegree            mean training degree over all items
 * @param coveredItems          distinct items in any evaluated user's top-K
 * @param numItems              items in the dataset
 */
public record Breakdown(int k, List<Bucket> buckets, double recommendedItemDegree, double testItemDegree,
    double itemDegree, long coveredItems, long numItems) {

  /** One bucket of users: {@code label} is its range of training degrees ("5-9", "200+"). */
  public record Bucket(String label, long users, double recall, double ndcg) {}

  public double coverage() {
    return (double) coveredItems / numItems;
  }

  /** The layout of breakdown.json: key names as in the metrics ({@code recall@20}). */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("k", k);
    List<Map<String, Object>> rows = buckets.stream().map(b -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("training_degree", b.label());
      row.put("users", b.users());
      row.put("recall@" + k, b.recall());
      row.put("ndcg@" + k, b.ndcg());
      return row;
    }).toList();
    out.put("by_user_degree", rows);
    Map<String, Object> popularity = new LinkedHashMap<>();
    popularity.put("recommended_item_degree@" + k, recommendedItemDegree);
    popularity.put("test_item_degree", testItemDegree);
    popularity.put("item_degree", itemDegree);
    popularity.put("coverage@" + k, coverage());
    popularity.put("covered_items", coveredItems);
    popularity.put("items", numItems);
    out.put("popularity", popularity);
    return out;
  }

  /** A short table for the console. */
  public String table() {
    StringBuilder out = new StringBuilder("users by training interactions:\n");
    line(out, "  %-12s %9s %10s %10s", "interactions", "users", "recall@" + k, "ndcg@" + k);
    for (Bucket b : buckets) line(out, "  %-12s %,9d %10.4f %10.4f", b.label(), b.users(), b.recall(), b.ndcg());
    out.append("popularity (training interactions per item):\n");
    line(out, "  %-28s %10.1f", "recommended_item_degree@" + k, recommendedItemDegree);
    line(out, "  %-28s %10.1f", "test_item_degree", testItemDegree);
    line(out, "  %-28s %10.1f", "item_degree", itemDegree);
    line(out, "  %-28s %10.4f  (%,d of %,d items)", "coverage@" + k, coverage(), coveredItems, numItems);
    return out.toString();
  }

  /** Locale.ROOT: the same decimal point and digit grouping on every machine. */
  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
