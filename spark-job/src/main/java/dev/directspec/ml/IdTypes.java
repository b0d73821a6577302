package dev.directspec.ml;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The type the ids of each side had when the model was fitted, kept in metadata.json as
 * {@code id_types: {user: int|bigint|string, item: ...}} (Spark SQL type names). A model folder without
 * it (written by {@code train}, or by an older estimator) is addressed by its dense int indices.
 */
final class IdTypes {
  /** No id type recorded: the {@code user} / {@code item} index column is the id. */
  static final String INDEX = "index";

  private IdTypes() {}

  static ObjectNode empty() {
    return JsonNodeFactory.instance.objectNode();
  }

  static String of(ObjectNode training, String side) {
    return training.path("id_types").path(side).asText(INDEX);
  }

  static void set(ObjectNode training, String userType, String itemType) {
    ObjectNode types = training.putObject("id_types");
    types.put("user", userType);
    types.put("item", itemType);
  }
}
