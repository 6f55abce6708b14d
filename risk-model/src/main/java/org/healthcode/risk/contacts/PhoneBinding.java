package org.healthcode.risk.contacts;

/** The person a phone is bound to from {@code since} on (police identity binding), or waiting to take effect. */
public record PhoneBinding(String personId, long since, String eventId) {}
