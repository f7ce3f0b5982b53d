package id.camelpayouts.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How PayoutFiles renders a results file: cells a spreadsheet would run as a formula are written as text. */
class ResultsCsvTest {

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\",\"open\")", "+1+1", "-2+3+cmd|' /C calc'!A0",
        "-A1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"})
    void aCellStartingLikeAFormulaIsWrittenWithAQuoteBeforeIt(String reference) throws Exception {
        Map<String, String> written = renderedAndReadBack(row(reference, "REJECTED"));

        assertThat(written.get("reference")).isEqualTo("'" + reference);
        assertThat(written.get("status")).isEqualTo("REJECTED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"inv-2024-001", "a=b", "x+1", "'=1+1", " =1+1", "10000"})
    void anyOtherCellIsWrittenAsItIs(String reference) throws Exception {
        assertThat(renderedAndReadBack(row(reference, "SUCCEEDED")).get("reference")).isEqualTo(reference);
    }

    @Test
    void everyColumnIsNeutralisedNotOnlyTheReference() throws Exception {
        Map<String, Object> row = row("r1", "FAILED");
        row.put("responseDesc", "-Rekening tidak ditemukan");
        row.put("accountName", "@Budi");
        row.put("reason", "=bad");
        row.put("amount", 50000L);

        Map<String, String> written = renderedAndReadBack(row);

        assertThat(written).containsEntry("responseDesc", "'-Rekening tidak ditemukan")
                .containsEntry("accountName", "'@Budi").containsEntry("reason", "'=bad")
                .containsEntry("amount", "50000").containsEntry("row", "1").containsEntry("providerReference", "");
    }

    @Test
    void onlyTheResultColumnsAreWrittenSoACashOutsTokenAndPinAreNot() throws Exception {
        Map<String, Object> row = row("r2", "SUCCEEDED");
        row.put("token", "TOKEN-123456");
        row.put("pin", "987654");
        row.put("reviewRequired", true);

        String csv = PayoutFiles.render(List.of(row));

        assertThat(csv).doesNotContain("TOKEN-123456").doesNotContain("987654").doesNotContain("reviewRequired");
        assertThat(csv.lines().findFirst()).contains(String.join(",", PayoutFiles.RESULT_COLUMNS));
    }

    private static Map<String, Object> row(String reference, String status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("row", 1);
        row.put("reference", reference);
        row.put("status", status);
        return row;
    }

    private static Map<String, String> renderedAndReadBack(Map<String, Object> row) throws Exception {
        String csv = PayoutFiles.render(List.of(row));
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            List<Map<String, String>> read = rows.readAll();
            assertThat(read).hasSize(1);
            return read.get(0);
        }
    }
}
