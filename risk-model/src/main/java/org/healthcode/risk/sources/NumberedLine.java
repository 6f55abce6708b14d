package org.healthcode.risk.sources;

/** One line of a JSON Lines file with its 1-based line number, without its terminator. */
public record NumberedLine(long line, byte[] bytes) {}
