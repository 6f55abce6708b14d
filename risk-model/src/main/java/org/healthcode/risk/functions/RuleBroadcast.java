package org.healthcode.risk.functions;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The broadcast states fed by the rule-set stream, each under the key {@link #CURRENT}: {@link #DESCRIPTOR} the
 * rule-set JSON text in force (the person function), {@link #LATENESS} its allowed lateness in milliseconds (the
 * duplicate and lateness filter).
 */
public final class RuleBroadcast {
    public static final String CURRENT = "current";
    public static final MapStateDescriptor<String, String> DESCRIPTOR =
            new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);
    public static final MapStateDescriptor<String, Long> LATENESS =
            new MapStateDescriptor<>("allowed-lateness", Types.STRING, Types.LONG);

    private RuleBroadcast() {}
}
