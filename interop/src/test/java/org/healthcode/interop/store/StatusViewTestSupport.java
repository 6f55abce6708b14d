package org.healthcode.interop.store;

import org.healthcode.ingest.proto.StatusRecord;

/** Small statuses for the view's unit tests. */
final class StatusViewTestSupport {
    private StatusViewTestSupport() {}

    static StatusRecord red(String person, long seq) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("red")
                .setSeq(seq)
                .setRuleVersion("r1")
                .build();
    }

    static StatusRecord yellow(String person, long seq) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setColour("yellow")
                .setSeq(seq)
                .setRuleVersion("r1")
                .build();
    }

    static StatusView.Change change(String person, StatusRecord status) {
        return new StatusView.Change(person, status.toByteArray());
    }
}
