package id.camelpayouts.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Header;

/** Checks the {@code X-API-Key} header in constant time. The key itself is never logged. */
public class ApiKeyGuard {

    private final byte[] key;

    public ApiKeyGuard(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("payouts.api-key (PAYOUTS_API_KEY) must be set");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    public boolean rejects(@Header("X-API-Key") String given) {
        return given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8));
    }
}
