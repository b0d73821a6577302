package dev.directspec;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package floors of docs/design.md ("Package floors"), checked on the bytecode of the common, data-prep
 * and spark-job modules: a package depends only on packages of its own floor or the floors below, and no
 * two packages depend on each other, directly or around a circle.
 */
class PackageFloorsTest {
  /** Bottom to top; a floor may use the floors before it in this list. */
  static final List<List<String>> FLOORS = List.of(
      List.of("config", "folders"),                                // common module: settings, folders
      List.of("blocks", "kernels", "spectrum", "ranking", "progress"), // core types and the math
      List.of("settings"),                                         // typed, validated settings
      List.of("graph", "eval", "store", "report", "export"),       // services over blocks
      List.of("train"),                                            // the epoch loops
      List.of("baseline"),                                         // Spark ALS, written like a run
      List.of("job", "prep"),                                      // the jobs: train, prep
      List.of("tune"),                                             // tuning: many trainings
      List.of("compare", "ml", "cli"));                            // entry points

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.directspec");
  }

  @Test
  void noPackageUsesAFloorAboveIt() {
    LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (int floor = 0; floor < FLOORS.size(); floor++) {
      rule = rule.layer(name(floor)).definedBy(packages(FLOORS.get(floor)));
    }
    for (int floor = 0; floor < FLOORS.size() - 1; floor++) {
      String[] above = new String[FLOORS.size() - floor - 1];
      for (int up = floor + 1; up < FLOORS.size(); up++) above[up - floor - 1] = name(up);
      rule = rule.whereLayer(name(floor)).mayOnlyBeAccessedByLayers(above);
    }
    rule.whereLayer(name(FLOORS.size() - 1)).mayNotBeAccessedByAnyLayer().check(classes);
  }

  @Test
  void packagesFormNoCircles() {
    slices().matching("dev.directspec.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void everyPackageHasAFloor() {
    // A new package must be placed on a floor, or the rules above would not see it.
    List<String> placed = FLOORS.stream().flatMap(List::stream).toList();
    List<String> unplaced = classes.stream()
        .map(c -> c.getPackageName())
        .filter(p -> p.startsWith("dev.directspec."))
        .map(p -> p.substring("dev.directspec.".length()).split("\\.")[0])
        .distinct()
        .filter(p -> !placed.contains(p))
        .toList();
    if (!unplaced.isEmpty()) {
      throw new AssertionError("packages on no floor (add them to FLOORS and docs/design.md): " + unplaced);
    }
  }

  private static String name(int floor) {
    return "floor " + floor + " " + FLOORS.get(floor);
  }

  private static String[] packages(List<String> names) {
    return names.stream().map(n -> "dev.directspec." + n + "..").toArray(String[]::new);
  }
}
