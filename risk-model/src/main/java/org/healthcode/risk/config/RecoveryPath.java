package org.healthcode.risk.config;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Where the job restores its state from. A recovery path the job was submitted with ({@code flink run -s}, the
 * Kubernetes operator's upgrade savepoint, {@code execution.state-recovery.path} in the cluster's configuration)
 * always wins; only without one does the job pick up the newest retained checkpoint in {@code --checkpoint-dir},
 * which is how a restarted local run keeps its state and offsets.
 *
 * @param path the checkpoint or savepoint to restore, empty for a fresh start
 * @param reason one line for the log saying where {@code path} came from
 */
public record RecoveryPath(Optional<String> path, String reason) {

    /** Decides against {@code submitted}, the configuration the job's environment was given by its submitter. */
    public static RecoveryPath choose(ReadableConfig submitted, String checkpointDir) {
        Optional<String> given = submitted.getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
        if (given.isPresent()) {
            return new RecoveryPath(
                    Optional.empty(),
                    "restoring from " + given.get()
                            + " as submitted (execution.state-recovery.path); retained checkpoints in " + checkpointDir
                            + " are not looked at");
        }
        Optional<String> latest;
        try {
            latest = CheckpointDirectory.latestCompleted(checkpointDir);
        } catch (IOException e) {
            return new RecoveryPath(
                    Optional.empty(),
                    "starting without state: cannot list " + checkpointDir + " from here (" + e
                            + "); give a recovery path with flink run -s to restore");
        }
        return latest.map(p -> new RecoveryPath(
                        latest, "no recovery path given: resuming from the newest retained" + " checkpoint " + p))
                .orElseGet(() -> new RecoveryPath(
                        Optional.empty(),
                        "no recovery path given and no retained" + " checkpoint in " + checkpointDir
                                + ": starting without state"));
    }

    /** Sets the path chosen, if any, on the job's configuration (leaves a submitted one alone). */
    public void applyTo(Configuration conf) {
        path.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
    }
}
