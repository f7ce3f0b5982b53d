package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PrivateKey;
import java.security.PublicKey;

import org.junit.jupiter.api.Test;

class SnapSignatureTest {

    @Test
    void requestSignatureMatchesTheDesignVector() {
        assertThat(SnapSignature.request("test-client-secret", "POST", "/v1.0/balance-inquiry", "tok123",
                "{\"amount\":\"10000.00\",\"currency\":\"IDR\"}", "2026-06-03T17:00:00.000+07:00"))
                .isEqualTo("FQ0sx6aFl+6sY00h7dqgkfBSwjgs/b1EtLtaY+G+NsXxmfUurzTEoefV+ZHkOTUr7n6wFfWstutzkXX75WOBIA==");
    }

    @Test
    void requestSignatureCoversEveryPartAndTheExactBytes() {
        String base = SnapSignature.request("s", "POST", "/v1.0/transfer-interbank", "t", "{\"a\":1}", "ts");
        assertThat(SnapSignature.request("s", "POST", "/v1.0/transfer-interbank", "t", "{\"a\": 1}", "ts"))
                .as("a space more is another body").isNotEqualTo(base);
        assertThat(SnapSignature.request("s", "POST", "/v1.0/transfer/status", "t", "{\"a\":1}", "ts")).isNotEqualTo(base);
        assertThat(SnapSignature.request("s", "POST", "/v1.0/transfer-interbank", "u", "{\"a\":1}", "ts")).isNotEqualTo(base);
        assertThat(SnapSignature.request("s2", "POST", "/v1.0/transfer-interbank", "t", "{\"a\":1}", "ts")).isNotEqualTo(base);
        assertThat(SnapSignature.request("s", "POST", "/v1.0/transfer-interbank", "t", "{\"a\":1}", "ts2")).isNotEqualTo(base);
        // an empty body hashes as the empty string: SHA-256("") = e3b0...
        assertThat(SnapSignature.sha256Hex("")).startsWith("e3b0c44298fc1c149afbf4c8996fb924");
    }

    @Test
    void accessTokenSignatureVerifiesWithTheMerchantsPublicKeyFromPkcs8AndPkcs1() throws Exception {
        PrivateKey pkcs8 = PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem");
        PublicKey merchant = PemKeys.publicKey("classpath:twin/dev-keys/merchant-public.pem");
        String signature = SnapSignature.accessToken(pkcs8, "client-key", "2026-06-03T17:00:00+07:00");
        assertThat(SnapSignature.verify(merchant, "client-key|2026-06-03T17:00:00+07:00", signature)).isTrue();
        assertThat(SnapSignature.verify(merchant, "client-key|2026-06-03T17:00:01+07:00", signature)).isFalse();

        // the same key written as PKCS#1 signs identically (RSA PKCS#1 v1.5 is deterministic)
        assertThat(SnapSignature.accessToken(PemKeys.privateKey("classpath:keys/merchant-private-pkcs1.pem"),
                "client-key", "2026-06-03T17:00:00+07:00")).isEqualTo(signature);
    }

    /**
     * A key given in an environment variable as one line, its line breaks written as \n (as an env
     * file or a container's settings carry it), is the same key.
     */
    @Test
    void aKeyWithItsLineBreaksWrittenAsBackslashNIsTheSameKey() throws Exception {
        String pem = new String(SnapSignatureTest.class.getResourceAsStream("/twin/dev-keys/durianpay-public.pem")
                .readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        String oneLine = pem.replace("\r", "").replace("\n", "\\n");
        assertThat(oneLine).doesNotContain("\n");
        assertThat(PemKeys.publicKey(oneLine)).isEqualTo(PemKeys.publicKey(pem));
        String privatePem = new String(SnapSignatureTest.class.getResourceAsStream("/twin/dev-keys/merchant-private.pem")
                .readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        assertThat(PemKeys.privateKey(privatePem.replace("\r", "").replace("\n", "\\r\\n")))
                .isEqualTo(PemKeys.privateKey(privatePem));
    }

    @Test
    void notificationsVerifyOnlyWithDurianpaysKeyOverTheRawBody() {
        PrivateKey durianpay = PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem");
        PublicKey durianpayPublic = PemKeys.publicKey("classpath:twin/dev-keys/durianpay-public.pem");
        PublicKey merchantPublic = PemKeys.publicKey("classpath:twin/dev-keys/merchant-public.pem");
        String raw = "{\"originalPartnerReferenceNo\":\"r1\",\"additionalInfo\":{\"latestTransactionStatus\":\"00\"}}";
        String text = SnapSignature.notificationText("POST", "/callbacks/durianpay/v1.0/transfer/notify", raw,
                "2026-06-03T17:00:00+07:00");
        String signature = SnapSignature.sign(durianpay, text);
        assertThat(SnapSignature.verify(durianpayPublic, text, signature)).isTrue();
        assertThat(SnapSignature.verify(merchantPublic, text, signature)).isFalse();
        String tampered = SnapSignature.notificationText("POST", "/callbacks/durianpay/v1.0/transfer/notify",
                raw.replace("\"00\"", "\"06\""), "2026-06-03T17:00:00+07:00");
        assertThat(SnapSignature.verify(durianpayPublic, tampered, signature)).isFalse();
        assertThat(SnapSignature.verify(durianpayPublic, text, "not base64!")).isFalse();
        String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.util.Base64.getDecoder().decode(signature));
        assertThat(SnapSignature.verify(durianpayPublic, text, urlSafe)).as("in Base64's URL-safe alphabet").isTrue();
        assertThat(SnapSignature.verify(durianpayPublic, tampered, urlSafe)).isFalse();
        assertThat(SnapSignature.verify(durianpayPublic, text, null)).isFalse();
    }
}
