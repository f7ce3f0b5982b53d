package id.camelpayouts.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void controlAndInvisibleFormatCharactersAreEscapedAndTheTextIsCut() {
        assertThat(LogSafe.text("a\r\nb\u001b[0m\u0000\u202e\uFEFF", 100))
                .isEqualTo("a\\u000d\\u000ab\\u001b[0m\\u0000\\u202e\\ufeff");
        assertThat(LogSafe.text("k".repeat(50), 40)).isEqualTo("k".repeat(40) + "...(10 more)");
        assertThat(LogSafe.text("Jl. Merdeka 1, Jakarta é ü 日本", 100)).isEqualTo("Jl. Merdeka 1, Jakarta é ü 日本");
        assertThat(LogSafe.isClean("Siti Rahayu")).isTrue();
        assertThat(LogSafe.isClean("Siti\tRahayu")).isFalse();
        assertThat(LogSafe.isClean("Siti\u2028")).isFalse();
    }
}
