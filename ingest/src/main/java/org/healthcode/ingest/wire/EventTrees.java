package org.healthcode.ingest.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.healthcode.ingest.proto.Event;

/**
 * The flat JSON form of a Protobuf feed {@link Event}, with the field names of DESIGN §5 in a fixed order:
 * common fields, person or phone, then the body's fields. Unset fields are left out.
 *
 * <p>One mapping serves both directions of the two wire forms: the decoder validates Protobuf events through it
 * (one validation path for both forms), and the synthetic city renders its JSON lines with it.
 */
public final class EventTrees {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private EventTrees() {}

    /** The wire name of the body that is set ({@code test_result}, ...), or null when none is. */
    public static String bodyType(Event e) {
        return switch (e.getBodyCase()) {
            case TEST_RESULT -> "test_result";
            case DIAGNOSIS -> "diagnosis";
            case FEVER_CLINIC_VISIT -> "fever_clinic_visit";
            case QUARANTINE -> "quarantine";
            case VACCINATION -> "vaccination";
            case IDENTITY -> "identity";
            case CONTACT_DESIGNATION -> "contact_designation";
            case HOTEL_CHECKIN -> "hotel_checkin";
            case BORDER_ENTRY -> "border_entry";
            case TRIP -> "trip";
            case PING -> "ping";
            case CITY_STAY -> "city_stay";
            case SCAN -> "scan";
            case RISK_AREA -> "risk_area";
            case TEST_CAMPAIGN -> "test_campaign";
            case OVERRIDE_REQUEST -> "override_request";
            case OVERRIDE_APPROVAL -> "override_approval";
            case OVERRIDE_REFUSAL -> "override_refusal";
            case OVERRIDE_WITHDRAWAL -> "override_withdrawal";
            case RISK_PERSON -> "risk_person";
            case HEALTH_DECLARATION -> "health_declaration";
            case ITINERARY_DECLARATION -> "itinerary_declaration";
            case BODY_NOT_SET -> null;
        };
    }

