package id.camelpayouts.duitku;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Reading Duitku's callbacks: the cheap checks first (size, JSON, every field's bounds, userId),
 * the signature last, and nothing costly on the way (1e999999999 used to exhaust the heap).
 */
class DuitkuCallbacksReadTest {

    static final String SECRET = DuitkuSignatureTest.SECRET;
    static final String EMAIL = DuitkuSignatureTest.EMAIL;
    static final ObjectMapper JSON = new ObjectMapper();
    final DuitkuCallbacks callbacks = new DuitkuCallbacks(new DuitkuSignature(EMAIL, SECRET), 3551);

    static Map<String, Object> clearing() {
        Map<String, Object> callback = new LinkedHashMap<>();
        callback.put("disburseId", "100042");
        callback.put("userId", 3551);
        callback.put("email", EMAIL);
        callback.put("bankCode", "009");
        callback.put("bankAccount", "8760673466");
        callback.put("amountTransfer", 60000000.0);
        callback.put("accountName", "Test Account");
        callback.put("custRefNumber", "000000001278");
        callback.put("statusCode", "00");
        callback.put("statusDesc", "Success");
        callback.put("errorMessage", "");
        callback.put("signature", DuitkuSignature.sha256Hex(EMAIL + "009" + "8760673466" + "Test Account"
                + "000000001278" + "60000000" + "100042" + SECRET));
        return callback;
    }

    DuitkuCallbacks.Callback read(Map<String, Object> callback) throws Exception {
        return callbacks.clearing(JSON.writeValueAsBytes(callback));
    }

