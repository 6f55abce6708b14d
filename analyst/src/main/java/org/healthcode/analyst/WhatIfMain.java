package org.healthcode.analyst;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.analyst.whatif.WhatIf;
import org.healthcode.analyst.whatif.WhatIfConfig;
import org.healthcode.risk.Decoders;
import org.healthcode.risk.config.Args;

/** {@code ./healthcode whatif}: replays an archive under two rule sets and writes the differences and a report. */
public final class WhatIfMain {
    private WhatIfMain() {}

    public static void main(String[] args) throws Exception {
        if (Args.helpRequested(args)) {
            System.out.print(WhatIfConfig.USAGE);
            return;
        }
        WhatIfConfig cfg;
        try {
            cfg = WhatIfConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(WhatIfConfig.USAGE);
            System.exit(2);
            return;
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        WhatIf.Result r = WhatIf.run(
                cfg,
                () -> StreamExecutionEnvironment.getExecutionEnvironment(conf),
                Decoders.forRegion(cfg.secretFile(), cfg.workDir(), null, cfg.overrideKeyFile()));
        System.out.println("WHATIF DONE " + r.comparison().persons().size() + " persons differ (A "
                + r.a().version() + ", B " + r.b().version() + "), "
                + r.comparison().days().size() + " days -> "
                + cfg.out().resolve("report.html"));
    }
}
