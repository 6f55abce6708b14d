package org.healthcode.interop.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each lookup audit record as one line to the {@code healthcode.audit} logger (at DEBUG). */
public final class Slf4jAuditSink implements AuditSink {
    private static final Logger AUDIT = LoggerFactory.getLogger("healthcode.audit");

    @Override
    public void lookup(LookupAudit audit) {
        if (AUDIT.isDebugEnabled()) {
            AUDIT.debug(
                    "lookup at={} caller={} person={} result={}",
                    audit.at(),
                    audit.caller(),
                    audit.personId(),
                    audit.result());
        }
    }
}
