package id.camelpayouts.durianpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/**
 * Reading Durianpay's notifications: size, then X-TIMESTAMP (format and window, before the RSA
 * verification), X-SIGNATURE's shape, strict JSON and field bounds, and last the signature.
 */
class DurianpayNotificationsTest {

    static final String PATH = "/callbacks/durianpay/v1.0/transfer-bank/notify";
    static final Instant NOW = Instant.parse("2026-12-01T05:00:00Z");
    static final PrivateKey DURIANPAY = PemKeys.privateKey("classpath:twin/dev-keys/durianpay-private.pem");
    static final String BODY = "{\"originalPartnerReferenceNo\":\"r1\",\"originalReferenceNo\":\"dis_item_1\","
            + "\"amount\":{\"value\":\"80000.00\",\"currency\":\"IDR\"},"
            + "\"additionalInfo\":{\"latestTransactionStatus\":\"00\"},\"failureReason\":\"\"}";

    final DurianpayNotifications notifications = new DurianpayNotifications(
            PemKeys.publicKey("classpath:twin/dev-keys/durianpay-public.pem"), "", Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMinutes(5));

    DurianpayNotifications.Notification read(String body, String timestamp) {
        String signature = SnapSignature.sign(DURIANPAY, SnapSignature.notificationText("POST", PATH, body, timestamp));
        return notifications.read(body.getBytes(StandardCharsets.UTF_8), PATH, timestamp, signature);
    }

    @Test
    void aGenuineNotificationInTheDocumentsFormatVerifies() {
        assertThat(read(BODY, "2026-12-01T12:00:00+07:00").verified()).isTrue();
        assertThat(read(BODY, "2026-12-01T12:00:00.123+07:00").verified()).as("with milliseconds").isTrue();
        assertThat(read(BODY, "2026-12-01T05:04:59Z").verified()).isTrue();
        assertThat(read("\uFEFF" + BODY, "2026-12-01T12:00:00+07:00").verified()).as("after a BOM").isTrue();
    }

    /**
     * Durianpay hashes the minified body (SNAP's Minify: the whitespace between JSON tokens taken
     * out), while the body it sends may be laid out with whitespace: both the hash of the bytes
     * received and the hash of their minified form verify. Whitespace inside a string is content.
     */
    @Test
    void aBodySentWithWhitespaceVerifiesByTheHashOfItsMinifiedForm() {
        String sent = "{\n  \"originalPartnerReferenceNo\": \"r1\",\n  \"originalReferenceNo\": \"dis_item_1\",\r\n"
                + "\t\"amount\": { \"value\": \"80000.00\", \"currency\": \"IDR\" },\n"
                + "  \"additionalInfo\": {\"latestTransactionStatus\": \"06\", \"transactionStatusDesc\": \"failed\"},\n"
                + "  \"failureReason\": \"Rekening \\\"tidak\\\"  aktif, {x: y}\"\n}\n";
        String minified = "{\"originalPartnerReferenceNo\":\"r1\",\"originalReferenceNo\":\"dis_item_1\","
                + "\"amount\":{\"value\":\"80000.00\",\"currency\":\"IDR\"},"
                + "\"additionalInfo\":{\"latestTransactionStatus\":\"06\",\"transactionStatusDesc\":\"failed\"},"
                + "\"failureReason\":\"Rekening \\\"tidak\\\"  aktif, {x: y}\"}";
        String timestamp = "2026-12-01T12:00:00+07:00";
        byte[] body = sent.getBytes(StandardCharsets.UTF_8);

        DurianpayNotifications.Notification read = notifications.read(body, PATH, timestamp,
                SnapSignature.sign(DURIANPAY, SnapSignature.notificationText("POST", PATH, minified, timestamp)));
        assertThat(read.verified()).as("signed over the minified body").isTrue();
        assertThat(read.status()).isEqualTo("06");
        assertThat(notifications.read(body, PATH, timestamp, SnapSignature.sign(DURIANPAY,
                SnapSignature.notificationText("POST", PATH, sent, timestamp))).verified()).as("over the bytes sent")
                .isTrue();
        assertThat(notifications.read(body, PATH, timestamp, SnapSignature.sign(DURIANPAY, SnapSignature
                .notificationText("POST", PATH, minified.replace("  aktif", " aktif"), timestamp))).verified())
                .as("a string's own whitespace is content").isFalse();
    }