    DuitkuCallbacks.Callback readRaw(String body) {
        return callbacks.clearing(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGenuineCallbackVerifies() throws Exception {
        DuitkuCallbacks.Callback callback = read(clearing());
        assertThat(callback.verified()).isTrue();
        assertThat(callback.refusal()).isNull();
        assertThat(readRaw("\uFEFF" + JSON.writeValueAsString(clearing())).verified()).as("after a BOM").isTrue();
    }

    @Test
    void absurdAmountsAreRefusedBeforeAnyWork() throws Exception {
        long began = System.nanoTime();
        for (Object amount : new Object[] {"1e999999999", "9".repeat(10_000), -1, 0, 60000000.5, "NaN", true,
            Map.of("value", 1), "0x10"}) {
            Map<String, Object> callback = clearing();
            callback.put("amountTransfer", amount);
            assertThat(read(callback).refusal()).as(String.valueOf(amount).substring(0,
                    Math.min(20, String.valueOf(amount).length()))).isEqualTo(new DuitkuCallbacks.Refusal(400,
                            "amountTransfer: must be a whole number of rupiah from 1 to 1000000000000"));
        }
        String exponent = JSON.writeValueAsString(clearing()).replace("6.0E7", "1e999999999");
        assertThat(readRaw(exponent).refusal().status()).isEqualTo(400);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void theSizeComesFirst() throws Exception {
        Map<String, Object> callback = clearing();
        callback.put("errorMessage", "e".repeat(20_000));
        assertThat(read(callback).refusal()).isEqualTo(new DuitkuCallbacks.Refusal(413,
                "body: larger than 16384 bytes"));
    }

    @Test
    void everyFieldIsBounded() throws Exception {
        Map<String, Object> tooLong = Map.of("disburseId", "1".repeat(65), "email", "e".repeat(300),
                "accountName", "n".repeat(256), "custRefNumber", "c\r\n", "statusCode", "0".repeat(9),
                "statusDesc", "x\u001b[31m", "userId", "abc", "bankAccount", Map.of("a", 1));
        for (Map.Entry<String, Object> bad : tooLong.entrySet()) {
            Map<String, Object> callback = clearing();
            callback.put(bad.getKey(), bad.getValue());
            DuitkuCallbacks.Callback read = read(callback);
            assertThat(read.refusal()).as(bad.getKey()).isNotNull();
            assertThat(read.refusal().status()).as(bad.getKey()).isEqualTo(400);
            assertThat(read.refusal().reason()).as(bad.getKey()).startsWith(bad.getKey() + ":");
            assertThat(read.verified()).isFalse();
        }
    }

    @Test
    void strictJson() throws Exception {
        String genuine = JSON.writeValueAsString(clearing());
        assertThat(readRaw(genuine.replace("\"statusCode\":\"00\"", "\"statusCode\":\"68\",\"statusCode\":\"00\""))
                .refusal()).isEqualTo(new DuitkuCallbacks.Refusal(400, "body: the field statusCode appears more than once"));
        assertThat(readRaw(genuine + "x").refusal()).isEqualTo(new DuitkuCallbacks.Refusal(400,
                "body: has content after the JSON object"));
        assertThat(readRaw("this is not json").refusal().status()).isEqualTo(400);
        assertThat(readRaw("").refusal()).isEqualTo(new DuitkuCallbacks.Refusal(400,
                "body: empty; a callback is one JSON object (Content-Type: application/json), a form is not read"));
    }

    /** Issue 12 item 9: userId is not covered by the signature, and the sandbox key is shared by every merchant. */
    @Test
    void anotherMerchantsCallbackIsRefusedThoughItsSignatureVerifies() throws Exception {
        for (Object userId : new Object[] {9999, "3552"}) {
            Map<String, Object> callback = clearing();
            callback.put("userId", userId);
            assertThat(read(callback).refusal()).isEqualTo(new DuitkuCallbacks.Refusal(401,
                    "userId is not this merchant's"));
        }
        Map<String, Object> asText = clearing();
        asText.put("userId", "3551");
        assertThat(read(asText).verified()).isTrue();
        Map<String, Object> without = clearing();
        without.remove("userId");
        assertThat(read(without).verified()).as("userId is checked where present").isTrue();
    }

    @Test
    void aSignatureThatCannotBeOneIsRefusedWithoutHashing() throws Exception {
        for (Object signature : new Object[] {"a".repeat(10_000), "z".repeat(64), 12345}) {
            Map<String, Object> callback = clearing();
            callback.put("signature", signature);
            assertThat(read(callback).refusal()).isEqualTo(new DuitkuCallbacks.Refusal(401,
                    "signature does not verify"));
        }
        Map<String, Object> missing = clearing();
        missing.remove("signature");
        assertThat(read(missing).refusal()).isEqualTo(new DuitkuCallbacks.Refusal(400, "missing [signature]"));
    }

    @Test
    void theCashOutCallbackHasItsOwnFieldsAndFormula() {
        String body = "{\"disburseId\":\"23042\",\"email\":\"" + EMAIL + "\",\"amountTransfer\":50000,"
                + "\"custRefNumber\":\"c-1\",\"accountName\":\"Test Account\",\"bankCode\":\"2010\","
                + "\"phoneNumber\":\"082211789110\",\"statusCode\":\"00\",\"statusDesc\":\"Success\",\"errorMessage\":\"\","
                + "\"signature\":\"" + DuitkuSignature.sha256Hex(EMAIL + "23042" + "c-1" + SECRET) + "\"}";
        assertThat(callbacks.cashOut(body.getBytes(StandardCharsets.UTF_8)).verified()).isTrue();
        assertThat(callbacks.cashOut(body.replace("\"c-1\"", "\"..\"").getBytes(StandardCharsets.UTF_8)).refusal()
                .reason()).startsWith("custRefNumber:");
    }

    @Test
    void phpAmountRendersOnlyBoundedNumbers() {
        long began = System.nanoTime();
        assertThat(PhpAmount.render("1e999999999")).isEqualTo("1e999999999");
        assertThat(PhpAmount.render(new java.math.BigDecimal("1e999999999"))).isEqualTo("1E+999999999");
        assertThat(PhpAmount.render("9".repeat(100_000))).hasSize(100_000);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
        assertThat(PhpAmount.render(6.0E7)).isEqualTo("60000000");
        assertThat(PhpAmount.render("60000000.00")).isEqualTo("60000000");
    }
}
