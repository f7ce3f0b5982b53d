package id.camelpayouts.payout;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a provider's response body as a JSON object. Anything else (an HTML error page from a
 * proxy, an empty body) becomes an empty answer, which the routes treat as "no answer".
 */
public final class ProviderAnswer {

    /** Decimals stay exact (a balance of 100000000000.00 must not come back as 1.0E11). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Its type resolved once: a TypeReference made per answer was resolved again by reflection each time. */
    private static final ObjectReader AS_MAP = JSON.readerFor(new TypeReference<Map<String, Object>>() {
    });

    private ProviderAnswer() {
    }

    /** A JSON object, read after a UTF-8 byte order mark if the server wrote one (some do). */
    public static Map<String, Object> parse(String body) {
        String json = body != null && body.startsWith("\uFEFF") ? body.substring(1) : body;
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> answer = AS_MAP.readValue(json);
            return answer == null ? new LinkedHashMap<>() : answer;
        } catch (Exception notAJsonObject) {
            return new LinkedHashMap<>();
        }
    }

    /** A short human description of an answer, for reasons: "Success (00)", "no answer: HTTP 502". */
    public static String summary(Map<String, Object> answer, Integer httpStatus, String error) {
        Object code = answer == null ? null : answer.get("responseCode");
        if (code != null) {
            Object desc = answer.get("responseDesc") != null ? answer.get("responseDesc") : answer.get("responseMessage");
            return (desc == null ? "" : desc + " ") + "(" + code + ")";
        }
        if (error != null) {
            return "no answer: " + error;
        }
        return "no answer: HTTP " + httpStatus;
    }

    /** A balance as an API client sees it: {@link #forClient} and when it was read (ISO-8601); no provider: Duitku. */
    public static Map<String, Object> balanceForClient(Map<String, Object> answer, String provider, String readAt) {
        Map<String, Object> body = forClient(answer, provider == null ? "duitku" : provider, null);
        body.put("readAt", readAt);
        return body;
    }

    /** The answer as an API client sees it: the provider's fields, which provider, and an error if any. */
    public static Map<String, Object> forClient(Map<String, Object> answer, String provider, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider);
        body.putAll(answer);
        if (error != null && !error.isEmpty()) {
            body.put("error", error);
        }
        return body;
    }
}
