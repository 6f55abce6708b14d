package org.healthcode.risk.rules;

import java.util.List;

/** A rule set that failed validation; the message lists every problem, each naming its field. */
public final class InvalidRuleSetException extends RuntimeException {
    private final List<String> problems;

    public InvalidRuleSetException(List<String> problems) {
        super("invalid rule set: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
