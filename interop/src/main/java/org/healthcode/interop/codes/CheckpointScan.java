package org.healthcode.interop.codes;

/**
 * Where and how a checkpoint scanned a code: it becomes a venue {@code scan} event when the code is valid.
 *
 * @param checkpointId the checkpoint, used as the event's venueId
 * @param areaCode     GB/T 2260 code of the checkpoint's area
 * @param direction    {@code in} or {@code out}
 */
public record CheckpointScan(String checkpointId, String areaCode, String direction) {}
