package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class DurianpayClientTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-06-03T10:00:00Z"), ZoneOffset.UTC);
    final DurianpayClient client = new DurianpayClient("key", "secret", "merchant",
            PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"), "client_credentials", clock);

    @Test
    void expiresInIsReadAsSecondsOrAsAnAbsoluteTimeAndDefaultsTo900Seconds() {
        assertThat(client.lifetime(3600)).isEqualTo(Duration.ofHours(1));
        assertThat(client.lifetime("900")).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime("1200.0")).isEqualTo(Duration.ofSeconds(1200));
        assertThat(client.lifetime("2026-06-03T17:30:00+07:00")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03T16:00:00+07:00")).as("already past").isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime("soon")).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime(null)).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime(0)).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void aTokenIsRefreshedBeforeItExpiresAndDroppedWhenRefused() {
        assertThat(client.needsToken()).isTrue();
        client.storeToken(java.util.Map.of("accessToken", "t1", "expiresIn", "900"));
        assertThat(client.needsToken()).isFalse();
        client.invalidateToken();
        assertThat(client.needsToken()).isTrue();
        client.storeToken(java.util.Map.of("accessToken", "t2", "expiresIn", 0.001));
        assertThat(client.needsToken()).as("0.001 s reads as the 900 s default").isFalse();
    }
}
