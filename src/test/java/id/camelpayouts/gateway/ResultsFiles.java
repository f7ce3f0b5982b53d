package id.camelpayouts.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Reads {@code <name>.results.csv} for tests. The gateway rewrites it while rows change state, so
 * it is read in one go (one open, all bytes) and parsed from that copy: a rewrite can replace the
 * file, but never change what was read half way through parsing. Not there yet reads as no rows.
 */
public final class ResultsFiles {

    private static final CsvMapper CSV = new CsvMapper();

    private ResultsFiles() {
    }

    public static List<Map<String, String>> read(Path file) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException notWrittenYet) {
            return List.of();
        }
        return parse(content);
    }

    static List<Map<String, String>> parse(byte[] content) throws IOException {
        try (MappingIterator<Map<String, String>> it = CSV.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(content)) {
            List<Map<String, String>> rows = new ArrayList<>();
            it.forEachRemaining(row -> rows.add(new LinkedHashMap<>(row)));
            return rows;
        }
    }
}
