package org.healthcode.ingest.pseudonym;

/**
 * Checks and normalises phone numbers (MSISDN) to E.164 digits, so the police binding and the carrier feeds name
 * one phone the same way whatever their local habit.
 *
 * <p>Accepted: an optional {@code +} then 6-15 digits. Normalised: {@code +CC...} keeps its digits;
 * {@code 00CC...} drops the international prefix; a bare 11-digit number starting with 1 is a mainland mobile
 * and gets country code 86; anything else is taken as given.
 */
public final class Msisdns {
    private Msisdns() {}

    /** Null when valid, else what is wrong (never containing the number itself). */
    public static String problem(String msisdn) {
        if (msisdn == null || msisdn.isEmpty()) {
            return "must not be empty";
        }
        int start = msisdn.charAt(0) == '+' ? 1 : 0;
        int digits = msisdn.length() - start;
        if (digits < 6 || digits > 15) {
            return "must be 6-15 digits with an optional leading +";
        }
        for (int i = start; i < msisdn.length(); i++) {
            char c = msisdn.charAt(i);
            if (c < '0' || c > '9') {
                return "must be 6-15 digits with an optional leading +";
            }
        }
        return null;
    }

    public static boolean isValid(String msisdn) {
        return problem(msisdn) == null;
    }

    /** E.164 digits without the plus, e.g. {@code 8613800138000}. */
    public static String normalise(String msisdn) {
        String p = problem(msisdn);
        if (p != null) {
            throw new IllegalArgumentException("not a valid phone number: " + p);
        }
        if (msisdn.charAt(0) == '+') {
            return msisdn.substring(1);
        }
        if (msisdn.startsWith("00") && msisdn.length() > 8) {
            return msisdn.substring(2);
        }
        if (msisdn.length() == 11 && msisdn.charAt(0) == '1') {
            return "86" + msisdn;
        }
        return msisdn;
    }
}
