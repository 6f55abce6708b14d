package org.healthcode.risk.events;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/**
 * A hand-written serializer for {@link FeedRecord} (with its {@link Event} or {@link Rejected}), the record every
 * feed event crosses the network as, once, on the way to the duplicate filter. Flink's POJO serializer spends a
 * reflective field access and a null flag on each of the event's 51 fields, and writes strings a char at a time: it
 * was 16% of the job's samples at 100 k persons. Here: one 64-bit mask of the fields that are set, then only those.
 *
 * <p>Only between operators, never in state: enums are written as ordinals, so sender and receiver must be the same
 * build (they always are: one job). Changing {@link Event}'s fields needs a change here
 * ({@code FeedRecordSerializerTest} fails until then).
 */
public final class FeedRecordSerializer extends RecordSerializer<FeedRecord> {
    public static final FeedRecordSerializer INSTANCE = new FeedRecordSerializer();

    /** The type information that makes Flink use this serializer. */
    public static final TypeInformation<FeedRecord> TYPE = new SerializerTypeInfo<>(FeedRecord.class, () -> INSTANCE);

    private static final EventType[] EVENT_TYPES = EventType.values();
    private static final DiagnosisStatus[] DIAGNOSES = DiagnosisStatus.values();

    @Override
    public void serialize(FeedRecord f, DataOutputView out) throws IOException {
        out.writeByte((f.event() != null ? 1 : 0) | (f.rejected() != null ? 2 : 0));
        writeText(f.topic(), out);
        out.writeInt(f.partition());
        out.writeLong(f.offset());
        out.writeLong(f.line());
        writeBytes(f.raw(), out);
        if (f.event() != null) {
            writeEvent(f.event(), out);
        }
        if (f.rejected() != null) {
            Rejected r = f.rejected();
            writeText(r.topic(), out);
            out.writeInt(r.partition());
            out.writeLong(r.offset());
            out.writeLong(r.line());
            writeText(r.category(), out);
            writeText(r.field(), out);
            writeText(r.reason(), out);
            writeBytes(r.raw(), out);
        }
    }

    @Override
    public FeedRecord deserialize(DataInputView in) throws IOException {
        int present = in.readByte();
        String topic = readText(in);
        int partition = in.readInt();
        long offset = in.readLong();
        long line = in.readLong();
        byte[] raw = readBytes(in);
        Event event = (present & 1) != 0 ? readEvent(in) : null;
        Rejected rejected = null;
        if ((present & 2) != 0) {
            rejected = new Rejected(
                    readText(in),
                    in.readInt(),
                    in.readLong(),
                    in.readLong(),
                    readText(in),
                    readText(in),
                    readText(in),
                    readBytes(in));
        }
        return new FeedRecord(event, rejected, topic, partition, offset, line, raw);
    }

