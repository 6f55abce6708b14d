package org.healthcode.ingest.events;

/**
 * One validated, pseudonymised feed event as the job sees it.
 *
 * <p>Flat on purpose: one record type for every event type keeps the Flink type information a plain POJO
 * (no Kryo, no polymorphic serializers) and lets new event types add fields without a new stream. Fields that
 * do not apply to {@link #type()} are null. Times are epoch milliseconds (event time). {@code personId} and
 * {@code msisdn} are pseudonyms: raw ID numbers and phone numbers never get past ingest.
 *
 * @param eventId unique per source
 * @param type what happened
 * @param time when it happened (tests: sampling time), epoch ms
 * @param region GB/T 2260 code of the reporting authority
 * @param personId the person's pseudonym; null for carrier and reference events
 * @param msisdn the phone's pseudonym (carrier events, identity binding)
 * @param method test_result: pcr or antigen
 * @param positive test_result: true when positive
 * @param tubeId test_result: tube, optional
 * @param pooled test_result: pooled tube
 * @param diagnosis diagnosis: the status
 * @param onset diagnosis: onset date as epoch ms of its start (UTC+8 midnight), optional
 * @param clinicId fever_clinic_visit
 * @param action quarantine: start or end
 * @param kind quarantine: central or home
 * @param dose vaccination
 * @param areaCode identity (household), hotel_checkin, city_stay, scan, risk_area, test_campaign
 * @param degree contact_designation: 1 or 2
 * @param exposure contact_designation: last exposure, epoch ms
 * @param caseId contact_designation: linked case, optional
 * @param hotelId hotel_checkin
 * @param checkOut hotel_checkin: check-out, epoch ms, optional
 * @param port border_entry
 * @param fromCountry border_entry: ISO 3166 alpha-2
 * @param mode trip
 * @param vehicleId trip
 * @param sealed trip: sealed train
 * @param carriage trip, optional
 * @param row trip, optional
 * @param fromArea trip
 * @param toArea trip
 * @param departure trip, epoch ms
 * @param arrival trip, epoch ms
 * @param lat ping
 * @param lon ping
 * @param from city_stay, risk_area, test_campaign: start, epoch ms
 * @param to city_stay, risk_area (optional), test_campaign: end, epoch ms
 * @param venueId scan
 * @param direction scan: in or out
 * @param level risk_area: high, medium or low
 * @param intervalHours test_campaign
 * @param requestId override_*: the override request the event is about
 * @param colour override_request: the colour asked for (green, yellow or red)
 * @param basis override_request: the written basis
 * @param expiry override_request: when the override ends, epoch ms
 * @param operator override_*: who acted: the requester, the approver, or the operator refusing or withdrawing
 * @param reason override_refusal: why the request was refused
 * @param nationalId the person's national pseudonym (HMAC of the ID number with the key shared by all regions):
 *     identity (computed at ingest from the raw ID number) and risk_person (as another region named the person)
 * @param reasonCategory risk_person: infection, contact, risk_area or other (never the other region's reasons)
 * @param symptoms health_declaration: the declared symptoms, comma-separated in the order of docs/events.md; "" for
 *     none
 * @param temperature health_declaration: body temperature in degrees Celsius, optional
 */
