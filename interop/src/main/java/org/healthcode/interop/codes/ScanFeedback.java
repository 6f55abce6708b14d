package org.healthcode.interop.codes;

import org.healthcode.ingest.proto.Event;

/** Where venue scan events made from checkpoint verifications go (the venue topic, or nowhere). */
public interface ScanFeedback extends AutoCloseable {
    /** Scan feedback off: events are dropped. */
    ScanFeedback OFF = new ScanFeedback() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void send(Event event) {}

        @Override
        public void close() {}
    };

    boolean enabled();

    /** Hands the event over without waiting for the broker; a failed send is logged and counted, not thrown. */
    void send(Event event);

    @Override
    void close();
}
