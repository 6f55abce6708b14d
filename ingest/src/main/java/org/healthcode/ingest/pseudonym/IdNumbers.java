package org.healthcode.ingest.pseudonym;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Checks and normalises 18-character resident ID numbers (GB 11643-1999): 6-digit area, 8-digit birth date,
 * 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
 *
 * <p>Problems are described without echoing the number: reasons end up in logs and on the rejected topic.
 */
public final class IdNumbers {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private IdNumbers() {}

    /** The check character for the first 17 digits. */
    public static char checkChar(CharSequence first17) {
        if (first17.length() < 17) {
            throw new IllegalArgumentException("need 17 digits");
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("need 17 digits");
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** Null when valid, else what is wrong (never containing the number itself). */
    public static String problem(String id) {
        if (id == null || id.length() != 18) {
            return "must be 18 characters (GB 11643)";
        }
        for (int i = 0; i < 17; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return "the first 17 characters must be digits";
            }
        }
        char last = Character.toUpperCase(id.charAt(17));
        if (!(last >= '0' && last <= '9') && last != 'X') {
            return "the check character must be a digit or X";
        }
        try {
            LocalDate.of(
                    Integer.parseInt(id.substring(6, 10)),
                    Integer.parseInt(id.substring(10, 12)),
                    Integer.parseInt(id.substring(12, 14)));
        } catch (DateTimeException e) {
            return "the birth date is not a date";
        }
        if (checkChar(id) != last) {
            return "the check character does not match (GB 11643 checksum)";
        }
        return null;
    }

    public static boolean isValid(String id) {
        return problem(id) == null;
    }

    /** The canonical form (upper-case X), so both spellings give the same pseudonym. */
    public static String normalise(String id) {
        String p = problem(id);
        if (p != null) {
            throw new IllegalArgumentException("not a valid ID number: " + p);
        }
        return id.toUpperCase(Locale.ROOT);
    }

    /** Builds a valid ID number from an area code, a birth date and a sequence 0-999 (for synthetic data). */
    public static String of(String areaCode, LocalDate birth, int sequence) {
        String first17 = String.format(
                Locale.ROOT,
                "%s%04d%02d%02d%03d",
                areaCode,
                birth.getYear(),
                birth.getMonthValue(),
                birth.getDayOfMonth(),
                sequence);
        return first17 + checkChar(first17);
    }
}
