package dev.directspec.settings;

import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;

import java.io.Serializable;
import java.util.List;

/** When and at which cut-offs the trainer evaluates: train.eval_every, train.eval_at_end and eval.ks. */
public record EvalSettings(int evalEvery, boolean evalAtEnd, List<Integer> ks) implements Serializable {
  public EvalSettings {
    Check.nonNegative("train.eval_every", evalEvery);
    if (ks.isEmpty()) throw new SettingsException("eval.ks must not be empty");
    for (int k : ks) Check.positive("eval.ks", k);
    ks = List.copyOf(ks);
  }

  public int maxK() {
    return ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }
}
