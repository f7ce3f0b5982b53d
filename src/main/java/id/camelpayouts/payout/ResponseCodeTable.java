package id.camelpayouts.payout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * A provider's response codes as data (a CSV file under routes/codes/ that integration engineers
 * read and edit): one row per documented code, the document's own words, and for every kind of
 * call (the columns after {@code code} and {@code says}) what the code means there: {@code success},
 * {@code declined} (refused before anything happened: money did not move), {@code retry} (a call
 * that moves no money may be asked again), {@code unknown} (money may have moved: ask the status),
 * {@code callback} (the outcome comes by the provider's callback), {@code failed} (a status or
 * callback that describes the transfer says it failed), {@code not-found} (the provider has no
 * record of it yet).
 *
 * <p>A code that is not in the table, or has no class for the call, is {@code unknown}: the routes
 * never fail a payout on a code nobody classified. A row's code may end in {@code x} wildcards
 * ({@code 401xx01}), for codes that carry a service number in the middle.
 */
public final class ResponseCodeTable {

    public static final String UNKNOWN = "unknown";
    /** Columns for the reader (the code, the document's words, why it is classified so), not calls. */
    private static final List<String> DOCUMENTATION_COLUMNS = List.of("code", "says", "why");

    /** One documented code: what the provider's document says, why it is classified so, its class per call. */
    public record Code(String code, String says, String why, Map<String, String> classes) {
    }

    private final String provider;
    private final Map<String, Code> exact = new LinkedHashMap<>();
    private final List<Code> patterns = new ArrayList<>();
    private final List<String> calls;

    private ResponseCodeTable(String provider, List<String> calls, List<Code> codes) {
        this.provider = provider;
        this.calls = List.copyOf(calls);
        for (Code code : codes) {
            if (code.code().contains("x")) {
                patterns.add(code);
            } else if (exact.put(code.code(), code) != null) {
                throw new IllegalArgumentException(provider + " response code " + code.code() + " is listed twice");
            }
        }
    }

    /** Reads a table from a CSV resource (e.g. {@code file:routes/codes/duitku-response-codes.csv}). */
    public static ResponseCodeTable load(CamelContext context, String provider, String location) throws IOException {
        Resource resource = PluginHelper.getResourceLoader(context).resolveResource(location);
        if (resource == null || !resource.exists()) {
            throw new IllegalStateException("the " + provider + " response-code table is missing: " + location);
        }
        try (InputStream in = resource.getInputStream()) {
            return read(provider, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Reads a table from CSV text: a header row {@code code,says,<call>,<call>...}, then one row per code. */
    public static ResponseCodeTable read(String provider, String csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        List<Code> codes = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class).with(schema)
                .readValues(csv)) {
            CsvSchema header = (CsvSchema) rows.getParserSchema();
            for (int i = 0; i < header.size(); i++) {
                String column = header.columnName(i).trim();
                if (!DOCUMENTATION_COLUMNS.contains(column)) {
                    calls.add(column);
                }
            }
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                String code = row.getOrDefault("code", "").trim();
                if (code.isEmpty()) {
                    continue;
                }
                Map<String, String> classes = new LinkedHashMap<>();
                for (String call : calls) {
                    String value = row.getOrDefault(call, "").trim();
                    if (!value.isEmpty()) {
                        classes.put(call, value);
                    }
                }
                codes.add(new Code(code, row.getOrDefault("says", "").trim(), row.getOrDefault("why", "").trim(), classes));
            }
        }
        return new ResponseCodeTable(provider, calls, codes);
    }

    /** What {@code code} means after {@code call}; {@code unknown} for a code nobody classified. */
    public String classify(String call, String code) {
        if (!calls.contains(call)) {
            throw new IllegalArgumentException(provider + " response codes have no call '" + call + "': " + calls);
        }
        Code found = find(code);
        return found == null ? UNKNOWN : found.classes().getOrDefault(call, UNKNOWN);
    }

    /** The document's words for {@code code}, or null when it is not in the table. */
    public String says(String code) {
        Code found = find(code);
        return found == null ? null : found.says();
    }

    public Code find(String code) {
        if (code == null) {
            return null;
        }
        Code found = exact.get(code);
        if (found != null) {
            return found;
        }
        for (Code pattern : patterns) {
            if (matches(pattern.code(), code)) {
                return pattern;
            }
        }
        return null;
    }

    /** Every row, in the table's order (patterns last). */
    public List<Code> codes() {
        List<Code> all = new ArrayList<>(exact.values());
        all.addAll(patterns);
        return all;
    }

    public List<String> calls() {
        return calls;
    }

    public String provider() {
        return provider;
    }

    private static boolean matches(String pattern, String code) {
        if (pattern.length() != code.length()) {
            return false;
        }
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != 'x' && pattern.charAt(i) != code.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
