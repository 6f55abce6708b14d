package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps the activities of one kind, to route them to their detector. */
public class ActivityKindFilter implements FilterFunction<PersonActivity> {

    private final ActivityKind kind;

    public ActivityKindFilter(ActivityKind kind) {
        this.kind = kind;
    }

    @Override
    public boolean filter(PersonActivity a) {
        return a.kind() == kind;
    }
}