    static void writeEvent(Event e, DataOutputView out) throws IOException {
        long mask = 0;
        if (e.eventId() != null) mask |= 1L << 0;
        if (e.type() != null) mask |= 1L << 1;
        if (e.region() != null) mask |= 1L << 2;
        if (e.personId() != null) mask |= 1L << 3;
        if (e.msisdn() != null) mask |= 1L << 4;
        if (e.method() != null) mask |= 1L << 5;
        if (e.positive() != null) mask |= 1L << 6;
        if (e.tubeId() != null) mask |= 1L << 7;
        if (e.pooled() != null) mask |= 1L << 8;
        if (e.diagnosis() != null) mask |= 1L << 9;
        if (e.onset() != null) mask |= 1L << 10;
        if (e.clinicId() != null) mask |= 1L << 11;
        if (e.action() != null) mask |= 1L << 12;
        if (e.kind() != null) mask |= 1L << 13;
        if (e.dose() != null) mask |= 1L << 14;
        if (e.areaCode() != null) mask |= 1L << 15;
        if (e.degree() != null) mask |= 1L << 16;
        if (e.exposure() != null) mask |= 1L << 17;
        if (e.caseId() != null) mask |= 1L << 18;
        if (e.hotelId() != null) mask |= 1L << 19;
        if (e.checkOut() != null) mask |= 1L << 20;
        if (e.port() != null) mask |= 1L << 21;
        if (e.fromCountry() != null) mask |= 1L << 22;
        if (e.mode() != null) mask |= 1L << 23;
        if (e.vehicleId() != null) mask |= 1L << 24;
        if (e.sealed() != null) mask |= 1L << 25;
        if (e.carriage() != null) mask |= 1L << 26;
        if (e.row() != null) mask |= 1L << 27;
        if (e.fromArea() != null) mask |= 1L << 28;
        if (e.toArea() != null) mask |= 1L << 29;
        if (e.departure() != null) mask |= 1L << 30;
        if (e.arrival() != null) mask |= 1L << 31;
        if (e.lat() != null) mask |= 1L << 32;
        if (e.lon() != null) mask |= 1L << 33;
        if (e.from() != null) mask |= 1L << 34;
        if (e.to() != null) mask |= 1L << 35;
        if (e.venueId() != null) mask |= 1L << 36;
        if (e.direction() != null) mask |= 1L << 37;
        if (e.level() != null) mask |= 1L << 38;
        if (e.intervalHours() != null) mask |= 1L << 39;
        if (e.requestId() != null) mask |= 1L << 40;
        if (e.colour() != null) mask |= 1L << 41;
        if (e.basis() != null) mask |= 1L << 42;
        if (e.expiry() != null) mask |= 1L << 43;
        if (e.operator() != null) mask |= 1L << 44;
        if (e.reason() != null) mask |= 1L << 45;
        if (e.nationalId() != null) mask |= 1L << 46;
        if (e.reasonCategory() != null) mask |= 1L << 47;
        if (e.symptoms() != null) mask |= 1L << 48;
        if (e.temperature() != null) mask |= 1L << 49;
        out.writeLong(mask);
        out.writeLong(e.time());
        if ((mask & (1L << 0)) != 0) {
            writeText(e.eventId(), out);
        }
        if ((mask & (1L << 1)) != 0) {
            out.writeByte(e.type().ordinal());
        }
        if ((mask & (1L << 2)) != 0) {
            writeText(e.region(), out);
        }
        if ((mask & (1L << 3)) != 0) {
            writeText(e.personId(), out);
        }
        if ((mask & (1L << 4)) != 0) {
            writeText(e.msisdn(), out);
        }
        if ((mask & (1L << 5)) != 0) {
            writeText(e.method(), out);
        }
        if ((mask & (1L << 6)) != 0) {
            out.writeBoolean(e.positive());
        }
        if ((mask & (1L << 7)) != 0) {
            writeText(e.tubeId(), out);
        }
        if ((mask & (1L << 8)) != 0) {
            out.writeBoolean(e.pooled());
        }
        if ((mask & (1L << 9)) != 0) {
            out.writeByte(e.diagnosis().ordinal());
        }
        if ((mask & (1L << 10)) != 0) {
            out.writeLong(e.onset());
        }
        if ((mask & (1L << 11)) != 0) {
            writeText(e.clinicId(), out);
        }
        if ((mask & (1L << 12)) != 0) {
            writeText(e.action(), out);
        }
        if ((mask & (1L << 13)) != 0) {
            writeText(e.kind(), out);
        }
        if ((mask & (1L << 14)) != 0) {
            out.writeInt(e.dose());
        }
        if ((mask & (1L << 15)) != 0) {
            writeText(e.areaCode(), out);
        }
        if ((mask & (1L << 16)) != 0) {
            out.writeInt(e.degree());
        }
        if ((mask & (1L << 17)) != 0) {
            out.writeLong(e.exposure());
        }
        if ((mask & (1L << 18)) != 0) {
            writeText(e.caseId(), out);
        }
        if ((mask & (1L << 19)) != 0) {
            writeText(e.hotelId(), out);
        }
        if ((mask & (1L << 20)) != 0) {
            out.writeLong(e.checkOut());
        }
        if ((mask & (1L << 21)) != 0) {
            writeText(e.port(), out);
        }
        if ((mask & (1L << 22)) != 0) {
            writeText(e.fromCountry(), out);
        }
        if ((mask & (1L << 23)) != 0) {
            writeText(e.mode(), out);
        }
        if ((mask & (1L << 24)) != 0) {
            writeText(e.vehicleId(), out);
        }
        if ((mask & (1L << 25)) != 0) {
            out.writeBoolean(e.sealed());
        }
        if ((mask & (1L << 26)) != 0) {
            writeText(e.carriage(), out);
        }
        if ((mask & (1L << 27)) != 0) {
            out.writeInt(e.row());
        }
        if ((mask & (1L << 28)) != 0) {
            writeText(e.fromArea(), out);
        }
        if ((mask & (1L << 29)) != 0) {
            writeText(e.toArea(), out);
        }
        if ((mask & (1L << 30)) != 0) {
            out.writeLong(e.departure());
        }
        if ((mask & (1L << 31)) != 0) {
            out.writeLong(e.arrival());
        }
        if ((mask & (1L << 32)) != 0) {
            out.writeDouble(e.lat());
        }
        if ((mask & (1L << 33)) != 0) {
            out.writeDouble(e.lon());
        }
        if ((mask & (1L << 34)) != 0) {
            out.writeLong(e.from());
        }
        if ((mask & (1L << 35)) != 0) {
            out.writeLong(e.to());
        }
        if ((mask & (1L << 36)) != 0) {
            writeText(e.venueId(), out);
        }
        if ((mask & (1L << 37)) != 0) {
            writeText(e.direction(), out);
        }
        if ((mask & (1L << 38)) != 0) {
            writeText(e.level(), out);
        }
        if ((mask & (1L << 39)) != 0) {
            out.writeInt(e.intervalHours());
        }
        if ((mask & (1L << 40)) != 0) {
            writeText(e.requestId(), out);
        }
        if ((mask & (1L << 41)) != 0) {
            writeText(e.colour(), out);
        }
        if ((mask & (1L << 42)) != 0) {
            writeText(e.basis(), out);
        }
        if ((mask & (1L << 43)) != 0) {
            out.writeLong(e.expiry());
        }
        if ((mask & (1L << 44)) != 0) {
            writeText(e.operator(), out);
        }
        if ((mask & (1L << 45)) != 0) {
            writeText(e.reason(), out);
        }
        if ((mask & (1L << 46)) != 0) {
            writeText(e.nationalId(), out);
        }
        if ((mask & (1L << 47)) != 0) {
            writeText(e.reasonCategory(), out);
        }
        if ((mask & (1L << 48)) != 0) {
            writeText(e.symptoms(), out);
        }
        if ((mask & (1L << 49)) != 0) {
            out.writeDouble(e.temperature());
        }
    }

