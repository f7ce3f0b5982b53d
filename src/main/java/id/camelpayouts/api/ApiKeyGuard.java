package id.camelpayouts.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Header;

/**
 * Checks the {@code X-API-Key} header in constant time. The key is taken from the header only:
 * a key in the URL (where proxies and access logs keep it) is refused, even with the right key
 * in the header as well. The key itself is never logged.
 */
public class ApiKeyGuard {

    static final String WRONG_KEY = "missing or wrong X-API-Key";
    static final String KEY_IN_URL = "send the key in the X-API-Key header only, never in the URL";

    private final byte[] key;

    public ApiKeyGuard(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("payouts.api-key (PAYOUTS_API_KEY) must be set");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Why the request is refused (answered 401), or null when it carries the key.
     *
     * @param given the X-API-Key header (platform-http also puts query parameters in headers:
     *              hence the query is looked at first)
     * @param query the request's query string as received
     */
    public String refusal(@Header("X-API-Key") Object given, @Header("CamelHttpRawQuery") String query) {
        if (namesTheKey(query)) {
            return KEY_IN_URL;
        }
        if (!(given instanceof String text) || !MessageDigest.isEqual(key, text.getBytes(StandardCharsets.UTF_8))) {
            return WRONG_KEY;
        }
        return null;
    }

    /** Whether a query parameter is named X-API-Key, in any case or percent-encoding. */
    static boolean namesTheKey(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String parameter : query.split("[&;]")) {
            String name = parameter.split("=", 2)[0];
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                // compared as it came
            }
            if (name.trim().equalsIgnoreCase("X-API-Key")) {
                return true;
            }
        }
        return false;
    }
}
