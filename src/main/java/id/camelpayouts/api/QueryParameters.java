package id.camelpayouts.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import id.camelpayouts.input.LogSafe;

/**
 * A request's query string read strictly: each parameter the endpoint takes at most once, any
 * other parameter a named problem (a misspelt filter must not quietly widen a search). An empty
 * value counts as absent. The query is bounded before it is read; a name is echoed only escaped
 * and cut.
 */
final class QueryParameters {

    static final int MAX_QUERY = 4096;

    /** The values given (name → decoded value) and every problem found. */
    record Read(Map<String, String> values, List<String> problems) {
        String get(String name) {
            return values.get(name);
        }
    }

    private QueryParameters() {
    }

    static Read read(String rawQuery, List<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new Read(values, problems);
        }
        if (rawQuery.length() > MAX_QUERY) {
            problems.add("query: longer than " + MAX_QUERY + " characters");
            return new Read(values, problems);
        }
        int unknown = 0;
        Set<String> seen = new HashSet<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            String[] nameAndValue = parameter.split("=", 2);
            String name;
            String value;
            try {
                name = URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8);
                value = nameAndValue.length == 2 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "";
            } catch (IllegalArgumentException badEscape) {
                problems.add("query: not valid URL encoding (a % must be followed by two hex digits)");
                continue;
            }
            if (!known.contains(name)) {
                if (++unknown <= 5) {
                    problems.add(LogSafe.text(name, 40) + ": unknown parameter; this endpoint takes "
                            + String.join(", ", known));
                }
                continue;
            }
            if (!seen.add(name)) {
                problems.add(name + ": given more than once");
                continue;
            }
            if (!value.isBlank()) {
                values.put(name, value.trim());
            }
        }
        return new Read(values, problems);
    }
}
