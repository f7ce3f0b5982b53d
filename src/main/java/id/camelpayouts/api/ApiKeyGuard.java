package id.camelpayouts.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;

import id.camelpayouts.input.LogRate;

/**
 * Who is calling the API, and whether they may: the {@code X-API-Key} header names one of the
 * configured keys ({@link ApiKeys}; compared by SHA-256 in constant time), and the key must have
 * the role the endpoint needs. The key is taken from the header only: a key in the URL (where
 * proxies and access logs keep it) is refused, even with the right key in the header as well.
 * The key itself is never logged nor kept; its name is what the history and the logs show.
 */
public class ApiKeyGuard {

    static final String WRONG_KEY = "missing or wrong X-API-Key";
    static final String KEY_IN_URL = "send the key in the X-API-Key header only, never in the URL";
    /** The "role" of an endpoint every configured key may call (GET /api/whoami). */
    static final String ANY_KEY = "any-key";

    /**
     * The caller: the name and roles of its key, or why it was not recognised ({@code refusal},
     * answered 401).
     */
    public record Caller(String name, Set<String> roles, String refusal) {
        static Caller refused(String why) {
            return new Caller(null, Set.of(), why);
        }
    }

    private final ApiKeys keys;
    /**
     * Refusals are logged (a wrong key, a key in the URL, a role missing), but anyone can send
     * thousands a second: at most one line a second per reason, counting the ones left out.
     */
    private final LogRate refusalLines = new LogRate(Duration.ofSeconds(1));

    public ApiKeyGuard(ApiKeys keys) {
        this.keys = keys;
    }

    /** A guard for the single key {@code key}, with every role (the dev profile's default key). */
    public ApiKeyGuard(String key) {
        this(ApiKeys.configured(key, "", false));
    }

    /**
     * Recognises the caller.
     *
     * @param given the X-API-Key header (platform-http also puts query parameters in headers:
     *              hence the query is looked at first)
     * @param query the request's query string as received
     */
    public Caller identify(@Header("X-API-Key") Object given, @Header("CamelHttpRawQuery") String query) {
        if (namesTheKey(query)) {
            return Caller.refused(KEY_IN_URL);
        }
        if (!(given instanceof String text)) {
            return Caller.refused(WRONG_KEY);
        }
        ApiKeys.Key key = keys.find(ApiKeys.sha256(text));
        return key == null ? Caller.refused(WRONG_KEY) : new Caller(key.name(), key.roles(), null);
    }

    /** Why the request is refused (answered 401), or null when it carries a configured key. */
    public String refusal(@Header("X-API-Key") Object given, @Header("CamelHttpRawQuery") String query) {
        return identify(given, query).refusal();
    }

    /**
     * Why the recognised caller may not do this (answered 403), or null when its key has the role.
     * An endpoint that names no role is open to the {@code read} role for GET and to nobody
     * otherwise: a route that forgets its role cannot let a key do more than read. One marked
     * {@value #ANY_KEY} is open to every configured key (it only tells the key its own name and roles).
     */
    public String forbidden(@Variable("apiCaller") Caller caller, @Variable("requiredRole") String role,
            @Variable("requestMethod") String method) {
        if (ANY_KEY.equals(role)) {
            return null;
        }
        String needed = role != null ? role : "GET".equals(method) ? ApiKeys.READ : null;
        if (needed == null) {
            return "this endpoint names no role; nobody may call it";
        }
        return caller.roles().contains(needed) ? null : "this API key does not have the role '" + needed + "'";
    }

    /**
     * Whether the refusal in the variable {@code error} is logged: null to leave it out (counted),
     * else the end of its line ("" or how many of its kind were left out since the last line).
     * A 401's kind is its reason (whoever sends them, a few lines a second in all); a 403's is its
     * key, route and reason (configured keys only), so that each key's refusals stay told apart.
     */
    public String refusalLogged(Exchange exchange) {
        String error = exchange.getVariable("error", String.class);
        String keyName = exchange.getVariable("apiKeyName", String.class);
        return refusalLines.suffix(keyName == null ? error : keyName + " at " + exchange.getFromRouteId() + ": " + error);
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
