package org.healthcode.risk.contacts;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.events.Event;

/** Side outputs of contact detection, in one place so operators and the wiring share the same tags. */
public final class ContactOutputTags {

    /**
     * Pings that arrived behind the watermark and could not be placed in their phone's stays (a duplicate of a ping
     * already inside the phone's open stay is not reported: it changes nothing). The job routes them to
     * {@code rejected} with reason {@code late}.
     */
    public static final OutputTag<Event> LATE_PINGS =
            new OutputTag<>("contacts-late-pings", TypeInformation.of(Event.class));

    private ContactOutputTags() {
    }
}
