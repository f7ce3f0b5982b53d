package id.camelpayouts.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import id.camelpayouts.duitku.DuitkuSignature;

/**
 * The Duitku twin against Duitku's document (https://docs.duitku.com/disbursement/en/), spoken to
 * directly over HTTP: the document's refusals, the rails' limits, the balance as a decimal, no
 * status answers for cash outs, and faults that answer an error after the money moved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuitkuTwinTest {

    static final String EMAIL = "twin@example.com";
    static final String SECRET = "twin-test-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    final DuitkuSignature signature = new DuitkuSignature(EMAIL, SECRET);
    final HttpClient http = HttpClient.newHttpClient();
    DuitkuTwin twin;

    @BeforeAll
    void start() throws Exception {
        twin = new DuitkuTwin(new DuitkuTwin.Settings("127.0.0.1", 0, 4242, EMAIL, SECRET, 10_000_000_000L, 0, 2000,
                3_600_000), Clock.systemUTC());
        twin.start();
    }

    @AfterAll
    void stop() throws Exception {
        twin.stop();
    }

    @Test
    void theMerchantIsCheckedFirstWithTheDocumentsCodes() throws Exception {
        Map<String, Object> request = balanceRequest(System.currentTimeMillis());
        assertThat(call("checkbalance", request)).containsEntry("responseCode", "00");

        Map<String, Object> otherUser = new LinkedHashMap<>(request);
        otherUser.put("userId", 1);
        assertThat(call("checkbalance", otherUser)).containsEntry("responseCode", "-120");
        Map<String, Object> otherEmail = new LinkedHashMap<>(request);
        otherEmail.put("email", "someone@example.com");
        assertThat(call("checkbalance", otherEmail)).containsEntry("responseCode", "-213")
                .containsEntry("responseDesc", "Email is not valid");
        long sixMinutesAgo = System.currentTimeMillis() - Duration.ofMinutes(6).toMillis();
        assertThat(call("checkbalance", balanceRequest(sixMinutesAgo))).containsEntry("responseCode", "-960");
        Map<String, Object> unsigned = new LinkedHashMap<>(request);
        unsigned.put("signature", "0".repeat(64));
        assertThat(call("checkbalance", unsigned)).containsEntry("responseCode", "-191");
    }

    @Test
    void theBalanceIsADecimalAsTheDocumentShowsIt() throws Exception {
        String body = post("checkbalance", balanceRequest(System.currentTimeMillis())).body();
        assertThat(body).containsPattern("\"balance\":[0-9]+\\.00,")
                .containsPattern("\"effectiveBalance\":[0-9]+\\.00,");
    }

    @ParameterizedTest(name = "{0} clearing of Rp{1}: {2}")
    @CsvSource({
        "RTGS, 99999999,   -141",
        "RTGS, 100000000,  00",
        "LLG,  1000000000, 00",
        "LLG,  1000000001, -920",
        "H2H,  50000,      00"
    })
    void clearingInquiryAppliesTheRailsLimits(String type, long amount, String code) throws Exception {
        String bank = "H2H".equals(type) ? "009" : "014";
        assertThat(clearingInquiry(type, bank, "5550001000", amount)).containsEntry("responseCode", code);
    }

    /**
     * A gateway started again on its ledger (./data) starts its twin again, told the highest
     * disburseId the ledger holds: it goes on above it, as Duitku's numbering does, and never hands
     * out a disburseId of an earlier payout again.
     */
    @Test
    void aTwinStartedAgainGoesOnAboveTheLedgersDisburseIds() throws Exception {
        long before = Long.parseLong(inquiry("5550009000", 50000).get("disburseId").toString());
        DuitkuTwin again = new DuitkuTwin(new DuitkuTwin.Settings("127.0.0.1", 0, 4242, EMAIL, SECRET, 10_000_000_000L,
                0, 2000, 3_600_000), Clock.systemUTC());
        again.disburseIdsAbove(before);
        again.start();
        try {
            long timestamp = System.currentTimeMillis();
            Map<String, Object> request = merchant(timestamp);
            request.put("bankCode", "014");
            request.put("bankAccount", "5550009000");
            request.put("amountTransfer", 50000);
            request.put("purpose", "p");
            request.put("signature", signature.onlineInquiry(timestamp, "014", "5550009000", 50000, "p"));
            Map<String, Object> answer = call(again.baseUrl() + "/inquirysandbox", request);
            assertThat(answer).containsEntry("responseCode", "00");
            assertThat(Long.parseLong(answer.get("disburseId").toString())).isEqualTo(before + 1);
            again.disburseIdsAbove(5);
            assertThat(Long.parseLong(call(again.baseUrl() + "/inquirysandbox", request).get("disburseId").toString()))
                    .as("never back").isEqualTo(before + 2);
        } finally {
            again.stop();
        }
    }

    @Test
    void aBlacklistedAccountIsRefusedAtInquiry() throws Exception {
        assertThat(inquiry(DuitkuTwin.BLACKLISTED_ACCOUNT, 50000)).containsEntry("responseCode", "-192");
        assertThat(clearingInquiry("LLG", "014", DuitkuTwin.BLACKLISTED_ACCOUNT, 50000))
                .containsEntry("responseCode", "-192");
    }

    @ParameterizedTest(name = "refused {0} before anything happens")
    @CsvSource({"-123, User has been blocked", "-161, Callback URL not found", "-192, Account number is blacklisted",
        "-930, IP not whitelisted"})
    void theDocumentsRefusalsCanBeScriptedAndMoveNothing(String code, String words) throws Exception {
        Map<String, Object> inquiry = inquiry("5550002000", 50000);
        twin.refuseNext("transfersandbox", code);
        Map<String, Object> answer = transfer(inquiry);
        assertThat(answer).containsEntry("responseCode", code).containsEntry("responseDesc", words);
        String disburseId = inquiry.get("disburseId").toString();
        assertThat(twin.transfersExecuted(disburseId)).isZero();
        assertThat(status(disburseId)).containsEntry("responseCode", "-420");
        assertThatThrownBy(() -> twin.refuseNext("transfersandbox", "EE")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}: an error answered after the money moved")
    @EnumSource(value = TwinFault.class, names = {"GENERAL_ERROR_AFTER", "TRANSPORT_ERROR_AFTER",
        "ALREADY_FINISHED_AFTER", "DO_NOT_RETRY_AFTER"})
    void faultsThatAnswerAnErrorAfterExecutingTheTransfer(TwinFault fault) throws Exception {
        Map<String, Object> inquiry = inquiry("5550003000", 50000);
        twin.faults().next("transfersandbox", fault);
        assertThat(transfer(inquiry)).containsEntry("responseCode", fault.code());
        String disburseId = inquiry.get("disburseId").toString();
        assertThat(twin.transfersExecuted(disburseId)).isEqualTo(1);
        assertThat(status(disburseId)).containsEntry("responseCode", "00").containsEntry("bankAccount", "5550003000");
    }

    @Test
    void everyCallThatArrivesIsCountedEvenOneDroppedBeforeAnyWork() throws Exception {
        Map<String, Object> inquiry = inquiry("5550004000", 50000);
        int transfers = twin.calls("transfersandbox");
        twin.faults().next("transfersandbox", TwinFault.DROP_BEFORE);
        assertThatThrownBy(() -> transfer(inquiry)).isInstanceOf(java.io.IOException.class);
        assertThat(twin.transfersExecuted(inquiry.get("disburseId").toString())).isZero();
        assertThat(twin.calls("transfersandbox")).isEqualTo(transfers + 1);
        assertThat(twin.calls("transfersandbox", "5550004000")).isEqualTo(1);
        assertThat(twin.calls("inquirysandbox", "5550004000")).isEqualTo(1);
        assertThat(twin.calls("transfersandbox", "5550004001")).isZero();
    }

    @ParameterizedTest(name = "transfer test account {0} answers {1}; its status: {2}")
    @CsvSource({
        "8760673566, 00,   00",
        "8760673559, LD,   -420",
        "8760673560, 91,   -420",
        "8760673561, TO,   00",
        "8760673562, -510, -420",
        "8760673563, 89,   -420",
        "8760673565, -100, -420"
    })
    void aTransferThatNeverExecutedIsNotFoundByItsStatus(String account, String code, String status) throws Exception {
        Map<String, Object> inquiry = inquiry(account, 50000);
        assertThat(transfer(inquiry)).containsEntry("responseCode", code);
        assertThat(status(inquiry.get("disburseId").toString())).containsEntry("responseCode", status);
    }

    @Test
    void aCashOutHasNoStatusAnswer() throws Exception {
        long timestamp = System.currentTimeMillis();
        Map<String, Object> cashOut = merchant(timestamp);
        cashOut.put("amountTransfer", 100000);
        cashOut.put("custRefNumber", "co-1");
        cashOut.put("bankCode", "2010");
        cashOut.put("accountName", "Siti");
        cashOut.put("accountIdentity", "3174012345678901");
        cashOut.put("phoneNumber", "081234567150");
        cashOut.put("purpose", "p");
        cashOut.put("signature", signature.cashOutInquiry(timestamp, 100000, "p"));
        Map<String, Object> issued = call(twin.cashOutUrl() + "/inquiry", cashOut);
        assertThat(issued).containsEntry("responseCode", "00").containsKey("token");
        String disburseId = issued.get("disburseId").toString();
        assertThat(twin.transfersExecuted(disburseId)).isEqualTo(1);
        assertThat(status(disburseId)).containsEntry("responseCode", "-420").doesNotContainKey("bankAccount");
    }

    /**
     * The document marks accountName and custRefNumber required on a transfer: one without them is
     * refused as Duitku does (-952 Invalid Parameter), and nothing is executed.
     */
    @Test
    void aTransferWithoutTheFieldsTheDocumentRequiresIsRefused() throws Exception {
        Map<String, Object> inquiry = inquiry("5550007000", 50000);
        String disburseId = inquiry.get("disburseId").toString();
        inquiry.put("accountName", "");
        Map<String, Object> request = transferRequest(inquiry);
        request.remove("accountName");
        assertThat(call("transfersandbox", request)).containsEntry("responseCode", "-952");
        request.put("accountName", null);
        assertThat(call("transfersandbox", request)).containsEntry("responseCode", "-952");
        assertThat(twin.transfersExecuted(disburseId)).isZero();
    }

    // ---- requests ---------------------------------------------------------------------------------

    private Map<String, Object> inquiry(String account, long amount) throws Exception {
        long timestamp = System.currentTimeMillis();
        Map<String, Object> request = merchant(timestamp);
        request.put("bankCode", "014");
        request.put("bankAccount", account);
        request.put("amountTransfer", amount);
        request.put("purpose", "p");
        request.put("signature", signature.onlineInquiry(timestamp, "014", account, amount, "p"));
        return call("inquirysandbox", request);
    }

    private Map<String, Object> clearingInquiry(String type, String bank, String account, long amount)
            throws Exception {
        long timestamp = System.currentTimeMillis();
        Map<String, Object> request = merchant(timestamp);
        request.put("bankCode", bank);
        request.put("bankAccount", account);
        request.put("amountTransfer", amount);
        request.put("purpose", "p");
        request.put("type", type);
        request.put("signature", signature.clearingInquiry(timestamp, bank, type, account, amount, "p"));
        return call("inquiryclearingsandbox", request);
    }

    private Map<String, Object> transfer(Map<String, Object> inquiry) throws Exception {
        return call("transfersandbox", transferRequest(inquiry));
    }

    private Map<String, Object> transferRequest(Map<String, Object> inquiry) {
        long timestamp = System.currentTimeMillis();
        String disburseId = inquiry.get("disburseId").toString();
        Map<String, Object> request = merchant(timestamp);
        request.put("disburseId", disburseId);
        request.put("bankCode", inquiry.get("bankCode"));
        request.put("bankAccount", inquiry.get("bankAccount"));
        request.put("amountTransfer", inquiry.get("amountTransfer"));
        request.put("accountName", inquiry.get("accountName"));
        request.put("custRefNumber", inquiry.get("custRefNumber"));
        request.put("purpose", "p");
        request.put("signature", signature.onlineTransfer(timestamp, inquiry.get("bankCode").toString(),
                inquiry.get("bankAccount").toString(), inquiry.get("accountName").toString(),
                inquiry.get("custRefNumber").toString(), inquiry.get("amountTransfer"), "p", disburseId));
        return request;
    }

    private Map<String, Object> status(String disburseId) throws Exception {
        long timestamp = System.currentTimeMillis();
        Map<String, Object> request = merchant(timestamp);
        request.put("disburseId", disburseId);
        request.put("signature", signature.inquiryStatus(timestamp, disburseId));
        return call("inquirystatus", request);
    }

    private Map<String, Object> balanceRequest(long timestamp) {
        Map<String, Object> request = merchant(timestamp);
        request.put("signature", signature.merchantRequest(timestamp));
        return request;
    }

    private static Map<String, Object> merchant(long timestamp) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("userId", 4242);
        request.put("email", EMAIL);
        request.put("timestamp", timestamp);
        return request;
    }

    private Map<String, Object> call(String operation, Map<String, Object> request) throws Exception {
        return JSON.readValue(post(operation, request).body(), new TypeReference<Map<String, Object>>() {
        });
    }

    private HttpResponse<String> post(String operation, Map<String, Object> request) throws Exception {
        String url = operation.startsWith("http") ? operation : twin.baseUrl() + "/" + operation;
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