    static Event readEvent(DataInputView in) throws IOException {
        long mask = in.readLong();
        long time = in.readLong();
        String eventId = (mask & (1L << 0)) != 0 ? readText(in) : null;
        EventType type = (mask & (1L << 1)) != 0 ? EVENT_TYPES[in.readByte()] : null;
        String region = (mask & (1L << 2)) != 0 ? readText(in) : null;
        String personId = (mask & (1L << 3)) != 0 ? readText(in) : null;
        String msisdn = (mask & (1L << 4)) != 0 ? readText(in) : null;
        String method = (mask & (1L << 5)) != 0 ? readText(in) : null;
        Boolean positive = (mask & (1L << 6)) != 0 ? in.readBoolean() : null;
        String tubeId = (mask & (1L << 7)) != 0 ? readText(in) : null;
        Boolean pooled = (mask & (1L << 8)) != 0 ? in.readBoolean() : null;
        DiagnosisStatus diagnosis = (mask & (1L << 9)) != 0 ? DIAGNOSES[in.readByte()] : null;
        Long onset = (mask & (1L << 10)) != 0 ? in.readLong() : null;
        String clinicId = (mask & (1L << 11)) != 0 ? readText(in) : null;
        String action = (mask & (1L << 12)) != 0 ? readText(in) : null;
        String kind = (mask & (1L << 13)) != 0 ? readText(in) : null;
        Integer dose = (mask & (1L << 14)) != 0 ? in.readInt() : null;
        String areaCode = (mask & (1L << 15)) != 0 ? readText(in) : null;
        Integer degree = (mask & (1L << 16)) != 0 ? in.readInt() : null;
        Long exposure = (mask & (1L << 17)) != 0 ? in.readLong() : null;
        String caseId = (mask & (1L << 18)) != 0 ? readText(in) : null;
        String hotelId = (mask & (1L << 19)) != 0 ? readText(in) : null;
        Long checkOut = (mask & (1L << 20)) != 0 ? in.readLong() : null;
        String port = (mask & (1L << 21)) != 0 ? readText(in) : null;
        String fromCountry = (mask & (1L << 22)) != 0 ? readText(in) : null;
        String mode = (mask & (1L << 23)) != 0 ? readText(in) : null;
        String vehicleId = (mask & (1L << 24)) != 0 ? readText(in) : null;
        Boolean sealed = (mask & (1L << 25)) != 0 ? in.readBoolean() : null;
        String carriage = (mask & (1L << 26)) != 0 ? readText(in) : null;
        Integer row = (mask & (1L << 27)) != 0 ? in.readInt() : null;
        String fromArea = (mask & (1L << 28)) != 0 ? readText(in) : null;
        String toArea = (mask & (1L << 29)) != 0 ? readText(in) : null;
        Long departure = (mask & (1L << 30)) != 0 ? in.readLong() : null;
        Long arrival = (mask & (1L << 31)) != 0 ? in.readLong() : null;
        Double lat = (mask & (1L << 32)) != 0 ? in.readDouble() : null;
        Double lon = (mask & (1L << 33)) != 0 ? in.readDouble() : null;
        Long from = (mask & (1L << 34)) != 0 ? in.readLong() : null;
        Long to = (mask & (1L << 35)) != 0 ? in.readLong() : null;
        String venueId = (mask & (1L << 36)) != 0 ? readText(in) : null;
        String direction = (mask & (1L << 37)) != 0 ? readText(in) : null;
        String level = (mask & (1L << 38)) != 0 ? readText(in) : null;
        Integer intervalHours = (mask & (1L << 39)) != 0 ? in.readInt() : null;
        String requestId = (mask & (1L << 40)) != 0 ? readText(in) : null;
        String colour = (mask & (1L << 41)) != 0 ? readText(in) : null;
        String basis = (mask & (1L << 42)) != 0 ? readText(in) : null;
        Long expiry = (mask & (1L << 43)) != 0 ? in.readLong() : null;
        String operator = (mask & (1L << 44)) != 0 ? readText(in) : null;
        String reason = (mask & (1L << 45)) != 0 ? readText(in) : null;
        String nationalId = (mask & (1L << 46)) != 0 ? readText(in) : null;
        String reasonCategory = (mask & (1L << 47)) != 0 ? readText(in) : null;
        String symptoms = (mask & (1L << 48)) != 0 ? readText(in) : null;
        Double temperature = (mask & (1L << 49)) != 0 ? in.readDouble() : null;
        return new Event(
                eventId,
                type,
                time,
                region,
                personId,
                msisdn,
                method,
                positive,
                tubeId,
                pooled,
                diagnosis,
                onset,
                clinicId,
                action,
                kind,
                dose,
                areaCode,
                degree,
                exposure,
                caseId,
                hotelId,
                checkOut,
                port,
                fromCountry,
                mode,
                vehicleId,
                sealed,
                carriage,
                row,
                fromArea,
                toArea,
                departure,
                arrival,
                lat,
                lon,
                from,
                to,
                venueId,
                direction,
                level,
                intervalHours,
                requestId,
                colour,
                basis,
                expiry,
                operator,
                reason,
                nationalId,
                reasonCategory,
                symptoms,
                temperature);
    }

    /** Nullable bytes as their length (-1 for null) and the bytes, in bulk. */
    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public TypeSerializerSnapshot<FeedRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restoring it creates the same serializer again. */
    public static final class Snapshot extends RecordSerializer.Snapshot<FeedRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
