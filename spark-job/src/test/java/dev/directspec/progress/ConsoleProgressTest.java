package dev.directspec.progress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsoleProgressTest {
  @Test
  void lineShowsBarCountsElapsedEstimateAndStage() {
    // 10 of 40 epochs in 30 s: 25% of the 24-character bar is 6 '=', and 30 epochs at 3 s each remain.
    assertEquals("train directspec+ [======                  ] 10/40 epochs  0:30, about 1:30 left"
            + "  | epoch 11/40: stratum 1/2 cells: tasks 1/2",
        ConsoleProgress.render("train directspec+", 10, 40, "epochs", 30.0, "epoch 11/40: stratum 1/2 cells: tasks 1/2"));
  }

  @Test
  void withoutUnitsOnlyTimeAndStage() {
    assertEquals("recommend top-20  1:05:00  | recommend: tasks 3/8",
        ConsoleProgress.render("recommend top-20", 0, 0, "", 3900.0, "recommend: tasks 3/8"));
    assertEquals("train [========================] 5/5 epochs  0:07", ConsoleProgress.render("train", 5, 5, "epochs", 7.2, ""));
  }
}
