package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
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
        assertThatThrownBy(() -> PayoutFileReader.read(name, content.getBytes(StandardCharsets.UTF_8), 100))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining(reason)
                .hasMessageNotContaining("8760673566123").hasMessageNotContaining("Siti");
    }

    /** A header of a million columns is refused at its 65th; a row's cells beyond the header are counted, not kept. */
    @Test
    void columnsAreBoundedBeforeTheyAreKept() {
        String wide = "reference,amount," + "c,".repeat(1_000_000) + "\nr1,50000\n";
        assertThatThrownBy(() -> PayoutFileReader.read("wide.csv", wide.getBytes(StandardCharsets.UTF_8), 100))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("more than 64 columns");
        String longRow = "reference,amount\nr1,50000," + "x,".repeat(1_000_000) + "\n";
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> row = (java.util.Map<String, Object>) PayoutFileReader.read("long.csv",
                longRow.getBytes(StandardCharsets.UTF_8), 100).get(0);
        assertThat(row).hasSize(65).containsEntry("reference", "r1").containsEntry("amount", "50000")
                .containsKey("column 3 (no header)").containsKey("999938 more cells beyond the header");
    }

    /** JSON rows are handed over as their text, for the intake to read strictly (a duplicated amount is refused there). */
    @Test
    void jsonRowsAreTheirTextForTheIntakeToReadStrictly() {
        String element = "{\"reference\":\"r1\",\"amount\":50000,\"amount\":9000000}";
        assertThat(PayoutFileReader.read("a.json", ("[" + element + ", 7 ,{\"x\":[1,{\"y\":2}]}]")
                .getBytes(StandardCharsets.UTF_8), 100)).containsExactly(element, "7", "{\"x\":[1,{\"y\":2}]}");
        assertThat(PayoutFileReader.read("l.json", (element + "\n\n{}\n").getBytes(StandardCharsets.UTF_8), 100))
                .containsExactly(element, "{}");
    }

    /** A UTF-16 file (its byte order mark is not UTF-8) cannot be read; the note says where it stops being UTF-8. */
    @Test
    void aFileThatCannotBeReadSaysWhereItStopsBeingUtf8() {
        byte[] utf16 = "reference,bankCode,accountNumber,amount\nr1,014,8760673566,50000\n".getBytes(StandardCharsets.UTF_16);
        assertThatThrownBy(() -> PayoutFileReader.read("utf16.csv", utf16, 100))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("the first row is not a header")
                .hasMessageContaining("not all UTF-8 text (line 1 is the first that is not)");
    }

    /** A row with bytes that are not UTF-8 is read, the bytes as U+FFFD, for the intake to refuse that row alone. */
    @Test
    void aRowThatIsNotUtf8IsReadForTheIntakeToRefuse() {
        byte[] latin1 = "reference,amount,senderName\nr1,50000,Budi\nr2,50000,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PayoutFileReader.read("mixed.csv", latin1, 100)).hasSize(2).last()
                .isEqualTo(java.util.Map.of("reference", "r2", "amount", "50000", "senderName", "Jos\uFFFD"));
    }

    /**
     * Parsing stops at the row past payouts.files.max-rows: a file within the size limit but of tiny
     * rows ({} a line, a,b,c,d a line) would otherwise become millions of maps before they are counted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tiny.csv   | reference,bankCode,accountNumber,amount\\n | a,b,c,d\\n
            tiny.json  | '[' | '{},'
            lines.json | ''  | '{}\\n'
            """)
    void aFileWithMoreRowsThanTheLimitIsRefusedWithoutParsingTheRest(String name, String head, String row) {
        String opening = head.replace("\\n", "\n");
        String line = row.replace("\\n", "\n");
        String tail = name.equals("tiny.json") ? "{}]" : "";
        String within = opening + line.repeat(4) + tail;
        assertThat(PayoutFileReader.read(name, within.getBytes(StandardCharsets.UTF_8), 5))
                .hasSize(name.equals("tiny.json") ? 5 : 4);
        String over = opening + line.repeat(200_000) + tail;
        assertThatThrownBy(() -> PayoutFileReader.read(name, over.getBytes(StandardCharsets.UTF_8), 5))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("more rows than payouts.files.max-rows (5)")
                .hasMessageContaining("nothing in it was paid");
    }
}
