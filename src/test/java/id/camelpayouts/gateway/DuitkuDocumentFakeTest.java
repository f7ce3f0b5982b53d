package id.camelpayouts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.PayoutLedger;

/**
 * The whole gateway against a Duitku written from its disbursement document alone
 * ({@link DocumentDuitku}), not from the twin: what the gateway sends is what the document asks
 * for, and what the document's Duitku answers or calls back with settles each payout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuitkuDocumentFakeTest {

    static final String EMAIL = "merchant@example.com";
    static final String SECRET = "document-fake-secret";
    static final String API_KEY = "doc-fake-key";
    static final AtomicInteger REFERENCES = new AtomicInteger();

    DocumentDuitku duitku;
    Main gateway;
    PayoutLedger ledger;
    int port;
    GatewayApi api;

    @BeforeAll
    void start() throws Exception {
        duitku = new DocumentDuitku(3551, EMAIL, SECRET);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Properties settings = GatewayApi.settings("doc-fake", port, API_KEY);
        settings.put("duitku.base-url", duitku.baseUrl());
        settings.put("duitku.cashout-url", duitku.cashOutUrl());
        settings.put("duitku.cashout-callback-url", "http://127.0.0.1:" + port + "/callbacks/duitku/cashout");
        settings.put("duitku.sandbox", "true");
        settings.put("duitku.user-id", "3551");
        settings.put("duitku.email", EMAIL);
        settings.put("duitku.secret-key", SECRET);
        settings.put("durianpay.base-url", "http://127.0.0.1:9");
        settings.put("payouts.reconcile.callback-wait", "1h");
        settings.put("payouts.provider.timeout", "3s");
        gateway = TestGateways.start(settings);
        api = GatewayApi.of(gateway, port, API_KEY);
        ledger = api.ledger();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        duitku.close();
    }

    @BeforeEach
    void fresh() {
        duitku.reset();
    }

    @AfterEach
    void everyRequestWasAsTheDocumentAsks() {
        assertThat(duitku.violations).as("requests the document's Duitku refuses").isEmpty();
    }

    @Test
    void anOnlineTransferWithEveryOptionalField() {
        String reference = reference();
        submit("{\"reference\":\"" + reference + "\",\"provider\":\"duitku\",\"method\":\"ONLINE\",\"bankCode\":\"014\","
                + "\"accountNumber\":\"8760673566\",\"amount\":50000,\"purpose\":\"Gaji Désember\","
                + "\"senderId\":\"1234567890\",\"senderName\":\"john doe\"}");
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("inquirysandbox")).isEqualTo(1);
        assertThat(duitku.calls("transfersandbox")).isEqualTo(1);
    }

    @Test
    void anH2hTransferSettledByItsCallback() {
        settledByItsCallbackLabelled("application/json");
    }

    /** An H2H transfer awaiting its callback, settled by the document's callback sent with {@code contentType}. */
    private void settledByItsCallbackLabelled(String contentType) {
        String reference = reference();
        DocumentDuitku.Request transfer = h2hAwaitingCallback(reference);
        assertThat(duitku.post(callbackUrl("clearing"), duitku.clearingCallback(transfer, "00"), contentType))
                .isEqualTo("200 SUCCESS");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** An H2H transfer sent and answered 80: PENDING, waiting for its callback; the transfer as Duitku got it. */
    private DocumentDuitku.Request h2hAwaitingCallback(String reference) {
        AtomicReference<DocumentDuitku.Request> transfer = new AtomicReference<>();
        duitku.script("transferclearingsandbox", request -> {
            transfer.set(request);
            return duitku.standard(request);
        });
        submit(clearing(reference, "H2H", "009"));
        await().atMost(Duration.ofSeconds(10)).until(() -> transfer.get() != null
                && ledger.find(reference).getReason() != null && ledger.find(reference).getReason().contains("callback"));
        return transfer.get();
    }

    @Test
    void anH2hCallbackThatArrivesBeforeTheTransferIsAnswered() {
        String reference = reference();
        AtomicReference<String> callbackAnswer = new AtomicReference<>();
        duitku.script("transferclearingsandbox", request -> {
            callbackAnswer.set(duitku.post(callbackUrl("clearing"), duitku.clearingCallback(request, "00")));
            return duitku.standard(request); // 80, after the callback
        });
        submit(clearing(reference, "H2H", "009"));
        Payout payout = awaitFinal(reference);
        await().atMost(Duration.ofSeconds(5)).until(() -> callbackAnswer.get() != null);
        assertThat(callbackAnswer.get()).isEqualTo("200 SUCCESS");
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("transferclearingsandbox")).isEqualTo(1);
    }

    /**
     * A strict Duitku serves one request at a time and sends its callback from that same thread,
     * waiting for our answer: while it waits it answers nothing, our status inquiry included. A
     * failure callback is therefore answered at once (well within payouts.provider.timeout, 3 s
     * here) and confirmed afterwards: the workers' inquiry, served once Duitku has its answer, says
     * failed, and only then does the payout fail.
     */
    @Test
    void aFailureCallbackFromAOneThreadDuitkuIsAnsweredAtOnceAndConfirmedAfterwards() {
        String reference = reference();
        DocumentDuitku.Request transfer = h2hAwaitingCallback(reference);
        duitku.script("inquirystatus", request -> {
            java.util.Map<String, Object> answer = json(duitku.standard(transfer).body());
            answer.put("responseCode", "01");
            answer.put("responseDesc", "Failed");
            return DocumentDuitku.Answer.json(answer);
        });
        duitku.serveOneAtATime();

        long start = System.nanoTime();
        String answered = duitku.postFromServerThread(callbackUrl("clearing"), duitku.clearingCallback(transfer, "01"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answered).isEqualTo("200 SUCCESS");
        assertThat(took).as("answered without asking Duitku, which waits for this answer").isLessThan(Duration.ofSeconds(1));

        Payout failed = awaitFinal(reference);
        assertThat(failed.getStatus()).isEqualTo(Payout.FAILED);
        assertThat(failed.getReason()).startsWith("Duitku reports the transfer failed");
        assertThat(duitku.calls("inquirystatus")).isEqualTo(1);
    }

    @Test
    void aCashOutSettledByItsCallback() {
        String reference = reference();
        AtomicReference<DocumentDuitku.Request> cashOut = new AtomicReference<>();
        AtomicReference<String> disburseId = new AtomicReference<>();
        duitku.script("cashout", request -> {
            cashOut.set(request);
            DocumentDuitku.Answer answer = duitku.standard(request);
            disburseId.set(json(answer.body()).get("disburseId").toString());
            return answer;
        });
        submit(cashOutInstruction(reference));
        await().atMost(Duration.ofSeconds(10)).until(() -> cashOut.get() != null
                && ledger.find(reference).getProviderReference() != null);
        assertThat(cashOut.get().text("callbackUrl")).isEqualTo(callbackUrl("cashout"));
        assertThat(duitku.post(callbackUrl("cashout"), duitku.cashOutCallback(cashOut.get(), disburseId.get(),
                cashOut.get().text("custRefNumber"), "00"))).isEqualTo("200 SUCCESS");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /**
     * The document makes the cash out's custRefNumber optional and answers one: a Duitku that
     * answers its own (not ours) names that one in the callback, which still settles the payout.
     */
    @Test
    void aCashOutWhoseCustRefNumberDuitkuAssigned() {
        String reference = reference();
        AtomicReference<DocumentDuitku.Request> cashOut = new AtomicReference<>();
        AtomicReference<String> disburseId = new AtomicReference<>();
        duitku.script("cashout", request -> {
            cashOut.set(request);
            java.util.Map<String, Object> answer = json(duitku.standard(request).body());
            answer.put("custRefNumber", "000000001278");
            disburseId.set(answer.get("disburseId").toString());
            return DocumentDuitku.Answer.json(answer);
        });
        submit(cashOutInstruction(reference));
        await().atMost(Duration.ofSeconds(10)).until(() -> cashOut.get() != null
                && ledger.find(reference).getProviderReference() != null);
        assertThat(duitku.post(callbackUrl("cashout"), duitku.cashOutCallback(cashOut.get(), disburseId.get(),
                "000000001278", "00"))).isEqualTo("200 SUCCESS");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    @Test
    void aCashOutCallbackThatArrivesBeforeTheCashOutIsAnswered() {
        String reference = reference();
        AtomicReference<String> callbackAnswer = new AtomicReference<>();
        duitku.script("cashout", request -> {
            DocumentDuitku.Answer answer = duitku.standard(request);
            String disburseId = json(answer.body()).get("disburseId").toString();
            callbackAnswer.set(duitku.post(callbackUrl("cashout"), duitku.cashOutCallback(request, disburseId,
                    request.text("custRefNumber"), "00")));
            return answer;
        });
        submit(cashOutInstruction(reference));
        Payout payout = awaitFinal(reference);
        await().atMost(Duration.ofSeconds(5)).until(() -> callbackAnswer.get() != null);
        assertThat(callbackAnswer.get()).isEqualTo("200 SUCCESS");
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        // the answer that came after it still gives the payout its token and PIN
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ledger.find(reference).toOutcome())
                .containsEntry("token", "230426073103").containsEntry("pin", "902607"));
    }

    /** Also: the balance is asked once per payouts.balance.max-age (5 s here), a failure not kept. */
    @Test
    void theBalanceAndTheBankListAsTheDocumentAnswersThem() {
        duitku.script("checkbalance", request -> new DocumentDuitku.Answer(503, "text/html", "<html>busy</html>"));
        assertThat(api.get("/api/balance?provider=duitku").statusCode()).isEqualTo(502);
        duitku.reset();
        java.util.Set<String> readAt = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> balance = api.get("/api/balance?provider=duitku");
            assertThat(balance.statusCode()).as(balance.body()).isEqualTo(200);
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("\"readAt\":\"([^\"]+)\"").matcher(balance.body());
            assertThat(at.find()).as(balance.body()).isTrue();
            readAt.add(at.group(1));
        }
        assertThat(duitku.calls("checkbalance")).as("provider calls for 5 requests after a failure").isEqualTo(1);
        assertThat(readAt).hasSize(1);
        HttpResponse<String> banks = api.get("/api/banks?provider=duitku");
        assertThat(banks.statusCode()).as(banks.body()).isEqualTo(200);
        assertThat(banks.body()).contains("\"Banks\"");
    }

    /** An HTML page instead of the transfer's answer: unknown, never sent again; inquirystatus settles it. */
    @Test
    void aTransferAnsweredWithAnHtmlPageIsSettledByItsStatus() {
        String reference = reference();
        duitku.script("transfersandbox", request -> new DocumentDuitku.Answer(200, "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        submit(online(reference));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("transfersandbox")).isEqualTo(1);
        assertThat(duitku.calls("inquirystatus")).isPositive();
    }

    /** Ids and amounts as strings where the document's examples have numbers, and the reverse. */
    @Test
    void answersWithIdsAndAmountsAsStrings() {
        String reference = reference();
        duitku.script("inquirysandbox", request -> {
            java.util.Map<String, Object> answer = json(duitku.standard(request).body());
            answer.put("disburseId", answer.get("disburseId").toString());
            answer.put("amountTransfer", "50000.00");
            return DocumentDuitku.Answer.json(answer);
        });
        duitku.script("transfersandbox", request -> {
            java.util.Map<String, Object> answer = json(duitku.standard(request).body());
            answer.put("amountTransfer", "50000");
            answer.put("custRefNumber", Long.parseLong(answer.get("custRefNumber").toString()));
            return DocumentDuitku.Answer.json(answer);
        });
        submit(online(reference));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
    }

    /** A server that writes a UTF-8 byte order mark before its JSON: the answer is still read. */
    @Test
    void answersAfterAByteOrderMark() {
        String reference = reference();
        duitku.script("inquirysandbox", request -> {
            DocumentDuitku.Answer answer = duitku.standard(request);
            return new DocumentDuitku.Answer(200, "application/json; charset=utf-8", "\uFEFF" + answer.body());
        });
        duitku.script("transfersandbox", request -> {
            DocumentDuitku.Answer answer = duitku.standard(request);
            return new DocumentDuitku.Answer(200, "application/json", "\uFEFF" + answer.body());
        });
        submit(online(reference));
        Payout payout = awaitFinal(reference);
        assertThat(payout.getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("inquirysandbox")).isEqualTo(1);
        assertThat(duitku.calls("inquirystatus")).as("the transfer's own answer was read").isZero();
    }

    /**
     * The transfer must name the account holder and custRefNumber the inquiry answered (the document
     * requires both): an inquiry "00" without them is no inquiry to transfer on. It is asked again,
     * and no transfer goes out with either missing.
     */
    @Test
    void anInquirySuccessWithoutTheHolderNameOrCustRefNumberIsAskedAgain() {
        String reference = reference();
        AtomicInteger inquiries = new AtomicInteger();
        duitku.script("inquirysandbox", request -> {
            java.util.Map<String, Object> answer = json(duitku.standard(request).body());
            if (inquiries.incrementAndGet() == 1) {
                answer.remove("accountName");
                answer.remove("custRefNumber");
            }
            return DocumentDuitku.Answer.json(answer);
        });
        submit(online(reference));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("inquirysandbox")).isEqualTo(2);
        assertThat(duitku.calls("transfersandbox")).isEqualTo(1);
    }

    /**
     * The document's callback is JSON (its merchant sample reads the raw body, whatever the
     * Content-Type says): a JSON callback labelled as a form, as a PHP sender's curl labels a string
     * body by default, is read all the same and answered SUCCESS.
     */
    @Test
    void aJsonCallbackLabelledAsAFormIsReadAsJson() {
        settledByItsCallbackLabelled("application/x-www-form-urlencoded");
        settledByItsCallbackLabelled("application/x-www-form-urlencoded; charset=UTF-8");
    }

    @Test
    void aJsonCallbackWithoutAContentTypeOrAsTextIsReadAsJson() {
        settledByItsCallbackLabelled(null);
        settledByItsCallbackLabelled("text/plain");
    }

    /**
     * BI-FAST: the clearing paths and type, final on the transfer's 00 (the document calls back
     * H2H only). LLG and RTGS take the same requests with their own type, on Bank Indonesia's hours.
     */
    @Test
    void aBiFastTransferIsFinalOnItsAnswer() {
        String reference = reference();
        submit(clearing(reference, "BIFAST", "014"));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.requests).filteredOn(r -> r.operation().endsWith("clearingsandbox"))
                .extracting(r -> r.text("type")).containsExactly("BIFAST", "BIFAST");
        assertThat(duitku.calls("inquirystatus")).isZero();
    }

    /** A cash out whose answer is a proxy's error page: never failed, never sent again; its callback settles it. */
    @Test
    void aCashOutAnsweredWithAnErrorPageWaitsForItsCallback() {
        String reference = reference();
        AtomicReference<DocumentDuitku.Request> cashOut = new AtomicReference<>();
        duitku.script("cashout", request -> {
            cashOut.set(request);
            return new DocumentDuitku.Answer(504, "text/html", "<html><body>504 Gateway Time-out</body></html>");
        });
        submit(cashOutInstruction(reference));
        await().atMost(Duration.ofSeconds(10)).until(() -> cashOut.get() != null
                && ledger.find(reference).getReason() != null && ledger.find(reference).getReason().contains("callback"));
        assertThat(ledger.find(reference).getStatus()).isEqualTo(Payout.PENDING);
        assertThat(duitku.post(callbackUrl("cashout"), duitku.cashOutCallback(cashOut.get(), "23042",
                cashOut.get().text("custRefNumber"), "00"))).isEqualTo("200 SUCCESS");
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("cashout")).isEqualTo(1);
        assertThat(duitku.calls("inquirystatus")).isZero();
    }

    /** An empty 200 and an ASP.NET-style 400 after the transfer: unknown, never sent again; the status settles it. */
    @Test
    void aTransferAnsweredEmptyOrWithAnUndocumentedErrorIsSettledByItsStatus() {
        String empty = reference();
        String aspError = reference();
        duitku.script("transfersandbox", request -> request.body().path("bankAccount").asText().endsWith("66")
                ? new DocumentDuitku.Answer(200, "application/json", "")
                : new DocumentDuitku.Answer(400, "application/json", "{\"Message\":\"The request is invalid.\"}"));
        submit(online(empty));
        submit(online(aspError).replace("8760673566", "8760673567"));
        assertThat(awaitFinal(empty).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(awaitFinal(aspError).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("transfersandbox")).isEqualTo(2);
    }

    /**
     * A status answer that echoes the transfer with numbers where the document has text (bankCode
     * 14 for "014", custRefNumber 880001 for "000000880001": a JSON number has no leading zeros)
     * still names this transfer: its success settles the payout.
     */
    @Test
    void aStatusAnswerEchoingTheTransferInNumbersStillDescribesIt() {
        String reference = reference();
        duitku.script("transfersandbox", request -> {
            duitku.standard(request); // Duitku has it
            return DocumentDuitku.code("TO", "Response time out from ATM Bersama Network");
        });
        duitku.script("inquirystatus", request -> {
            java.util.Map<String, Object> answer = json(duitku.standard(request).body());
            answer.put("bankCode", Long.parseLong(answer.get("bankCode").toString()));
            answer.put("custRefNumber", Long.parseLong(answer.get("custRefNumber").toString()));
            return DocumentDuitku.Answer.json(answer);
        });
        submit(online(reference));
        assertThat(awaitFinal(reference).getStatus()).isEqualTo(Payout.SUCCEEDED);
        assertThat(duitku.calls("transfersandbox")).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static String reference() {
        return "doc-" + REFERENCES.incrementAndGet();
    }

    static String online(String reference) {
        return "{\"reference\":\"" + reference + "\",\"provider\":\"duitku\",\"method\":\"ONLINE\","
                + "\"bankCode\":\"014\",\"accountNumber\":\"8760673566\",\"amount\":50000}";
    }

    static String clearing(String reference, String method, String bank) {
        return "{\"reference\":\"" + reference + "\",\"provider\":\"duitku\",\"method\":\"" + method
                + "\",\"bankCode\":\"" + bank + "\",\"accountNumber\":\"8760673466\",\"amount\":50000}";
    }

    static String cashOutInstruction(String reference) {
        return "{\"reference\":\"" + reference + "\",\"provider\":\"duitku\",\"method\":\"CASHOUT\",\"bankCode\":\"2010\","
                + "\"amount\":100000,\"accountName\":\"Budi\",\"phoneNumber\":\"082211789110\","
                + "\"identityNumber\":\"3174012345678901\",\"address\":\"Jl. Raya Perjuangan 1\"}";
    }

    static java.util.Map<String, Object> json(String body) {
        try {
            return DocumentDuitku.JSON.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String callbackUrl(String kind) {
        return "http://127.0.0.1:" + port + "/callbacks/duitku/" + kind;
    }

    void submit(String instruction) {
        api.submit(instruction);
    }

    Payout awaitFinal(String reference) {
        return api.awaitFinal(reference, 15);
    }
}
