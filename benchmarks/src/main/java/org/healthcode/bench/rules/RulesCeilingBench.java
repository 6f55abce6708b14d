package org.healthcode.bench.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.report.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench rules}: the ceiling alone, the job's rules as a plain in-memory loop over the synthetic
 * city (the pipeline benchmark runs it too, in the same run as the job).
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "the rules as a plain in-memory loop over the synthetic city (the pipeline's ceiling)")
public final class RulesCeilingBench implements Callable<Integer> {
    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Option(names = "--persons", description = "city size (default 100000; quick 2000)")
    Integer persons;

    @Option(names = "--days", description = "simulated days (default 1)")
    Integer days;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Override
    public Integer call() throws Exception {
        int n = persons != null ? persons : options.quick ? 2_000 : 100_000;
        int d = days != null ? days : 1;
        Results r = new Results("rules", options.quick);
        r.settings().put("persons", n);
        r.settings().put("days", d);
        r.settings().put("seed", seed);
        r.settings().put("threads", 1);
        r.note("single thread; the pipeline figure is for the whole 2-core box, so compare it with 2x this");
        RulesCeiling.Outcome o = RulesCeiling.run(n, d, seed);
        r.figures().set("ceiling", json(o));
        r.line(text(o));
        r.write(options.resultsDir(parent.projectRoot()));
        return 0;
    }

    /** The outcome as a JSON object. */
    public static ObjectNode json(RulesCeiling.Outcome o) {
        ObjectNode n = Results.object();
        n.put("events", o.events());
        n.put("rejected", o.rejected());
        n.put("eventsWithoutPerson", o.withoutPerson());
        n.put("personEvents", o.personEvents());
        n.put("statusChanges", o.statusChanges());
        n.put("personsWithState", o.personsWithState());
        n.put("seconds", o.decodeAndRulesSeconds());
        n.put("eventsPerSecondDecodeAndRules", o.eventsPerSecond());
        n.put("eventsPerSecondRulesOnly", o.rulesOnlyEventsPerSecond());
        return n;
    }

    /** The outcome as one summary line. */
    public static String text(RulesCeiling.Outcome o) {
        return String.format(
                "ceiling (1 thread, in-memory loop): %,d events (%,d with a person, %,d status changes) in "
                        + "%.1f s = %,.0f events/s decode+rules; %,.0f events/s rules only",
                o.events(),
                o.personEvents(),
                o.statusChanges(),
                o.decodeAndRulesSeconds(),
                o.eventsPerSecond(),
                o.rulesOnlyEventsPerSecond());
    }
}
