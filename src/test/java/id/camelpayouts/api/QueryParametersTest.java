package id.camelpayouts.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The query string as the read side reads it: strictly, every problem named, nothing echoed raw. */
class QueryParametersTest {

    static final List<String> KNOWN = List.of("status", "limit", "createdFrom");

    @Test
    void knownParametersAreDecodedOnceAndEmptyOnesAreAbsent() {
        QueryParameters.Read read = QueryParameters.read("status=FAILED&createdFrom=2026-12-01T00%3A00%3A00%2B07%3A00"
                + "&limit=&&", KNOWN);
        assertThat(read.problems()).isEmpty();
        assertThat(read.values()).isEqualTo(Map.of("status", "FAILED", "createdFrom", "2026-12-01T00:00:00+07:00"));
    }

    @Test
    void unknownRepeatedAndBadlyEncodedParametersAreProblems() {
        assertThat(QueryParameters.read("status=A&status=B", KNOWN).problems())
                .containsExactly("status: given more than once");
        assertThat(QueryParameters.read("limit=&limit=5", KNOWN).problems())
                .containsExactly("limit: given more than once");
        assertThat(QueryParameters.read("status=%zz", KNOWN).problems())
                .containsExactly("query: not valid URL encoding (a % must be followed by two hex digits)");
        assertThat(QueryParameters.read("colour%1B%5B31m=red", KNOWN).problems()).singleElement().asString()
                .startsWith("colour\\u001b[31m: unknown parameter; this endpoint takes status, limit, createdFrom");
        assertThat(QueryParameters.read("a=1&b=1&c=1&d=1&e=1&f=1&g=1", KNOWN).problems()).as("a flood is cut")
                .hasSize(5);
        assertThat(QueryParameters.read("status=" + "x".repeat(5000), KNOWN).problems())
                .containsExactly("query: longer than 4096 characters");
    }
}
