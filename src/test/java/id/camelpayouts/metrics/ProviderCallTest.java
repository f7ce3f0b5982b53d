package id.camelpayouts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import id.camelpayouts.payout.ResponseCodeTable;

/** The class of a provider call's outcome, read from the response-code tables under routes/codes/. */
class ProviderCallTest {

    private final ResponseCodeTable duitku = table("duitku");
    private final ResponseCodeTable durianpay = table("durianpay");

    @Test
    void duitkuAnswersAreClassedByTheTableOfTheirCall() {
        assertThat(duitku("transfer", 200, "00")).isEqualTo("success");
        assertThat(duitku("transfer", 200, "80")).as("H2H: the outcome comes by callback").isEqualTo("success");
        assertThat(duitku("transfer", 200, "-510")).isEqualTo("declined");
        assertThat(duitku("transfer", 200, "TO")).isEqualTo("unknown");
        assertThat(duitku("transfer", 200, "no-such-code")).isEqualTo("unknown");
        assertThat(duitku("inquiry", 200, "EE")).as("asked again").isEqualTo("unknown");
        assertThat(duitku("status", 200, "-510")).as("the status says the transfer failed").isEqualTo("declined");
        assertThat(duitku("status", 200, "-420")).as("not found").isEqualTo("unknown");
        assertThat(duitku("balance", 200, "00")).isEqualTo("success");
    }

    @Test
    void noAnswerOrAServerErrorIsATransportError() {
        assertThat(ProviderCall.duitkuOutcome(duitku, "transfer", 0, Map.of())).isEqualTo("transport_error");
        assertThat(ProviderCall.duitkuOutcome(duitku, "transfer", 502, Map.of())).isEqualTo("transport_error");
        assertThat(ProviderCall.durianpayOutcome(durianpay, "transfer", 504, Map.of("responseCode", "5041800"), "r"))
                .isEqualTo("transport_error");
        assertThat(ProviderCall.durianpayOutcome(durianpay, "transfer", null, null, "r")).isEqualTo("transport_error");
    }

    @Test
    void durianpayAnswersInProgressAreSuccessfulCalls() {
        assertThat(durianpay("inquiry", 200, "2001600")).isEqualTo("success");
        assertThat(durianpay("inquiry", 202, "2021600")).as("in progress: asked again, but answered").isEqualTo("success");
        assertThat(durianpay("transfer", 202, "2021800")).isEqualTo("success");
        assertThat(durianpay("transfer", 403, "4031814")).isEqualTo("declined");
        assertThat(durianpay("transfer", 409, "4091801")).isEqualTo("unknown");
        assertThat(durianpay("balance", 200, "2001100")).isEqualTo("success");
        assertThat(ProviderCall.durianpayOutcome(durianpay, "status", 404, Map.of(), "r")).as("HTTP 404 without a body")
                .isEqualTo("unknown");
    }

    @Test
    void aDurianpayStatusAnswerIsReadByTheTransfersStatus() {
        assertThat(status("00")).isEqualTo("success");
        assertThat(status("02")).as("in progress").isEqualTo("success");
        assertThat(status("06")).isEqualTo("declined");
        assertThat(status("07")).as("not found").isEqualTo("unknown");
        assertThat(ProviderCall.durianpayOutcome(durianpay, "status", 200, Map.of("responseCode", "2003600",
                "latestTransactionStatus", "06", "originalPartnerReferenceNo", "someone-else"), "r"))
                .as("about another transfer: Durianpay answered").isEqualTo("success");
    }

    @Test
    void operationsHaveOneNameForBothProvidersAndNothingElseGetsALabel() {
        assertThat(ProviderCall.duitkuOperation("inquirystatus")).isEqualTo("status");
        assertThat(ProviderCall.durianpayOperation("/v1.0/transfer/status")).isEqualTo("status");
        assertThat(ProviderCall.duitkuOperation("listBank")).isEqualTo("banks");
        assertThat(ProviderCall.durianpayOperation("/v1.0/account-inquiry-external?x=" + "y".repeat(100)))
                .isEqualTo("other");
        assertThat(ProviderCall.duitkuOperation(null)).isEqualTo("other");
    }

    private String duitku(String operation, int httpStatus, String code) {
        return ProviderCall.duitkuOutcome(duitku, operation, httpStatus, Map.of("responseCode", code));
    }

    private String durianpay(String operation, int httpStatus, String code) {
        return ProviderCall.durianpayOutcome(durianpay, operation, httpStatus, Map.of("responseCode", code), "r");
    }

    private String status(String latestTransactionStatus) {
        return ProviderCall.durianpayOutcome(durianpay, "status", 200, Map.of("responseCode", "2003600",
                "latestTransactionStatus", latestTransactionStatus, "originalPartnerReferenceNo", "r"), "r");
    }

    private static ResponseCodeTable table(String provider) {
        try {
            return ResponseCodeTable.read(provider, Files.readString(Path.of("routes/codes/" + provider
                    + "-response-codes.csv")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
