package org.healthcode.ingest.sinks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.wire.EventLines;

/** Writes events as JSON Lines (docs/events.md), one per line, UTF-8, {@code \n}-terminated. */
public final class JsonLinesSink implements CitySink {
    private final OutputStream out;
    private final boolean closeStream;

    /** Writes to {@code out}; {@link #close} flushes and, when {@code closeStream}, closes it. */
    public JsonLinesSink(OutputStream out, boolean closeStream) {
        this.out = new BufferedOutputStream(out, 1 << 20);
        this.closeStream = closeStream;
    }

    public static JsonLinesSink toFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonLinesSink(Files.newOutputStream(file), true);
    }

    @Override
    public void accept(Feed feed, Event event) throws IOException {
        out.write(EventLines.toBytes(event));
        out.write('\n');
    }

    /** An unterminated object: not JSON. */
    @Override
    public void acceptGarbage(Feed feed, String key) throws IOException {
        out.write(("{\"feed\":\"" + feed.wireName() + "\",\"type\":\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (closeStream) {
            out.close();
        }
    }
}