    /**
     * Durianpay appends its own path to the URL registered with it (the receiver's mount,
     * /callbacks/durianpay): a signature over the path it appended (/v1.0/transfer-bank/notify)
     * verifies as well as one over the whole path received; any other path does not.
     */
    @Test
    void aSignatureOverThePathDurianpayAppendedVerifies() {
        String timestamp = "2026-12-01T12:00:00+07:00";
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String appended = SnapSignature.sign(DURIANPAY,
                SnapSignature.notificationText("POST", "/v1.0/transfer-bank/notify", BODY, timestamp));
        assertThat(notifications.read(body, PATH, "/callbacks/durianpay", timestamp, appended).verified()).isTrue();
        assertThat(notifications.read(body, PATH, "/callbacks/durianpay", timestamp, SnapSignature.sign(DURIANPAY,
                SnapSignature.notificationText("POST", PATH, BODY, timestamp))).verified()).as("the whole path").isTrue();
        for (String other : new String[] {"/v1.0/transfer-bank", "/transfer-bank/notify", "/callbacks/durianpay", "/"}) {
            assertThat(notifications.read(body, PATH, "/callbacks/durianpay", timestamp, SnapSignature.sign(DURIANPAY,
                    SnapSignature.notificationText("POST", other, BODY, timestamp))).verified()).as(other).isFalse();
        }
        assertThat(notifications.read(body, "/callbacks/durianpay", "/callbacks/durianpay", timestamp,
                SnapSignature.sign(DURIANPAY, SnapSignature.notificationText("POST", "", BODY, timestamp))).verified())
                .as("nothing appended: only the path received").isFalse();
    }

    /** A captured genuine notification cannot be replayed later, nor one signed for later. */
    @Test
    void aTimestampOutsideTheWindowIsRefusedThoughTheSignatureIsGenuine() {
        for (String timestamp : new String[] {"2026-12-01T11:54:59+07:00", "2026-12-01T12:05:01+07:00",
            "2026-11-21T13:00:00.000+07:00"}) {
            DurianpayNotifications.Notification read = read(BODY, timestamp);
            assertThat(read.verified()).as(timestamp).isFalse();
            assertThat(read.refusal().status()).as(timestamp).isEqualTo(401);
            assertThat(read.refusal().responseMessage()).contains("X-TIMESTAMP");
        }
    }

    @Test
    void aTimestampNotInTheSnapFormatIsRefusedBeforeAnyWork() {
        for (String timestamp : new String[] {"2026-12-01T12:00:00", "1764590400000", "2".repeat(3000),
            "+999999999-01-01T00:00:00+07:00", "2026-13-45T12:00:00+07:00", "2026-12-01 12:00:00+07:00"}) {
            DurianpayNotifications.Notification read = read(BODY, timestamp);
            assertThat(read.refusal()).as(timestamp.substring(0, Math.min(30, timestamp.length())))
                    .isEqualTo(new DurianpayNotifications.Refusal(400, "4000001",
                            "Invalid Field Format X-TIMESTAMP (e.g. 2024-05-14T18:54:57+07:00)"));
        }
        assertThat(notifications.read(BODY.getBytes(StandardCharsets.UTF_8), PATH, null, "x").refusal())
                .isEqualTo(new DurianpayNotifications.Refusal(400, "4000002", "Invalid Mandatory Field X-TIMESTAMP"));
    }

    @Test
    void theBodyAndItsFieldsAreBounded() {
        String now = "2026-12-01T12:00:00+07:00";
        assertThat(read(BODY.replace("}", ",\"padding\":\"" + "p".repeat(20_000) + "\"}"), now).refusal().status())
                .isEqualTo(413);
        assertThat(read(BODY.replace("\"80000.00\"", "\"1e999999999\""), now).refusal().responseMessage())
                .isEqualTo("Invalid Field Format amount");
        assertThat(read(BODY.replace("\"80000.00\"", "1e400"), now).refusal().responseMessage())
                .isEqualTo("Invalid Field Format amount");
        assertThat(read(BODY.replace("\"r1\"", "\"r\\r\\nforged\""), now).refusal().responseMessage())
                .isEqualTo("Invalid Field Format originalPartnerReferenceNo");
        assertThat(read(BODY.replace("\"\"}", "\"" + "f".repeat(300) + "\"}"), now).refusal().responseMessage())
                .isEqualTo("Invalid Field Format failureReason");
        assertThat(read(BODY.replace("\"00\"}", "\"03\",\"latestTransactionStatus\":\"00\"}"), now).refusal()
                .responseMessage()).isEqualTo("Invalid Field Format body: the field latestTransactionStatus appears"
                        + " more than once");
        assertThat(read(BODY + "]", now).refusal().status()).isEqualTo(400);
    }

    @Test
    void aSignatureThatCannotBeOneIsRefused() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String now = "2026-12-01T12:00:00+07:00";
        for (String signature : new String[] {null, "", "%%%not-base64%%%", "A".repeat(6000)}) {
            assertThat(notifications.read(body, PATH, now, signature).refusal())
                    .isEqualTo(new DurianpayNotifications.Refusal(401, "4010000", "Unauthorized. Signature"));
        }
        assertThat(new DurianpayNotifications.Refusal(401, "4010000", "Unauthorized. Signature").body())
                .isEqualTo("{\"responseCode\":\"4010000\",\"responseMessage\":\"Unauthorized. Signature\"}");
    }
}
