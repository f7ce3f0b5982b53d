package id.camelpayouts.routes;

import static id.camelpayouts.routes.DurianpayEngine.INQUIRY;
import static id.camelpayouts.routes.DurianpayEngine.STATUS;
import static id.camelpayouts.routes.DurianpayEngine.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.payout.ResponseCodeTable;
import id.camelpayouts.routes.DurianpayEngine.Canned;

/**
 * Every answer in Durianpay's documents, through the engine's routes with Durianpay replaced by
 * canned answers: what the payout becomes, and why. One table per call: account inquiry,
 * transfer, status inquiry, notification.
 */
class DurianpayCodesRouteTest extends DurianpayRouteTestSupport {

    static final String ACCEPTED = "Durianpay accepted the transfer; the outcome comes by notification";
    static final String NOT_KNOWN = "transfer outcome not known yet (";

    @Test
    void everyDocumentedCodeHasAClassForItsCall() {
        List<String> unclassified = new ArrayList<>();
        DurianpayDocumentedCodes.byCall().forEach((call, codes) -> codes.stream()
                .filter(code -> engine.codes.find(code) == null || !engine.codes.find(code).classes().containsKey(call))
                .forEach(code -> unclassified.add(call + " " + code)));
        assertThat(unclassified).as("documented codes routes/codes/durianpay-response-codes.csv does not classify")
                .isEmpty();
    }

    @Test
    void afterTheTransferOnlyARefusalBeforeAnythingHappenedIsADecline() {
        ResponseCodeTable codes = engine.codes;
        for (String moneyMayHaveMoved : List.of("5001800", "5001801", "5041800", "4091801", "4091800", "4031800",
                "4041801", "HTTP 404", "HTTP 502", "4291800", "9999999")) {
            assertThat(codes.classify("transfer", moneyMayHaveMoved)).as(moneyMayHaveMoved).isEqualTo("unknown");
        }
        assertThat(codes.classify("transfer", null)).as("no answer").isEqualTo("unknown");
        assertThat(codes.codes()).filteredOn(code -> "declined".equals(code.classes().get("transfer")))
                .extracting(ResponseCodeTable.Code::code)
                .containsExactlyInAnyOrder("400xx00", "400xx01", "400xx02", "401xx00", "401xx01", "401xx03", "403xx14",
                        "403xx18", "404xx11");
    }

    // ---- account inquiry ---------------------------------------------------------------------------

    static final Set<String> INQUIRY_DECLINES = Set.of("4001600", "4001601", "4001602", "4011600", "4031600",
            "4031614", "4031618", "4041611");

    Stream<Arguments> inquiryAnswers() {
        List<Arguments> cases = new ArrayList<>();
        for (String code : DurianpayDocumentedCodes.byCall().get("inquiry")) {
            if (code.equals("2001600")) {
                cases.add(Arguments.of(code, DurianpayEngine.inquiryAnswer(ACCOUNT), Payout.PENDING, ACCEPTED));
            } else if (INQUIRY_DECLINES.contains(code)) {
                cases.add(Arguments.of(code, documented(INQUIRY, code), Payout.FAILED,
                        "Durianpay refused the account inquiry: documented answer (" + code + ")"));
            } else {
                cases.add(Arguments.of(code, documented(INQUIRY, code), Payout.PENDING,
                        "Durianpay account inquiry not finished: documented answer (" + code + ")"));
            }
        }
        cases.add(Arguments.of("no answer", Canned.lost(INQUIRY), Payout.PENDING,
                "Durianpay account inquiry not finished: no answer: SocketTimeoutException"));
        cases.add(Arguments.of("HTTP 404", new Canned(INQUIRY, 404, ""), Payout.PENDING,
                "Durianpay account inquiry not finished: HTTP 404 without a SNAP response code"));
        cases.add(Arguments.of("unlisted", documented(INQUIRY, "4291600"), Payout.PENDING,
                "Durianpay account inquiry not finished: documented answer (4291600)"));
        return cases.stream();
    }

    @ParameterizedTest(name = "inquiry {0} -> {2}: {3}")
    @MethodSource("inquiryAnswers")
    void accountInquiry(String code, Canned answer, String status, String reason) {
        Payout payout = engine.newPayout("inq", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer", payout, answer,
                Canned.snap(TRANSFER, 202, "2021800", "Request In Progress", "\"referenceNo\":\"dis_item_1\""));
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(status);
        assertThat(after.getReason()).isEqualTo(reason);
        if (!code.equals("2001600")) {
            assertThat(after.getTransferSentAt()).as("nothing sent").isNull();
        }
    }

    // ---- transfer ----------------------------------------------------------------------------------

    static final Set<String> TRANSFER_DECLINES = Set.of("4001800", "4001801", "4001802", "4011800", "4011801",
            "4011803", "4031814", "4031818", "4041811");

