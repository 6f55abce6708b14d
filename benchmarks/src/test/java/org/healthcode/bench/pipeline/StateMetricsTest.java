package org.healthcode.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateMetricsTest {
    @Test
    void sumsLiveDataByColumnFamilyOverSubtasksAndLiveSstFilesInAll() {
        String scrape = """
                # HELP flink_taskmanager_job_task_operator_rocksdb_estimate_live_data_size estimate
                # TYPE flink_taskmanager_job_task_operator_rocksdb_estimate_live_data_size gauge
                flink_taskmanager_job_task_operator_rocksdb_estimate_live_data_size{column_family="phone",subtask_index="0",} 1000.0
                flink_taskmanager_job_task_operator_rocksdb_estimate_live_data_size{column_family="phone",subtask_index="1",} 24.0
                flink_taskmanager_job_task_operator_rocksdb_estimate_live_data_size{column_family="person",subtask_index="0",} 5.0E3
                flink_taskmanager_job_task_operator_rocksdb_live_sst_files_size{column_family="phone",subtask_index="0",} 2048.0
                flink_taskmanager_job_task_operator_numRecordsIn{subtask_index="0",} 7.0
                """;
        StateMetrics.Sizes s = StateMetrics.parse(scrape);
        assertThat(s.liveDataByFamily())
                .containsEntry("phone", 1024L)
                .containsEntry("person", 5000L)
                .hasSize(2);
        assertThat(s.liveData()).isEqualTo(6024);
        assertThat(s.liveSstFiles()).isEqualTo(2048);
    }
}
