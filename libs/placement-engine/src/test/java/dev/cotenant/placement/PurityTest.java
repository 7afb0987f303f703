package dev.cotenant.placement;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The engine runs as plain Java in the placement service, the evaluator and tests alike, so its
 * production classes may not touch framework or infrastructure types.
 *
 * <p>A Jupiter {@code @Test} rather than an {@code @ArchTest} field on purpose: Surefire 3.5.3, the
 * parent's version, silently skips {@code @ArchTest} fields (TNG/ArchUnit#1442), which would make
 * this rule pass without running.
 */
class PurityTest {

  static final ArchRule ENGINE_IS_PURE_JAVA =
      noClasses()
          .that()
          .resideInAPackage("dev.cotenant.placement..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.quarkus..",
              "org.apache.kafka..",
              "io.fabric8..",
              "jakarta..",
              "org.hibernate..",
              "io.smallrye..",
              "io.vertx..");

  @Test
  void engineDependsOnNoFrameworkOrInfrastructureTypes() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cotenant.placement");
    // Guards against a rule that passes because the import found nothing.
    assertThat(production.contain(PlacementEngine.class)).isTrue();

    ENGINE_IS_PURE_JAVA.check(production);
  }
}
