package id.camelpayouts.files;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.apache.camel.Header;
import org.apache.camel.Variable;

import id.camelpayouts.payout.InstructionParser;

/**
 * Reads a dropped file into rows: a CSV file whose header row names the instruction's fields,
 * a JSON array of instructions, or JSON lines (one instruction per line). Each row is a map of
 * field to value, or, for a JSON line that is not an object, the line itself (the intake then
 * refuses just that row). A file that cannot be read as a whole is an {@link UnreadableFileException}.
 */
public final class PayoutFileReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most columns a header may have, and cells a row keeps (an instruction has 15 fields). */
    static final int MAX_COLUMNS = 64;
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    private PayoutFileReader() {
    }

    /**
     * The file's rows; more than {@code maxRows} refuse the file as soon as the row past the limit
     * is read (a file within payouts.files.max-bytes may still hold millions of tiny rows).
     */
    public static List<Object> read(String fileName, byte[] content, long maxRows) {
        String text = utf8(content).replace("\uFEFF", "");
        if (text.isBlank()) {
            throw new UnreadableFileException("the file is empty");
        }
        String name = fileName.toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".csv")) {
                return csv(text, new Rows(maxRows));
            }
            if (name.endsWith(".json")) {
                return text.stripLeading().startsWith("[") ? jsonArray(text, new Rows(maxRows))
                        : jsonLines(text, new Rows(maxRows));
            }
        } catch (UnreadableFileException unreadable) {
            String note = encodingNote(text);
            throw note.isEmpty() ? unreadable : new UnreadableFileException(unreadable.getMessage() + note);
        }
        throw new UnreadableFileException("only .csv and .json files are read");
    }

    /**
     * The rows a cell at a time (a row is never read as one array): a header of at most
     * {@link #MAX_COLUMNS} columns, and in a row at most that many cells kept, the rest beyond the
     * header counted. A 17 MB file of a million columns, read as arrays and maps, ended the gateway
     * with an OutOfMemoryError, and again at every start while it stayed in the inbox.
     */
    private static List<Object> csv(String text, Rows rows) {
        try (JsonParser cells = CSV.getFactory().createParser(text)) {
            List<String> header = null;
            Map<String, Object> row = null;
            List<String> headerCells = null;
            int depth = 0;
            int column = 0;
            long beyond = 0;
            for (JsonToken token = cells.nextToken(); token != null; token = cells.nextToken()) {
                if (token == JsonToken.START_ARRAY) {
                    depth++;
                    if (depth == 2) {
                        column = 0;
                        beyond = 0;
                        if (header == null) {
                            headerCells = new ArrayList<>();
                        } else {
                            row = new LinkedHashMap<>();
                        }
                    }
                } else if (token == JsonToken.END_ARRAY) {
                    if (depth == 2) {
                        if (header == null) {
                            header = header(headerCells);
                        } else {
                            if (beyond > 0) {
                                row.put(beyond + " more cells beyond the header", "");
                            }
                            rows.add(row);
                        }
                    }
                    depth--;
                } else if (depth == 2 && token.isScalarValue()) {
                    column++;
                    if (header == null) {
                        if (column > MAX_COLUMNS) {
                            throw new UnreadableFileException("the header row has more than " + MAX_COLUMNS
                                    + " columns: it names the instruction's fields, a few of them");
                        }
                        headerCells.add(cells.getText().trim());
                    } else if (column <= header.size() && !header.get(column - 1).isEmpty()) {
                        row.put(header.get(column - 1), cells.getText());
                    } else if (!cells.getText().isBlank()) {
                        // a cell beyond the header, or under a header cell naming nothing (a line's
                        // trailing comma), has no field: the intake names it as a problem
                        if (row.size() < MAX_COLUMNS) {
                            row.put("column " + column + " (no header)", cells.getText());
                        } else {
                            beyond++;
                        }
                    }
                }
            }
            if (header == null) {
                throw new UnreadableFileException("no header row");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableFileException unreadable) {
                throw unreadable;
            }
            throw new UnreadableFileException("not a readable CSV file" + where(e));
        }
        if (rows.isEmpty()) {
            throw new UnreadableFileException("the file has a header but no rows");
        }
        return rows;
    }

    /**
     * The header row, checked: it names reference and amount, and no field twice (a field given
     * twice is refused, as in a JSON row: which of two amounts a spreadsheet's reader saw is not
     * known, and paying the last one paid the column further right). Only the instruction's field
     * names are repeated in the reason: any other cell may be data.
     */
    private static List<String> header(List<String> header) {
        if (!header.contains("reference") || !header.contains("amount")) {
            // its cells are not echoed: a first row that is data holds an account number
            throw new UnreadableFileException("the first row is not a header: the header row must name the"
                    + " instruction's fields (reference, bankCode, accountNumber, amount, ...); it names no "
                    + (header.contains("reference") ? "amount" : header.contains("amount")
                            ? "reference" : "reference nor amount") + " (its cells are not repeated here)");
        }
        for (int column = 0; column < header.size(); column++) {
            int again = header.subList(column + 1, header.size()).indexOf(header.get(column));
            if (!header.get(column).isEmpty() && again >= 0) {
                String field = InstructionParser.isField(header.get(column)) ? header.get(column) : "a field";
                throw new UnreadableFileException("the header row names " + field + " twice (columns " + (column + 1)
                        + " and " + (column + again + 2) + "): name each field once; nothing in it was paid");
            }
        }
        return header;
    }

    /**
     * The array's elements one at a time, each as its own text: the intake reads it strictly, as
     * the API's body (at most 64 KiB, no field given twice, bounded depth and numbers), so neither an
     * element of a million fields nor a duplicated amount is read into a map here.
     */
    private static List<Object> jsonArray(String text, Rows rows) {
        try (JsonParser elements = JSON.getFactory().createParser(text)) {
            if (elements.nextToken() != JsonToken.START_ARRAY) {
                throw new UnreadableFileException("not a readable JSON array");
            }
            for (JsonToken token = elements.nextToken(); token != JsonToken.END_ARRAY; token = elements.nextToken()) {
                if (token == null) {
                    throw new UnreadableFileException("not a readable JSON array (it does not end)");
                }
                int from = (int) elements.currentTokenLocation().getCharOffset();
                elements.skipChildren();
                int to = (int) elements.currentLocation().getCharOffset();
                rows.add(text.substring(from, Math.min(text.length(), to)));
            }
            if (elements.nextToken() != null) {
                throw new UnreadableFileException("not a readable JSON array (content after it)");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableFileException unreadable) {
                throw unreadable;
            }
            throw new UnreadableFileException("not a readable JSON array" + where(e));
        }
        if (rows.isEmpty()) {
            throw new UnreadableFileException("the JSON array is empty");
        }
        return rows;
    }

    /**
     * Line by line (String.lines() splits lazily: the file is never copied into an array of lines),
     * each line as its text: the intake reads it strictly, as the API's body.
     */
    private static List<Object> jsonLines(String text, Rows rows) {
        for (String line : (Iterable<String>) text.lines()::iterator) {
            if (!line.isBlank()) {
                rows.add(line);
            }
        }
        return rows;
    }

    /** A file's rows, refusing the file at the row past the limit. */
    private static final class Rows extends ArrayList<Object> {
        private final long max;

        Rows(long max) {
            this.max = max;
        }

        @Override
        public boolean add(Object row) {
            if (size() >= max) {
                throw new UnreadableFileException("the file has more rows than payouts.files.max-rows (" + max
                        + "): split it into smaller files (or raise the limit with the heap); nothing in it was paid");
            }
            return super.add(row);
        }
    }

    /**
     * Where the parser gave up, never what it read there (a parser's message may quote the text,
     * and the text may be an account number).
     */
    private static String where(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException parsing && parsing.getLocation() != null) {
                return " (line " + parsing.getLocation().getLineNr() + ", column "
                        + parsing.getLocation().getColumnNr() + ")";
            }
        }
        return "";
    }

    /**
     * A symbolic link in the inbox is refused before it is read: it could point at any file the
     * gateway may read (whoever can write the inbox would have the gateway read, log or pay from it).
     * So is anything else that is not a regular file: reading a named pipe (a FIFO called x.csv)
     * waited for a writer for ever, and every file after it with it.
     */
    public static void refuseLinks(String path) {
        if (Files.isSymbolicLink(Path.of(path))) {
            throw new UnreadableFileException("a symbolic link: the inbox takes only regular files, and a link is"
                    + " never followed (move or copy the file itself into the inbox)");
        }
        if (!Files.isRegularFile(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UnreadableFileException("not a regular file (a named pipe, a device or a socket): the inbox"
                    + " takes only regular files");
        }
    }

    /** The longest file name taken, in UTF-8 bytes: its results file, and the temporary file that one is written to, must fit a file system's 255. */
    public static final int MAX_NAME_BYTES = 180;

    /**
     * Refuses a file whose name is unfit before it is read: a name with a control or invisible
     * format character (a line break, an escape sequence, a right-to-left override) would forge or
     * garble the log lines, the batch and the results file it names; a name longer than
     * {@link #MAX_NAME_BYTES} cannot have a results file beside it (its writing failed every half
     * second, a stack trace each time, for ever). The reason never repeats the name.
     */
    public static void refuseUnfitName(@Header("CamelFileName") String name) {
        if (name == null || !id.camelpayouts.input.LogSafe.isClean(name)) {
            throw new UnreadableFileException("the file's name holds a control or invisible character (a line break,"
                    + " an escape, a direction override): rename it with letters, digits, '.', '_' and '-'");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new UnreadableFileException("the file's name is longer than " + MAX_NAME_BYTES
                    + " bytes: give it a shorter one (its results file must fit beside it)");
        }
    }

    /** When a refused file was moved, first in its name in error/ (as in done/). */
    private static final DateTimeFormatter REFUSED_AT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    /**
     * The name a refused file takes in error/: the time first, as in done/, so that a file refused
     * again under the same name never replaces the earlier one and its note; cut to the 255 bytes a
     * file name may have.
     */
    public static String errorName(@Header("CamelFileName") String name) {
        return fit(LocalDateTime.now().format(REFUSED_AT) + "-" + name, 255);
    }

    /** The note beside a refused file in error/: its name there, cut so that ".why.txt" still fits. */
    public static String noteName(@Variable("errorName") String errorName) {
        String note = ".why.txt";
        return fit(errorName, 255 - note.length()) + note;
    }

    private static String fit(String name, int maxBytes) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
            String next = new String(Character.toChars(name.codePointAt(i)));
            bytes += next.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                break;
            }
            kept.append(next);
        }
        return kept.toString();
    }

    /**
     * Refuses a file larger than {@code maxBytes} before a byte of it is read: a file is read and
     * parsed whole, so its size bounds the memory its intake takes.
     */
    public static void refuseOversized(long length, long maxBytes) {
        if (length > maxBytes) {
            throw new UnreadableFileException("the file is " + length + " bytes, larger than payouts.files.max-bytes ("
                    + maxBytes + " bytes): split it into smaller files (or raise the limit with the heap); nothing"
                    + " in it was paid");
        }
    }

    /**
     * The file as text. Bytes that are not UTF-8 (a name typed in another encoding) become U+FFFD,
     * which the intake refuses in any field, so that only their rows are REJECTED and the rest of the
     * file is paid; a file that cannot be read at all says, besides why, where it stops being UTF-8.
     */
    private static String utf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException notAllUtf8) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException impossible) {
                throw new UnreadableFileException("not UTF-8 text");
            }
        }
    }

    /** " (it is not all UTF-8 text: line N is the first that is not)", or "" for a file that is. */
    private static String encodingNote(String text) {
        int at = text.indexOf('\uFFFD');
        if (at < 0) {
            return "";
        }
        long line = 1 + text.substring(0, at).chars().filter(c -> c == '\n').count();
        return "; it is not all UTF-8 text (line " + line + " is the first that is not): save it as UTF-8";
    }
}
