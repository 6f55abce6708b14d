package org.healthcode.risk.functions;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/** The broadcast state holding the rule set in force: key {@link #CURRENT}, value the rule-set JSON text. */
public final class RuleBroadcast {
    public static final String CURRENT = "current";
    public static final MapStateDescriptor<String, String> DESCRIPTOR =
            new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);

    private RuleBroadcast() {}
}
