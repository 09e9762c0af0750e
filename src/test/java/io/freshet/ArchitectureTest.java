package io.freshet;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph is the architecture: the wiring at the root, one package per path (read, write,
 * point-in-time, operations, monitoring, the command line), the shared rooms they use below them,
 * and a leaf model under everything. These rules, over the compiled classes, fail the build on the
 * first import that breaks it.
 */
class ArchitectureTest {

  private static final String[] PATHS = {
    "io.freshet.read..",
    "io.freshet.write..",
    "io.freshet.pit..",
    "io.freshet.ops..",
    "io.freshet.monitoring..",
    "io.freshet.cli.."
  };

  private static final String[] ROOMS = {
    "io.freshet.model..",
    "io.freshet.config..",
    "io.freshet.metrics..",
    "io.freshet.transform..",
    "io.freshet.registry..",
    "io.freshet.selection..",
    "io.freshet.freshness..",
    "io.freshet.tier..",
    "io.freshet.http..",
    "io.freshet.encoding..",
    "io.freshet.served..",
    "io.freshet.aggregation.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.freshet");
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("io.freshet.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void wiring_isUsedByNoPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.freshet")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.freshet")
        .check(classes);
  }

  @Test
  void model_isALeaf() {
    noClasses()
        .that()
        .resideInAPackage("io.freshet.model..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.freshet..").and(resideInAPackage("io.freshet.model..").negate()))
        .because("every package may use the model, so it may use none of them")
        .check(classes);
  }

  @Test
  void sharedRooms_neverLookUpAtAPath() {
    noClasses()
        .that()
        .resideInAnyPackage(ROOMS)
        .should()
        .dependOnClassesThat(resideInAnyPackage(PATHS))
        .because("a shared room serves every path, so it cannot know any of them")
        .check(classes);
  }

  /** A read, a write and a snapshot each go down through the rooms, never sideways. */
  @Test
  void paths_neverCallEachOther() {
    for (String path : PATHS) {
      String[] others = Arrays.stream(PATHS).filter(p -> !p.equals(path)).toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(path)
          .should()
          .dependOnClassesThat(resideInAnyPackage(others))
          .check(classes);
    }
  }
}
