package id.camelpayouts.outcomes;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's signature on a webhook post: {@code X-Payout-Timestamp} is the time of sending in
 * Unix seconds, {@code X-Payout-Signature} the lowercase hex HMAC-SHA256, with PAYOUTS_WEBHOOK_KEY,
 * of {@code timestamp + "." + raw body}. The timestamp is signed so that a receiver can refuse an
 * old post replayed by whoever captured it.
 */
public class WebhookSignature {

    private final SecretKeySpec key;
    private final Clock clock;

    public WebhookSignature(String key) {
        this(key, Clock.systemUTC());
    }

    public WebhookSignature(String key, Clock clock) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** Now, in Unix seconds: the value of X-Payout-Timestamp. */
    public String timestamp() {
        return String.valueOf(clock.instant().getEpochSecond());
    }

    /** The value of X-Payout-Signature for this timestamp and body. */
    public String sign(String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
