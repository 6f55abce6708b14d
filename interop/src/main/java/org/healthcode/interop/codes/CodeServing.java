package org.healthcode.interop.codes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.Handler;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.dcc.DccVerifier;
import org.healthcode.codes.dcc.DscList;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.store.StatusView;
import org.healthcode.interop.trust.TrustListClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Codes and checkpoints wired for one serving process: opens the region's keys (development keys under
 * {@code <data-dir>/codes} on first start), writes the trust-list file, starts the scan producer, and builds the
 * handlers ({@link CodeHandler}, {@link VerifyHandler}, {@link PagesHandler}). Owns the producer and the handlers'
 * lanes: {@link #close} stops them.
 */
public final class CodeServing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CodeServing.class);

    private final RegionCodes codes;
    private final CodeIssueService issuing;
    private final ScanFeedback scans;
    private final CodeHandler codeHandler;
    private final VerifyHandler verifyHandler;
    private final Handler handler;

    private CodeServing(
            RegionCodes codes,
            CodeIssueService issuing,
            ScanFeedback scans,
            CodeHandler codeHandler,
            VerifyHandler verifyHandler,
            Handler handler) {
        this.codes = codes;
        this.issuing = issuing;
        this.scans = scans;
        this.codeHandler = codeHandler;
        this.verifyHandler = verifyHandler;
        this.handler = handler;
    }

    /**
     * Opens everything; {@code bootstrapServers} is where scan events go (null or scan feedback off in the
     * configuration: no producer).
     */
    public static CodeServing open(
            CodesServeConfig config,
            Path dataDir,
            String bootstrapServers,
            StatusView view,
            AuditSink audit,
            Clock clock,
            int maxInFlight)
            throws IOException {
        return open(config, dataDir, bootstrapServers, view, audit, clock, maxInFlight, Optional.empty());
    }

    /** As above; {@code national} (the region's copy of the national trust list) lets checkpoints verify visitors. */
    public static CodeServing open(
            CodesServeConfig config,
            Path dataDir,
            String bootstrapServers,
            StatusView view,
            AuditSink audit,
            Clock clock,
            int maxInFlight,
            Optional<TrustListClient> national)
            throws IOException {
        return open(
                config, dataDir, bootstrapServers, KafkaClientSettings.NONE, view, audit, clock, maxInFlight, national);
    }

    /** As above, with the client settings of {@code --kafka-config} for the scan feedback. */
    public static CodeServing open(
            CodesServeConfig config,
            Path dataDir,
            String bootstrapServers,
            KafkaClientSettings kafka,
            StatusView view,
            AuditSink audit,
            Clock clock,
            int maxInFlight,
            Optional<TrustListClient> national)
            throws IOException {
        CodesConfig codesConfig = config.codesConfig(dataDir);
        RegionCodes codes = RegionCodes.open(codesConfig, clock.instant());
        Path trustFile = codesConfig.workDir().resolve("trust").resolve(config.region() + ".json");
        codes.writeTrustList(trustFile, clock.instant());
        LOG.info(
                "codes for region {}: key {} current; trust list written to {}",
                config.region(),
                codes.keyRing().current().kidBase64(),
                trustFile);
        Optional<DccVerifier> dcc = Optional.empty();
        if (config.dscFile() != null) {
            dcc = Optional.of(new DccVerifier(DscList.load(config.dscFile()), codes.crypto(), codesConfig.clockSkew()));
        }
        ScanFeedback scans = config.scanFeedback() && bootstrapServers != null && !bootstrapServers.isBlank()
                ? new KafkaScanFeedback(bootstrapServers, kafka, config.venueTopic())
                : ScanFeedback.OFF;
        RegionTrust trust = new RegionTrust(codes, clock, national);
        CodeIssueService issuing = new CodeIssueService(view, codes, audit, clock, config.maxCachedCodes());
        CodeVerifyService verifying = new CodeVerifyService(codes, trust, dcc, scans, audit, clock);
        // issuing and verifying cost a signature each: one bound for both
        Semaphore signing = new Semaphore(maxInFlight);
        CodeHandler codeHandler = new CodeHandler(issuing, signing);
        VerifyHandler verifyHandler = new VerifyHandler(verifying, trust, config.region(), signing);
        Handler handler = new Handler.Sequence(codeHandler, verifyHandler, new PagesHandler(new WebAssets()));
        return new CodeServing(codes, issuing, scans, codeHandler, verifyHandler, handler);
    }

    /** The handlers of codes, verification and pages; each answers its own routes and passes on the others. */
    public Handler handler() {
        return handler;
    }

    public RegionCodes codes() {
        return codes;
    }

    public CodeIssueService issuing() {
        return issuing;
    }

    @Override
    public void close() {
        codeHandler.close();
        verifyHandler.close();
        scans.close();
    }
}
