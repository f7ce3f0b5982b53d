package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Why a file cannot be read is said without repeating what is in it (an account number, a name). */
class PayoutFileReaderTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no-header.csv   | r1,014,8760673566123,Siti Rahayu,50000                      | the first row is not a header
            half-header.csv | reference,8760673566123,Siti Rahayu                        | names no amount
            broken.json     | [{"reference":"r1","accountNumber":8760673566123Siti Rahayu}] | not a readable JSON array (line 1, column
            unclosed.json   | [{"reference":"r1","accountNumber":"8760673566123 Siti Rahayu | not a readable JSON array (line 1, column
            """)
    void theReasonNamesTheProblemAndNeverTheContent(String name, String content, String reason) {
        assertThatThrownBy(() -> PayoutFileReader.read(name, content.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining(reason)
                .hasMessageNotContaining("8760673566123").hasMessageNotContaining("Siti");
    }
}
