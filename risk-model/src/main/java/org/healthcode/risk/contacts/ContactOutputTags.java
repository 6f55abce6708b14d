package org.healthcode.risk.contacts;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of contact detection, in one place so operators and the wiring share the same tags. */
public final class ContactOutputTags {

    /**
     * Pings that arrived behind the watermark and could not be placed in their phone's stays (a duplicate of a ping
     * already inside the phone's open stay is not reported: it changes nothing), as the phone side saw them (event
     * id, phone, time, cell). A job can route them to {@code rejected} with reason {@code late}.
     */
    public static final OutputTag<PhoneSignal> LATE_PINGS =
            new OutputTag<>("contacts-late-pings", TypeInformation.of(PhoneSignal.class));

    private ContactOutputTags() {}
}