    public static ObjectNode toTree(Event e) {
        ObjectNode n = F.objectNode();
        text(n, "feed", e.getFeed());
        text(n, "type", e.getType());
        text(n, "eventId", e.getEventId());
        text(n, "time", e.getTime());
        text(n, "region", e.getRegion());
        text(n, "idNumber", e.getIdNumber());
        text(n, "personId", e.getPersonId());
        text(n, "msisdn", e.getMsisdn());
        text(n, "phoneId", e.getPhoneId());
        text(n, "signature", e.getSignature());
        switch (e.getBodyCase()) {
            case TEST_RESULT -> {
                var b = e.getTestResult();
                text(n, "method", b.getMethod());
                text(n, "result", b.getResult());
                text(n, "tubeId", b.getTubeId());
                if (b.getPooled()) {
                    n.put("pooled", true);
                }
            }
            case DIAGNOSIS -> {
                text(n, "status", e.getDiagnosis().getStatus());
                text(n, "onset", e.getDiagnosis().getOnset());
            }
            case FEVER_CLINIC_VISIT ->
                text(n, "clinicId", e.getFeverClinicVisit().getClinicId());
            case QUARANTINE -> {
                text(n, "action", e.getQuarantine().getAction());
                text(n, "kind", e.getQuarantine().getKind());
            }
            case VACCINATION -> {
                if (e.getVaccination().hasDose()) {
                    n.put("dose", e.getVaccination().getDose());
                }
            }
            case IDENTITY -> text(n, "areaCode", e.getIdentity().getAreaCode());
            case CONTACT_DESIGNATION -> {
                var b = e.getContactDesignation();
                if (b.hasDegree()) {
                    n.put("degree", b.getDegree());
                }
                text(n, "exposure", b.getExposure());
                text(n, "caseId", b.getCaseId());
            }
            case HOTEL_CHECKIN -> {
                var b = e.getHotelCheckin();
                text(n, "hotelId", b.getHotelId());
                text(n, "areaCode", b.getAreaCode());
                text(n, "checkOut", b.getCheckOut());
            }
            case BORDER_ENTRY -> {
                text(n, "port", e.getBorderEntry().getPort());
                text(n, "fromCountry", e.getBorderEntry().getFromCountry());
            }
            case TRIP -> {
                var b = e.getTrip();
                text(n, "mode", b.getMode());
                text(n, "vehicleId", b.getVehicleId());
                if (b.getSealed()) {
                    n.put("sealed", true);
                }
                text(n, "carriage", b.getCarriage());
                if (b.getRow() != 0) {
                    n.put("row", b.getRow());
                }
                text(n, "fromArea", b.getFromArea());
                text(n, "toArea", b.getToArea());
                text(n, "departure", b.getDeparture());
                text(n, "arrival", b.getArrival());
            }
            case PING -> {
                if (e.getPing().hasLat()) {
                    n.put("lat", e.getPing().getLat());
                }
                if (e.getPing().hasLon()) {
                    n.put("lon", e.getPing().getLon());
                }
            }
            case CITY_STAY -> {
                text(n, "areaCode", e.getCityStay().getAreaCode());
                text(n, "from", e.getCityStay().getFrom());
                text(n, "to", e.getCityStay().getTo());
            }
            case SCAN -> {
                text(n, "venueId", e.getScan().getVenueId());
                text(n, "areaCode", e.getScan().getAreaCode());
                text(n, "direction", e.getScan().getDirection());
            }
            case RISK_AREA -> {
                var b = e.getRiskArea();
                text(n, "areaCode", b.getAreaCode());
                text(n, "level", b.getLevel());
                text(n, "from", b.getFrom());
                text(n, "to", b.getTo());
            }
            case TEST_CAMPAIGN -> {
                var b = e.getTestCampaign();
                text(n, "areaCode", b.getAreaCode());
                text(n, "from", b.getFrom());
                text(n, "to", b.getTo());
                if (b.hasIntervalHours()) {
                    n.put("intervalHours", b.getIntervalHours());
                }
            }
            case OVERRIDE_REQUEST -> {
                var b = e.getOverrideRequest();
                text(n, "requestId", b.getRequestId());
                text(n, "colour", b.getColour());
                text(n, "basis", b.getBasis());
                text(n, "expiry", b.getExpiry());
                text(n, "requester", b.getRequester());
            }
            case OVERRIDE_APPROVAL -> {
                text(n, "requestId", e.getOverrideApproval().getRequestId());
                text(n, "approver", e.getOverrideApproval().getApprover());
            }
            case OVERRIDE_REFUSAL -> {
                text(n, "requestId", e.getOverrideRefusal().getRequestId());
                text(n, "operator", e.getOverrideRefusal().getOperator());
                text(n, "reason", e.getOverrideRefusal().getReason());
            }
            case OVERRIDE_WITHDRAWAL -> {
                text(n, "requestId", e.getOverrideWithdrawal().getRequestId());
                text(n, "operator", e.getOverrideWithdrawal().getOperator());
            }
            case RISK_PERSON -> {
                var b = e.getRiskPerson();
                text(n, "nationalId", b.getNationalId());
                text(n, "colour", b.getColour());
                text(n, "reasonCategory", b.getReasonCategory());
                text(n, "since", b.getSince());
                text(n, "expiry", b.getExpiry());
            }
            case HEALTH_DECLARATION -> {
                var b = e.getHealthDeclaration();
                text(n, "declarationId", b.getDeclarationId());
                if (b.getSymptomsCount() > 0) {
                    var symptoms = n.putArray("symptoms");
                    b.getSymptomsList().forEach(symptoms::add);
                }
                if (b.hasTemperature()) {
                    n.put("temperature", b.getTemperature());
                }
            }
            case ITINERARY_DECLARATION -> {
                var b = e.getItineraryDeclaration();
                text(n, "declarationId", b.getDeclarationId());
                n.put("stop", b.getStop());
                text(n, "areaCode", b.getAreaCode());
                text(n, "from", b.getFrom());
                text(n, "to", b.getTo());
            }
            case BODY_NOT_SET -> {
                // only the common fields; validation names what is missing
            }
        }
        return n;
    }

    private static void text(ObjectNode n, String name, String value) {
        if (!value.isEmpty()) {
            n.put(name, value);
        }
    }
}