public record Event(
        String eventId,
        EventType type,
        long time,
        String region,
        String personId,
        String msisdn,
        String method,
        Boolean positive,
        String tubeId,
        Boolean pooled,
        DiagnosisStatus diagnosis,
        Long onset,
        String clinicId,
        String action,
        String kind,
        Integer dose,
        String areaCode,
        Integer degree,
        Long exposure,
        String caseId,
        String hotelId,
        Long checkOut,
        String port,
        String fromCountry,
        String mode,
        String vehicleId,
        Boolean sealed,
        String carriage,
        Integer row,
        String fromArea,
        String toArea,
        Long departure,
        Long arrival,
        Double lat,
        Double lon,
        Long from,
        Long to,
        String venueId,
        String direction,
        String level,
        Integer intervalHours,
        String requestId,
        String colour,
        String basis,
        Long expiry,
        String operator,
        String reason,
        String nationalId,
        String reasonCategory,
        String symptoms,
        Double temperature) {

    /** A builder, so producers name the fields they set instead of counting 47 positions. */
    /** A carrier ping, built without a {@link Builder} (the decoder's shortcut makes one per ping). */
    public static Event ping(String eventId, long time, String region, String msisdn, double lat, double lon) {
        return new Event(
                eventId,
                EventType.PING,
                time,
                region,
                null,
                msisdn,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                lat,
                lon,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public static Builder builder(String eventId, EventType type, long time, String region) {
        return new Builder(eventId, type, time, region);
    }

    public Builder toBuilder() {
        Builder b = new Builder(eventId, type, time, region);
        b.personId = personId;
        b.msisdn = msisdn;
        b.method = method;
        b.positive = positive;
        b.tubeId = tubeId;
        b.pooled = pooled;
        b.diagnosis = diagnosis;
        b.onset = onset;
        b.clinicId = clinicId;
        b.action = action;
        b.kind = kind;
        b.dose = dose;
        b.areaCode = areaCode;
        b.degree = degree;
        b.exposure = exposure;
        b.caseId = caseId;
        b.hotelId = hotelId;
        b.checkOut = checkOut;
        b.port = port;
        b.fromCountry = fromCountry;
        b.mode = mode;
        b.vehicleId = vehicleId;
        b.sealed = sealed;
        b.carriage = carriage;
        b.row = row;
        b.fromArea = fromArea;
        b.toArea = toArea;
        b.departure = departure;
        b.arrival = arrival;
        b.lat = lat;
        b.lon = lon;
        b.from = from;
        b.to = to;
        b.venueId = venueId;
        b.direction = direction;
        b.level = level;
        b.intervalHours = intervalHours;
        b.requestId = requestId;
        b.colour = colour;
        b.basis = basis;
        b.expiry = expiry;
        b.operator = operator;
        b.reason = reason;
        b.nationalId = nationalId;
        b.reasonCategory = reasonCategory;
        b.symptoms = symptoms;
        b.temperature = temperature;
        return b;
    }

    /** True when the test result is positive; false for negatives and non-tests. */
    public boolean isPositive() {
        return Boolean.TRUE.equals(positive);
    }

    /** True when the test result came from a pooled tube. */
    public boolean isPooled() {
        return Boolean.TRUE.equals(pooled);
    }

    /** Mutable builder for {@link Event}. */
    public static final class Builder {
        private final String eventId;
        private final EventType type;
        private final long time;
        private final String region;
        private String personId;
        private String msisdn;
        private String method;
        private Boolean positive;
        private String tubeId;
        private Boolean pooled;
        private DiagnosisStatus diagnosis;
        private Long onset;
        private String clinicId;
        private String action;
        private String kind;
        private Integer dose;
        private String areaCode;
        private Integer degree;
        private Long exposure;
        private String caseId;
        private String hotelId;
        private Long checkOut;
        private String port;
        private String fromCountry;
        private String mode;
        private String vehicleId;
        private Boolean sealed;
        private String carriage;
        private Integer row;
        private String fromArea;
        private String toArea;
        private Long departure;
        private Long arrival;
        private Double lat;
        private Double lon;
        private Long from;
        private Long to;
        private String venueId;
        private String direction;
        private String level;
        private Integer intervalHours;
        private String requestId;
        private String colour;
        private String basis;
        private Long expiry;
        private String operator;
        private String reason;
        private String nationalId;
        private String reasonCategory;
        private String symptoms;
        private Double temperature;

        private Builder(String eventId, EventType type, long time, String region) {
            this.eventId = eventId;
            this.type = type;
            this.time = time;
            this.region = region;
        }

        public Builder personId(String v) {
            this.personId = v;
            return this;
        }

        public Builder msisdn(String v) {
            this.msisdn = v;
            return this;
        }

        public Builder method(String v) {
            this.method = v;
            return this;
        }

        public Builder positive(Boolean v) {
            this.positive = v;
            return this;
        }

        public Builder tubeId(String v) {
            this.tubeId = v;
            return this;
        }

        public Builder pooled(Boolean v) {
            this.pooled = v;
            return this;
        }

        public Builder diagnosis(DiagnosisStatus v) {
            this.diagnosis = v;
            return this;
        }

        public Builder onset(Long v) {
            this.onset = v;
            return this;
        }

        public Builder clinicId(String v) {
            this.clinicId = v;
            return this;
        }

        public Builder action(String v) {
            this.action = v;
            return this;
        }

        public Builder kind(String v) {
            this.kind = v;
            return this;
        }

        public Builder dose(Integer v) {
            this.dose = v;
            return this;
        }

        public Builder areaCode(String v) {
            this.areaCode = v;
            return this;
        }

        public Builder degree(Integer v) {
            this.degree = v;
            return this;
        }

        public Builder exposure(Long v) {
            this.exposure = v;
            return this;
        }

        public Builder caseId(String v) {
            this.caseId = v;
            return this;
        }

        public Builder hotelId(String v) {
            this.hotelId = v;
            return this;
        }

        public Builder checkOut(Long v) {
            this.checkOut = v;
            return this;
        }

        public Builder port(String v) {
            this.port = v;
            return this;
        }

        public Builder fromCountry(String v) {
            this.fromCountry = v;
            return this;
        }

        public Builder mode(String v) {
            this.mode = v;
            return this;
        }

        public Builder vehicleId(String v) {
            this.vehicleId = v;
            return this;
        }

        public Builder sealed(Boolean v) {
            this.sealed = v;
            return this;
        }

        public Builder carriage(String v) {
            this.carriage = v;
            return this;
        }

        public Builder row(Integer v) {
            this.row = v;
            return this;
        }

        public Builder fromArea(String v) {
            this.fromArea = v;
            return this;
        }

        public Builder toArea(String v) {
            this.toArea = v;
            return this;
        }

        public Builder departure(Long v) {
            this.departure = v;
            return this;
        }

        public Builder arrival(Long v) {
            this.arrival = v;
            return this;
        }

        public Builder lat(Double v) {
            this.lat = v;
            return this;
        }

        public Builder lon(Double v) {
            this.lon = v;
            return this;
        }

        public Builder from(Long v) {
            this.from = v;
            return this;
        }

        public Builder to(Long v) {
            this.to = v;
            return this;
        }

        public Builder venueId(String v) {
            this.venueId = v;
            return this;
        }

        public Builder direction(String v) {
            this.direction = v;
            return this;
        }

        public Builder level(String v) {
            this.level = v;
            return this;
        }

        public Builder intervalHours(Integer v) {
            this.intervalHours = v;
            return this;
        }

        public Builder requestId(String v) {
            this.requestId = v;
            return this;
        }

        public Builder colour(String v) {
            this.colour = v;
            return this;
        }

        public Builder basis(String v) {
            this.basis = v;
            return this;
        }

        public Builder expiry(Long v) {
            this.expiry = v;
            return this;
        }

        public Builder operator(String v) {
            this.operator = v;
            return this;
        }

        public Builder reason(String v) {
            this.reason = v;
            return this;
        }

        public Builder nationalId(String v) {
            this.nationalId = v;
            return this;
        }

        public Builder reasonCategory(String v) {
            this.reasonCategory = v;
            return this;
        }

        public Builder symptoms(String v) {
            this.symptoms = v;
            return this;
        }

        public Builder temperature(Double v) {
            this.temperature = v;
            return this;
        }

        public Event build() {
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
    }
}
