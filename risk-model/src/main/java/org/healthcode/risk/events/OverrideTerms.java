package org.healthcode.risk.events;

/**
 * The terms of an approved manual override, as the per-person state keeps them on its {@code override} condition.
 *
 * @param requestId the reviewed request
 * @param colour the colour it sets (wire name), winning over computed colours either way
 * @param expiryMs when it ends by itself, event time
 * @param requester operator who asked for it
 * @param approver second, different operator who approved it
 */
public record OverrideTerms(String requestId, String colour, long expiryMs, String requester, String approver) {}
