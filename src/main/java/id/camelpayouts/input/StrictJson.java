package id.camelpayouts.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads one JSON object from outside (an API body, a callback, a queued message), bounded before
 * any work: the size first, then strict JSON (UTF-8 only, a leading byte order mark allowed, no
 * field given twice, nothing after the object, at most {@value #MAX_DEPTH} levels deep, numbers of
 * at most {@value #MAX_NUMBER} characters, names of at most {@value #MAX_NAME}). Numbers with a
 * fraction or exponent are read as {@link java.math.BigDecimal}, never as a double (1e400 would
 * be infinite). A problem is named without repeating the input.
 */
public final class StrictJson {

    public static final int MAX_DEPTH = 16;
    public static final int MAX_NUMBER = 40;
    public static final int MAX_NAME = 256;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER).maxNameLength(MAX_NAME).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    /** Reads an object's fields; its type and deserializer resolved once, not at every read. */
    private static final ObjectReader OBJECT = MAPPER.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {
    });

    /** The object's fields, or the problem that stopped the reading ({@code tooLarge}: over the size limit). */
    public record Read(Map<String, Object> fields, String problem, boolean tooLarge) {
        public boolean ok() {
            return fields != null;
        }

        static Read problem(String problem) {
            return new Read(null, problem, false);
        }
    }

    private StrictJson() {
    }

    /** A body as it came over the wire: at most {@code maxBytes}, UTF-8. */
    public static Read object(byte[] body, int maxBytes) {
        if (body == null || body.length == 0) {
            return Read.problem("empty");
        }
        if (body.length > maxBytes) {
            return new Read(null, "larger than " + maxBytes + " bytes", true);
        }
        if (isAscii(body)) {
            return parse(new String(body, StandardCharsets.US_ASCII)); // valid UTF-8 as it is: nothing to check
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Read.problem("not UTF-8 text");
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** A text already decoded (e.g. a JMS text message): at most {@code maxChars}. */
    public static Read object(String text, int maxChars) {
        if (text == null || text.isBlank()) {
            return Read.problem("empty");
        }
        if (text.length() > maxChars) {
            return new Read(null, "larger than " + maxChars + " characters", true);
        }
        return parse(text);
    }

    private static Read parse(String text) {
        String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (json.isBlank()) {
            return Read.problem("empty");
        }
        boolean objectRead = false;
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Read.problem("must be a JSON object");
            }
            Map<String, Object> fields = OBJECT.readValue(parser);
            objectRead = true;
            if (parser.nextToken() != null) {
                return Read.problem("has content after the JSON object");
            }
            return new Read(fields, null, false);
        } catch (StreamConstraintsException limit) {
            return Read.problem(limitExceeded(limit));
        } catch (JsonParseException e) {
            if (objectRead) {
                return Read.problem("has content after the JSON object");
            }
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field") && e.getProcessor() != null) {
                return Read.problem("the field " + LogSafe.text(currentName(e.getProcessor()), 40)
                        + " appears more than once");
            }
            return Read.problem("not JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (JsonProcessingException e) {
            return Read.problem(objectRead ? "has content after the JSON object" : "not a readable JSON object");
        } catch (IOException | RuntimeException e) {
            return Read.problem("not a readable JSON object");
        }
    }

    private static String currentName(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String limitExceeded(StreamConstraintsException limit) {
        String message = String.valueOf(limit.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("number")) {
            return "has a number longer than " + MAX_NUMBER + " characters";
        }
        if (message.contains("nesting")) {
            return "is nested deeper than " + MAX_DEPTH + " levels";
        }
        if (message.contains("name")) {
            return "has a field name longer than " + MAX_NAME + " characters";
        }
        return "is over a size limit";
    }
}
