package org.healthcode.interop.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyGeneration;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListPublisher;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A region's key registrations at the hub move forward only: a replayed or older one cannot roll the keys back. */
class TrustHubRegistrationTest {
    private static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");
    private static final String GUANGDONG = "440000";
    private static final Caller REGION =
            new Caller("region-440000", Role.REGION, GUANGDONG, Caller.Via.CLIENT_CERTIFICATE);
    private final CoseCrypto crypto = new CoseCrypto(CryptoProvider.BC);

    @TempDir
    Path dir;

    @Test
    void aReplayedOrOlderRegistrationIsRefusedAndTheNewerOneStays() throws Exception {
        KeyRing ring = new KeyRing(
                GUANGDONG,
                KeyGeneration.generate(GUANGDONG, CoseAlgorithm.EDDSA, MONDAY_9AM, Duration.ofDays(90)),
                KeyGeneration.generate(GUANGDONG, CoseAlgorithm.EDDSA, MONDAY_9AM, Duration.ofDays(90)),
                List.of());
        TrustHub hub = TrustHub.open(
                dir, Clock.fixed(MONDAY_9AM.plus(Duration.ofDays(2)), ZoneOffset.UTC), Duration.ofDays(7));
        assertThat(hub.enrol(TrustListPublisher.publish(ring, MONDAY_9AM, Duration.ofDays(7))))
                .isTrue();

        KeyRegistration older = registration(ring, MONDAY_9AM.plus(Duration.ofHours(1)));
        KeyRegistration newer = registration(ring, MONDAY_9AM.plus(Duration.ofHours(2)));
        hub.register(newer, REGION);
        assertThatThrownBy(() -> hub.register(newer, REGION))
                .isInstanceOf(TrustHub.Rejected.class)
                .hasMessageContaining("not after");
        assertThatThrownBy(() -> hub.register(older, REGION)).isInstanceOf(TrustHub.Rejected.class);
        // enrolment and the one accepted registration: the refused ones changed nothing
        assertThat(hub.current().bundle().toJson()).contains("\"serial\" : 2");
    }

    private KeyRegistration registration(KeyRing ring, Instant at) {
        TrustList list = TrustListPublisher.publish(ring, at, Duration.ofDays(7));
        return KeyRegistration.sign(list, List.of(), ring.current(), crypto);
    }
}