    Stream<Arguments> transferAnswers() {
        List<Arguments> cases = new ArrayList<>();
        for (String code : DurianpayDocumentedCodes.byCall().get("transfer")) {
            if (code.startsWith("20")) {
                cases.add(Arguments.of(code, Canned.snap(TRANSFER, Integer.parseInt(code.substring(0, 3)), code,
                        "Successful", "\"referenceNo\":\"dis_item_2\""), Payout.PENDING, ACCEPTED));
            } else if (TRANSFER_DECLINES.contains(code)) {
                cases.add(Arguments.of(code, documented(TRANSFER, code), Payout.FAILED,
                        "Durianpay refused the transfer: documented answer (" + code + ")"));
            } else {
                cases.add(Arguments.of(code, documented(TRANSFER, code), Payout.PENDING,
                        NOT_KNOWN + "documented answer (" + code + ")); checking its status with Durianpay"));
            }
        }
        cases.add(Arguments.of("no answer", Canned.lost(TRANSFER), Payout.PENDING,
                NOT_KNOWN + "no answer: SocketTimeoutException); checking its status with Durianpay"));
        cases.add(Arguments.of("HTTP 502", new Canned(TRANSFER, 502, "<html>Bad Gateway</html>"), Payout.PENDING,
                NOT_KNOWN + "HTTP 502 with a body that is not JSON (not Durianpay's answer)); checking its status with Durianpay"));
        cases.add(Arguments.of("unlisted", documented(TRANSFER, "4291800"), Payout.PENDING,
                NOT_KNOWN + "documented answer (4291800)); checking its status with Durianpay"));
        return cases.stream();
    }

