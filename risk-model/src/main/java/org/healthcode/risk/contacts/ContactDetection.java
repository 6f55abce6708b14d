package org.healthcode.risk.contacts;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.PublishedRecord;

/**
 * The wiring of contact detection, readable top to bottom: events in, exposures out (see docs/contacts.md).
 *
 * <p>The input must carry event-time timestamps and watermarks; every operator here uses event-time timers, and the
 * phone side orders each phone's pings by the watermark.
 */
public final class ContactDetection {

    /** Stable operator uids (savepoints depend on them). */
    public static final String UID_PHONE_STAYS = "contacts-phone-stays";

    public static final String UID_PERSON_INDEX = "contacts-person-index";
    public static final String UID_COMPANIONS = "contacts-companions";
    public static final String UID_VENUES = "contacts-venue-co-visits";
    public static final String UID_VEHICLES = "contacts-same-vehicle";
    public static final String UID_DEDUPE = "contacts-exposure-dedupe";
    public static final String UID_VEHICLE_CASES = "contacts-vehicle-cases";

    /**
     * The exposures, the pings that came too late to place (side output, for the job's {@code rejected}), and the
     * vehicles' case records for the fellow-traveller self-check ({@link VehicleCaseBoard}).
     */
    public record Outputs(
            DataStream<Exposure> exposures,
            DataStream<PhoneSignal> latePings,
            DataStream<PublishedRecord> vehicleCases) {}

    private ContactDetection() {}

    /** Exposures of persons met by a case, from the job's event stream (all feeds; others are ignored). */
    public static DataStream<Exposure> apply(DataStream<Event> events, ContactRules rules) {
        return build(events, rules).exposures();
    }

    /** As {@link #apply}, also returning the late pings: pings and every other feed in one event-time domain. */
    public static Outputs build(DataStream<Event> events, ContactRules rules) {
        return build(events, events, rules);
    }

    /**
     * Exposures, with the carrier pings in their own event-time domain: {@code pings} carries the carrier feed's
     * watermark, which alone decides when a phone's pings are applied (so a carrier feed that comes a day late is on
     * time there); {@code events} carries the other feeds (bindings, cases, scans, trips) and their watermark, which
     * the rest of contact detection follows. Only pings are taken from {@code pings}, and only other events from
     * {@code events}.
     */
    public static Outputs build(DataStream<Event> events, DataStream<Event> pings, ContactRules rules) {
        return build(events, pings, rules, PhoneSideSettings.DEFAULTS);
    }

    /**
     * As above, with the phone side's heap sizes ({@code RiskJob --phone-cache, --pings-in-heap, --quiet-barriers}).
     */
    public static Outputs build(
            DataStream<Event> events, DataStream<Event> pings, ContactRules rules, PhoneSideSettings phoneSide) {
        rules.validated();

        SingleOutputStreamOperator<Stay> stays = pings.flatMap(ToPhoneSignal.pings(rules))
                .name("contacts: pings")
                .keyBy(PhoneSignal::msisdn)
                .connect(events.flatMap(ToPhoneSignal.bindings(rules))
                        .name("contacts: phone bindings")
                        .keyBy(PhoneSignal::msisdn))
                .transform(
                        "contacts: phone stays", TypeInformation.of(Stay.class), new PhoneStayBuilder(rules, phoneSide))
                .uid(UID_PHONE_STAYS);

        DataStream<Event> personEvents =
                events.filter(new PersonEventFilter()).name("contacts: cases, scans and trips");

        SingleOutputStreamOperator<PersonActivity> activities = stays.keyBy(Stay::personId)
                .connect(personEvents.keyBy(Event::personId))
                .process(new PersonContactIndex(rules))
                .uid(UID_PERSON_INDEX)
                .name("contacts: person index");

        DataStream<Exposure> companions = activities
                .filter(new ActivityKindFilter(ActivityKind.STAY))
                .name("contacts: stays")
                .keyBy(PersonActivity::place)
                .process(new CompanionDetector(rules))
                .uid(UID_COMPANIONS)
                .name("contacts: companions by cell");

        DataStream<Exposure> coVisits = activities
                .filter(new ActivityKindFilter(ActivityKind.SCAN))
                .name("contacts: scans")
                .keyBy(PersonActivity::place)
                .process(new VenueCoVisitDetector(rules))
                .uid(UID_VENUES)
                .name("contacts: co-visits by venue");

        DataStream<Exposure> coPassengers = activities
                .filter(new ActivityKindFilter(ActivityKind.TRIP))
                .name("contacts: trips")
                .keyBy(PersonActivity::place)
                .process(new SameVehicleDetector(rules))
                .uid(UID_VEHICLES)
                .name("contacts: same vehicle");

        DataStream<Exposure> exposures = companions
                .union(coVisits, coPassengers)
                .keyBy(Exposure::personId)
                .process(new ExposureDeduplicator(rules))
                .uid(UID_DEDUPE)
                .name("contacts: one exposure per case");

        DataStream<PublishedRecord> vehicleCases = activities
                .filter(new ActivityKindFilter(ActivityKind.TRIP))
                .name("contacts: trips for the vehicle records")
                .keyBy(PersonActivity::place)
                .process(new VehicleCaseBoard(rules))
                .uid(UID_VEHICLE_CASES)
                .name("contacts: cases per vehicle");

        return new Outputs(exposures, stays.getSideOutput(ContactOutputTags.LATE_PINGS), vehicleCases);
    }
}
