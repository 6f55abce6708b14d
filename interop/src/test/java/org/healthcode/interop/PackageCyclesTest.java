package org.healthcode.interop;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * interop's packages form layers: {@code security} (who calls) and {@code store} at the bottom, then {@code audit},
 * {@code http} (routes, access control, errors), the handlers' packages, and the wiring in this package on top. A
 * cycle between two packages fails here.
 */
class PackageCyclesTest {
    @Test
    void interopPackagesAreFreeOfCycles() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.healthcode.interop");
        slices().matching("org.healthcode.interop.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
