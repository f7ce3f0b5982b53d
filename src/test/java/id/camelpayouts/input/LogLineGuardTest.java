package id.camelpayouts.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LogLineGuardTest {

    final LogLineGuard guard = new LogLineGuard();

    /** Camel's default masking formatter took about 40 s for a 10,000-character reference. */
    @Test
    void noLineIsExpensive() {
        String[] hostile = {"a".repeat(100_000), "pin".repeat(30_000), "secret=".repeat(20_000),
            "9".repeat(100_000), ("password" + "x".repeat(50) + " ").repeat(2_000)};
        long began = System.nanoTime();
        for (String line : hostile) {
            assertThat(guard.format("Instruction " + line + " refused")).hasSizeLessThan(1100);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void controlCharactersCannotForgeALineOrEscapeTheTerminal() {
        assertThat(guard.format("Payout x\r\n12:00:00 INFO forged\u001b[31m\u0000\u2028\u202e"))
                .isEqualTo("Payout x\\u000d\\u000a12:00:00 INFO forged\\u001b[31m\\u0000\\u2028\\u202e");
    }

    @Test
    void longDigitRunsKeepOnlyTheirLastFourDigits() {
        assertThat(guard.format("account 8760673566, KTP 3174012345678901, amount 50000, ref r-123456789"))
                .isEqualTo("account ******3566, KTP ************8901, amount 50000, ref r-123456789");
    }

    @Test
    void theValueAfterASecretLookingNameIsMasked() {
        assertThat(guard.format("secretKey=de56f832 token: \"abc\" {\"pin\":\"513372\"} X-API-Key=k1 ok=1"))
                .isEqualTo("secretKey=xxxxx token: \"xxxxx\" {\"pin\":\"xxxxx\"} X-API-Key=xxxxx ok=1");
        assertThat(guard.format("Payout pin-7 SUCCEEDED (notification)")).isEqualTo(
                "Payout pin-7 SUCCEEDED (notification)");
    }

    @Test
    void aLongLineIsCut() {
        assertThat(guard.format("x".repeat(5000))).isEqualTo("x".repeat(1000) + "...(4000 more)");
    }
}
