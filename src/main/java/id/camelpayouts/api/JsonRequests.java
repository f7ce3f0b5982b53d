package id.camelpayouts.api;

import java.util.Locale;

import org.apache.camel.Variable;

/**
 * What a request body sent to the API may be: JSON (application/json or any application/*+json)
 * in UTF-8, the only encoding JSON between systems may use (RFC 8259, section 8.1). No
 * Content-Type at all is read as JSON too. Anything else is answered 415 before the body is read.
 */
public class JsonRequests {

    static final String NOT_JSON = "send the instruction as JSON: Content-Type: application/json";
    static final String NOT_UTF8 = "JSON must be UTF-8: Content-Type: application/json; charset=utf-8";

    /** Why the body cannot be taken (answered 415), or null. */
    public String unsupported(@Variable("requestContentType") String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return NOT_JSON;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equals("charset") && parameter.length == 2
                    && !parameter[1].trim().replace("\"", "").equals("utf-8")) {
                return NOT_UTF8;
            }
        }
        return null;
    }
}
