package org.healthcode.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Guards the module's class path against the RocksDB split-package trap (BUILD-NOTES): upstream rocksdbjni is here
 * for the StatusView benchmark, so Flink and its frocksdb must never be; risk-model contributes only its jar.
 */
class ClassPathTest {
    @Test
    void flinkIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("org.apache.flink.api.common.JobID"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void rocksDbComesFromUpstreamRocksdbjni() throws Exception {
        Class<?> rocks = Class.forName("org.rocksdb.RocksDB");
        assertThat(rocks.getProtectionDomain().getCodeSource().getLocation().toString())
                .contains("rocksdbjni-")
                .doesNotContain("frocksdb");
    }

    @Test
    void theRuleClassesOfRiskModelLoadWithoutFlink() throws Exception {
        Class<?> ruleSet = Class.forName("org.healthcode.risk.rules.RuleSet");
        Object defaults = ruleSet.getMethod("defaults").invoke(null);
        assertThat(defaults).isNotNull();
    }
}
