package org.healthcode.risk.contacts;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.healthcode.risk.serialization.CompactText;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/**
 * Where a person was, routed to the place-keyed detectors; when {@link #caseFound} is set, the copy of a case's own
 * activity that lies inside the case's window, so the detector matches others against it.
 *
 * <p>Flat on purpose (like the ingest {@code Event}): one record for the three kinds, fields that do not apply are
 * null. Serialised by hand (one stay of every phone passes through it and sits in the person index's state).
 *
 * @param kind stay, scan or trip
 * @param personId whose activity it is
 * @param place the detector key: the cell, the venue id or the vehicle id
 * @param msisdn stay: the phone
 * @param from stay: first ping; scan: scan time; trip: departure (epoch ms)
 * @param to stay: last ping; scan: scan time; trip: arrival (epoch ms)
 * @param eventId stay: first ping id; scan or trip: its event id
 * @param mode trip: flight, train, bus, ship
 * @param sealed trip: sealed train
 * @param carriage trip: carriage, optional
 * @param row trip: seat row, optional
 * @param caseFound case copies only: when the case was found
 * @param caseWindowStart case copies only: start of the window this kind is matched in (stays: found - look-back;
 *     scans and trips: onset or first positive - infectious lead)
 * @param caseCauseEventId case copies only: the event that made the person a case
 */
