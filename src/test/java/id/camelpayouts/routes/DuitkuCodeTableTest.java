package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import id.camelpayouts.payout.ResponseCodeTable;

/**
 * The Duitku code table (routes/codes/duitku-response-codes.csv) against the document's code
 * list ({@link DuitkuDocument}): every documented code has a class for every call its table can
 * answer, with the document's words and a reason beside it; and the table never lets a code fail
 * a payout where the money may have moved.
 */
class DuitkuCodeTableTest {

    static final Map<String, Set<String>> CLASSES = Map.of(
            "inquiry", Set.of("success", "declined", "retry"),
            "transfer", Set.of("success", "declined", "unknown", "callback"),
            "cashout", Set.of("declined", "unknown", "callback"),
            "status", Set.of("success", "failed", "not-found", "callback", "retry", "unknown"),
            "callback", Set.of("success", "failed", "unknown"));

    /**
     * The only codes whose words say Duitku refused a money-moving request itself, before anything
     * happened. A cash out's vendor answers (14, 30, 31, 51, 76, 90) come after Duitku adjusted the
     * balance (the document's cash-out flow), so only Duitku's own refusals count there.
     */
    static final Set<String> REFUSALS_OF_A_TRANSFER = DuitkuDocument.set(
            "-510,-141,-148,-149,-191,-192,-213,-120,-123,-920,-930,-952,-960,76,14,30,31,51,90");
    static final Set<String> REFUSALS_OF_A_CASH_OUT = DuitkuDocument.set(
            "-510,-141,-148,-149,-191,-192,-213,-120,-123,-920,-930,-952,-960");

    static ResponseCodeTable table() throws Exception {
        return ResponseCodeTable.read("duitku", Files.readString(Path.of("routes/codes/duitku-response-codes.csv")));
    }

    static Stream<Arguments> documentedCodesAndCalls() {
        return DuitkuDocument.TABLES.stream().flatMap(table -> table.codes().stream()
                .flatMap(code -> table.calls().stream().map(call -> Arguments.of(table.name(), code, call))));
    }

    @ParameterizedTest(name = "{0} {1} is classified for {2}")
    @MethodSource("documentedCodesAndCalls")
    void everyDocumentedCodeIsClassifiedForEveryCallItCanAnswer(String table, String code, String call)
            throws Exception {
        ResponseCodeTable.Code row = table().find(code);
        assertThat(row).as("%s code %s is in the table", table, code).isNotNull();
        assertThat(row.classes()).as("%s code %s has a class for %s", table, code, call).containsKey(call);
        assertThat(CLASSES.get(call)).as("class of %s after %s", code, call).contains(row.classes().get(call));
        assertThat(row.says()).as("the document's words for %s", code).isNotBlank();
        assertThat(row.why()).as("why %s is classified so", code).isNotBlank();
    }

    @Test
    void theTableHoldsTheDocumentsCodesAndNothingElse() throws Exception {
        assertThat(table().codes()).extracting(ResponseCodeTable.Code::code)
                .containsExactlyInAnyOrderElementsOf(DuitkuDocument.allCodes());
        assertThat(table().calls()).containsExactly("inquiry", "transfer", "cashout", "status", "callback");
    }

    @Test
    void afterAMoneyMovingCallOnlyTheDocumentedRefusalsAreDeclined() throws Exception {
        ResponseCodeTable table = table();
        assertThat(declined(table, "transfer")).isSubsetOf(REFUSALS_OF_A_TRANSFER);
        assertThat(declined(table, "cashout")).isSubsetOf(REFUSALS_OF_A_CASH_OUT);
        // the examples of codes that say nothing about whether the money moved
        for (String code : List.of("EE", "91", "66", "12", "89", "LD", "NF", "-142", "TO", "68", "-100", "-951")) {
            for (String call : List.of("transfer", "cashout", "status")) {
                assertThat(table.classify(call, code)).as("%s after %s", code, call).isIn("unknown", "not-found");
            }
        }
        assertThat(table.classify("transfer", "-999")).as("a code nobody documented").isEqualTo("unknown");
    }

    @Test
    void onlyNotRecordedIsNotFoundAndOnlyAStatusOrCallbackSaysFailed() throws Exception {
        ResponseCodeTable table = table();
        assertThat(table.codes().stream().filter(c -> "not-found".equals(c.classes().get("status")))
                .map(ResponseCodeTable.Code::code)).containsExactlyInAnyOrder("NF", "-420");
        for (String call : List.of("inquiry", "transfer", "cashout")) {
            assertThat(table.codes()).as(call).noneMatch(c -> "failed".equals(c.classes().get(call)));
        }
        assertThat(table.classify("cashout", "00")).as("a token is not a collected cash out").isEqualTo("callback");
    }

    @Test
    void theReadmeShowsTheTableAsItIs() throws Exception {
        assertThat(Files.readString(Path.of("README.md")))
                .as("README's Duitku code table, rendered from routes/codes/duitku-response-codes.csv")
                .contains(markdown(table()));
    }

    /** The table as the README shows it: code, the document's words, the class for each call. */
    static String markdown(ResponseCodeTable table) {
        List<String> calls = List.of("inquiry", "transfer", "cashout", "status", "callback");
        StringBuilder md = new StringBuilder("| code | the document's words | inquiry | transfer | cash out | status"
                + " | callback |\n|---|---|---|---|---|---|---|\n");
        for (ResponseCodeTable.Code code : table.codes()) {
            md.append("| `").append(code.code()).append("` | ").append(code.says());
            calls.forEach(call -> md.append(" | ").append(table.classify(call, code.code())));
            md.append(" |\n");
        }
        return md.toString();
    }

    private static List<String> declined(ResponseCodeTable table, String call) {
        return table.codes().stream().filter(c -> "declined".equals(c.classes().get(call)))
                .map(ResponseCodeTable.Code::code).toList();
    }
}
