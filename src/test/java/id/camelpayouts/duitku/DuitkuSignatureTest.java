package id.camelpayouts.duitku;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DuitkuSignatureTest {

    /** The sandbox key published in Duitku's document. */
    static final String SECRET = "de56f832487bc1ce1de5ff2cfacf8d9486c61da69df6fd61d5537b6b7d6d354d";
    static final String EMAIL = "merchant@example.com";
    final DuitkuSignature signature = new DuitkuSignature(EMAIL, SECRET);

    @Test
    void onlineInquiryMatchesTheDesignVector() {
        assertThat(signature.onlineInquiry(1637304586325L, "014", "8760673566", 50000, "test inquiry disbursement"))
                .isEqualTo("4eb7a73a49454fe7086c631cbef29bf2325d82e5ae97564c2d85c3143f475925");
    }

    @Test
    void amountsAreRenderedAsPhpRendersThem() {
        String fromInteger = signature.onlineInquiry(1637304586325L, "014", "8760673566", 50000, "p");
        assertThat(signature.onlineInquiry(1637304586325L, "014", "8760673566", 50000.0, "p")).isEqualTo(fromInteger);
        assertThat(signature.onlineInquiry(1637304586325L, "014", "8760673566", "50000.00", "p")).isEqualTo(fromInteger);
        assertThat(PhpAmount.render(500000000.0)).isEqualTo("500000000");
        assertThat(PhpAmount.render(new java.math.BigDecimal("1E+5"))).isEqualTo("100000");
        assertThat(PhpAmount.render(null)).isEmpty();
    }

    @Test
    void aMissingPurposeContributesTheEmptyString() {
        String expected = DuitkuSignature.sha256Hex(EMAIL + "1700000000000" + "014" + "8760673566" + "10000" + SECRET);
        assertThat(signature.onlineInquiry(1700000000000L, "014", "8760673566", 10000, null)).isEqualTo(expected);
    }

    /** Each remaining formula against the document's concatenation written out by hand. */
    @Test
    void everyFormulaConcatenatesInTheDocumentedOrder() {
        long ts = 1637307215965L;
        assertThat(signature.onlineTransfer(ts, "014", "8760673566", "Test Account", "000000001278", 50000,
                "Test Disbursement with duitku", "12345")).isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + "014"
                        + "8760673566" + "Test Account" + "000000001278" + "50000" + "Test Disbursement with duitku"
                        + "12345" + SECRET));
        assertThat(signature.clearingInquiry(ts, "014", "RTGS", "8760673466", 500000000, "p"))
                .isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + "014" + "RTGS" + "8760673466" + "500000000" + "p"
                        + SECRET));
        assertThat(signature.clearingTransfer(ts, "014", "LLG", "8760673466", "Test Account", "000000001278",
                500000000, "p", "125324342")).isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + "014" + "LLG"
                        + "8760673466" + "Test Account" + "000000001278" + "500000000" + "p" + "125324342" + SECRET));
        assertThat(signature.cashOutInquiry(ts, 50000, "Test inquiry CashOut"))
                .isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + "50000" + "Test inquiry CashOut" + SECRET));
        assertThat(signature.inquiryStatus(ts, "12345"))
                .isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + "12345" + SECRET));
        assertThat(signature.merchantRequest(ts)).isEqualTo(DuitkuSignature.sha256Hex(EMAIL + ts + SECRET));
    }

    @Test
    void clearingCallbackVerifiesWithPhpAmountAndRefusesTampering() {
        Map<String, Object> callback = new HashMap<>(Map.of("disburseId", "125324342", "email", EMAIL,
                "bankCode", "014", "bankAccount", "8760673466", "amountTransfer", 500000000.0,
                "accountName", "Test Account", "custRefNumber", "000000001278", "statusCode", "00"));
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + "014" + "8760673466" + "Test Account"
                + "000000001278" + "500000000" + "125324342" + SECRET));
        assertThat(signature.verifyClearingCallback(callback)).isTrue();

        callback.put("statusCode", "01"); // not covered by the signature (Duitku's callback formula)
        assertThat(signature.verifyClearingCallback(callback)).isTrue();

        callback.put("amountTransfer", 500000001);
        assertThat(signature.verifyClearingCallback(callback)).isFalse();
        callback.put("amountTransfer", 500000000);
        callback.put("bankAccount", "8760673467");
        assertThat(signature.verifyClearingCallback(callback)).isFalse();
        callback.put("bankAccount", "8760673466");
        callback.remove("signature");
        assertThat(signature.verifyClearingCallback(callback)).isFalse();
    }

    @Test
    void cashOutCallbackVerifiesAndRefusesAnotherSecret() {
        Map<String, Object> callback = new HashMap<>(Map.of("disburseId", "23042", "email", EMAIL,
                "custRefNumber", "000000001278", "amountTransfer", 50000));
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + "23042" + "000000001278" + SECRET));
        assertThat(signature.verifyCashOutCallback(callback)).isTrue();
        assertThat(new DuitkuSignature(EMAIL, "another-secret").verifyCashOutCallback(callback)).isFalse();
        callback.put("signature", 12345);
        assertThat(signature.verifyCashOutCallback(callback)).isFalse();
    }

    @Test
    void comparisonIsExactAndAcceptsUppercaseHex() {
        String good = DuitkuSignature.sha256Hex("x");
        assertThat(DuitkuSignature.matches(good, good.toUpperCase())).isTrue();
        assertThat(DuitkuSignature.matches(good, good.substring(1))).isFalse();
        assertThat(DuitkuSignature.matches(good, null)).isFalse();
    }

    @Test
    void sandboxAndProductionPathNamesDiffer() {
        DuitkuRequests sandbox = new DuitkuRequests(signature, 3551, EMAIL, true, java.time.Clock.systemUTC());
        DuitkuRequests production = new DuitkuRequests(signature, 3551, EMAIL, false, java.time.Clock.systemUTC());
        assertThat(sandbox.path("inquiry")).isEqualTo("inquirysandbox");
        assertThat(sandbox.path("transfer")).isEqualTo("transfersandbox");
        assertThat(sandbox.path("inquirystatus")).isEqualTo("inquirystatus");
        assertThat(production.path("inquiry")).isEqualTo("inquiry");
        assertThat(production.path("transferclearing")).isEqualTo("transferclearing");
        assertThat(production.path("listBank")).isEqualTo("listBank");
    }

    @Test
    void aBaseUrlGivenWithATrailingSlashStillNamesTheDocumentsPaths() {
        DuitkuRequests requests = new DuitkuRequests(signature, 3551, EMAIL, true, java.time.Clock.systemUTC())
                .at("https://sandbox.duitku.com/webapi/api/disbursement/", "https://disbursement-sandbox.duitku.com/api/cashout/", "");
        assertThat(requests.url("inquiry", null)).isEqualTo("https://sandbox.duitku.com/webapi/api/disbursement/inquirysandbox");
        assertThat(requests.url("checkbalance", null)).isEqualTo("https://sandbox.duitku.com/webapi/api/disbursement/checkbalance");
        assertThat(requests.url("cashout", null)).isEqualTo("https://disbursement-sandbox.duitku.com/api/cashout/inquiry");
    }

    /** Every URL the gateway calls, for the sandbox and for production, as the document lists them. */
    @Test
    void everyCallGoesToTheDocumentsUrl() {
        DuitkuRequests sandbox = new DuitkuRequests(signature, 3551, EMAIL, true, java.time.Clock.systemUTC())
                .at("https://sandbox.duitku.com/webapi/api/disbursement",
                        "https://disbursement-sandbox.duitku.com/api/cashout", "");
        DuitkuRequests production = new DuitkuRequests(signature, 3551, EMAIL, false, java.time.Clock.systemUTC())
                .at("https://passport.duitku.com/webapi/api/disbursement", "https://disbursement.duitku.com/api/cashout",
                        "");
        String s = "https://sandbox.duitku.com/webapi/api/disbursement/";
        String p = "https://passport.duitku.com/webapi/api/disbursement/";
        assertThat(sandbox.url("inquiry", on("ONLINE"))).isEqualTo(s + "inquirysandbox");
        assertThat(sandbox.url("transfer", on("ONLINE"))).isEqualTo(s + "transfersandbox");
        assertThat(production.url("inquiry", on("ONLINE"))).isEqualTo(p + "inquiry");
        assertThat(production.url("transfer", on("ONLINE"))).isEqualTo(p + "transfer");
        for (String type : java.util.List.of("LLG", "RTGS", "H2H", "BIFAST")) {
            assertThat(sandbox.url("inquiry", on(type))).isEqualTo(s + "inquiryclearingsandbox");
            assertThat(sandbox.url("transfer", on(type))).isEqualTo(s + "transferclearingsandbox");
            assertThat(production.url("inquiry", on(type))).isEqualTo(p + "inquiryclearing");
            assertThat(production.url("transfer", on(type))).isEqualTo(p + "transferclearing");
        }
        for (String operation : java.util.List.of("inquirystatus", "checkbalance", "listBank")) {
            assertThat(sandbox.url(operation, null)).isEqualTo(s + operation);
            assertThat(production.url(operation, null)).isEqualTo(p + operation);
        }
        assertThat(sandbox.url("inquirystatus", on("H2H"))).isEqualTo(s + "inquirystatus");
        assertThat(sandbox.url("cashout", on("CASHOUT")))
                .isEqualTo("https://disbursement-sandbox.duitku.com/api/cashout/inquiry");
        assertThat(production.url("cashout", on("CASHOUT"))).isEqualTo("https://disbursement.duitku.com/api/cashout/inquiry");
    }

    /** Duitku's cash-out callbackUrl is a string of at most 255 characters: a longer one is refused at start. */
    @Test
    void aCashOutCallbackUrlLongerThanDuitkuTakesIsRefused() {
        DuitkuRequests requests = new DuitkuRequests(signature, 3551, EMAIL, true, java.time.Clock.systemUTC());
        String fits = "https://payouts.example.com/" + "a".repeat(255 - 28);
        assertThat(fits).hasSize(255);
        requests.at("https://sandbox.duitku.com/webapi/api/disbursement",
                "https://disbursement-sandbox.duitku.com/api/cashout", fits);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.at(
                "https://sandbox.duitku.com/webapi/api/disbursement",
                "https://disbursement-sandbox.duitku.com/api/cashout", fits + "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DUITKU_CASHOUT_CALLBACK_URL").hasMessageContaining("255");
    }

    private static id.camelpayouts.ledger.Payout on(String method) {
        return id.camelpayouts.ledger.TestPayouts.on(new id.camelpayouts.payout.PayoutInstruction("p-1", "duitku",
                method, "014", "8760673566", null, 50000, null, null, null, null, null, null, null, null), method);
    }
}