    @ParameterizedTest(name = "transfer {0} -> {2}: {3}")
    @MethodSource("transferAnswers")
    void transfer(String code, Canned answer, String status, String reason) {
        Payout payout = engine.newPayout("xfer", ACCOUNT, 50000);
        List<String> sent = "4031814".equals(code)
                ? engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT), answer,
                        DurianpayEngine.balanceCoversIt())
                : engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT), answer);
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(status);
        assertThat(after.getReason()).isEqualTo(reason);
        assertThat(after.getStage()).isEqualTo(status.equals(Payout.PENDING) ? Payout.Stage.TRANSFER_SENT
                : Payout.Stage.FINAL);
        // sent once; a refused token (401xx01, 401xx03) is minted again and the transfer sent once more
        assertThat(sent).filteredOn(request -> request.startsWith(TRANSFER))
                .hasSize(code.matches("401180[13]") ? 2 : 1);
        assertThat(after.getProviderReference()).isEqualTo(code.startsWith("20") ? "dis_item_2" : null);
    }

    /**
     * A SNAP code's first digit is the HTTP status' class. A server error (5xx) whose body carries a
     * refusal's code, or a 2xx that carries one, contradicts itself: the money may have moved, so
     * the transfer is never failed on it, nor sent again after re-minting the token.
     */
    @ParameterizedTest(name = "transfer HTTP {0} with {1} -> PENDING, sent once")
    @org.junit.jupiter.params.provider.CsvSource({ "500,4001802", "504,4031818", "502,4011801", "500,4011800",
            "200,4001802", "503,2001800" })
    void aTransferAnswerWhoseHttpStatusContradictsItsCodeIsUnknown(int httpStatus, String code) {
        Payout payout = engine.newPayout("contradicts", ACCOUNT, 50000);
        List<String> sent = engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT),
                Canned.snap(TRANSFER, httpStatus, code, "contradicting answer", ""));
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(Payout.PENDING);
        assertThat(after.getStage()).isEqualTo(Payout.Stage.TRANSFER_SENT);
        assertThat(after.getReason()).startsWith(NOT_KNOWN);
        assertThat(sent).filteredOn(request -> request.startsWith(TRANSFER)).hasSize(1);
    }

    /** A status answer under a server error's HTTP status settles nothing, whatever its body says. */
    @ParameterizedTest(name = "status HTTP 500 with latestTransactionStatus {0} -> PENDING")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "06", "00", "07" })
    void aStatusAnswerUnderAServerErrorSettlesNothing(String latestTransactionStatus) {
        Payout payout = engine.newPayout("status-5xx", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.lost(TRANSFER));
        Payout sent = engine.ledger.claim(payout.getReference());
        Canned ok = statusAnswer(latestTransactionStatus, payout.getReference());
        engine.run("direct:durianpay-transfer-status", sent, new Canned(STATUS, 500, ok.body()));
        assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);
    }

    /** Every request sent is timed with the class of its answer (payouts_provider_call_seconds). */
    @Test
    void eachCallIsTimedWithTheClassOfItsAnswer() {
        double unanswered = engine.calls("transfer", "transport_error");
        double declined = engine.calls("transfer", "declined");
        double accepted = engine.calls("transfer", "success");
        double inquiries = engine.calls("inquiry", "success");

        engine.run("direct:durianpay-transfer", engine.newPayout("timed", ACCOUNT, 50000),
                DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.lost(TRANSFER));
        engine.run("direct:durianpay-transfer", engine.newPayout("timed", ACCOUNT, 50000),
                DurianpayEngine.inquiryAnswer(ACCOUNT), new Canned(TRANSFER, 502, "<html>Bad Gateway</html>"));
        engine.run("direct:durianpay-transfer", engine.newPayout("timed", ACCOUNT, 50000),
                DurianpayEngine.inquiryAnswer(ACCOUNT), documented(TRANSFER, "4031814"),
                DurianpayEngine.balanceCoversIt());
        engine.run("direct:durianpay-transfer", engine.newPayout("timed", ACCOUNT, 50000),
                DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.snap(TRANSFER, 202, "2021800", "Request In Progress",
                        "\"referenceNo\":\"dis_item_9\""));

        assertThat(engine.calls("transfer", "transport_error") - unanswered).as("no answer, HTTP 502").isEqualTo(2);
        assertThat(engine.calls("transfer", "declined") - declined).isEqualTo(1);
        assertThat(engine.calls("transfer", "success") - accepted).isEqualTo(1);
        assertThat(engine.calls("inquiry", "success") - inquiries).isEqualTo(4);
    }

    // ---- status inquiry ----------------------------------------------------------------------------

    static final Set<String> STATUS_FAILED = Set.of("04", "05", "06");
    static final Set<String> STATUS_NOT_FOUND = Set.of("07", "4043601", "HTTP 404");

    Stream<Arguments> statusAnswers() {
        List<Arguments> cases = new ArrayList<>();
        for (String code : DurianpayDocumentedCodes.byCall().get("status")) {
            boolean transactionStatus = code.length() == 2;
            String described = transactionStatus ? "desc-" + code + " (latestTransactionStatus " + code + ")"
                    : code.equals("HTTP 404") ? "HTTP 404 without a SNAP response code"
                    : code.equals("2003600") ? "Successful (2003600)" : "documented answer (" + code + ")";
            Canned answer = transactionStatus ? statusAnswer(code)
                    : code.equals("HTTP 404") ? new Canned(STATUS, 404, "")
                    : code.equals("2003600") ? Canned.snap(STATUS, 200, code, "Successful", "")
                    : documented(STATUS, code);
            if (code.equals("00")) {
                cases.add(Arguments.of(code, answer, Payout.SUCCEEDED, null));
            } else if (STATUS_FAILED.contains(code)) {
                cases.add(Arguments.of(code, answer, Payout.FAILED, "Durianpay reports the transfer failed: " + described));
            } else if (STATUS_NOT_FOUND.contains(code)) {
                cases.add(Arguments.of(code, answer, Payout.FAILED, "Durianpay has no record of the transfer: " + described));
            } else if (code.matches("400\\d\\d02")) {
                // Invalid Mandatory Field: without the referenceNo (only the lost answer had it) the
                // status cannot be asked; the payout waits for the notification
                cases.add(Arguments.of(code, answer, Payout.PENDING, "transfer outcome not known yet: Durianpay answers"
                        + " no status inquiry without the transfer's referenceNo (" + described + "), which only the lost"
                        + " answer carried; waiting for its notification"));
            } else {
                cases.add(Arguments.of(code, answer, Payout.PENDING,
                        NOT_KNOWN + described + "); checking its status with Durianpay"));
            }
        }
        cases.add(Arguments.of("no answer", Canned.lost(STATUS), Payout.PENDING,
                NOT_KNOWN + "no answer: SocketTimeoutException); checking its status with Durianpay"));
        // a proxy's HTML 404 page is not Durianpay saying it has no record of the transfer
        cases.add(Arguments.of("an HTML 404 page", new Canned(STATUS, 404, "<html><body><h1>404 Not Found</h1></body></html>"),
                Payout.PENDING, NOT_KNOWN + "HTTP 404 with a body that is not JSON (not Durianpay's answer));"
                        + " checking its status with Durianpay"));
        cases.add(Arguments.of("a 404 whose body is text", new Canned(STATUS, 404, "Not Found"), Payout.PENDING,
                NOT_KNOWN + "HTTP 404 with a body that is not JSON (not Durianpay's answer)); checking its status with Durianpay"));
        cases.add(Arguments.of("2003600 without latestTransactionStatus", Canned.snap(STATUS, 200, "2003600",
                "Successful", "\"originalPartnerReferenceNo\":\"$REFERENCE\""), Payout.PENDING,
                NOT_KNOWN + "Successful (2003600)); checking its status with Durianpay"));
        cases.add(Arguments.of("06 without its description", Canned.snap(STATUS, 200, "2003600", "Successful",
                "\"originalPartnerReferenceNo\":\"$REFERENCE\",\"latestTransactionStatus\":\"06\""), Payout.FAILED,
                "Durianpay reports the transfer failed: latestTransactionStatus 06"));
        cases.add(Arguments.of("06 about another transfer", Canned.snap(STATUS, 200, "2003600", "Successful",
                "\"originalPartnerReferenceNo\":\"someone-else\",\"latestTransactionStatus\":\"06\""), Payout.PENDING,
                NOT_KNOWN + "Successful (2003600)); checking its status with Durianpay"));
        return cases.stream();
    }

    /** A payout whose transfer's answer was lost (Durianpay's referenceNo unknown), asked for its status. */
    @ParameterizedTest(name = "status {0} -> {2}: {3}")
    @MethodSource("statusAnswers")
    void statusInquiry(String code, Canned answer, String status, String reason) {
        Payout payout = engine.newPayout("status", ACCOUNT, 50000);
        engine.run("direct:durianpay-transfer", payout, DurianpayEngine.inquiryAnswer(ACCOUNT), Canned.lost(TRANSFER));
        Payout sent = engine.ledger.claim(payout.getReference());
        engine.run("direct:durianpay-transfer-status", sent, answer.path().equals(STATUS) && answer.body() != null
                ? new Canned(STATUS, answer.status(), answer.body().replace("$REFERENCE", payout.getReference())) : answer);
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(status);
        assertThat(after.getReason()).isEqualTo(reason);
    }

    // ---- notification ------------------------------------------------------------------------------

    Stream<Arguments> notifications() {
        return DurianpayDocumentedCodes.byCall().get("notification").stream().map(code -> Arguments.of(code,
                code.equals("00") ? Payout.SUCCEEDED : STATUS_FAILED.contains(code) ? Payout.FAILED : Payout.PENDING));
    }

    /**
     * A verified notification for a payout Durianpay accepted: 00 settles it; a failure is a claim,
     * answered before anything is asked and confirmed by the workers' status inquiry (answering the
     * same) before the payout fails; anything else changes nothing. Durianpay always gets 200.
     */
    @ParameterizedTest(name = "notification {0} -> {1}")
    @MethodSource("notifications")
    void notification(String code, String status) {
        Payout payout = engine.acceptedTransfer("notify", ACCOUNT, 50000);
        Exchange answered = engine.notify(DurianpayNotificationRouteTest.notification(payout, code));
        assertThat(answered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull(); // 200
        assertThat(answered.getMessage().getBody(String.class)).contains("\"2000000\"");
        assertThat(DurianpayEngine.sent(answered)).as("answered before anything is asked").isEmpty();
        if (status.equals(Payout.FAILED)) {
            assertThat(engine.ledger.find(payout.getReference()).getStatus()).isEqualTo(Payout.PENDING);
            // the workers' status inquiry confirms it
            engine.run("direct:durianpay-transfer-status", engine.ledger.claim(payout.getReference()),
                    statusAnswer(code, payout.getReference()));
        }
        Payout after = engine.ledger.find(payout.getReference());
        assertThat(after.getStatus()).isEqualTo(status);
        if (status.equals(Payout.FAILED)) {
            assertThat(after.getReason()).as("the notification's failureReason, then the status' words")
                    .isEqualTo("Durianpay reports the transfer failed: Rejected by the beneficiary bank (desc-" + code
                    + " (latestTransactionStatus " + code + "))");
        }
    }

    // ---- answers -------------------------------------------------------------------------------------

    /** A documented error: its HTTP status, its code, and words the reason must carry. */
    static Canned documented(String path, String code) {
        return Canned.snap(path, Integer.parseInt(code.substring(0, 3)), code, "documented answer", "");
    }

    /** A 2003600 status answer about the payout named $REFERENCE (filled in by the test). */
    static Canned statusAnswer(String latestTransactionStatus) {
        return statusAnswer(latestTransactionStatus, "$REFERENCE");
    }

    /** A 2003600 status answer about {@code reference}; one that finds it (not 07) carries Durianpay's ids of it. */
    static Canned statusAnswer(String latestTransactionStatus, String reference) {
        String ids = latestTransactionStatus.equals("07") ? "" : ",\"originalReferenceNo\":\"dis_item_" + reference
                + "\",\"transactionId\":\"trx-" + reference + "\",\"referenceNumber\":\"77" + latestTransactionStatus + "\"";
        return Canned.snap(STATUS, 200, "2003600", "Successful", "\"originalPartnerReferenceNo\":\"" + reference
                + "\",\"serviceCode\":\"18\",\"latestTransactionStatus\":\"" + latestTransactionStatus
                + "\",\"transactionStatusDesc\":\"desc-" + latestTransactionStatus + "\"" + ids);
    }
}
