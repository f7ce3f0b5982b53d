package id.camelpayouts.routes;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The response codes of Duitku's disbursement document (https://docs.duitku.com/disbursement/en/),
 * table by table, as the document lists them: the data the code-table tests check the gateway's
 * table (routes/codes/duitku-response-codes.csv) and routes against. Kept here, apart from the
 * table, so that a code dropped from the table, or left without a class, is noticed.
 */
final class DuitkuDocument {

    /** One table of the document and the calls whose answers can carry its codes. */
    record Table(String name, List<String> codes, List<String> calls) {
    }

    static final List<String> MONEY_CALLS = List.of("inquiry", "transfer", "cashout", "status");

    static final Table STATUS_CODE = new Table("Status Code", List.of("00", "EE", "TO", "LD", "NF", "76", "80",
            "-100", "-120", "-123", "-141", "-142", "-148", "-149", "-161", "-191", "-192", "-213", "-420", "-510",
            "-920", "-930", "-951", "-952", "-960"), List.of("inquiry", "transfer", "cashout", "status", "callback"));
    static final Table VENDOR_RESPONSE_CODE = new Table("Vendor Response Code", List.of("00", "01", "05", "12",
            "14", "30", "31", "51", "66", "68", "88", "90", "91"), MONEY_CALLS);
    static final Table CALLBACK_STATUS_CODE = new Table("Callback Status Code", List.of("00", "01", "68"),
            List.of("callback"));
    static final Table ERROR_CODE = new Table("Error Code", List.of("00", "01", "03", "04", "05", "12", "13",
            "14", "15", "20", "30", "31", "33", "36", "38", "39", "40", "41", "43", "51", "52", "68", "91"),
            MONEY_CALLS);
    /** Codes of the sandbox test scenarios (online inquiry and transfer, clearing inquiry and transfer). */
    static final Table SANDBOX_SCENARIOS = new Table("Testing", List.of("00", "TO", "-100", "LD", "91", "89",
            "-510", "68", "EE", "NF", "66", "88", "90", "80"), List.of("inquiry", "transfer", "status"));

    static final List<Table> TABLES = List.of(STATUS_CODE, VENDOR_RESPONSE_CODE, CALLBACK_STATUS_CODE, ERROR_CODE,
            SANDBOX_SCENARIOS);

    /** Every code the document names, once, in the document's order. */
    static List<String> allCodes() {
        Set<String> codes = new LinkedHashSet<>();
        TABLES.forEach(table -> codes.addAll(table.codes()));
        return List.copyOf(codes);
    }

    static Set<String> set(String commaSeparated) {
        return new LinkedHashSet<>(Arrays.asList(commaSeparated.split(",")));
    }

    private DuitkuDocument() {
    }
}
