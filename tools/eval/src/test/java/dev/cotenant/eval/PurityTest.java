package dev.cotenant.eval;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cotenant.fragmentation.FillRun;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.sim.ClusterSimulator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure libraries (interference, placement engine, simulator, fragmentation) run as plain Java
 * in the services, this evaluator and tests alike, so their production classes may not touch
 * framework or infrastructure types: services adapt to them, never the reverse. Checked here, the
 * one module that has them all on its class path.
 *
 * <p>Jupiter tests rather than {@code @ArchTest} fields on purpose: Surefire 3.5.3, the parent's
 * version, silently skips {@code @ArchTest} fields (TNG/ArchUnit#1442), which would make the rule
 * pass without running.
 */
class PurityTest {

  static Stream<Arguments> pureLibraries() {
    return Stream.of(
        Arguments.of("dev.cotenant.interference", MatrixModel.class),
        Arguments.of("dev.cotenant.placement", PlacementEngine.class),
        Arguments.of("dev.cotenant.sim", ClusterSimulator.class),
        Arguments.of("dev.cotenant.fragmentation", FillRun.class));
  }

  @ParameterizedTest(name = "{0} depends on no framework or infrastructure type")
  @MethodSource("pureLibraries")
  void pureLibraryDependsOnNoFrameworkOrInfrastructureTypes(String root, Class<?> anchor) {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(root);
    // Guards against a rule that passes because the import found nothing.
    assertThat(production.contain(anchor)).isTrue();

    noClasses()
        .that()
        .resideInAPackage(root + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "org.apache.kafka..",
            "io.fabric8..",
            "jakarta..",
            "org.hibernate..",
            "io.smallrye..",
            "io.vertx..")
        .check(production);
  }
}