@TypeInfo(PersonActivity.Info.class)
public record PersonActivity(
        ActivityKind kind,
        String personId,
        String place,
        String msisdn,
        long from,
        long to,
        String eventId,
        String mode,
        Boolean sealed,
        String carriage,
        Integer row,
        Long caseFound,
        Long caseWindowStart,
        String caseCauseEventId) {

    public boolean isCaseCopy() {
        return caseFound != null;
    }

    /** This activity marked as the case's, matched within [windowStart, found]. */
    public PersonActivity asCaseCopy(CaseFound c, long windowStart) {
        return new PersonActivity(
                kind,
                personId,
                place,
                msisdn,
                from,
                to,
                eventId,
                mode,
                sealed,
                carriage,
                row,
                c.foundTime(),
                windowStart,
                c.causeEventId());
    }

    /** This case copy with the case as {@code latest} (a newer copy of the same case) has it. */
    public PersonActivity withCaseOf(PersonActivity latest) {
        return new PersonActivity(
                kind,
                personId,
                place,
                msisdn,
                from,
                to,
                eventId,
                mode,
                sealed,
                carriage,
                row,
                latest.caseFound(),
                latest.caseWindowStart(),
                latest.caseCauseEventId());
    }

    /** For a case copy: whether the activity lies inside the case's window [window start, found]. */
    public boolean insideCaseWindow() {
        return caseFound != null && from <= caseFound && to >= caseWindowStart;
    }

    /** The key of what the person index keeps of this activity: the cell of a stay, else the activity's event. */
    public String activityKey() {
        return switch (kind) {
            case STAY -> "s|" + place;
            case SCAN, TRIP -> (kind == ActivityKind.SCAN ? "v|" : "t|") + eventId;
        };
    }

    /**
     * A cell visit: what the person index keeps of a stay, the cell with the stay's span and no phone or ping; its
     * case copy asks the cell for the case's stays there ({@link #isCellVisit}).
     */
    public PersonActivity asCellVisit() {
        return new PersonActivity(
                ActivityKind.STAY, personId, place, null, from, to, null, null, null, null, null, null, null, null);
    }

    /** This cell visit spanning {@code stay} too: the earlier start, the later end. */
    public PersonActivity widenedBy(PersonActivity stay) {
        return new PersonActivity(
                ActivityKind.STAY,
                personId,
                place,
                null,
                Math.min(from, stay.from()),
                Math.max(to, stay.to()),
                null,
                null,
                null,
                null,
                null,
                caseFound,
                caseWindowStart,
                caseCauseEventId);
    }

    /** A stay without its phone: a cell visit (or its case copy), not one stay. */
    public boolean isCellVisit() {
        return kind == ActivityKind.STAY && msisdn == null;
    }

    /** Flink type information: the hand-written serializer below. */
    public static final class Info extends TypeInfoFactory<PersonActivity> {
        @Override
        public TypeInformation<PersonActivity> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(PersonActivity.class, CompactSerializer::new);
        }
    }

    /**
     * Field by field in declaration order, one bit per field that may be absent, then the fields present: ids with
     * {@link CompactText#writeId} (a pseudonym in 16 bytes), the length of the activity as a variable-length number.
     * A stay, kept by the person index for the look-back window, takes about 70 bytes instead of 117 in the
     * {@link Serializer} before it.
     */
    public static final class CompactSerializer extends RecordSerializer<PersonActivity> {
        private static final ActivityKind[] KINDS = ActivityKind.values();

        @Override
        public void serialize(PersonActivity a, DataOutputView out) throws IOException {
            writeStaged(a, out, CompactSerializer::write);
        }

        private static void write(PersonActivity a, DataOutputView out) throws IOException {
            int present = (a.msisdn() != null ? 1 : 0)
                    | (a.mode() != null ? 2 : 0)
                    | (a.sealed() != null ? 4 : 0)
                    | (a.carriage() != null ? 8 : 0)
                    | (a.row() != null ? 16 : 0)
                    | (a.caseFound() != null ? 32 : 0)
                    | (a.caseWindowStart() != null ? 64 : 0)
                    | (a.caseCauseEventId() != null ? 128 : 0);
            out.writeByte(a.kind().ordinal());
            out.writeByte(present);
            CompactText.writeId(a.personId(), out);
            CompactText.writeId(a.place(), out);
            if (a.msisdn() != null) {
                CompactText.writeId(a.msisdn(), out);
            }
            out.writeLong(a.from());
            CompactText.writeSignedVarLong(a.to() - a.from(), out);
            CompactText.writeId(a.eventId(), out);
            if (a.mode() != null) {
                CompactText.writeText(a.mode(), out);
            }
            if (a.sealed() != null) {
                out.writeBoolean(a.sealed());
            }
            if (a.carriage() != null) {
                CompactText.writeText(a.carriage(), out);
            }
            if (a.row() != null) {
                out.writeInt(a.row());
            }
            if (a.caseFound() != null) {
                out.writeLong(a.caseFound());
            }
            if (a.caseWindowStart() != null) {
                out.writeLong(a.caseWindowStart());
            }
            if (a.caseCauseEventId() != null) {
                CompactText.writeId(a.caseCauseEventId(), out);
            }
        }

        @Override
        public PersonActivity deserialize(DataInputView in) throws IOException {
            ActivityKind kind = KINDS[in.readByte()];
            int present = in.readByte() & 0xff;
            String personId = CompactText.readId(in);
            String place = CompactText.readId(in);
            String msisdn = (present & 1) != 0 ? CompactText.readId(in) : null;
            long from = in.readLong();
            long to = from + CompactText.readSignedVarLong(in);
            String eventId = CompactText.readId(in);
            String mode = (present & 2) != 0 ? CompactText.readText(in) : null;
            Boolean sealed = (present & 4) != 0 ? in.readBoolean() : null;
            String carriage = (present & 8) != 0 ? CompactText.readText(in) : null;
            Integer row = (present & 16) != 0 ? in.readInt() : null;
            Long caseFound = (present & 32) != 0 ? in.readLong() : null;
            Long caseWindowStart = (present & 64) != 0 ? in.readLong() : null;
            String caseCause = (present & 128) != 0 ? CompactText.readId(in) : null;
            return new PersonActivity(
                    kind,
                    personId,
                    place,
                    msisdn,
                    from,
                    to,
                    eventId,
                    mode,
                    sealed,
                    carriage,
                    row,
                    caseFound,
                    caseWindowStart,
                    caseCause);
        }

        @Override
        public TypeSerializerSnapshot<PersonActivity> snapshotConfiguration() {
            return new CompactSerializerSnapshot();
        }
    }

    /** Restores {@link CompactSerializer}; state written by {@link Serializer} is migrated to it on restore. */
    public static final class CompactSerializerSnapshot extends RecordSerializer.Snapshot<PersonActivity> {
        public CompactSerializerSnapshot() {
            super(CompactSerializer::new);
        }

        @Override
        public TypeSerializerSchemaCompatibility<PersonActivity> resolveSchemaCompatibility(
                TypeSerializerSnapshot<PersonActivity> old) {
            if (old instanceof SerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    /**
     * The format before {@link CompactSerializer}, kept to read state a job wrote with it: field by field in
     * declaration order; one bit per nullable number, then the numbers present.
     */
    public static final class Serializer extends RecordSerializer<PersonActivity> {
        private static final ActivityKind[] KINDS = ActivityKind.values();

        @Override
        public void serialize(PersonActivity a, DataOutputView out) throws IOException {
            out.writeByte(a.kind().ordinal());
            writeText(a.personId(), out);
            writeText(a.place(), out);
            writeText(a.msisdn(), out);
            out.writeLong(a.from());
            out.writeLong(a.to());
            writeText(a.eventId(), out);
            writeText(a.mode(), out);
            int present = (a.sealed() != null ? 1 : 0)
                    | (a.row() != null ? 2 : 0)
                    | (a.caseFound() != null ? 4 : 0)
                    | (a.caseWindowStart() != null ? 8 : 0);
            out.writeByte(present);
            if (a.sealed() != null) {
                out.writeBoolean(a.sealed());
            }
            writeText(a.carriage(), out);
            if (a.row() != null) {
                out.writeInt(a.row());
            }
            if (a.caseFound() != null) {
                out.writeLong(a.caseFound());
            }
            if (a.caseWindowStart() != null) {
                out.writeLong(a.caseWindowStart());
            }
            writeText(a.caseCauseEventId(), out);
        }

        @Override
        public PersonActivity deserialize(DataInputView in) throws IOException {
            ActivityKind kind = KINDS[in.readByte()];
            String personId = readText(in);
            String place = readText(in);
            String msisdn = readText(in);
            long from = in.readLong();
            long to = in.readLong();
            String eventId = readText(in);
            String mode = readText(in);
            int present = in.readByte();
            Boolean sealed = (present & 1) != 0 ? in.readBoolean() : null;
            String carriage = readText(in);
            Integer row = (present & 2) != 0 ? in.readInt() : null;
            Long caseFound = (present & 4) != 0 ? in.readLong() : null;
            Long caseWindowStart = (present & 8) != 0 ? in.readLong() : null;
            return new PersonActivity(
                    kind,
                    personId,
                    place,
                    msisdn,
                    from,
                    to,
                    eventId,
                    mode,
                    sealed,
                    carriage,
                    row,
                    caseFound,
                    caseWindowStart,
                    readText(in));
        }

        @Override
        public TypeSerializerSnapshot<PersonActivity> snapshotConfiguration() {
            return new SerializerSnapshot();
        }
    }

    /** Restores {@link Serializer}. */
    public static final class SerializerSnapshot extends RecordSerializer.Snapshot<PersonActivity> {
        public SerializerSnapshot() {
            super(Serializer::new);
        }
    }
}
