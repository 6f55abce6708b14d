package org.healthcode.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateMetricsTest {
    /**
     * Lines as Flink 2.2.1's Prometheus reporter writes RocksDB's native metrics with column-family-as-variable
     * (captured from a keyed job on a MiniCluster; job, task and attempt ids shortened).
     */
    private static final String SCRAPE = """
            # HELP flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size \
            rocksdb.estimate-live-data-size (scope: taskmanager_job_task_operator_column_family)
            # TYPE flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size gauge
            flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size{job_id="96747146",\
            column_family="counted",task_id="93b2f076",task_attempt_id="8c94_93b2_1_0",host="",operator_id="93b2f076",\
            operator_name="person_risk",task_name="person_risk____Sink:_Writer",task_attempt_num="0",job_name="x",\
            tm_id="8d40a892",subtask_index="1",} 566316.0
            flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size{job_id="96747146",\
            column_family="counted",task_id="93b2f076",task_attempt_id="8c94_93b2_0_0",host="",operator_id="93b2f076",\
            operator_name="person_risk",task_name="person_risk____Sink:_Writer",task_attempt_num="0",job_name="x",\
            tm_id="8d40a892",subtask_index="0",} 568622.0
            flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size{job_id="96747146",\
            column_family="counted",task_id="11aa",task_attempt_id="77_11aa_0_0",host="",operator_id="11aa",\
            operator_name="companions",task_name="companions",task_attempt_num="0",job_name="x",\
            tm_id="8d40a892",subtask_index="0",} 1.0E3
            flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size{job_id="96747146",\
            column_family="_timer_state_event_user_timers",task_id="93b2f076",task_attempt_id="8c94_93b2_0_0",host="",\
            operator_id="93b2f076",operator_name="person_risk",task_name="person_risk____Sink:_Writer",\
            task_attempt_num="0",job_name="x",tm_id="8d40a892",subtask_index="0",} 0.0
            # HELP flink_taskmanager_job_task_operator_column_family_rocksdb_live_sst_files_size \
            rocksdb.live-sst-files-size (scope: taskmanager_job_task_operator_column_family)
            # TYPE flink_taskmanager_job_task_operator_column_family_rocksdb_live_sst_files_size gauge
            flink_taskmanager_job_task_operator_column_family_rocksdb_live_sst_files_size{job_id="96747146",\
            column_family="counted",task_id="93b2f076",task_attempt_id="8c94_93b2_1_0",host="",operator_id="93b2f076",\
            operator_name="person_risk",task_name="person_risk____Sink:_Writer",task_attempt_num="0",job_name="x",\
            tm_id="8d40a892",subtask_index="1",} 2600689.0
            flink_taskmanager_job_task_operator_numRecordsIn{job_id="96747146",subtask_index="0",} 7.0
            """;

    @Test
    void sumsLiveDataByOperatorAndStateOverSubtasksAndLiveSstFilesInAll() {
        StateMetrics.Sizes s = StateMetrics.parse(SCRAPE);
        assertThat(s.liveDataByFamily())
                .containsEntry("person_risk/counted", 566_316L + 568_622L)
                .containsEntry("companions/counted", 1_000L)
                .containsEntry("person_risk/_timer_state_event_user_timers", 0L)
                .hasSize(3);
        assertThat(s.liveData()).isEqualTo(566_316L + 568_622L + 1_000L);
        assertThat(s.liveSstFiles()).isEqualTo(2_600_689L);
        assertThat(s.answered()).isTrue();
    }

    @Test
    void aScrapeWithNothingInItIsNotAnswered() {
        assertThat(StateMetrics.parse("").answered()).isFalse();
    }
}
