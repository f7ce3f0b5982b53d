package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import id.camelpayouts.ledger.Payout;
import id.camelpayouts.ledger.TestPayouts;
import id.camelpayouts.payout.InstructionParser;
import id.camelpayouts.payout.PayoutInstruction;

class DurianpayClientTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-06-03T10:00:00Z"), ZoneOffset.UTC);
    final DurianpayClient client = new DurianpayClient("key", "secret", "merchant",
            PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"), "client_credentials", clock);

    @Test
    void expiresInIsReadAsSecondsOrAsAnAbsoluteTimeAndDefaultsTo900Seconds() {
        assertThat(client.lifetime(3600)).isEqualTo(Duration.ofHours(1));
        assertThat(client.lifetime("900")).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime("1200.0")).isEqualTo(Duration.ofSeconds(1200));
        assertThat(client.lifetime("2026-06-03T17:30:00+07:00")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03T16:00:00+07:00")).as("already past").isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime("soon")).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime(null)).isEqualTo(Duration.ofSeconds(900));
        assertThat(client.lifetime(0)).isEqualTo(Duration.ofSeconds(900));
        long now = Instant.parse("2026-06-03T10:00:00Z").getEpochSecond();
        assertThat(client.lifetime(now + 600)).as("an absolute time in epoch seconds").isEqualTo(Duration.ofMinutes(10));
        assertThat(client.lifetime(String.valueOf((now + 300) * 1000))).as("in epoch milliseconds")
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(client.lifetime(now - 60)).as("an epoch already past").isEqualTo(Duration.ofSeconds(900));
    }

    /** A time string without an offset is a time in Durianpay's zone (WIB, +07:00), as its examples are. */
    @Test
    void expiresInAsATimeWithoutAnOffsetIsReadInDurianpaysZone() {
        assertThat(client.lifetime("2026-06-03T17:30:00")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03 17:30:00")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03T17:30:00.000+07:00")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03T10:30:00Z")).isEqualTo(Duration.ofMinutes(30));
        assertThat(client.lifetime("2026-06-03 16:00:00")).as("already past").isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void aTokenIsRefreshedBeforeItExpiresAndDroppedWhenRefused() {
        assertThat(client.needsToken()).isTrue();
        client.storeToken(java.util.Map.of("accessToken", "t1", "expiresIn", "900"));
        assertThat(client.needsToken()).isFalse();
        client.invalidateToken(null);
        assertThat(client.needsToken()).isTrue();
        client.storeToken(java.util.Map.of("accessToken", "t2", "expiresIn", 0.001));
        assertThat(client.needsToken()).as("0.001 s reads as the 900 s default").isFalse();
    }

    /**
     * Two calls refused with the same expired token: the first re-mints; the second, refused with the
     * old token, keeps the new one (dropping it would mint again, and a Durianpay that keeps one
     * token per client would then refuse the first call's new attempt).
     */
    @Test
    void aRefusedTokenIsDroppedOnlyWhenNoNewerOneWasMintedMeanwhile() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            client.storeToken(Map.of("accessToken", "t1", "expiresIn", "900"));
            Exchange first = signed(context);
            Exchange second = signed(context);
            client.invalidateToken(first.getVariable("durianpayTokenGeneration", Long.class));
            assertThat(client.needsToken()).isTrue();
            client.storeToken(Map.of("accessToken", "t2", "expiresIn", "900"));
            client.invalidateToken(second.getVariable("durianpayTokenGeneration", Long.class));
            assertThat(client.needsToken()).as("t2 was minted after the refused t1").isFalse();
            Exchange again = signed(context);
            assertThat(again.getMessage().getHeader("Authorization")).isEqualTo("Bearer t2");
            client.invalidateToken(again.getVariable("durianpayTokenGeneration", Long.class));
            assertThat(client.needsToken()).isTrue();
        }
    }

    /**
     * Calls that find no usable token at once (the first calls after a start, or after a refused
     * token) mint one between them: one call mints and the others wait for its token, rather than
     * each minting its own (a Durianpay that keeps one token per client would refuse every call
     * signed with the tokens minted before the last). A mint that fails hands the turn to a waiting call.
     */
    @Test
    void callsWithoutATokenMintOneBetweenThem() throws Exception {
        int calls = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> mints = new java.util.ArrayList<>();
            for (int i = 0; i < calls; i++) {
                mints.add(pool.submit(() -> {
                    start.await();
                    return client.mustMint(new DefaultExchange(context));
                }));
            }
            start.countDown();
            Thread.sleep(300);
            assertThat(mints).filteredOn(java.util.concurrent.Future::isDone).as("one mints, the others wait")
                    .singleElement().satisfies(mint -> assertThat(mint.get()).isTrue());
            client.storeToken(Map.of("accessToken", "t1", "expiresIn", "900"));
            int minted = 0;
            for (java.util.concurrent.Future<Boolean> mint : mints) {
                minted += mint.get(5, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(minted).isEqualTo(1);

            client.invalidateToken(null);
            Exchange minter = new DefaultExchange(context);
            assertThat(client.mustMint(minter)).isTrue();
            java.util.concurrent.Future<Boolean> waiting = pool.submit(() -> client.mustMint(new DefaultExchange(context)));
            Thread.sleep(200);
            assertThat(waiting).as("waits for the mint under way").isNotDone();
            client.mintFailed(minter);
            assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).as("its turn to mint").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private Exchange signed(DefaultCamelContext context) throws Exception {
        Exchange call = new DefaultExchange(context);
        call.setVariable("durianpayPath", "/v1.0/transfer/status");
        call.setVariable("durianpayBody", client.status(payout("r-t", null)));
        client.sign(call);
        return call;
    }

    /**
     * X-EXTERNAL-ID is unique per day for the client key, which several instances share: two
     * instances started in the same millisecond never send the same one, and each is numeric and
     * at most 36 digits.
     */
    @Test
    void twoInstancesStartedTogetherNeverSendTheSameExternalId() throws Exception {
        DurianpayClient other = new DurianpayClient("key", "secret", "merchant",
                PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"), "client_credentials", clock);
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            client.storeToken(Map.of("accessToken", "t1", "expiresIn", "900"));
            other.storeToken(Map.of("accessToken", "t1", "expiresIn", "900"));
            for (int i = 0; i < 200; i++) {
                for (DurianpayClient instance : java.util.List.of(client, other)) {
                    Exchange call = new DefaultExchange(context);
                    call.setVariable("durianpayPath", "/v1.0/transfer/status");
                    call.setVariable("durianpayBody", Map.of("serviceCode", "18"));
                    instance.sign(call);
                    String id = call.getMessage().getHeader("X-EXTERNAL-ID", String.class);
                    assertThat(id).matches("\\d{1,36}");
                    assertThat(ids.add(id)).as("X-EXTERNAL-ID %s sent twice", id).isTrue();
                }
            }
        }
    }

    /** Durianpay documents 2024-05-14T18:54:57+07:00: to the second, the offset, 25 characters; no milliseconds. */
    @Test
    void everyTimestampSentIsInTheDocumentedFormat() throws Exception {
        String documented = "2026-06-03T17:00:00+07:00";
        DurianpayClient client = new DurianpayClient("key", "secret", "merchant",
                PemKeys.privateKey("classpath:twin/dev-keys/merchant-private.pem"), "client_credentials",
                Clock.fixed(Instant.parse("2026-06-03T10:00:00.123Z"), ZoneOffset.UTC));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange token = new DefaultExchange(context);
            client.prepareTokenRequest(token);
            assertThat(token.getMessage().getHeader("X-TIMESTAMP")).isEqualTo(documented);

            client.storeToken(Map.of("accessToken", "t1", "expiresIn", "900"));
            Exchange call = new DefaultExchange(context);
            call.setVariable("durianpayPath", "/v1.0/transfer-interbank");
            call.setVariable("durianpayBody", client.transfer(payout("r-1", null)));
            client.sign(call);
            assertThat(call.getMessage().getHeader("X-TIMESTAMP")).isEqualTo(documented);
            assertThat(call.getMessage().getBody(String.class)).contains("\"transactionDate\":\"" + documented + "\"");
        }
        assertThat(documented).hasSize(25);
    }

    @Test
    void theStatusIsAskedByTheTransfersReferenceNoOnlyOnceDurianpayGaveIt() {
        assertThat(client.status(payout("r-2", null))).containsOnlyKeys("originalPartnerReferenceNo", "serviceCode",
                "additionalInfo").containsEntry("originalPartnerReferenceNo", "r-2").containsEntry("serviceCode", "18")
                .containsEntry("additionalInfo", Map.of("deviceId", "camel-payouts", "channel", "server"));
        assertThat(client.status(payout("r-3", "dis_item_abc"))).containsEntry("originalReferenceNo", "dis_item_abc");
    }

    @Test
    void onlyTheTransfersReferenceNoBecomesTheProviderReference() {
        Map<String, Object> inquiry = Map.of("responseCode", "2001600", "referenceNo", "inq_1",
                "beneficiaryAccountName", "Durian Test");
        assertThat(DurianpayClient.normalize(inquiry, "/v1.0/account-inquiry-external"))
                .doesNotContainKey("providerReference").containsEntry("accountName", "Durian Test");
        assertThat(DurianpayClient.normalize(Map.of("responseCode", "2021800", "referenceNo", "dis_item_1"),
                "/v1.0/transfer-interbank")).containsEntry("providerReference", "dis_item_1");
    }

    @Test
    void anAnswerIsLookedUpByItsResponseCodeElseByItsHttpStatus() {
        assertThat(DurianpayClient.code(Map.of("responseCode", "4043601"), 404)).isEqualTo("4043601");
        assertThat(DurianpayClient.code(Map.of(), 404)).isEqualTo("HTTP 404");
        assertThat(DurianpayClient.code(Map.of(), 0)).as("no answer").isNull();
        assertThat(DurianpayClient.code(Map.of("responseCode", "2021800"), 200)).isEqualTo("2021800");
        assertThat(DurianpayClient.code(Map.of("responseCode", "4001802"), 500)).isEqualTo("HTTP 500 4001802");
        assertThat(DurianpayClient.code(Map.of("responseCode", "4001802"), 200)).isEqualTo("HTTP 200 4001802");
        assertThat(DurianpayClient.summary(Map.of(), 404, null)).isEqualTo("HTTP 404 without a SNAP response code");
        assertThat(DurianpayClient.summary(Map.of(), 0, "SocketTimeoutException"))
                .isEqualTo("no answer: SocketTimeoutException");
    }

    private static Payout payout(String reference, String providerReference) {
        PayoutInstruction instruction = new InstructionParser().parse(Map.of("reference", reference, "provider",
                "durianpay", "bankCode", "014", "accountNumber", "1234567890", "amount", 50000)).instruction();
        return TestPayouts.of(instruction, providerReference);
    }
}
